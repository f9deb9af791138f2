package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestRecallFromSegmentFilter: with a segment filter on, R creates a
// follow-up for each customer shown; a second run creates none.
func TestRecallFromSegmentFilter(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 34)
	send(t, m, nil, keys("R")...)
	if m.customers.form() != nil || !strings.Contains(m.status, "filter with w first") {
		t.Fatalf("R without a segment should explain: %q", m.status)
	}
	send(t, m, nil, keys("w", "plan = enterprise", "enter", "R")...)
	if m.customers.form() == nil {
		t.Fatal("R should open the recall form")
	}
	frame := m.View()
	assertFrame(t, frame, 120, 34)
	golden(t, "recall_form", frame)
	if !strings.Contains(frame, "Create follow-ups for the 2 customers of") {
		t.Errorf("the form should say how many:\n%s", frame)
	}
	send(t, m, nil, keys("ctrl+s")...)
	if !strings.Contains(m.status, "2 follow-ups created, 0 already had one") {
		t.Fatalf("status %q", m.status)
	}
	cs, err := st.Campaigns(context.Background())
	if err != nil || len(cs) != 1 || cs[0].Open != 2 || cs[0].Name != "recall 2026-11-20" {
		t.Errorf("campaigns %+v %v", cs, err)
	}
	send(t, m, nil, keys("R", "ctrl+s")...)
	if !strings.Contains(m.status, "0 follow-ups created, 2 already had one") {
		t.Errorf("second run: %q", m.status)
	}
	// The Follow-ups tab shows the campaign's progress.
	send(t, m, nil, keys("3", "C")...)
	frame = m.View()
	assertFrame(t, frame, 120, 34)
	if !strings.Contains(frame, "recall 2026-11-20") || !strings.Contains(frame, "0%") {
		t.Errorf("campaigns view:\n%s", frame)
	}
	golden(t, "followups_campaigns", frame)
	fs, _ := st.FollowUpPage(context.Background(), model.FollowUpQuery{State: model.StateOpen, Limit: 20})
	if len(fs.Rows) != 5 { // the 3 seeded and the 2 recalled
		t.Errorf("%d open follow-ups, want 5", len(fs.Rows))
	}
}

// TestRecallProgressBar: a running recall shows a bar with its share done
// in the status bar.
func TestRecallProgressBar(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 34)
	m.Update(recallProgressMsg{done: 51177, total: 102355})
	frame := m.View()
	if !strings.Contains(frame, "recall ██████████░░░░░░░░░░  50%  51,177 of 102,355 customers…") {
		t.Errorf("status bar while recalling:\n%s", frame)
	}
	// Changes seen meanwhile are the recall's own batches: the screens
	// wait for its end instead of re-reading the segment being written.
	m.Update(changesMsg{changed: true, byOthers: 2, last: 99})
	if !strings.Contains(m.status, "51,177 of 102,355") || m.lastAudit == 99 {
		t.Errorf("a poll during the recall: status %q, lastAudit %d", m.status, m.lastAudit)
	}
	m.Update(recallDoneMsg{campaign: "c", res: model.RecallResult{Created: 3}})
	if m.recalling {
		t.Error("still recalling after the end")
	}
	if meter(0, 0, 4) != "░░░░" || meter(9, 3, 4) != "████" {
		t.Errorf("meter edges: %q %q", meter(0, 0, 4), meter(9, 3, 4))
	}
}

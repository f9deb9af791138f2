package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// helpdeskStore is what a ticket export gives: no plan, region, city or
// language, every customer "new", feedback on two channels by two agents.
func helpdeskStore(t *testing.T, oneOfEach bool) *db.Store {
	t.Helper()
	ctx := context.Background()
	st := emptyStore(t)
	st.Now = func() time.Time { return fixedNow }
	for i, who := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		c, err := st.CreateCustomer(ctx, "tester", model.Customer{Email: who})
		if err != nil {
			t.Fatal(err)
		}
		channel, agent := []string{"email", "chat"}[i%2], []string{"ann", "bob"}[i%2]
		if oneOfEach {
			channel, agent = "email", "ann"
		}
		if _, err := st.AddFeedback(ctx, agent, model.Feedback{CustomerID: c.ID, Channel: channel, Kind: model.KindComplaint,
			Subject: "s", CreatedAt: fixedNow.Add(-time.Hour), CSAT: ptrInt(3 + i%2)}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

func ptrInt(v int) *int { return &v }

// TestInsightsPassOverOneGroup: Insights opens on the first dimension
// that has something to compare (a helpdesk export has no plan, region,
// city or language, and every customer is "new"), says what it passed
// over, and `d` passes over such dimensions too; when every dimension has
// one group, plan stays.
func TestInsightsPassOverOneGroup(t *testing.T) {
	m := newTestModel(t, helpdeskStore(t, false), 120, 24)
	send(t, m, nil, keys("4")...)
	in := m.insights
	if got := insightDims[in.dim]; got != "channel" || len(in.sum.Groups) != 2 {
		t.Fatalf("Insights opened by %s, want channel with 2 groups", got)
	}
	if v := m.View(); !strings.Contains(v, "passed over plan, region, city, lifecycle, language: nothing to compare") {
		t.Errorf("the status bar should name what was passed over:\n%s", v)
	}
	send(t, m, nil, keys("d")...) // kind: all complaints; category: all unclassified; tag: none
	if got := insightDims[in.dim]; got != "agent" {
		t.Errorf("d from channel went to %s, want agent", got)
	}
	send(t, m, nil, keys("d")...) // source, month, week: one each; no saved segments
	if got := insightDims[in.dim]; got != "channel" {
		t.Errorf("d from agent went to %s, want channel", got)
	}

	m = newTestModel(t, helpdeskStore(t, true), 120, 24)
	send(t, m, nil, keys("4")...)
	if got, v := insightDims[m.insights.dim], m.View(); got != "plan" || !strings.Contains(v, "every dimension has one group") {
		t.Errorf("one group everywhere: opened by %s, want plan and a word why:\n%s", got, v)
	}
	// A saved segment is never passed over, even alone.
	if _, err := m.env.store.(*db.Store).SaveSegment(context.Background(), "tester", "mail", "csat_avg >= 3", false); err != nil {
		t.Fatal(err)
	}
	m = newTestModel(t, m.env.store, 120, 24)
	send(t, m, nil, keys("4")...)
	if got := insightDims[m.insights.dim]; got != "segments" {
		t.Errorf("with one saved segment: opened by %s, want segments", got)
	}
}

package db

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// TestTimelineTellsTheStory logs one of everything against a customer, an
// hour apart, and reads the profile's history back newest first.
func TestTimelineTellsTheStory(t *testing.T) {
	s := openTemp(t)
	bg := context.Background()
	clock := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return clock }
	tick := func() { clock = clock.Add(time.Hour) }

	c, err := s.CreateCustomer(bg, "ann", model.Customer{Name: "李娜", Email: "li.na@example.cn"})
	if err != nil {
		t.Fatal(err)
	}
	tick()
	paying, plan := model.LifecyclePaying, "pro"
	if _, err := s.UpdateCustomer(bg, "alice", c.ID, model.CustomerPatch{Lifecycle: &paying, Plan: &plan}, 0); err != nil {
		t.Fatal(err)
	}
	tick()
	fb, err := s.AddFeedback(bg, "ann", model.Feedback{CustomerID: c.ID, Kind: model.KindComplaint, Channel: "Phone",
		Body: "Refund not received\nsecond line", CSAT: scoreOf(2)})
	if err != nil {
		t.Fatal(err)
	}
	tick()
	if _, err := s.AddNote(bg, "ann", model.Note{CustomerID: c.ID, Body: "Called back\nleft a message"}); err != nil {
		t.Fatal(err)
	}
	tick()
	due := clock.Add(24 * time.Hour)
	fu, err := s.AddFollowUp(bg, "ann", model.FollowUp{CustomerID: c.ID, Due: due, Assignee: "bob", Note: "check the refund"})
	if err != nil {
		t.Fatal(err)
	}
	tick()
	if err := s.FollowUpDone(bg, "bob", fu.ID); err != nil {
		t.Fatal(err)
	}

	tl, err := s.Timeline(bg, c.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		typ, agent string
		at         time.Time
		parts      []string
	}{
		{"followup", "bob", clock, []string{"done", "check the refund"}},
		{"followup", "ann", clock.Add(-time.Hour), []string{"follow-up due " + due.In(time.Local).Format("2006-01-02"), "bob", "check the refund"}},
		{"note", "ann", clock.Add(-2 * time.Hour), []string{"Called back"}},
		{"feedback", "ann", clock.Add(-3 * time.Hour), []string{"complaint", "phone", "Refund not received"}},
		{"change", "alice", clock.Add(-4 * time.Hour), []string{"lifecycle: new → paying", "plan: – → pro"}},
	}
	if len(tl) != len(want) {
		t.Fatalf("timeline has %d entries, want %d: %+v", len(tl), len(want), tl)
	}
	for i, w := range want {
		e := tl[i]
		if e.Type != w.typ || e.Agent != w.agent || !e.At.Equal(w.at) {
			t.Errorf("entry %d = %s by %s at %v; want %s by %s at %v", i, e.Type, e.Agent, e.At, w.typ, w.agent, w.at)
		}
		for _, p := range w.parts {
			if !strings.Contains(e.Summary, p) {
				t.Errorf("entry %d (%s) summary %q lacks %q", i, e.Type, e.Summary, p)
			}
		}
		if strings.Contains(e.Summary, "\n") {
			t.Errorf("entry %d summary spans lines: %q", i, e.Summary)
		}
	}
	if e := tl[3]; e.ID != fb.ID || e.CSAT == nil || *e.CSAT != 2 || e.NPS != nil {
		t.Errorf("feedback entry scores: %+v", e)
	}

	short, err := s.Timeline(bg, c.ID, 2)
	if err != nil || len(short) != 2 || short[0].Summary != tl[0].Summary || short[1].Summary != tl[1].Summary {
		t.Errorf("Timeline(limit 2) = %+v, %v", short, err)
	}
	if _, err := s.Timeline(bg, c.ID+100, 10); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("timeline of a missing customer: %v", err)
	}
	other, _ := s.CreateCustomer(bg, "ann", model.Customer{Name: "Quiet"})
	if empty, err := s.Timeline(bg, other.ID, 10); err != nil || empty == nil || len(empty) != 0 {
		t.Errorf("empty timeline = %#v, %v; want an empty, non-nil slice", empty, err)
	}
}

// TestScoreHistoryKeepsTheLatest: the last n answers, oldest first,
// skipping feedback without a score.
func TestScoreHistoryKeepsTheLatest(t *testing.T) {
	s := openTemp(t)
	bg := context.Background()
	c, _ := s.CreateCustomer(bg, "t", model.Customer{Name: "Scores"})
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 8; i++ {
		f := model.Feedback{CustomerID: c.ID, Body: "x", CreatedAt: base.Add(time.Duration(i) * 24 * time.Hour)}
		switch i % 3 {
		case 0:
			f.CSAT = scoreOf(1 + i%5)
		case 1:
			f.NPS = scoreOf(i)
		}
		if _, err := s.AddFeedback(bg, "t", f); err != nil {
			t.Fatal(err)
		}
	}
	// Scored: days 0 (csat 1), 1 (nps 1), 3 (csat 4), 4 (nps 4), 6 (csat 2), 7 (nps 7).
	hist, err := s.ScoreHistory(bg, c.ID, 3)
	if err != nil || len(hist) != 3 {
		t.Fatalf("ScoreHistory = %+v, %v", hist, err)
	}
	if !hist[0].At.Equal(base.Add(4*24*time.Hour)) || hist[0].NPS == nil || *hist[0].NPS != 4 ||
		hist[1].CSAT == nil || *hist[1].CSAT != 2 || hist[2].NPS == nil || *hist[2].NPS != 7 {
		t.Errorf("history = %+v", hist)
	}
}

// The timeline names who closed a follow-up, not whom it was assigned to.
func TestTimelineNamesWhoClosedAFollowUp(t *testing.T) {
	s := openTemp(t)
	bg := context.Background()
	c, err := s.CreateCustomer(bg, "ann", model.Customer{Name: "陈静"})
	if err != nil {
		t.Fatal(err)
	}
	fu, err := s.AddFollowUp(bg, "ann", model.FollowUp{CustomerID: c.ID, Due: s.Now().Add(time.Hour), Assignee: "bob", Note: "call back"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FollowUpDone(bg, "carol", fu.ID); err != nil {
		t.Fatal(err)
	}
	tl, err := s.Timeline(bg, c.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tl {
		if strings.HasPrefix(e.Summary, "follow-up done") {
			if e.Agent != "carol" {
				t.Errorf("done by %q, want carol (who closed it), not the assignee", e.Agent)
			}
			return
		}
	}
	t.Fatalf("no done entry in %+v", tl)
}

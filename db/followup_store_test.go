package db

import (
	"errors"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func TestFollowUpQueueSections(t *testing.T) {
	s := openTemp(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	c := mustCreate(t, s, model.Customer{Name: "Queue"})
	due := map[string]time.Duration{"a": -72 * time.Hour, "b": -time.Hour, "c": 3 * time.Hour, "d": 30 * time.Hour, "e": 200 * time.Hour}
	ids := map[string]int64{}
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		assignee := "li.na"
		if n == "e" {
			assignee = "emma"
		}
		f, err := s.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: c.ID, Due: now.Add(due[n]), Note: n, Assignee: assignee})
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = f.ID
	}
	dayEnd := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	section := func(st model.FollowUpState, who string) string {
		t.Helper()
		q := model.FollowUpQuery{State: st, Assignee: who, Now: now, DayEnd: dayEnd, Limit: 2}
		out := ""
		for {
			p, err := s.FollowUpPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range p.Rows {
				out += f.Note
			}
			if !p.HasMore {
				break
			}
			q.After = &p.Cursors[len(p.Cursors)-1]
		}
		if n, err := s.CountFollowUps(ctx, model.FollowUpQuery{State: st, Assignee: who, Now: now, DayEnd: dayEnd}); err != nil || n != len(out) {
			t.Errorf("count %s = %d, %v; listed %q", st, n, err, out)
		}
		return out
	}
	for st, want := range map[model.FollowUpState]string{model.StateOverdue: "ab", model.StateToday: "c", model.StateUpcoming: "de", model.StateDone: ""} {
		if got := section(st, ""); got != want {
			t.Errorf("%s = %q, want %q", st, got, want)
		}
	}
	if got := section(model.StateUpcoming, "li.na"); got != "d" {
		t.Errorf("li.na's upcoming = %q", got)
	}
	if err := s.SnoozeFollowUp(ctx, "li.na", ids["a"], now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.FollowUpDone(ctx, "li.na", ids["b"]); err != nil {
		t.Fatal(err)
	}
	if got := section(model.StateOverdue, ""); got != "" {
		t.Errorf("overdue after snooze and done = %q", got)
	}
	if got := section(model.StateToday, ""); got != "ac" {
		t.Errorf("today after snooze = %q", got)
	}
	if got := section(model.StateDone, ""); got != "b" {
		t.Errorf("done = %q", got)
	}
	if err := s.SnoozeFollowUp(ctx, "li.na", ids["b"], now); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("snoozing a done follow-up: %v", err)
	}
	cu, _ := s.Customer(ctx, c.ID)
	if cu.FollowupsOpen != 4 {
		t.Errorf("followups_open = %d", cu.FollowupsOpen)
	}
}

// The Done section lists follow-ups by when they were closed, latest
// first: one closed just now with a due date long past is at the top, not
// at the bottom (issue 16, defect 11). Pages of two walk it without gaps,
// forwards and back, for everyone and for one assignee.
func TestDoneFollowUpsLatestClosedFirst(t *testing.T) {
	s := openTemp(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	c := mustCreate(t, s, model.Customer{Name: "Done order"})
	ids := map[string]int64{}
	for i, n := range []string{"a", "b", "c", "d", "e"} {
		f, err := s.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: c.ID, Due: now.Add(time.Duration(i-30) * 24 * time.Hour), Note: n, Assignee: "li.na"})
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = f.ID
	}
	for i, n := range []string{"e", "c", "a", "d", "b"} { // closed in this order, a minute apart
		now = time.Date(2026, 11, 20, 10, i, 0, 0, time.UTC)
		if err := s.FollowUpDone(ctx, "li.na", ids[n]); err != nil {
			t.Fatal(err)
		}
	}
	for _, who := range []string{"", "li.na"} {
		q := model.FollowUpQuery{State: model.StateDone, Assignee: who, Now: now, Limit: 2}
		out := ""
		var last model.Cursor
		for {
			p, err := s.FollowUpPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range p.Rows {
				out += f.Note
			}
			if !p.HasMore {
				last = p.Cursors[len(p.Cursors)-1]
				break
			}
			q.After = &p.Cursors[len(p.Cursors)-1]
		}
		if out != "bdace" {
			t.Errorf("done (%q) = %q, want latest closed first: bdace", who, out)
		}
		back, err := s.FollowUpPage(ctx, model.FollowUpQuery{State: model.StateDone, Assignee: who, Now: now, Limit: 2, Before: &last})
		if err != nil || len(back.Rows) != 2 || back.Rows[0].Note+back.Rows[1].Note != "ac" {
			t.Errorf("page before e: %+v %v", back.Rows, err)
		}
	}
}

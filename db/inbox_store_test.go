package db

import (
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// TestFeedbackPagesWalk pages the Inbox forwards and backwards, with many
// items sharing a timestamp, and checks the pages join up to ListFeedback.
func TestFeedbackPagesWalk(t *testing.T) {
	s := openTemp(t)
	clock := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return clock }
	c := mustCreate(t, s, model.Customer{Name: "Walker"})
	for i := 0; i < 31; i++ {
		if i%4 == 0 {
			clock = clock.Add(time.Minute) // groups of four share a time
		}
		st := model.StatusOpen
		if i%3 == 0 {
			st = model.StatusClosed
		}
		if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: "x", Status: st,
			CreatedAt: clock}); err != nil {
			t.Fatal(err)
		}
	}
	for _, status := range []model.Status{"", model.StatusOpen} {
		all, err := s.ListFeedback(ctx, model.FeedbackQuery{Status: status, Limit: -1})
		if err != nil {
			t.Fatal(err)
		}
		var fwd, back []int64
		q := model.FeedbackQuery{Status: status, Limit: 3}
		for {
			p, err := s.FeedbackPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range p.Rows {
				fwd = append(fwd, f.ID)
			}
			if !p.HasMore {
				break
			}
			q.After = &p.Cursors[len(p.Cursors)-1]
		}
		q = model.FeedbackQuery{Status: status, Limit: 3, Last: true}
		for {
			p, err := s.FeedbackPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			ids := []int64{}
			for _, f := range p.Rows {
				ids = append(ids, f.ID)
			}
			back = append(ids, back...)
			if !p.HasMore {
				break
			}
			q = model.FeedbackQuery{Status: status, Limit: 3, Before: &p.Cursors[0]}
		}
		if len(fwd) != len(all) || len(back) != len(all) {
			t.Fatalf("status %q: %d forward, %d backward, want %d", status, len(fwd), len(back), len(all))
		}
		for i, f := range all {
			if fwd[i] != f.ID || back[i] != f.ID {
				t.Fatalf("status %q position %d: %d / %d, want %d", status, i, fwd[i], back[i], f.ID)
			}
		}
		if n, _, err := s.CountFeedback(ctx, model.FeedbackQuery{Status: status}, 0); err != nil || n != len(all) {
			t.Errorf("count %q = %d, %v", status, n, err)
		}
	}
}

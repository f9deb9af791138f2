package db

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// TestRecallIsIdempotentPerCampaign: a recall over a segment creates one
// open follow-up per member, round-robin over the agents, audited and
// counted on the customers; running it again creates nothing; a member
// whose follow-up was done gets a new one.
func TestRecallIsIdempotentPerCampaign(t *testing.T) {
	s := openTemp(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	for i := 0; i < 7; i++ {
		plan := "pro"
		if i%2 == 1 {
			plan = "free"
		}
		mustCreate(t, s, model.Customer{Name: fmt.Sprintf("Member %d", i), Plan: plan})
	}
	if _, err := s.SaveSegment(ctx, "lead", "pro users", "plan = pro", false); err != nil {
		t.Fatal(err)
	}
	due := now.Add(48 * time.Hour)
	req := model.RecallRequest{Segment: "pro users", Due: due, Assignees: []string{"li.na", "emma"}, Note: "回访：续费意向", Campaign: "renewal-2026"}
	var calls []string
	res, err := s.Recall(ctx, "lead", req, func(done, total int) { calls = append(calls, fmt.Sprintf("%d/%d", done, total)) })
	if err != nil || res.Created != 4 || res.Skipped != 0 || fmt.Sprint(calls) != "[0/4 4/4]" {
		t.Fatalf("first recall = %+v, %v, progress %v", res, err, calls)
	}
	if n := countRows(t, s, "SELECT count(*) FROM followups WHERE campaign = 'renewal-2026' AND assignee = 'li.na'"); n != 2 {
		t.Errorf("li.na has %d, want 2 of 4 (round-robin)", n)
	}
	// Each follow-up's creation is audited (in the batch's one row).
	var created []int64
	for _, id := range queryInts(t, s, "SELECT id FROM followups WHERE campaign = 'renewal-2026'") {
		es, err := s.Audit(ctx, model.AuditQuery{Entity: "followup", ID: id})
		if err == nil && len(es) == 1 && es[0].Action == "create" && es[0].Agent == "lead" &&
			es[0].Changes["campaign"][1] == "renewal-2026" && es[0].Changes["note"][1] == "回访：续费意向" {
			created = append(created, id)
		}
	}
	if len(created) != 4 || countRows(t, s, "SELECT count(*) FROM audit WHERE entity = 'followups'") != 1 {
		t.Errorf("%d follow-ups' creation audited, want 4 (in 1 batch row)", len(created))
	}
	if n := countRows(t, s, "SELECT count(*) FROM customers c JOIN followup_counts fc ON fc.customer_id = c.id WHERE plan = 'pro' AND open = 1"); n != 4 {
		t.Errorf("%d pro customers count one open follow-up, want 4", n)
	}
	again, err := s.Recall(ctx, "lead", req, nil)
	if err != nil || again.Created != 0 || again.Skipped != 4 {
		t.Fatalf("second recall = %+v, %v", again, err)
	}
	// One is done: the next run recalls that member again, and only them.
	var one int64
	s.db.QueryRow("SELECT id FROM followups WHERE campaign = 'renewal-2026' ORDER BY id LIMIT 1").Scan(&one)
	if err := s.FollowUpDone(ctx, "li.na", one); err != nil {
		t.Fatal(err)
	}
	third, err := s.Recall(ctx, "lead", req, nil)
	if err != nil || third.Created != 1 || third.Skipped != 3 {
		t.Fatalf("third recall = %+v, %v", third, err)
	}
	cs, err := s.Campaigns(ctx)
	if err != nil || len(cs) != 1 || cs[0].Name != "renewal-2026" || cs[0].Open != 4 || cs[0].Done != 1 ||
		!cs[0].FirstDue.Equal(due) {
		t.Errorf("campaigns = %+v, %v", cs, err)
	}
	// A where expression works the same; a bad one or no campaign is refused.
	if r, err := s.Recall(ctx, "lead", model.RecallRequest{Where: "plan = free", Due: due, Campaign: "free-tier"}, nil); err != nil || r.Created != 3 {
		t.Errorf("where recall = %+v, %v", r, err)
	}
	var se *model.SegmentError
	if _, err := s.Recall(ctx, "lead", model.RecallRequest{Where: "plan = ", Due: due, Campaign: "x"}, nil); !errors.As(err, &se) {
		t.Errorf("bad expression: %v", err)
	}
	if _, err := s.Recall(ctx, "lead", model.RecallRequest{Where: "plan = pro", Due: due}, nil); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("no campaign: %v", err)
	}
}

// BenchmarkRecall creates a campaign's follow-ups for every customer in
// free/North America (102,355 on the 1M demo; goal < 3 s). It writes: run
// it on a copy of the demo database.
func BenchmarkRecall(b *testing.B) {
	s := benchDB(b)
	b.ResetTimer() // not the copy's opening (and any migration of it)
	for i := 0; i < b.N; i++ {
		req := model.RecallRequest{Where: `plan = free and region = "North America"`, Due: time.Now().Add(72 * time.Hour),
			Assignees: []string{"li.na", "emma", "wang.fang"}, Campaign: fmt.Sprintf("bench-%d", time.Now().UnixNano())}
		res, err := s.Recall(ctx, "bench", req, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Created), "created")
	}
}

// BenchmarkFollowUpQueue pages the queue sections with everyone's open
// follow-ups (hundreds of thousands after BenchmarkRecall on the demo
// database; goal < 10 ms a page), first page and the count of each.
func BenchmarkFollowUpQueue(b *testing.B) {
	s := benchDB(b)
	now := time.Now()
	local := now.In(time.Local)
	dayEnd := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, time.Local)
	for _, st := range model.FollowUpStates {
		for _, who := range []string{"", "li.na"} {
			b.Run(string(st)+"/"+who, func(b *testing.B) {
				q := model.FollowUpQuery{State: st, Assignee: who, Now: now, DayEnd: dayEnd, Limit: 50}
				for i := 0; i < b.N; i++ {
					p, err := s.FollowUpPage(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					if len(p.Cursors) > 0 && p.HasMore {
						next := q
						next.After = &p.Cursors[len(p.Cursors)-1]
						if _, err := s.FollowUpPage(ctx, next); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// testFollowUpSections: with the clock given in the query, each section of
// the queue holds exactly the follow-ups it should, per assignee and for
// everyone, open ones soonest first, in pages both ways; counts agree; done, snooze and
// reassign move follow-ups between sections.
func testFollowUpSections(t *testing.T, st model.Store) {
	c := create(t, st, "t", model.Customer{Name: "A"})
	d := create(t, st, "t", model.Customer{Name: "B"})
	now := base
	dayEnd := now.Add(6 * time.Hour)
	type plan struct {
		who     string
		due     time.Duration
		section model.FollowUpState
	}
	plans := []plan{
		{"li.na", -72 * time.Hour, model.StateOverdue},
		{"emma", -2 * time.Hour, model.StateOverdue},
		{"li.na", -time.Minute, model.StateOverdue},
		{"li.na", time.Hour, model.StateToday},
		{"emma", 5 * time.Hour, model.StateToday},
		{"li.na", 7 * time.Hour, model.StateUpcoming},
		{"li.na", 30 * 24 * time.Hour, model.StateUpcoming},
		{"emma", 3 * 24 * time.Hour, model.StateUpcoming},
		{"li.na", 2 * time.Hour, model.StateToday},
		{"li.na", -5 * time.Hour, model.StateOverdue},
	}
	var made []model.FollowUp
	for i, p := range plans {
		cust := c.ID
		if i%2 == 1 {
			cust = d.ID
		}
		fu := must(st.AddFollowUp(ctx, "lead", model.FollowUp{CustomerID: cust, Assignee: p.who, Due: now.Add(p.due), Note: fmt.Sprint("fu ", i)}))(t)
		if fu.ID == 0 || fu.Status != model.FollowUpOpen || fu.Assignee != p.who || fu.CreatedBy != "lead" || !fu.Due.Equal(now.Add(p.due)) {
			t.Fatalf("added %+v", fu)
		}
		made = append(made, fu)
	}
	// Two are done (one overdue, one upcoming): they leave their sections.
	for _, i := range []int{0, 6} {
		if err := st.FollowUpDone(ctx, plans[i].who, made[i].ID); err != nil {
			t.Fatal(err)
		}
		plans[i].section = model.StateDone
	}
	check := func(when string) {
		t.Helper()
		for _, who := range []string{"li.na", "emma", ""} {
			for _, state := range []model.FollowUpState{model.StateOverdue, model.StateToday, model.StateUpcoming, model.StateOpen, model.StateDone} {
				var want []int64
				for i, p := range plans {
					if who != "" && p.who != who {
						continue
					}
					if p.section == state || (state == model.StateOpen && p.section != model.StateDone) {
						want = append(want, made[i].ID)
					}
				}
				q := model.FollowUpQuery{Assignee: who, State: state, Now: now, DayEnd: dayEnd, Limit: 2}
				var got []model.FollowUp
				for n := 0; n <= len(plans); n++ {
					p := must(st.FollowUpPage(ctx, q))(t)
					got = append(got, p.Rows...)
					if !p.HasMore {
						break
					}
					q.After = &p.Cursors[len(p.Cursors)-1]
				}
				gotIDs := ids(got, func(f model.FollowUp) int64 { return f.ID })
				var back []int64
				q = model.FollowUpQuery{Assignee: who, State: state, Now: now, DayEnd: dayEnd, Limit: 2, Last: true}
				for n := 0; n <= len(plans); n++ {
					p := must(st.FollowUpPage(ctx, q))(t)
					back = append(ids(p.Rows, func(f model.FollowUp) int64 { return f.ID }), back...)
					if !p.HasMore {
						break
					}
					q = model.FollowUpQuery{Assignee: who, State: state, Now: now, DayEnd: dayEnd, Limit: 2, Before: &p.Cursors[0]}
				}
				if fmt.Sprint(back) != fmt.Sprint(gotIDs) {
					t.Errorf("%s: %s of %q backwards %v, forwards %v", when, state, who, back, gotIDs)
				}
				label := fmt.Sprintf("%s: %s of %q", when, state, who)
				if !sameIDs(gotIDs, want) || len(gotIDs) != len(want) {
					t.Errorf("%s = %v, want %v", label, gotIDs, want)
				}
				// Open sections run soonest due first. (The done section's
				// order is the store's: latest closed first on main.)
				for i := 1; i < len(got) && state != model.StateDone; i++ {
					a, b := got[i-1].Due, got[i].Due
					if a.After(b) {
						t.Errorf("%s: out of order at %d: %v then %v", label, i, a, b)
					}
				}
				if n, err := st.CountFollowUps(ctx, model.FollowUpQuery{Assignee: who, State: state, Now: now, DayEnd: dayEnd}); err != nil || n != len(want) {
					t.Errorf("%s: count %d, %v, want %d", label, n, err, len(want))
				}
			}
		}
	}
	check("after adding")
	// Snooze an overdue one past the day; reassign a today one to emma.
	if err := st.SnoozeFollowUp(ctx, "li.na", made[2].ID, now.Add(8*time.Hour)); err != nil {
		t.Fatal(err)
	}
	plans[2].section = model.StateUpcoming
	if err := st.ReassignFollowUp(ctx, "li.na", made[3].ID, "emma"); err != nil {
		t.Fatal(err)
	}
	plans[3].who = "emma"
	check("after snooze and reassign")
	if err := st.FollowUpDone(ctx, "li.na", made[0].ID+1000); !isErr(err, model.ErrNotFound) {
		t.Errorf("done of a missing follow-up: %v", err)
	}
	if _, err := st.AddFollowUp(ctx, "lead", model.FollowUp{CustomerID: c.ID + 1000, Due: now}); err == nil {
		t.Errorf("a follow-up for a missing customer was stored")
	}
	checkFigures(t, st, "after the follow-ups")
}

// testRecall: a recall campaign creates one open follow-up per member with
// none open in it, round-robin over the assignees; running it again
// creates nothing; a member whose follow-up is done is recalled again.
func testRecall(t *testing.T, st model.Store) {
	for i := 0; i < 7; i++ {
		create(t, st, "t", model.Customer{Name: fmt.Sprintf("Member %d", i), Plan: plans[i%2]})
	}
	must(st.SaveSegment(ctx, "lead", "free users", "plan = free", false))(t)
	due := base.Add(48 * time.Hour)
	req := model.RecallRequest{Segment: "free users", Due: due, Assignees: []string{"li.na", "emma"}, Note: "回访：续费意向", Campaign: "renewal"}
	res := must(st.Recall(ctx, "lead", req, nil))(t)
	if res.Created != 4 || res.Skipped != 0 {
		t.Fatalf("first recall = %+v", res)
	}
	fus := allFollowUps(t, st)
	per := map[string]int{}
	for _, f := range fus {
		if f.Campaign != "renewal" || !f.Due.Equal(due) || f.Note != req.Note || f.Status != model.FollowUpOpen {
			t.Errorf("recalled %+v", f)
		}
		per[f.Assignee]++
	}
	if len(fus) != 4 || per["li.na"] != 2 || per["emma"] != 2 {
		t.Errorf("follow-ups per assignee %v of %d, want 2 and 2", per, len(fus))
	}
	again := must(st.Recall(ctx, "lead", req, nil))(t)
	if again.Created != 0 || again.Skipped != 4 || len(allFollowUps(t, st)) != 4 {
		t.Errorf("second recall = %+v", again)
	}
	if err := st.FollowUpDone(ctx, "li.na", fus[0].ID); err != nil {
		t.Fatal(err)
	}
	third := must(st.Recall(ctx, "lead", req, nil))(t)
	if third.Created != 1 || third.Skipped != 3 {
		t.Errorf("recall after one is done = %+v", third)
	}
	// Another campaign over the same members is its own.
	req.Campaign, req.Segment, req.Where = "survey", "", "plan = free"
	if other := must(st.Recall(ctx, "lead", req, nil))(t); other.Created != 4 {
		t.Errorf("a second campaign = %+v", other)
	}
	camps := must(st.Campaigns(ctx))(t)
	got := map[string]model.CampaignProgress{}
	for _, c := range camps {
		got[c.Name] = c
	}
	if r := got["renewal"]; r.Open != 4 || r.Done != 1 {
		t.Errorf("renewal progress %+v", r)
	}
	if s := got["survey"]; s.Open != 4 || s.Done != 0 {
		t.Errorf("survey progress %+v", s)
	}
	checkFigures(t, st, "after the recalls")
}

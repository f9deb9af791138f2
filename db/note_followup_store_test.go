package db

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func countRows(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNotesAndFollowUps(t *testing.T) {
	s := openTemp(t)
	bg := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	c, _ := s.CreateCustomer(bg, "ann", model.Customer{Name: "Noted"})

	if _, err := s.AddNote(bg, "ann", model.Note{CustomerID: c.ID + 1, Body: "hello"}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("note on a missing customer: %v", err)
	}
	if _, err := s.AddNote(bg, "ann", model.Note{CustomerID: c.ID, Body: "  "}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("empty note: %v", err)
	}
	n, err := s.AddNote(bg, "ann", model.Note{CustomerID: c.ID, Body: "prefers WeChat"})
	if err != nil || n.ID == 0 || n.Agent != "ann" || !n.CreatedAt.Equal(now) {
		t.Fatalf("AddNote = %+v, %v", n, err)
	}
	if got := countRows(t, s, "SELECT count(*) FROM notes"); got != 1 {
		t.Errorf("%d notes stored", got)
	}

	if _, err := s.AddFollowUp(bg, "ann", model.FollowUp{CustomerID: c.ID + 1, Due: now}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("follow-up for a missing customer: %v", err)
	}
	if _, err := s.AddFollowUp(bg, "ann", model.FollowUp{CustomerID: c.ID}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("follow-up without a due time: %v", err)
	}
	fu, err := s.AddFollowUp(bg, "ann", model.FollowUp{CustomerID: c.ID, Due: now.Add(-time.Hour), Note: "call back"})
	if err != nil || fu.Assignee != "ann" || fu.CreatedBy != "ann" || fu.Status != model.FollowUpOpen || fu.CustomerName != "Noted" {
		t.Fatalf("AddFollowUp = %+v, %v", fu, err)
	}
	other, err := s.AddFollowUp(bg, "ann", model.FollowUp{CustomerID: c.ID, Due: now.Add(-time.Hour), Assignee: "bob"})
	if err != nil || other.Assignee != "bob" {
		t.Fatalf("AddFollowUp for bob = %+v, %v", other, err)
	}
	if _, err := s.AddFollowUp(bg, "ann", model.FollowUp{CustomerID: c.ID, Due: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	st, err := s.Stats(bg, "ann")
	if err != nil || st.Customers != 1 || st.Feedback != 0 || st.OpenFollowups != 3 || st.Overdue != 1 {
		t.Errorf("Stats(ann) = %+v, %v", st, err)
	}
	if st, _ := s.Stats(bg, "bob"); st.Overdue != 1 {
		t.Errorf("Stats(bob).Overdue = %d", st.Overdue)
	}

	if err := s.FollowUpDone(bg, "ann", 999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("done on a missing follow-up: %v", err)
	}
	now = now.Add(time.Minute)
	if err := s.FollowUpDone(bg, "ann", fu.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.FollowUpDone(bg, "ann", fu.ID); err != nil {
		t.Errorf("done twice: %v", err)
	}
	if got := countRows(t, s, "SELECT count(*) FROM audit WHERE entity = 'followup' AND entity_id = ? AND action = 'update'", fu.ID); got != 1 {
		t.Errorf("%d audit rows for one completion", got)
	}
	if st, _ := s.Stats(bg, "ann"); st.OpenFollowups != 2 || st.Overdue != 0 {
		t.Errorf("after done: %+v", st)
	}
	got, _ := s.Customer(bg, c.ID)
	if got.FollowupsOpen != 2 || got.LastContactAt == nil || !got.LastContactAt.Equal(now) {
		t.Errorf("derived after done: open %d, last contact %v", got.FollowupsOpen, got.LastContactAt)
	}
}

// TestRefreshAllDerivedMatchesPerCustomer: the set-based refresh for bulk
// loads gives every customer the figures the per-write refresh gives.
func TestRefreshAllDerivedMatchesPerCustomer(t *testing.T) {
	s := openTemp(t)
	bg := context.Background()
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	var ids []int64
	for i := 0; i < 12; i++ {
		c, err := s.CreateCustomer(bg, "t", model.Customer{Name: fmt.Sprint("R", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
		for j := 0; j < i%4; j++ {
			f := model.Feedback{CustomerID: c.ID, Body: "x", Kind: model.Kinds[(i+j)%5], Status: model.Statuses[j%4]}
			if (i+j)%2 == 0 {
				f.CSAT = scoreOf(1 + (i+j)%5)
			}
			if (i+j)%3 == 0 {
				f.NPS = scoreOf((i * j) % 11)
			}
			if _, err := s.AddFeedback(bg, "t", f); err != nil {
				t.Fatal(err)
			}
		}
		if i%3 == 0 {
			fu, err := s.AddFollowUp(bg, "t", model.FollowUp{CustomerID: c.ID, Due: clock})
			if err != nil {
				t.Fatal(err)
			}
			if i%2 == 0 {
				if err := s.FollowUpDone(bg, "t", fu.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	figures := func() string {
		out := ""
		for _, id := range ids {
			c, err := s.Customer(bg, id)
			if err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprintf("%d: csat %v/%d nps %v fb %d compl %d fu %d last %v\n", id, fmtFloat(c.CSATAvg), c.CSATN,
				fmtInt(c.NPSLast), c.FeedbackN, c.ComplaintsOpen, c.FollowupsOpen, c.LastContactAt)
		}
		return out
	}
	want := figures()
	if _, err := s.db.Exec(`UPDATE customers SET csat_sum = 99, csat_n = 99, csat_avg = 1.5, nps_last = 3,
		feedback_n = 99, complaints_open = 99, last_contact_at = '1999-01-01T00:00:00Z'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE followup_counts SET open = 99`); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshAllDerived(bg); err != nil {
		t.Fatal(err)
	}
	if got := figures(); got != want {
		t.Errorf("after RefreshAllDerived:\n%s\nwant:\n%s", got, want)
	}
	var sum, n int
	s.db.QueryRow("SELECT sum(csat_sum), sum(csat_n) FROM customers").Scan(&sum, &n)
	var fsum, fn int
	s.db.QueryRow("SELECT coalesce(sum(csat), 0), count(csat) FROM feedback").Scan(&fsum, &fn)
	if sum != fsum || n != fn {
		t.Errorf("csat_sum/csat_n total %d/%d, feedback has %d/%d", sum, n, fsum, fn)
	}
}

func fmtFloat(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%.4f", *v)
}

func fmtInt(v *int) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}

// TestUpdateCustomerNoOpAndTagCase: a patch that changes nothing writes
// nothing; tags are matched regardless of case, as the tags table does.
func TestUpdateCustomerNoOpAndTagCase(t *testing.T) {
	s := openTemp(t)
	bg := context.Background()
	c, err := s.CreateCustomer(bg, "ann", model.Customer{Name: "Case", Plan: "pro", Tags: []string{"vip"}})
	if err != nil {
		t.Fatal(err)
	}
	var changes string
	s.db.QueryRow(`SELECT changes FROM audit WHERE entity = 'customer' AND entity_id = ? AND action = 'create' AND agent = 'ann'`, c.ID).Scan(&changes)
	if changes != `{"lifecycle":[null,"new"],"name":[null,"Case"],"plan":[null,"pro"],"tags":[[],["vip"]]}` {
		t.Errorf("create audit = %s", changes)
	}
	audits := func() int { return countRows(t, s, "SELECT count(*) FROM audit") }
	before := audits()
	same := "pro"
	got, err := s.UpdateCustomer(bg, "bob", c.ID, model.CustomerPatch{Plan: &same, AddTags: []string{"vip"}}, c.Version)
	if err != nil || got.Version != c.Version || !got.UpdatedAt.Equal(c.UpdatedAt) || audits() != before {
		t.Errorf("no-op update: version %d→%d, audit rows %d→%d, %v", c.Version, got.Version, before, audits(), err)
	}
	got, err = s.UpdateCustomer(bg, "bob", c.ID, model.CustomerPatch{AddTags: []string{"VIP"}}, 0)
	if err != nil || got.Version != c.Version || fmt.Sprint(got.Tags) != "[vip]" {
		t.Errorf("adding VIP to a customer tagged vip: %+v, %v", got, err)
	}
	got, err = s.UpdateCustomer(bg, "bob", c.ID, model.CustomerPatch{RemoveTags: []string{"VIP"}}, 0)
	if err != nil || len(got.Tags) != 0 || got.Version != c.Version+1 {
		t.Errorf("removing VIP from a customer tagged vip: %+v, %v", got, err)
	}
	if _, err := s.UpdateCustomer(bg, "bob", 999, model.CustomerPatch{Plan: &same}, 0); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("update of a missing customer: %v", err)
	}
	if _, err := s.Customer(bg, 999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing customer: %v", err)
	}
}

package db

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

// cachesClean fails the test when CheckCaches finds a cached figure that
// differs from the rows.
func cachesClean(t *testing.T, s *Store, after string) {
	t.Helper()
	drifts, err := s.CheckCaches(ctx)
	if err != nil {
		t.Fatalf("after %s: %v", after, err)
	}
	for i, d := range drifts {
		if i == 10 {
			t.Errorf("after %s: … %d differences in all", after, len(drifts))
			break
		}
		t.Errorf("after %s: %s", after, d)
	}
}

// TestEveryWritePathKeepsTheCaches drives each kind of write — demo load,
// single edits, follow-ups, bulk classification and its undo and redo, an
// import batch, a recall, a merge and its undo — over one database and
// checks after each that the customers' figures and the summary
// aggregates equal a recomputation from the rows.
func TestEveryWritePathKeepsTheCaches(t *testing.T) {
	s := undoStore(t)
	if _, err := loadTestDemo(s, ctx, testDemo{Customers: 300, Feedback: 1500, Seed: 5, Now: demoTestNow}); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "the demo load")
	if n := countRows(t, s, "SELECT count(*) FROM customers WHERE feedback_n > 0 AND last_contact_at IS NOT NULL"); n < 100 {
		t.Fatalf("only %d demo customers have figures", n)
	}

	c := mustCreate(t, s, model.Customer{Name: "Figures", Email: "fig@example.com", Plan: "pro"})
	var fbIDs []int64
	for i, kind := range []model.Kind{model.KindComplaint, model.KindPraise, model.KindComplaint} {
		f, err := s.AddFeedback(tui, "li.na", model.Feedback{CustomerID: c.ID, Kind: kind, Channel: "email",
			Subject: fmt.Sprint("item ", i), CSAT: ip(2 + i), NPS: ip(3 * i)})
		if err != nil {
			t.Fatal(err)
		}
		fbIDs = append(fbIDs, f.ID)
	}
	cachesClean(t, s, "AddFeedback")
	if _, err := s.UpdateCustomer(tui, "li.na", c.ID, model.CustomerPatch{Plan: ptrStr("enterprise")}, 0); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "UpdateCustomer")

	fu, err := s.AddFollowUp(tui, "li.na", model.FollowUp{CustomerID: c.ID, Due: demoTestNow.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "AddFollowUp")
	if err := s.FollowUpDone(tui, "li.na", fu.ID); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "FollowUpDone")

	// A bulk edit across the new customer and demo customers' complaints.
	var open []int64
	rows, err := s.db.Query(`SELECT id FROM feedback WHERE kind = 'complaint' AND status IN ('open', 'pending') ORDER BY id LIMIT 40`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		open = append(open, id)
	}
	rows.Close()
	resolved, kind := model.StatusResolved, model.KindFeedback
	if _, err := s.SetFeedback(tui, "li.na", open, model.FeedbackPatch{Status: &resolved}, 0); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "SetFeedback status")
	if _, err := s.SetFeedback(tui, "li.na", fbIDs, model.FeedbackPatch{Kind: &kind}, 0); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "SetFeedback kind")
	mustUndo(t, s, "li.na", false)
	cachesClean(t, s, "undo")
	mustUndo(t, s, "li.na", false)
	cachesClean(t, s, "a second undo")
	mustUndo(t, s, "li.na", true)
	cachesClean(t, s, "redo")

	// An import batch: a new customer with several rows, an existing one
	// (by e-mail) gaining a row, a ticket moving to another customer.
	batch := []model.ImportRecord{
		fbRec(2, "zendesk", "z1", model.Customer{Name: "Imp", Email: "imp@example.com", Plan: "free"}, "t1", model.KindComplaint, 1, 2, 3),
		fbRec(3, "zendesk", "z1", model.Customer{Name: "Imp", Email: "imp@example.com", Plan: "free"}, "t2", model.KindQuestion, 4, 9, 1),
		fbRec(4, "zendesk", "z2", model.Customer{Name: "Figures", Email: "FIG@example.com"}, "t3", model.KindFeedback, 5, 10, 0),
	}
	if _, err := s.ImportBatch(ctx, "imp", "zendesk", batch, false); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "ImportBatch")
	batch[1].CustomerKey, batch[1].Customer = "z2", model.Customer{Name: "Figures", Email: "fig@example.com"}
	if _, err := s.ImportBatch(ctx, "imp", "zendesk", batch[1:2], false); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "an import moving a ticket")

	if _, err := s.Recall(ctx, "lead", model.RecallRequest{Where: "plan = pro", Due: demoTestNow.Add(72 * time.Hour),
		Campaign: "figures"}, nil); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "Recall")

	imp, err := s.FindCustomer(ctx, "imp@example.com")
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.MergeCustomers(ctx, "li.na", imp.ID, c.ID, model.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "MergeCustomers")
	if _, err := s.UnmergeCustomers(ctx, "li.na", res.AuditID); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "UnmergeCustomers")

	if err := s.RefreshAllDerived(ctx); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "RefreshAllDerived")
}

// TestCheckCachesFindsDrift: a figure or an aggregate cell written behind
// the store's back is reported, with its stored and computed values.
func TestCheckCachesFindsDrift(t *testing.T) { checkCachesFindsDrift(t, openTemp(t)) }

// TestCheckCachesFindsDriftPostgres: the same on PostgreSQL, whose
// summary_agg cells are sums of appended rows (summary_agg_pg.go).
func TestCheckCachesFindsDriftPostgres(t *testing.T) {
	pg := pgtest.Open(t)
	s := openPGTemp(t, pg)
	checkCachesFindsDrift(t, s)
}

func checkCachesFindsDrift(t *testing.T, s *Store) {
	t.Helper()
	c := mustCreate(t, s, model.Customer{Name: "Drift", Plan: "pro"})
	if _, err := s.AddFeedback(ctx, "li.na", model.Feedback{CustomerID: c.ID, Kind: model.KindComplaint, Subject: "x",
		CSAT: ip(2), NPS: ip(7)}); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "setup")
	mustExec(t, s, "UPDATE customers SET nps_last = 9, complaints_open = 0 WHERE id = ?", c.ID)
	if s.d.pg { // a cell is the sum of its rows there
		mustExec(t, s, "INSERT INTO summary_agg(dim, key, month, fb_n) VALUES ('plan', 'pro', '', 2)")
	} else {
		mustExec(t, s, "UPDATE summary_agg SET fb_n = fb_n + 2 WHERE dim = 'plan' AND key = 'pro' AND month = ''")
	}
	drifts, err := s.CheckCaches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range drifts {
		got = append(got, d.String())
	}
	want := []string{
		fmt.Sprintf("customers %d: nps_last is 9, the rows give 7", c.ID),
		fmt.Sprintf("customers %d: complaints_open is 0, the rows give 1", c.ID),
		"summary_agg plan/pro/: fb_n is 3, the rows give 1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("drifts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The check changed nothing: the drift is still there.
	if again, _ := s.CheckCaches(ctx); len(again) != len(want) {
		t.Errorf("second check found %d", len(again))
	}
	if err := s.RefreshAllDerived(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.RebuildSummaryAgg(ctx); err != nil {
		t.Fatal(err)
	}
	cachesClean(t, s, "the repair")
}

// TestWriteFiguresInChunks: a set larger than one statement's chunk is
// written in several, every customer in it and none outside.
func TestWriteFiguresInChunks(t *testing.T) {
	s := openTemp(t)
	if _, err := loadTestDemo(s, ctx, testDemo{Customers: 60, Feedback: 300, Seed: 2, Now: demoTestNow}); err != nil {
		t.Fatal(err)
	}
	defer func(n int) { figureChunk = n }(figureChunk)
	figureChunk = 7
	mustExec(t, s, `UPDATE customers SET csat_sum = 0, csat_n = 0, csat_avg = NULL, nps_last = NULL, feedback_n = 0,
		complaints_open = 0, followups_open = 0, last_contact_at = NULL, last_feedback_at = NULL`)
	var ids []int64
	for id := int64(1); id <= 50; id++ {
		ids = append(ids, id, id) // duplicates are fine
	}
	tx, err := s.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := writeFigures(ctx, tx, customersOf(ids...)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	drifts, err := s.CheckCaches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	left := map[string]bool{}
	for _, d := range drifts {
		if id, _ := strconv.Atoi(d.Key); id <= 50 {
			t.Errorf("written but differs: %s", d)
		}
		left[d.Key] = true
	}
	if want := countRows(t, s, "SELECT count(DISTINCT customer_id) FROM feedback WHERE customer_id > 50"); len(left) < want || want == 0 {
		t.Errorf("%d customers past 50 left zeroed and reported, want at least %d", len(left), want)
	}
}

func ptrStr(s string) *string { return &s }

package db

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// figuresMatch checks every customer's derived figures against
// refreshDerived's recomputation.
func figuresMatch(t *testing.T, s *Store, when string) {
	t.Helper()
	const cols = `SELECT id, csat_sum, csat_n, coalesce(csat_avg, -1), coalesce(nps_last, -1), feedback_n,
		complaints_open, followups_open, coalesce(last_contact_at, '') || '|' || coalesce(last_feedback_at, '')
		FROM customers ORDER BY id`
	snapshot := func() map[int64]string {
		rows, err := s.db.QueryContext(ctx, cols)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[int64]string{}
		for rows.Next() {
			var id, sum, n, nps, fb, co, fo int64
			var avg float64
			var last string
			if err := rows.Scan(&id, &sum, &n, &avg, &nps, &fb, &co, &fo, &last); err != nil {
				t.Fatal(err)
			}
			m[id] = fmt.Sprint(sum, n, avg, nps, fb, co, fo, last)
		}
		return m
	}
	stored := snapshot()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for id := range stored {
		if err := refreshDerived(ctx, tx, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for id, want := range snapshot() {
		if stored[id] != want {
			t.Errorf("%s: customer %d figures %s, recomputed %s", when, id, stored[id], want)
		}
	}
}

func importRec(line int, ckey, name, email, plan, fkey, channel string, kind model.Kind, csat int, day int, cat string) model.ImportRecord {
	r := model.ImportRecord{Line: line, CustomerKey: ckey, Customer: model.Customer{Name: name, Email: email, Plan: plan}}
	if fkey != "" {
		f := &model.Feedback{Channel: channel, Kind: kind, Subject: "退款 " + fkey, Body: "ticket" + fkey + "text",
			Status: model.StatusOpen, Category: cat, CreatedAt: demoTestNow.Add(-time.Duration(day) * 24 * time.Hour)}
		if csat > 0 {
			f.CSAT = ptrInt(csat)
		}
		if day%4 == 0 {
			f.NPS = ptrInt(day % 11)
		}
		r.FeedbackKey, r.Feedback = fkey, f
	}
	return r
}

// TestImportBatchKeepsAggregatesAndFigures: an import batch, which defers
// the aggregate and full-text triggers, leaves summary_agg, the figures
// and the search indexes exactly as row-by-row writes would — for new
// customers with several rows in one batch, existing customers gaining
// rows, a customer whose plan changes after rows were added in the same
// batch, a ticket moving to another customer with a new category, and a
// customer renamed in the batch that created them.
func TestImportBatchKeepsAggregatesAndFigures(t *testing.T) {
	if raceOn {
		t.Skip("slow under -race; runs in the plain pass")
	}
	s := demoTestStore(t, 3)
	page, err := s.ListCustomers(ctx, model.CustomerQuery{Limit: 3})
	if err != nil || len(page.Rows) < 3 {
		t.Fatal(page, err)
	}
	existing := page.Rows
	first := []model.ImportRecord{
		importRec(2, "n1", "林小雨", "lin@example.com", "free", "t1", "email", model.KindComplaint, 2, 3, "Billing/Refund"),
		importRec(3, "n1", "林小雨", "lin@example.com", "free", "t2", "chat", model.KindQuestion, 5, 40, ""),
		importRec(4, "n1", "林小雨", "lin@example.com", "free", "t3", "email", model.KindComplaint, 0, 4, "Billing/Refund"),
		importRec(5, "", "", existing[0].Email, "", "t4", "phone", model.KindPraise, 4, 8, "Product/Bug"),
		importRec(6, "", "", existing[1].Email, "", "t5", "", model.KindComplaint, 1, 100, ""),
		importRec(7, "n2", "Zed Quill", "zed@example.com", "pro", "", "", "", 0, 0, ""),
		importRec(8, "n2", "Zed Quillon", "zed@example.com", "pro", "t6", "email", model.KindComplaint, 3, 12, ""),
	}
	if _, err := s.ImportBatch(ctx, "imp", "crm", first, false); err != nil {
		t.Fatal(err)
	}
	sameSummaries(t, s, "after the first batch")
	figuresMatch(t, s, "after the first batch")

	second := []model.ImportRecord{
		importRec(2, "n1", "林小雨", "lin@example.com", "free", "t7", "email", model.KindComplaint, 3, 1, ""),
		importRec(3, "n1", "林小雨", "lin@example.com", "enterprise", "t8", "chat", model.KindComplaint, 4, 2, ""), // plan moves after t7 was added
		importRec(4, "", "", existing[2].Email, "", "t4", "phone", model.KindPraise, 4, 8, "Delivery/Delay"),    // t4 moves customer and category
		importRec(5, "n3", "Mae Iris", "mae@example.com", "", "t9", "web", model.KindQuestion, 0, 60, ""),
	}
	if _, err := s.ImportBatch(ctx, "imp", "crm", second, false); err != nil {
		t.Fatal(err)
	}
	sameSummaries(t, s, "after the second batch")
	figuresMatch(t, s, "after the second batch")
	if _, err := s.ImportBatch(ctx, "imp", "crm", second, false); err != nil { // unchanged
		t.Fatal(err)
	}
	sameSummaries(t, s, "after re-importing")

	// The deferred indexes hold the final values.
	for term, want := range map[string]int{"Quillon": 1, "林小雨": 1, "小雨": 1} {
		got, err := s.ListCustomers(ctx, model.CustomerQuery{Search: term, Limit: 10})
		if err != nil || len(got.Rows) != want {
			t.Errorf("customers matching %q: %d, want %d (%v)", term, len(got.Rows), want, err)
		}
	}
	for term, want := range map[string]int{"t6text": 1, "退款": 9} {
		got, err := s.ListFeedback(ctx, model.FeedbackQuery{Search: term, Limit: 50})
		if err != nil || len(got) < want {
			t.Errorf("feedback matching %q: %d, want at least %d (%v)", term, len(got), want, err)
		}
	}
	if n := countRows(t, s, "SELECT count(*) FROM bulk_load"); n != 0 {
		t.Errorf("bulk_load holds %d rows after the batches", n)
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO feedback_fts(feedback_fts, rank) VALUES ('integrity-check', 1)"); err != nil {
		t.Errorf("feedback full-text index: %v", err)
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO customers_fts(customers_fts, rank) VALUES ('integrity-check', 1)"); err != nil {
		t.Errorf("customers full-text index: %v", err)
	}
}

// TestFirstLoadDefersIndexes: a first load drops the secondary indexes
// and builds them at the end; one killed in between leaves them for the
// next Open to rebuild; a database with data is never touched.
func TestFirstLoadDefersIndexes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "first.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	indexes := func(s *Store) int { return countRows(t, s, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'") }
	before := indexes(s)
	dropped, err := s.BeginFirstLoad(ctx)
	if err != nil || !dropped {
		t.Fatalf("first load on an empty database: dropped %v, %v", dropped, err)
	}
	if n := indexes(s); n != before-len(firstLoadIndexes) {
		t.Errorf("%d indexes during the load, want %d", n, before-len(firstLoadIndexes))
	}
	if _, err := s.ImportBatch(ctx, "imp", "crm", []model.ImportRecord{
		importRec(2, "n1", "林小雨", "lin@example.com", "free", "t1", "email", model.KindComplaint, 2, 3, ""),
	}, false); err != nil {
		t.Fatal(err)
	}
	s.Close() // killed before EndFirstLoad
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := indexes(s); n != before {
		t.Errorf("%d indexes after reopening, want %d", n, before)
	}
	if n := countRows(t, s, "SELECT count(*) FROM deferred_index"); n != 0 {
		t.Errorf("deferred_index keeps %d rows", n)
	}
	if dropped, err := s.BeginFirstLoad(ctx); err != nil || dropped {
		t.Errorf("a database with data must keep its indexes: dropped %v, %v", dropped, err)
	}
	if err := s.EndFirstLoad(ctx); err != nil {
		t.Fatal(err)
	}
	if res := countRows(t, s, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"); res != 0 {
		t.Errorf("integrity check: %d problems", res)
	}
}

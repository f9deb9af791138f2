//go:build unix

package db

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// BenchmarkFactsAfterWrite measures what a write costs the next Insights
// view (summary by city with monthly trends, snapshot already loaded): one
// feedback logged, a customer's plan changed, a bulk edit of 10,000
// feedback, an import of 10,000 rows — each followed by the view, which
// reads the journal and those customers again (the incremental refresh).
// Beside them, in the same run: a full read of the snapshot (what every
// such view cost before the journal), and the same bulk edit and import
// with the journal's triggers dropped (what the triggers cost a write).
// Set RAPPORT_BENCH_DB to a COPY of a big database: it writes to it.
func BenchmarkFactsAfterWrite(b *testing.B) {
	load, _ := exec.Command("uptime").Output()
	b.Logf("uptime: %s", strings.TrimSpace(string(load)))
	opened := time.Now()
	s := benchDB(b)
	b.Logf("open (with any migration): %v", time.Since(opened).Round(time.Millisecond))
	start := time.Now()
	snap, _, _, err := s.FactsSnapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("full read: %v for %d customers, %d feedback; columns %.1f MB; RSS %d MB", time.Since(start).Round(time.Millisecond),
		snap.Customers(), snap.Rows(), float64(snap.Bytes())/1e6, vmRSS()>>10)
	view := func() time.Duration {
		t := time.Now()
		if _, err := s.Summary(ctx, model.SummaryQuery{By: "city", Trend: "month"}); err != nil {
			b.Fatal(err)
		}
		return time.Since(t)
	}
	b.Logf("view, snapshot current: %v", view().Round(time.Microsecond))
	attrView := func() time.Duration {
		t := time.Now()
		if _, err := s.Summary(ctx, model.SummaryQuery{By: "attr.signup_source"}); err != nil {
			b.Fatal(err)
		}
		return time.Since(t)
	}
	b.Logf("view by attr.signup_source, first (builds the column): %v", attrView().Round(time.Millisecond))
	// Saved segments and a --where, each first (their members asked of
	// the database) and again when switched back to (from the cache).
	for _, q := range []model.SummaryQuery{
		{Segments: true, Trend: "month"},
		{By: "city", Where: "plan = pro", Trend: "month"},
		{By: "channel", Where: `ltv >= 1000 and attr.signup_source = "app_store"`, Trend: "month"},
	} {
		var took [2]time.Duration
		for i := range took {
			t := time.Now()
			if _, err := s.Summary(ctx, q); err != nil {
				b.Fatal(err)
			}
			took[i] = time.Since(t)
			if _, err := s.Summary(ctx, model.SummaryQuery{By: "plan"}); err != nil { // switch away
				b.Fatal(err)
			}
		}
		b.Logf("view segments=%t by %q where %q: first %v, switching back %v", q.Segments, q.By, q.Where,
			took[0].Round(time.Millisecond), took[1].Round(time.Microsecond))
	}
	var maxCust, maxFB int64
	s.db.QueryRow("SELECT max(id) FROM customers").Scan(&maxCust)
	s.db.QueryRow("SELECT max(id) FROM feedback").Scan(&maxFB)
	run := int(time.Now().Unix() % 1e6) // new names and keys on a copy benchmarked before
	// A second store on the same file stands for another process: the
	// hint a bulk edit leaves in its own process does not reach this one.
	other, err := Open(ctx, s.path, Options{MustExist: true})
	if err != nil {
		b.Fatal(err)
	}
	defer other.Close()
	bulkEditBy := func(st *Store) error { return benchBulkEdit(st, run, maxFB) }
	bulkEdit := func() error { return bulkEditBy(s) }
	importRows := func() error { return benchImport(s, run, maxCust) }
	writes := []struct {
		name string
		fn   func() error
	}{
		{"one feedback logged", func() error {
			_, err := s.AddFeedback(ctx, "bench", model.Feedback{CustomerID: 1 + int64(run%1000)*13, Body: "x", CSAT: ptrInt(2), Channel: "phone"})
			return err
		}},
		{"a customer's plan changed", func() error {
			plan := fmt.Sprint("bench-plan-", run)
			_, err := s.UpdateCustomer(ctx, "bench", 2+int64(run%1000)*17, model.CustomerPatch{Plan: &plan}, 0)
			return err
		}},
		{"bulk edit by another process", func() error { return bulkEditBy(other) }},
		{"bulk edit of 10,000 feedback", bulkEdit},
		{"import of 10,000 rows", importRows},
		{"bulk edit by another process", func() error { return bulkEditBy(other) }},
	}
	for _, w := range writes {
		loads, patched := s.facts.loads, s.facts.patched
		t := time.Now()
		if err := w.fn(); err != nil {
			b.Fatalf("%s: %v", w.name, err)
		}
		wrote := time.Since(t)
		v := view()
		b.Logf("%-30s write %8v · next view %8v (refresh %v, full reads %d, delta %d customers, %d kept from the snapshot) · then by attr %v · RSS %d MB", w.name,
			wrote.Round(time.Millisecond), v.Round(time.Millisecond), s.facts.refreshed.Round(time.Millisecond),
			s.facts.loads-loads, s.facts.snap.Delta(), s.facts.patched-patched, attrView().Round(time.Millisecond), vmRSS()>>10)
		run++
	}
	// The same bulk edit by another process, with the refresh reading its
	// customers in full as before the journal named feedback rows.
	for _, patch := range []bool{false, true} {
		factsNoPatch = !patch
		if err := bulkEditBy(other); err != nil {
			b.Fatal(err)
		}
		v := view()
		factsNoPatch = false
		b.Logf("bulk edit by another process, rows patched %-5t: next view %8v (refresh %v)", patch, v.Round(time.Millisecond),
			s.facts.refreshed.Round(time.Millisecond))
		run++
	}
	// The triggers' cost: the same writes without them.
	var trig []string
	rows, err := s.db.Query("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name GLOB 'facts_*' AND name <> 'facts_changes_trim'")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var q string
		rows.Scan(&q)
		trig = append(trig, q)
	}
	rows.Close()
	for _, w := range writes[3:5] {
		t := time.Now()
		if err := w.fn(); err != nil {
			b.Fatal(err)
		}
		with := time.Since(t)
		s.db.Exec("DROP TRIGGER facts_customer_ai; DROP TRIGGER facts_customer_ad; DROP TRIGGER facts_customer_au; " +
			"DROP TRIGGER facts_feedback_ai; DROP TRIGGER facts_feedback_ad; DROP TRIGGER facts_feedback_au; " +
			"DROP TRIGGER facts_customer_tags_ai; DROP TRIGGER facts_customer_tags_ad; DROP TRIGGER facts_customer_tags_au; " +
			"DROP TRIGGER facts_tags_au; DROP TRIGGER facts_tags_ad; DROP TRIGGER facts_categories_au; DROP TRIGGER facts_categories_ad")
		run++
		t = time.Now()
		if err := w.fn(); err != nil {
			b.Fatal(err)
		}
		without := time.Since(t)
		for _, q := range trig {
			if _, err := s.db.Exec(q); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.db.Exec("INSERT INTO facts_changes(customer_id) VALUES (NULL)"); err != nil { // written unjournaled
			b.Fatal(err)
		}
		run++
		b.Logf("%-30s with the journal %v, without %v", w.name, with.Round(time.Millisecond), without.Round(time.Millisecond))
	}
	start = time.Now()
	if _, _, err := s.readFacts(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Logf("a full read, same run (the next view after any write before): %v", time.Since(start).Round(time.Millisecond))
	b.Logf("uptime: %s", func() string { o, _ := exec.Command("uptime").Output(); return strings.TrimSpace(string(o)) }())
}

// benchBulkEdit reclassifies 10,000 feedback spread over the table.
func benchBulkEdit(s *Store, run int, maxFB int64) error {
	ids := make([]int64, 10000)
	for i := range ids {
		ids[i] = 1 + (int64(i)*(maxFB/10000)+int64(run%100)*7)%maxFB
	}
	cat := []string{"Billing/Refund", "Product/Bug"}[run%2]
	_, err := s.SetFeedback(ctx, "bench", ids, model.FeedbackPatch{Category: &cat}, 0)
	return err
}

// benchImport imports 10,000 rows in batches of 2,000 (the incremental
// path): half new customers, half known ones by a source id.
func benchImport(s *Store, run int, maxCust int64) error {
	recs := make([]model.ImportRecord, 0, 2000)
	for i := 0; i < 10000; i++ {
		c := model.Customer{Name: fmt.Sprintf("Bench %d-%d", run, i), Email: fmt.Sprintf("bench%d-%d@example.net", run, i), Plan: "pro", City: "Lyon"}
		f := &model.Feedback{Body: "imported", Channel: "email", Kind: model.KindComplaint, CSAT: ptrInt(1 + i%5),
			CreatedAt: time.Date(2026, 12, 1+run%28, 9, 0, 0, 0, time.UTC)}
		rec := model.ImportRecord{Line: i + 2, Customer: c, FeedbackKey: fmt.Sprintf("bench-%d-%d", run, i), Feedback: f}
		if i%2 == 1 { // half the customers known by a source id instead
			rec.CustomerKey = fmt.Sprint(1 + (int64(i)*97)%maxCust)
			rec.Customer = model.Customer{Name: fmt.Sprintf("Existing %d", i)}
		}
		recs = append(recs, rec)
		if len(recs) == 2000 {
			if _, err := s.ImportBatch(ctx, "bench", "bench", recs, false); err != nil {
				return err
			}
			recs = recs[:0]
		}
	}
	return nil
}

// BenchmarkJournaledWrites times the writes the facts journal sees most,
// a bulk edit of 10,000 feedback spread over the table and an incremental
// import of 10,000 rows, b.N times each, with the load beside them. Run
// on a copy with the code before and after a change to the journal's
// triggers: what they cost a write. Set RAPPORT_BENCH_DB (it writes).
func BenchmarkJournaledWrites(b *testing.B) {
	s := benchDB(b)
	var maxCust, maxFB int64
	s.db.QueryRow("SELECT max(id) FROM customers").Scan(&maxCust)
	s.db.QueryRow("SELECT max(id) FROM feedback").Scan(&maxFB)
	run := int(time.Now().UnixNano() % 1e6)
	for _, w := range []struct {
		name string
		fn   func() error
	}{
		{"bulk_edit_10k", func() error { return benchBulkEdit(s, run, maxFB) }},
		{"import_10k", func() error { return benchImport(s, run, maxCust) }},
	} {
		b.Run(w.name, func(b *testing.B) {
			load, _ := exec.Command("uptime").Output()
			b.Logf("uptime: %s", strings.TrimSpace(string(load)))
			for i := 0; i < b.N; i++ {
				if err := w.fn(); err != nil {
					b.Fatal(err)
				}
				run++
			}
		})
	}
}

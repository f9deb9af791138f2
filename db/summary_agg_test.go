package db

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// sameSummaries checks that the aggregates answer every query they take
// exactly as a scan of the feedback does.
func sameSummaries(t *testing.T, s *Store, when string) {
	t.Helper()
	for _, by := range []string{"", "plan", "region", "lifecycle", "channel", "kind", "category", "month"} {
		for _, trend := range []string{"", "month"} {
			q := model.SummaryQuery{By: by, Trend: trend}
			if !aggAnswers(q) {
				t.Fatalf("the aggregates should answer %+v", q)
			}
			if a, b := fastAndExact(t, s, q); a != b {
				t.Errorf("%s, by %q trend %q: aggregates differ from the scan\n agg  %s\n scan %s", when, by, trend, a, b)
			}
		}
	}
}

// TestSummaryAggregatesMatchTheScan: on a demo database, after the bulk
// load and then after inserts, edits of scores, kind and category,
// deletes, customers moving plan, region and lifecycle, and a category
// removed, the aggregates give the same summaries as the scan.
func TestSummaryAggregatesMatchTheScan(t *testing.T) {
	if raceOn {
		t.Skip("single-goroutine and slow under -race; runs in the plain pass")
	}
	s := demoTestStore(t, 7)
	sameSummaries(t, s, "after the demo load")
	aggWrites(t, s)
	sameSummaries(t, s, "after writes")

	// A rebuild from scratch gives the same rows the triggers kept.
	before := aggRows(t, s)
	if err := s.RebuildSummaryAgg(ctx); err != nil {
		t.Fatal(err)
	}
	if after := aggRows(t, s); after != before {
		t.Errorf("the triggers' rows differ from a rebuild:\n kept    %s\n rebuilt %s", before, after)
	}
}

// aggWrites makes, on a demo database of seed 7, inserts, edits of scores,
// kind and category, bulk edits and their undo, deletes, customers moving
// plan, region and lifecycle, and a category removed, checking the
// summaries and figures after the bulk edits.
func aggWrites(t *testing.T, s *Store) {
	t.Helper()
	s.Now = func() time.Time { return demoTestNow.Add(40 * 24 * time.Hour) } // a new month
	for i := int64(1); i <= 30; i++ {
		f := model.Feedback{CustomerID: i * 7, Channel: []string{"email", "chat", ""}[i%3], Kind: model.Kinds[i%5],
			Body: fmt.Sprint("new ", i), Category: []string{"", "Billing/Refund", "Product/Bug"}[i%3]}
		if i%2 == 0 {
			f.CSAT = ptrInt(int(i%5) + 1)
		}
		if i%3 == 0 {
			f.NPS = ptrInt(int(i % 11))
		}
		if _, err := s.AddFeedback(ctx, "agg", f); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.ListFeedback(ctx, model.FeedbackQuery{Limit: 60})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, f := range page {
		ids = append(ids, f.ID)
	}
	cat, kind := "Delivery/Delay", model.KindComplaint
	if _, err := s.SetFeedback(ctx, "agg", ids[:20], model.FeedbackPatch{Category: &cat, Kind: &kind}, 0); err != nil {
		t.Fatal(err)
	}
	inv := "Billing/Invoice" // a category-only move (its own trigger)
	if _, err := s.SetFeedback(ctx, "agg", ids[41:52], model.FeedbackPatch{Category: &inv}, 0); err != nil {
		t.Fatal(err)
	}
	// A bulk edit holding several items of the same customers: each
	// item's cells depend on the items changed before it.
	var several []int64
	for _, cid := range []int64{7, 14, 21, 28, 35, 42, 49} {
		fs, err := s.ListFeedback(ctx, model.FeedbackQuery{CustomerID: cid, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			several = append(several, f.ID)
		}
	}
	if len(several) < 20 {
		t.Fatalf("only %d items of the chosen customers", len(several))
	}
	bug, complaint := "Product/Bug", model.KindComplaint
	if _, err := s.SetFeedback(ctx, "agg", several, model.FeedbackPatch{Category: &bug, Kind: &complaint}, 0); err != nil {
		t.Fatal(err)
	}
	sameSummaries(t, s, "after a bulk edit of several items per customer")
	figuresMatch(t, s, "after a bulk edit of several items per customer")
	resolved := model.StatusResolved
	res, err := s.SetFeedback(ctx, "agg", ids[10:45], model.FeedbackPatch{Status: &resolved, AddTags: []string{"x"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	sameSummaries(t, s, "after bulk classification")
	figuresMatch(t, s, "after bulk classification")
	if _, err := s.UndoBulk(ctx, "agg", res.UndoID); err != nil {
		t.Fatal(err)
	}
	sameSummaries(t, s, "after undo")
	figuresMatch(t, s, "after undo")
	mustExec(t, s, "UPDATE feedback SET category_id = NULL WHERE id IN (?, ?)", ids[52], ids[53])
	mustExec(t, s, "UPDATE feedback SET csat = 1 WHERE id IN (?, ?, ?)", ids[20], ids[21], ids[22])
	mustExec(t, s, "UPDATE feedback SET nps = NULL, csat = NULL WHERE id = ?", ids[23])
	mustExec(t, s, "UPDATE feedback SET created_at = '2024-01-15T10:00:00.000Z' WHERE id = ?", ids[24])
	mustExec(t, s, "UPDATE feedback SET customer_id = 3 WHERE id = ?", ids[25])
	mustExec(t, s, "DELETE FROM feedback WHERE id IN (?, ?, ?, ?)", ids[30], ids[31], ids[40], ids[55])
	plan, life, region := "enterprise", model.LifecycleChurned, "西北"
	for _, id := range []int64{7, 14, 21, 3} {
		if _, err := s.UpdateCustomer(ctx, "agg", id, model.CustomerPatch{Plan: &plan, Lifecycle: &life, Region: &region}, 0); err != nil {
			t.Fatal(err)
		}
	}
	empty := ""
	if _, err := s.UpdateCustomer(ctx, "agg", 28, model.CustomerPatch{Plan: &empty}, 0); err != nil {
		t.Fatal(err)
	}
	// A category deleted under its feedback (ON DELETE SET NULL).
	mustExec(t, s, "DELETE FROM categories WHERE path = 'Product/Bug'")
}

func aggRows(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.db.Query(`SELECT dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n
		FROM summary_agg WHERE fb_n <> 0 OR cust_n <> 0 ORDER BY 1, 2, 3`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := ""
	for rows.Next() {
		var d, k, m string
		var v [9]int
		rows.Scan(&d, &k, &m, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8])
		out += fmt.Sprint(d, k, m, v, ";")
	}
	return out
}

func mustExec(t *testing.T, s *Store, q string, args ...any) {
	t.Helper()
	if _, err := s.db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

func ptrInt(v int) *int { return &v }

// TestSummaryAgreesWithPlainSQL computes figures per plan and per month on
// the demo database with plain SQL, independently of the summary code,
// and checks the summary against them.
func TestSummaryAgreesWithPlainSQL(t *testing.T) {
	if raceOn {
		t.Skip("single-goroutine and slow under -race; runs in the plain pass")
	}
	s := demoTestStore(t, 3)
	for _, by := range []struct{ dim, expr string }{{"plan", "c.plan"}, {"month", "strftime('%Y-%m', f.created_at)"}} {
		sum, err := s.Summary(ctx, model.SummaryQuery{By: by.dim})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]model.GroupFigures{}
		for _, g := range sum.Groups {
			got[g.Key] = g
		}
		rows, err := s.db.Query(`SELECT ` + by.expr + `, count(*), count(DISTINCT f.customer_id), avg(f.csat),
				100.0 * sum(f.csat >= 4) / count(f.csat), count(f.nps),
				100.0 * (sum(f.nps >= 9) - sum(f.nps <= 6)) / count(f.nps)
			FROM feedback f JOIN customers c ON c.id = f.customer_id GROUP BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var key string
			var fb, cust, npsN int
			var csat, sat, nps *float64
			if err := rows.Scan(&key, &fb, &cust, &csat, &sat, &npsN, &nps); err != nil {
				t.Fatal(err)
			}
			n++
			g := got[key]
			if g.FeedbackN != fb || g.CustomersN != cust || g.NPSN != npsN || !nearPtr(g.CSATAvg, csat) || !nearPtr(g.CSATSatPct, sat) || !nearPtr(g.NPS, nps) {
				t.Errorf("by %s, %s: summary %d/%d csat %v sat %v nps %v; SQL %d/%d csat %v sat %v nps %v", by.dim, key,
					g.FeedbackN, g.CustomersN, deref(g.CSATAvg), deref(g.CSATSatPct), deref(g.NPS), fb, cust, deref(csat), deref(sat), deref(nps))
			}
		}
		rows.Close()
		if n != len(sum.Groups) || n == 0 {
			t.Errorf("by %s: %d groups from SQL, %d in the summary", by.dim, n, len(sum.Groups))
		}
	}
}

func nearPtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-9
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// BenchmarkSummary is `rapport summary` over all feedback (5M on the demo
// database; goal < 500 ms) by plan and by month with monthly trends, and
// a dimension the aggregates do not hold (city: a scan, for comparison).
func BenchmarkSummary(b *testing.B) {
	s := benchDB(b)
	for _, q := range []model.SummaryQuery{{By: "plan", Trend: "month"}, {By: "month"}, {By: "channel", Trend: "month"}, {}} {
		b.Run(q.By+"/"+q.Trend, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := s.Summary(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSegmentCount counts the members of each saved segment of the
// demo database (1M customers; goal < 200 ms).
func BenchmarkSegmentCount(b *testing.B) {
	s := benchDB(b)
	segs, err := s.Segments(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, sg := range segs {
		b.Run(sg.Name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := s.SegmentCount(ctx, sg.Name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestSummaryOfAnEmptyDatabase(t *testing.T) {
	s := openTemp(t)
	sameSummaries(t, s, "empty")
}

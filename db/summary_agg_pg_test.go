package db

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

// aggRowsOf is aggRows over any querier (a transaction).
func aggRowsOf(t *testing.T, q querier) string {
	t.Helper()
	// a cell's rows add up (PostgreSQL's triggers append them)
	rows, err := q.QueryContext(ctx, `SELECT dim, key, month, CAST(sum(fb_n) AS BIGINT), CAST(sum(cust_n) AS BIGINT),
		CAST(sum(csat_n) AS BIGINT), CAST(sum(csat_sum) AS BIGINT), CAST(sum(csat_sat) AS BIGINT), CAST(sum(nps_n) AS BIGINT),
		CAST(sum(nps_pro) AS BIGINT), CAST(sum(nps_det) AS BIGINT), CAST(sum(compl_n) AS BIGINT)
		FROM summary_agg GROUP BY 1, 2, 3 HAVING sum(fb_n) <> 0 OR sum(cust_n) <> 0 ORDER BY 1, 2, 3`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var d, k, m string
		var v [9]int64
		if err := rows.Scan(&d, &k, &m, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8]); err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(&b, d, "|", k, "|", m, v, ";\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// keptEqualsRebuild checks that summary_agg as the triggers kept it is
// what a rebuild from the rows gives (rebuilt in a transaction rolled
// back, so the kept rows stay for the writes after).
func keptEqualsRebuild(t *testing.T, s *Store, when string) {
	t.Helper()
	kept := aggRowsOf(t, s.db)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if s.d.pg {
		err = rebuildSummaryAggPG(ctx, tx)
	} else {
		err = rebuildSummaryAgg(ctx, tx)
	}
	if err != nil {
		t.Fatal(err)
	}
	if rebuilt := aggRowsOf(t, tx); rebuilt != kept {
		t.Errorf("%s: the triggers' rows differ from a rebuild:\n kept\n%s rebuilt\n%s", when, kept, rebuilt)
	}
}

// summariesJSON is every summary the aggregates answer, as JSON.
func summariesJSON(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, by := range append([]string{""}, model.SummaryDimensions...) {
		for _, trend := range []string{"", "month"} {
			sum, err := s.Summary(ctx, model.SummaryQuery{By: by, Trend: trend})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(sum)
			out[by+"/"+trend] = string(b)
		}
	}
	return out
}

// TestSummaryAggregatesPostgres: a demo database copied into PostgreSQL
// has the same summary_agg rows as the SQLite file and gives the same
// summaries for every dimension; then, after the writes of
// TestSummaryAggregatesMatchTheScan and a run of random writes (customers'
// plan, region and lifecycle; feedback scores, channel, kind, category,
// dates and customer; inserts, imports, deletes, customers deleted with
// their feedback, merges and unmerges,
// undo and redo), PostgreSQL's aggregates are what a rebuild gives and
// answer as the scan does.
func TestSummaryAggregatesPostgres(t *testing.T) {
	if raceOn {
		t.Skip("slow under -race; runs in the plain pass")
	}
	pg := pgtest.Open(t)
	src := demoTestStore(t, 7)
	s := openPGTemp(t, pg)
	if _, err := Copy(ctx, src, s); err != nil {
		t.Fatal(err)
	}
	if a, b := aggRowsOf(t, src.db), aggRowsOf(t, s.db); a != b {
		t.Errorf("summary_agg after the copy differs from the file's:\n SQLite\n%s PostgreSQL\n%s", a, b)
	}
	want := summariesJSON(t, src)
	for k, got := range summariesJSON(t, s) {
		if got != want[k] {
			t.Errorf("summary %s on PostgreSQL differs from SQLite's:\n pg     %s\n sqlite %s", k, got, want[k])
		}
	}
	sameSummaries(t, s, "after the copy")

	aggWrites(t, s)
	keptEqualsRebuild(t, s, "after the writes")
	sameSummaries(t, s, "after the writes")

	rng := rand.New(rand.NewSource(18))
	plans := []string{"", "free", "pro", "enterprise", "团队版"}
	regions := []string{"", "North", "西北"}
	lifecycles := []model.Lifecycle{model.LifecycleNew, model.LifecyclePaying, model.LifecycleChurned}
	channels := []string{"", "email", "chat", "phone"}
	cats := []string{"", "Billing/Refund", "Billing/Invoice", "Delivery/Delay"}
	feedbackID := func() int64 {
		var id int64
		if err := s.db.QueryRowContext(ctx, "SELECT id FROM feedback ORDER BY id OFFSET ? LIMIT 1", rng.Intn(9000)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	customerID := func() int64 { return int64(rng.Intn(2000) + 1) }
	wctx := model.RecordActions(ctx) // undo and redo take the writes back
	var merges []int64
	for i := 0; i < 120; i++ {
		var err error
		switch op := rng.Intn(13); op {
		case 0:
			plan, region, life := plans[rng.Intn(len(plans))], regions[rng.Intn(len(regions))], lifecycles[rng.Intn(len(lifecycles))]
			_, err = s.UpdateCustomer(wctx, "agg", customerID(), model.CustomerPatch{Plan: &plan, Region: &region, Lifecycle: &life}, 0)
		case 1:
			mustExec(t, s, "UPDATE feedback SET csat = ?, nps = ? WHERE id = ?", []any{nil, 1, 3, 5}[rng.Intn(4)], []any{nil, 0, 7, 10}[rng.Intn(4)], feedbackID())
		case 2:
			mustExec(t, s, "UPDATE feedback SET channel = ? WHERE id IN (?, ?)", channels[rng.Intn(len(channels))], feedbackID(), feedbackID())
		case 3:
			kind, cat := model.Kinds[rng.Intn(len(model.Kinds))], cats[rng.Intn(len(cats))]
			_, err = s.SetFeedback(wctx, "agg", []int64{feedbackID(), feedbackID(), feedbackID()}, model.FeedbackPatch{Kind: &kind, Category: &cat}, 0)
		case 4:
			mustExec(t, s, "DELETE FROM feedback WHERE id = ?", feedbackID())
		case 5:
			_, err = s.AddFeedback(wctx, "agg", model.Feedback{CustomerID: customerID(), Channel: channels[rng.Intn(len(channels))],
				Kind: model.Kinds[rng.Intn(len(model.Kinds))], Body: fmt.Sprint("random ", i), CSAT: ptrInt(rng.Intn(5) + 1)})
		case 6:
			var res model.MergeResult
			from, into := customerID(), customerID()
			if from == into {
				continue
			}
			res, err = s.MergeCustomers(wctx, "agg", from, into, model.MergeOptions{})
			if err == nil {
				merges = append(merges, res.AuditID)
			}
		case 7:
			if len(merges) == 0 {
				continue
			}
			_, err = s.UnmergeCustomers(wctx, "agg", merges[len(merges)-1])
			merges = merges[:len(merges)-1]
		case 8:
			_, err = s.Undo(wctx, "agg", 0)
		case 9:
			_, err = s.Redo(wctx, "agg", 0)
		case 10:
			mustExec(t, s, "UPDATE feedback SET customer_id = ?, created_at = ? WHERE id = ?", customerID(),
				fmtTime(demoTestNow.Add(-time.Duration(rng.Intn(400))*24*time.Hour)), feedbackID())
		case 11:
			recs := []model.ImportRecord{
				importRec(2, fmt.Sprint("r", i%7), "Rand Om", fmt.Sprintf("r%d@example.com", i%7), plans[rng.Intn(len(plans))],
					fmt.Sprint("rt", i%5), channels[rng.Intn(len(channels))], model.Kinds[rng.Intn(len(model.Kinds))], rng.Intn(6), rng.Intn(300), cats[rng.Intn(len(cats))]),
			}
			_, err = s.ImportBatch(wctx, "agg", "crm", recs, false)
		case 12: // a customer deleted with their feedback (ON DELETE CASCADE)
			mustExec(t, s, "DELETE FROM customers WHERE id = (SELECT customer_id FROM feedback WHERE id = ?)", feedbackID())
		}
		if err != nil {
			t.Logf("write %d: %v", i, err) // a refused merge or undo changes nothing
		}
		if i%20 == 19 {
			keptEqualsRebuild(t, s, fmt.Sprintf("after random write %d", i))
		}
	}
	sameSummaries(t, s, "after the random writes")
}

// TestSummaryAggTriggersPostgres: Open installs the generated functions
// and triggers and fills summary_agg; a function edited by hand is put
// back (and the table rebuilt) at the next Open; the aggregates answer
// only while no first load's mark stands.
func TestSummaryAggTriggersPostgres(t *testing.T) {
	pg := pgtest.Open(t)
	url := pg.Database(t)
	s, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	objs := pgAggObjects()
	if same, table, err := pgAggTriggersMatch(ctx, s.db, objs); err != nil || !same || !table {
		t.Fatalf("after Open: same %v, table %v, %v", same, table, err)
	}
	c := mustCreate(t, s, model.Customer{Name: "Ada", Plan: "pro"})
	if _, err := s.AddFeedback(ctx, "a", model.Feedback{CustomerID: c.ID, Kind: model.KindComplaint, CSAT: ptrInt(5), Body: "x"}); err != nil {
		t.Fatal(err)
	}
	mustExec(t, s, "CREATE OR REPLACE FUNCTION rapport_agg_feedback_ins() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$")
	mustExec(t, s, "DELETE FROM summary_agg")
	if same, _, _ := pgAggTriggersMatch(ctx, s.db, objs); same {
		t.Fatal("a function edited by hand passes for the generated one")
	}
	s2, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if same, _, _ := pgAggTriggersMatch(ctx, s2.db, objs); !same {
		t.Fatal("Open did not put the generated function back")
	}
	if got := aggRowsOf(t, s2.db); !strings.Contains(got, "plan|pro|[1 1 1 5 1 0 0 0 1]") {
		t.Errorf("summary_agg not rebuilt at Open:\n%s", got)
	}
	if !s2.aggCurrent(ctx) {
		t.Error("the aggregates should answer")
	}
	mustExec(t, s2, "INSERT INTO deferred_index(name, sql) VALUES (?, '')", firstLoadMark)
	if s2.aggCurrent(ctx) {
		t.Error("the aggregates answer while a first load's mark stands")
	}
	// The triggers stand aside meanwhile; the load's end counts the rows.
	if _, err := s2.AddFeedback(ctx, "a", model.Feedback{CustomerID: c.ID, Kind: model.KindPraise, Body: "y"}); err != nil {
		t.Fatal(err)
	}
	if got := aggRowsOf(t, s2.db); !strings.Contains(got, "all||[1 1") {
		t.Errorf("the triggers counted during a first load:\n%s", got)
	}
	if err := s2.write(ctx, func(tx *sql.Tx) error { return finishAggsPG(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
	if got := aggRowsOf(t, s2.db); !strings.Contains(got, "all||[2 1") {
		t.Errorf("the load's end did not count the rows:\n%s", got)
	}
	keptEqualsRebuild(t, s2, "after the load's end")

	// Writes append rows; folding them changes no cell.
	for i := range 5 {
		if _, err := s2.AddFeedback(ctx, "a", model.Feedback{CustomerID: c.ID, Kind: model.KindQuestion, CSAT: ptrInt(i + 1), Body: "z"}); err != nil {
			t.Fatal(err)
		}
	}
	before := aggRowsOf(t, s2.db)
	if err := s2.write(ctx, func(tx *sql.Tx) error { return compactSummaryAggPG(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
	if after := aggRowsOf(t, s2.db); after != before {
		t.Errorf("folding changed the cells:\n%s\n%s", before, after)
	}
	if n, cells := queryInt(t, s2, "SELECT count(*) FROM summary_agg"), strings.Count(before, ";"); n != cells {
		t.Errorf("%d rows after folding, want one per cell (%d)", n, cells)
	}
}

// TestFirstLoadCountsAggregatesPostgres: during a first load on
// PostgreSQL the aggregate triggers stand aside and summaries do not read
// summary_agg; its end counts the loaded rows once, as a rebuild does.
func TestFirstLoadCountsAggregatesPostgres(t *testing.T) {
	s := openPGTemp(t, pgtest.Open(t))
	began, err := s.BeginFirstLoad(ctx)
	if err != nil || !began {
		t.Fatalf("BeginFirstLoad on an empty database: %v %v", began, err)
	}
	var recs []model.ImportRecord
	for i := range 30 {
		recs = append(recs, importRec(i+2, fmt.Sprint("u", i%6), fmt.Sprint("Name ", i%6), fmt.Sprintf("c%d@example.com", i%6),
			[]string{"free", "pro", ""}[i%3], fmt.Sprint("t", i), []string{"email", "chat"}[i%2], model.Kinds[i%5], i%6, i*9, ""))
	}
	if _, err := s.ImportBatch(ctx, "imp", "crm", recs, false); err != nil {
		t.Fatal(err)
	}
	if got := aggRowsOf(t, s.db); got != "" {
		t.Errorf("the triggers counted during the load:\n%s", got)
	}
	if s.aggCurrent(ctx) {
		t.Error("summary_agg answers during a first load")
	}
	during := summariesJSON(t, s)
	if err := s.EndFirstLoad(ctx); err != nil {
		t.Fatal(err)
	}
	if got := aggRowsOf(t, s.db); !strings.HasPrefix(got, "all||[30 6 ") {
		t.Errorf("summary_agg after the load:\n%s", got)
	}
	keptEqualsRebuild(t, s, "after the load")
	sameSummaries(t, s, "after the load")
	for k, got := range summariesJSON(t, s) {
		if got != during[k] {
			t.Errorf("summary %s from the aggregates differs from the one read during the load:\n %s\n %s", k, got, during[k])
		}
	}
}

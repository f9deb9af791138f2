package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// PostgreSQL's summary aggregates: the same table as SQLite's (migration
// 7 of migrations_pg), read by the same code (summaryFromAgg) and counted
// by the same rules, kept by triggers generated here from aggDims, as
// summary_agg_triggers.go generates SQLite's.
//
// SQLite's triggers are per row; these are per statement, over transition
// tables, like the change journal's (migration 3): an import batch or a
// bulk edit of a thousand rows is counted in one statement, not a thousand
// upserts. A statement's rows as they are now count 1 and as they were -1
// in each of their cells (pgAggDelta); whether a customer still counts in
// a cell, or now does, is read from their rows only where the number of
// them there changed.
//
// Each statement appends its changes as new rows: a (dim, key, month) is
// the sum of its rows, which is how summaryFromAgg reads them anyway.
// Updating one row per cell instead made an import quadratic: one
// transaction of a thousand INSERTs updated the 'all' cell a thousand
// times, and each update's unique-key check walked every version of the
// row the transaction had made (0.18 s for 300 INSERTs without the
// triggers, 3.4 s with them). compactSummaryAggPG folds the rows of each
// cell into one, at Open and when a summary finds the table grown
// (aggCurrent).
//
// A deleted customer's rows go with it (ON DELETE CASCADE); once the
// customer is gone their rows name no keys, so a row trigger before the
// delete takes their cells out, and the feedback trigger then finds
// nothing of theirs to count.
//
// The triggers stand aside (rapport_agg_off) in a transaction that sets
// rapport.agg_off (a copy into PostgreSQL) and while a first load's mark
// is in deferred_index: the end of the load (finishAggsPG) and of the copy
// rebuild the table from the rows.
//
// Open (installAggTriggersPG) compares the functions' text and a
// fingerprint of everything generated (the comment of summary_agg) with
// what this build generates; when they differ it replaces the functions
// and triggers and rebuilds the table in one transaction.

// pgAggObject is one generated function with its trigger (trigger "" for
// a plain function).
type pgAggObject struct {
	fn, body, signature string // CREATE FUNCTION fn signature AS $$body$$
	trigger, on         string // CREATE TRIGGER trigger on EXECUTE FUNCTION fn()
}

func (o pgAggObject) createFunction() string {
	return "CREATE OR REPLACE FUNCTION " + o.fn + o.signature + " AS $$" + o.body + "$$"
}

func (o pgAggObject) createTrigger() string {
	return "CREATE TRIGGER " + o.trigger + " " + o.on + " EXECUTE FUNCTION " + o.fn + "()"
}

// pgAggFeedbackCols are the feedback columns a row's cells depend on.
var pgAggFeedbackCols = func() []string {
	cols := []string{"id", "customer_id", "created_at", "csat", "nps", "kind"}
	for _, c := range aggFeedbackCols {
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	return cols
}()

// pgAggCustomerCols are the customer columns the aggregated dimensions
// group by.
var pgAggCustomerCols = func() []string {
	var cols []string
	for _, d := range aggDims[1:] {
		if d.of == model.OfCustomer && d.col != "" && !slices.Contains(cols, d.col) {
			cols = append(cols, d.col)
		}
	}
	return cols
}()

// distinctRows is the condition that a pair o, n of old and new rows
// differs in one of cols.
func distinctRows(cols []string) string {
	return "(o." + strings.Join(cols, ", o.") + ") IS DISTINCT FROM (n." + strings.Join(cols, ", n.") + ")"
}

// pgScoreRule is a PostgreSQL function giving 1 or 0 for a score by one of
// model's rules (NULL for no answer), written out over the scores the
// feedback table's CHECK allows.
func pgScoreRule(fn string, lo, hi int, rule func(int) bool) pgAggObject {
	var yes []string
	for v := lo; v <= hi; v++ {
		if rule(v) {
			yes = append(yes, fmt.Sprint(v))
		}
	}
	in := "false"
	if len(yes) > 0 {
		in = "score IN (" + strings.Join(yes, ", ") + ")"
	}
	return pgAggObject{fn: fn, signature: "(score bigint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE",
		body: "\n    SELECT CASE WHEN score IS NULL THEN NULL WHEN " + in + " THEN 1 ELSE 0 END\n"}
}

// pgAggRowCols selects, for feedback row f of customer c, what a row adds
// to its cells: its customer, month, each aggregated dimension's key
// (k1…), scores and whether it is a complaint.
func pgAggRowCols(sign string) string {
	cols := []string{sign + " AS sign", "f.customer_id", "substr(f.created_at, 1, 7) AS m"}
	for i, d := range aggDims[1:] {
		cols = append(cols, fmt.Sprintf("%s AS k%d", d.keySQL("f", "c"), i+1))
	}
	// integers, not bigint, whose sums PostgreSQL adds up as numeric
	cols = append(cols, "CAST(f.csat AS integer) AS csat", "CAST(f.nps AS integer) AS nps", "CASE WHEN "+complaintSQL("f")+" THEN 1 ELSE 0 END AS compl")
	return strings.Join(cols, ", ")
}

// pgAggCells is, for a row r of pgAggRowCols' columns, the CTE of the
// cells it adds to — each aggregated dimension's key, all-time (”) and in
// its month — after the WITH of rows; and the dimensions that count
// customers in monthly cells.
func pgAggCells(rows string) (with, monthly string) {
	var cells, months []string
	for i, d := range aggDims {
		key := "''"
		if i > 0 {
			key = fmt.Sprintf("r.k%d", i)
		}
		cells = append(cells, fmt.Sprintf("('%s', %s)", d.name, key))
		if d.monthCustomers {
			months = append(months, "'"+d.name+"'")
		}
	}
	return `WITH r AS (` + rows + `),
    cell AS (SELECT r.customer_id, d.dim, d.key, p.month, r.sign, r.csat, r.nps, r.compl FROM r
        CROSS JOIN LATERAL (VALUES ` + strings.Join(cells, ", ") + `) d(dim, key)
        CROSS JOIN LATERAL (VALUES (r.m), ('')) p(month)),`, strings.Join(months, ", ")
}

// pgAggScoreSums are a cell's signed score and complaint sums, per
// customer (after its fb_n).
const pgAggScoreSums = `sum(CASE WHEN csat IS NULL THEN 0 ELSE sign END) AS csat_n, sum(sign * coalesce(csat, 0)) AS csat_sum,
        sum(sign * coalesce(rapport_csat_sat(csat), 0)) AS csat_sat, sum(CASE WHEN nps IS NULL THEN 0 ELSE sign END) AS nps_n,
        sum(sign * coalesce(rapport_nps_pro(nps), 0)) AS nps_pro, sum(sign * coalesce(rapport_nps_det(nps), 0)) AS nps_det,
        sum(sign * compl) AS compl_n`

// pgAggAdd adds to summary_agg the per-customer sums of from (a CTE with
// pgAggScoreSums, fb_n and cust_n), cell by cell, leaving out cells
// nothing changes.
func pgAggAdd(from string) string {
	return aggInsertInto + `
    SELECT dim, key, month, sum(fb_n), sum(cust_n), sum(csat_n), sum(csat_sum), sum(csat_sat), sum(nps_n), sum(nps_pro), sum(nps_det), sum(compl_n)
    FROM ` + from + ` GROUP BY dim, key, month
    HAVING (sum(fb_n), sum(cust_n), sum(csat_n), sum(csat_sum), sum(csat_sat), sum(nps_n), sum(nps_pro), sum(nps_det), sum(compl_n))
        IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0)
    ;`
}

// pgAggApply is the statement that adds to summary_agg the cells of rows
// (a query of pgAggRowCols' columns, signed 1 for a row now and -1 for a
// row before): per customer, a cell's feedback and scores are the sums of
// the signed rows, and the customer counts in it (all-time cells, and the
// monthly cells of the dimensions that count them there) when a row is
// there after and not before, or is taken out in the opposite case.
func pgAggApply(rows string) string {
	with, monthly := pgAggCells(rows)
	return with + `
    per AS (SELECT dim, key, month, sum(sign) AS fb_n,
        CASE WHEN month = '' OR dim IN (` + monthly + `) THEN bool_or(sign > 0)::int - bool_or(sign < 0)::int ELSE 0 END AS cust_n,
        ` + pgAggScoreSums + `
        FROM cell GROUP BY customer_id, dim, key, month)
    ` + pgAggAdd("per")
}

// pgAggDeltaSQL is the statement that adds to summary_agg what rows (a query
// of pgAggRowCols' columns: the statement's rows as they are now, signed
// 1, and as they were, signed -1) change. Their scores are summed per
// cell. A customer's count in a cell (the all-time cells, and the monthly
// ones of the dimensions that count customers there) changes only where
// the number of their rows there does: then one read of their rows in the
// cell, from feedback_by_customer, tells whether they are there now and
// were before.
func pgAggDeltaSQL(rows string) string {
	var match, custDims, custMatch []string
	for i, d := range aggDims {
		switch {
		case i == 0:
		case d.of == model.OfCustomer:
			custDims = append(custDims, "'"+d.name+"'")
			custMatch = append(custMatch, fmt.Sprintf("WHEN '%s' THEN %s = p.key", d.name, d.keySQL("", "gc")))
		default:
			match = append(match, fmt.Sprintf("WHEN '%s' THEN %s = p.key", d.name, d.keySQL("g", "")))
		}
	}
	with, monthly := pgAggCells(rows)
	return with + `
    per AS (SELECT customer_id, dim, key, month, sum(sign) AS fb_n,
        ` + pgAggScoreSums + `
        FROM cell GROUP BY customer_id, dim, key, month),
    present AS (SELECT p.*, CASE WHEN p.fb_n = 0 OR NOT (p.month = '' OR p.dim IN (` + monthly + `)) THEN NULL
        WHEN p.dim IN (` + strings.Join(custDims, ", ") + `) THEN
            (SELECT count(*) FROM feedback g WHERE g.customer_id = p.customer_id AND (p.month = '' OR substr(g.created_at, 1, 7) = p.month))
            * (SELECT count(*) FROM customers gc WHERE gc.id = p.customer_id AND CASE p.dim ` + strings.Join(custMatch, " ") + ` END)
        ELSE (SELECT count(*) FROM feedback g WHERE g.customer_id = p.customer_id AND (p.month = '' OR substr(g.created_at, 1, 7) = p.month)
            AND CASE p.dim ` + strings.Join(match, " ") + ` ELSE true END)
        END AS n FROM per p),
    cust AS (SELECT present.*, coalesce((n > 0)::int - (n - fb_n > 0)::int, 0) AS cust_n FROM present)
    ` + pgAggAdd("cust")
}

// pgAggDeltaArgs are the columns of pgAggRowCols, each with its type, in
// order: rapport_agg_delta takes one array of each.
var pgAggDeltaArgs = func() [][2]string {
	args := [][2]string{{"sign", "integer"}, {"customer_id", "bigint"}, {"m", "text"}}
	for i := range aggDims[1:] {
		args = append(args, [2]string{fmt.Sprintf("k%d", i+1), "text"})
	}
	return append(args, [2]string{"csat", "integer"}, [2]string{"nps", "integer"}, [2]string{"compl", "integer"})
}()

// pgAggDeltaFunc is rapport_agg_delta: pgAggDeltaSQL over the rows given
// as arrays, one per column. A query on a trigger's transition tables is
// planned again at every statement, and planning pgAggDeltaSQL took 2.6 ms
// (a 10,000-row import, one INSERT per row, spent 34 s in the trigger);
// the function's statement is planned once per session, and the trigger's
// own query, which only gathers the rows into arrays, plans in no time.
func pgAggDeltaFunc() pgAggObject {
	var params, names, unnest []string
	for _, a := range pgAggDeltaArgs {
		params = append(params, "p_"+a[0]+" "+a[1]+"[]")
		names = append(names, a[0])
		unnest = append(unnest, "p_"+a[0])
	}
	// A generic plan: PL/pgSQL otherwise plans the statement again for
	// its arrays' values until it decides not to (300 one-row INSERTs:
	// 0.6 s with custom plans, 0.2 s with the generic one).
	return pgAggObject{fn: "rapport_agg_delta", signature: "(" + strings.Join(params, ", ") +
		") RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan",
		body: "\nBEGIN\n    " + pgAggDeltaSQL("SELECT * FROM unnest("+strings.Join(unnest, ", ")+") AS u("+strings.Join(names, ", ")+")") + "\nEND\n"}
}

// pgAggDelta is a trigger's call of rapport_agg_delta with rows (a query
// of pgAggRowCols' columns).
func pgAggDelta(rows string) string {
	var aggs []string
	for _, a := range pgAggDeltaArgs {
		aggs = append(aggs, "array_agg(r."+a[0]+")")
	}
	return "PERFORM rapport_agg_delta(" + strings.Join(aggs, ", ") + ") FROM (" + rows + ") r;"
}

// signed joins the parts of a delta's rows, each a FROM clause of
// feedback rows f and customers c signed 1 (now) or -1 (before).
func signed(now, before string) string {
	return "SELECT " + pgAggRowCols("1") + " FROM " + now + "\n        UNION ALL SELECT " + pgAggRowCols("-1") + " FROM " + before
}

// pgTriggerBody wraps a trigger's statement in the gate.
func pgTriggerBody(stmt, ret string) string {
	return "\nBEGIN\n    IF rapport_agg_off() THEN RETURN " + ret + "; END IF;\n    " + stmt + "\n    RETURN " + ret + ";\nEND\n"
}

// pgAggObjects generates summary_agg's functions and triggers on
// PostgreSQL from aggDims.
func pgAggObjects() []pgAggObject {
	// an update's rows whose cells may change
	watched := slices.DeleteFunc(slices.Clone(pgAggFeedbackCols), func(c string) bool { return c == "id" })
	changed := "f.id IN (SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE " + distinctRows(watched) + ")"
	// the customers an update moves between the cells of their dimensions
	moved := "f.customer_id IN (SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE " + distinctRows(pgAggCustomerCols) + ")"
	trig := func(name, fn, on, stmt string) pgAggObject {
		return pgAggObject{fn: fn, signature: "() RETURNS trigger LANGUAGE plpgsql", body: pgTriggerBody(stmt, "NULL"),
			trigger: name, on: on + " FOR EACH STATEMENT"}
	}
	// A deleted customer's rows, taken out before they go (see above).
	var oldCust []string
	for _, c := range pgAggCustomerCols {
		oldCust = append(oldCust, "OLD."+c+" AS "+c)
	}
	deleteCustomer := pgAggApply("SELECT " + pgAggRowCols("-1") + " FROM feedback f CROSS JOIN (SELECT " +
		strings.Join(oldCust, ", ") + ") c WHERE f.customer_id = OLD.id")
	return []pgAggObject{
		{fn: "rapport_agg_off", signature: "() RETURNS boolean LANGUAGE sql STABLE", body: `
    SELECT coalesce(current_setting('rapport.agg_off', true), '') = 'on'
        OR EXISTS (SELECT 1 FROM deferred_index WHERE name = '` + firstLoadMark + `')
`},
		pgScoreRule("rapport_csat_sat", 1, 5, model.CSATSatisfied),
		pgScoreRule("rapport_nps_pro", 0, 10, model.NPSPromoter),
		pgScoreRule("rapport_nps_det", 0, 10, model.NPSDetractor),
		pgAggDeltaFunc(),
		trig("summary_agg_feedback_ai", "rapport_agg_feedback_ins", "AFTER INSERT ON feedback REFERENCING NEW TABLE AS new_rows",
			pgAggDelta("SELECT "+pgAggRowCols("1")+" FROM new_rows f JOIN customers c ON c.id = f.customer_id")),
		// a customer deleted with their rows is gone: the rows join none
		trig("summary_agg_feedback_ad", "rapport_agg_feedback_del", "AFTER DELETE ON feedback REFERENCING OLD TABLE AS old_rows",
			pgAggDelta("SELECT "+pgAggRowCols("-1")+" FROM old_rows f JOIN customers c ON c.id = f.customer_id")),
		trig("summary_agg_feedback_au", "rapport_agg_feedback_upd",
			"AFTER UPDATE ON feedback REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
			pgAggDelta(signed("new_rows f JOIN customers c ON c.id = f.customer_id WHERE "+changed,
				"old_rows f JOIN customers c ON c.id = f.customer_id WHERE "+changed))),
		trig("summary_agg_customer_au", "rapport_agg_customer_upd",
			"AFTER UPDATE ON customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
			pgAggDelta(signed("feedback f JOIN new_rows c ON c.id = f.customer_id WHERE "+moved,
				"feedback f JOIN old_rows c ON c.id = f.customer_id WHERE "+moved))),
		{fn: "rapport_agg_customer_del", signature: "() RETURNS trigger LANGUAGE plpgsql", body: pgTriggerBody(deleteCustomer, "OLD"),
			trigger: "summary_agg_customer_bd", on: "BEFORE DELETE ON customers FOR EACH ROW"},
	}
}

// pgAggFingerprint names everything pgAggObjects generates; it is kept as
// the comment of summary_agg.
func pgAggFingerprint(objs []pgAggObject) string {
	h := sha256.New()
	for _, o := range objs {
		fmt.Fprintf(h, "%s\n%s\n", o.createFunction(), o.createTrigger())
	}
	return "rapport summary_agg triggers " + hex.EncodeToString(h.Sum(nil))[:32]
}

// pgAggTriggersMatch reports whether the database's summary_agg functions
// and triggers are exactly objs, and whether it has the table at all.
func pgAggTriggersMatch(ctx context.Context, q querier, objs []pgAggObject) (same, table bool, err error) {
	var comment sql.NullString
	if err := q.QueryRowContext(ctx, "SELECT to_regclass('summary_agg') IS NOT NULL").Scan(&table); err != nil || !table {
		return false, false, err
	}
	if err := q.QueryRowContext(ctx, "SELECT obj_description('summary_agg'::regclass, 'pg_class')").Scan(&comment); err != nil {
		return false, true, err
	}
	if comment.String != pgAggFingerprint(objs) {
		return false, true, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT p.proname, p.prosrc FROM pg_proc p
		WHERE p.pronamespace = current_schema()::regnamespace AND (p.proname LIKE 'rapport\_agg\_%' OR p.proname IN ('rapport_csat_sat', 'rapport_nps_pro', 'rapport_nps_det'))`)
	if err != nil {
		return false, true, err
	}
	stored := map[string]string{}
	for rows.Next() {
		var name, src string
		if err := rows.Scan(&name, &src); err != nil {
			rows.Close()
			return false, true, err
		}
		stored[name] = src
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, true, err
	}
	var triggers int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM pg_trigger
		WHERE tgrelid IN ('feedback'::regclass, 'customers'::regclass) AND tgname LIKE 'summary\_agg\_%' AND NOT tgisinternal AND tgenabled <> 'D'`).Scan(&triggers); err != nil {
		return false, true, err
	}
	want := 0
	for _, o := range objs {
		if stored[o.fn] != o.body {
			return false, true, nil
		}
		if o.trigger != "" {
			want++
		}
	}
	return len(stored) == len(objs) && triggers == want, true, nil
}

// installAggTriggersPG is installAggTriggers on PostgreSQL: when the
// generated functions and triggers are not the database's (a new
// database, a schema of an older build, a function edited by hand), it
// replaces them and rebuilds summary_agg from the rows, in one write
// transaction.
func (s *Store) installAggTriggersPG(ctx context.Context) error {
	objs := pgAggObjects()
	same, table, err := pgAggTriggersMatch(ctx, s.db, objs)
	if err != nil || !table {
		return err
	}
	if same {
		s.aggCurrent(ctx) // folds a grown table
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		same, _, err := pgAggTriggersMatch(ctx, tx, objs) // another session may have done it meanwhile
		if err != nil || same {
			return err
		}
		old, err := queryColumn[string](ctx, tx, `SELECT tgrelid::regclass::text || ' ' || tgname FROM pg_trigger
			WHERE tgrelid IN ('feedback'::regclass, 'customers'::regclass) AND tgname LIKE 'summary\_agg\_%' AND NOT tgisinternal`)
		if err != nil {
			return err
		}
		for _, t := range old {
			table, name, _ := strings.Cut(t, " ")
			if _, err := tx.ExecContext(ctx, "DROP TRIGGER "+pgIdent(name)+" ON "+table); err != nil {
				return err
			}
		}
		for _, o := range objs {
			if _, err := tx.ExecContext(ctx, o.createFunction()); err != nil {
				return fmt.Errorf("function %s: %w", o.fn, err)
			}
			if o.trigger == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, o.createTrigger()); err != nil {
				return fmt.Errorf("trigger %s: %w", o.trigger, err)
			}
		}
		if _, err := tx.ExecContext(ctx, "COMMENT ON TABLE summary_agg IS '"+pgAggFingerprint(objs)+"'"); err != nil {
			return err
		}
		return rebuildSummaryAggPG(ctx, tx)
	})
}

// rebuildSummaryAggPG is rebuildSummaryAgg on PostgreSQL: the rows in
// customer order, read from feedback_by_customer, which holds every column
// a cell needs.
func rebuildSummaryAggPG(ctx context.Context, tx aggWriter) error {
	return rebuildSummaryAggFrom(ctx, tx, "SELECT f.customer_id, "+aggRowCols("f", "substr(f.created_at, 1, 7)")+
		" FROM feedback f JOIN customers c ON c.id = f.customer_id ORDER BY f.customer_id")
}

// aggStandAsidePG makes this transaction's writes skip the aggregate
// triggers; the writer rebuilds summary_agg before it commits.
func aggStandAsidePG(ctx context.Context, tx querier) error {
	_, err := tx.ExecContext(ctx, "SELECT set_config('rapport.agg_off', 'on', true)")
	return err
}

// finishAggsPG ends a first load on PostgreSQL (first_load_pg.go): in the
// transaction that forgets the load's mark, and so turns the triggers back
// on, it counts summary_agg from the loaded rows.
func finishAggsPG(ctx context.Context, tx *sql.Tx) error {
	if err := rebuildSummaryAggPG(ctx, tx); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM deferred_index WHERE name = ?", firstLoadMark)
	return err
}

// aggCurrent reports whether summary_agg may answer: on PostgreSQL not
// while a first load's mark stands (its triggers stand aside then). When
// the table holds more than pgAggCompactAt rows it folds them first (best
// effort: a store that may not write reads them as they are).
func (s *Store) aggCurrent(ctx context.Context) bool {
	if !s.d.pg {
		return true
	}
	var pending bool
	var rows int64
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM deferred_index WHERE name = ?) OR to_regclass('summary_agg') IS NULL,
		(SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass('summary_agg'))`, firstLoadMark).Scan(&pending, &rows)
	if err != nil || pending {
		return false
	}
	if rows > pgAggCompactAt {
		s.write(ctx, func(tx *sql.Tx) error { return compactSummaryAggPG(ctx, tx) })
	}
	return true
}

// pgAggCompactAt is the number of rows of summary_agg (as the planner's
// statistics count them) above which a summary folds them first. A
// rebuilt table of 5M feedback holds about 3,000; each write statement
// adds up to 14.
const pgAggCompactAt = 50000

// compactSummaryAggPG folds the rows of each cell of summary_agg into one,
// dropping cells left all zero.
func compactSummaryAggPG(ctx context.Context, tx querier) error {
	cols := "fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n"
	sums := "sum(fb_n), sum(cust_n), sum(csat_n), sum(csat_sum), sum(csat_sat), sum(nps_n), sum(nps_pro), sum(nps_det), sum(compl_n)"
	_, err := tx.ExecContext(ctx, `WITH d AS (DELETE FROM summary_agg RETURNING *)
		INSERT INTO summary_agg(dim, key, month, `+cols+`) SELECT dim, key, month, `+sums+` FROM d GROUP BY dim, key, month
		HAVING (`+sums+`) IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0)`)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "ANALYZE summary_agg")
	return err
}

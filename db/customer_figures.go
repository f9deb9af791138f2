package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// The per-customer derived figures (csat_sum, csat_n, csat_avg, nps_last,
// feedback_n, complaints_open, followups_open, last_feedback_at,
// last_contact_at) are a cache of the customer's feedback and follow-ups,
// kept on the customer's row so that lists, sorts and segments read them
// without a join. They are stated here once: figuresSelect says what each
// figure is, writeFigures stores it, and CheckCaches compares the cache
// with a recomputation. Every write path (single edits, bulk edits,
// imports, the demo load, merge, undo) calls writeFigures inside its own
// transaction with the customers it changed; a recall, which only adds
// open follow-ups, calls countOpenedFollowUps. followups_open lives in the
// narrow table followup_counts (migration 13), not on the customer's row,
// so that a recall of 100,000 members does not rewrite 100,000 rows.
//
// The rules:
//   - csat_sum, csat_n: sum and count of the CSAT answers; csat_avg their
//     mean, NULL without answers;
//   - nps_last: the NPS of the latest feedback that has one (latest by
//     created_at, then id);
//   - feedback_n: all feedback; complaints_open: complaints open or pending;
//   - followups_open: follow-ups with status open;
//   - last_feedback_at: the newest feedback's created_at;
//   - last_contact_at: the later of that and the latest follow-up done_at.
//
// And one correction that is not a cache: a customer's created_at ("customer
// since") is never later than their oldest feedback. An import creates a
// customer the day it runs, while their tickets may go back years; the
// figures' pass moves created_at back to the oldest feedback's time
// (first_feedback_at, never forward: a customer added before their first
// feedback keeps the day they were added).

// figureSet names the customers whose figures a write changed: a list of
// ids, or every customer.
type figureSet struct {
	all bool
	ids []int64
}

// allCustomers is the set of every customer, for loads that wrote many.
func allCustomers() figureSet { return figureSet{all: true} }

// customersOf is the set of the given customers (duplicates are fine).
func customersOf(ids ...int64) figureSet { return figureSet{ids: ids} }

// figureChunk bounds the ids bound in one statement: each appears three
// times, well below SQLite's 32,766 variables and PostgreSQL's 65,535.
var figureChunk = 2000

// figureColumns are the cached figures, in figuresSelect's order after id.
var figureColumns = []string{"csat_sum", "csat_n", "csat_avg", "nps_last", "feedback_n", "complaints_open",
	"followups_open", "last_feedback_at", "last_contact_at"}

// rowFigureColumns are the figures kept on the customer's row: all but
// followups_open, which followup_counts keeps.
var rowFigureColumns = slices.DeleteFunc(slices.Clone(figureColumns), func(c string) bool { return c == "followups_open" })

// storedFigure is the expression reading a cached figure of customer c.
func storedFigure(col string) string {
	if col == "followups_open" {
		return followupsOpenExpr
	}
	return "c." + col
}

// lastContact is the rule for last_contact_at: the later of the newest
// feedback's time and the latest follow-up's done_at.
func lastContact(feedbackAt, doneAt string) string {
	return "CASE WHEN " + doneAt + " IS NOT NULL AND (" + feedbackAt + " IS NULL OR " + doneAt + " > " + feedbackAt +
		") THEN " + doneAt + " ELSE " + feedbackAt + " END"
}

// followUpFigures sums each customer's follow-ups: open ones and the
// latest done_at; where filters the rows.
func followUpFigures(where string) string {
	return `(SELECT customer_id, count(*) FILTER (WHERE status = 'open') AS open, max(done_at) AS done
	           FROM followups` + where + ` GROUP BY customer_id)`
}

// figuresSelect gives, for each customer in the filter, the id and the
// figures in figureColumns' order and under their names, computed from
// the rows, then first_feedback_at (see created_at above). in is ""
// (every customer) or a list of placeholders such as "?1,?2".
//
// nps_last comes from one pass of the GROUP BY: created_at is fixed-width
// text (timeLayout), so the greatest created_at || zero-padded id || nps
// is the latest answer's, and its tail is the score.
func figuresSelect(in string) string {
	where := func(col string) string {
		if in == "" {
			return ""
		}
		return " WHERE " + col + " IN (" + in + ")"
	}
	return `SELECT c.id AS id,
		coalesce(fb.cs, 0) AS csat_sum, coalesce(fb.cn, 0) AS csat_n,
		CASE WHEN fb.cn > 0 THEN CAST(fb.cs AS DOUBLE PRECISION) / fb.cn END AS csat_avg,
		fb.np AS nps_last, coalesce(fb.n, 0) AS feedback_n, coalesce(fb.co, 0) AS complaints_open,
		coalesce(fu.open, 0) AS followups_open, fb.lf AS last_feedback_at,
		` + lastContact("fb.lf", "fu.done") + ` AS last_contact_at, fb.ff AS first_feedback_at
	FROM customers c
	LEFT JOIN (SELECT customer_id,
	                  coalesce(sum(csat), 0) AS cs, count(csat) AS cn, count(*) AS n,
	                  count(*) FILTER (WHERE kind = 'complaint' AND status IN ('open', 'pending')) AS co,
	                  max(created_at) AS lf, min(created_at) AS ff,
	                  CAST(substr(max(CASE WHEN nps IS NOT NULL
	                      THEN created_at || printf('%020d', id) || nps END), length(max(created_at)) + 21) AS INTEGER) AS np
	           FROM feedback` + where("customer_id") + ` GROUP BY customer_id) AS fb ON fb.customer_id = c.id
	LEFT JOIN ` + followUpFigures(where("customer_id")) + ` AS fu ON fu.customer_id = c.id` +
		where("c.id")
}

// writeFigures recomputes and stores the figures of the customers in set,
// set-based: one statement for every customer, or one per chunk of ids.
func writeFigures(ctx context.Context, tx querier, set figureSet) error {
	if set.all {
		if err := execFigures(ctx, tx, rowFigureColumns, figuresSelect("")); err != nil {
			return err
		}
		return execFollowUpCounts(ctx, tx, "")
	}
	ids := slices.Clone(set.ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for len(ids) > 0 {
		n := min(len(ids), figureChunk)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		in := numberedPlaceholders(n)
		if err := execFigures(ctx, tx, rowFigureColumns, figuresSelect(in), args...); err != nil {
			return err
		}
		if err := execFollowUpCounts(ctx, tx, in, args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// execFigures stores cols from query, which selects id and cols.
func execFigures(ctx context.Context, tx querier, cols []string, query string, args ...any) error {
	var set strings.Builder
	for i, col := range cols {
		if i > 0 {
			set.WriteString(", ")
		}
		set.WriteString(col + " = f." + col)
	}
	set.WriteString(", created_at = CASE WHEN f.first_feedback_at < customers.created_at THEN f.first_feedback_at ELSE customers.created_at END")
	q := `UPDATE customers SET ` + set.String() + `
		FROM (` + query + `) AS f WHERE customers.id = f.id`
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("derived figures: %w", err)
	}
	return nil
}

// execFollowUpCounts stores the open follow-ups of the customers in in
// ("" for every customer) into followup_counts.
func execFollowUpCounts(ctx context.Context, tx querier, in string, args ...any) error {
	where, fuWhere := " WHERE true", ""
	if in != "" {
		where, fuWhere = " WHERE c.id IN ("+in+")", " WHERE customer_id IN ("+in+")"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO followup_counts(customer_id, open)
		SELECT c.id, coalesce(fu.open, 0) FROM customers c
		LEFT JOIN `+followUpFigures(fuWhere)+` AS fu ON fu.customer_id = c.id`+where+`
		ON CONFLICT(customer_id) DO UPDATE SET open = excluded.open`, args...)
	if err != nil {
		return fmt.Errorf("derived figures: %w", err)
	}
	return nil
}

// countOpenedFollowUps adds the follow-ups inserted open after id
// before to their customers' followups_open: the form of writeFigures for
// a recall, which inserts open follow-ups by the thousand and changes
// nothing else a figure reads (recomputing every member's figures would
// double its time).
func countOpenedFollowUps(ctx context.Context, tx querier, d dialect, before int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO followup_counts(customer_id, open)
		SELECT customer_id, count(*) FROM followups`+d.rowidRange()+` WHERE id > ? AND status = 'open' GROUP BY customer_id
		ON CONFLICT(customer_id) DO UPDATE SET open = followup_counts.open + excluded.open`, before)
	if err != nil {
		return fmt.Errorf("derived figures: %w", err)
	}
	return nil
}

// numberedPlaceholders gives "?1,?2,…,?n": numbered, so a statement can
// use the same list several times.
func numberedPlaceholders(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteByte('?')
		b.WriteString(strconv.Itoa(i))
	}
	return b.String()
}

// refreshDerived recomputes the figures of the given customers: the
// single-edit form of writeFigures.
func refreshDerived(ctx context.Context, tx querier, customerIDs ...int64) error {
	return writeFigures(ctx, tx, customersOf(customerIDs...))
}

// RefreshAllDerived recomputes every customer's figures set-based, for use
// after bulk loads.
func (s *Store) RefreshAllDerived(ctx context.Context) error {
	return s.write(ctx, func(tx *sql.Tx) error { return writeFigures(ctx, tx, allCustomers()) })
}

// CheckCaches recomputes the caches the writes keep — every customer's
// derived figures and the summary aggregates — from the rows and returns
// each cached value that differs, customers first (by id and column),
// then aggregate cells; none means the caches are right.
func (s *Store) CheckCaches(ctx context.Context) ([]model.CacheDrift, error) {
	drifts, err := s.checkFigures(ctx)
	if err != nil {
		return nil, err
	}
	cells, err := s.checkSummaryAgg(ctx)
	return append(drifts, cells...), err
}

// checkFigures compares every customer's cached figures with
// figuresSelect's recomputation.
func (s *Store) checkFigures(ctx context.Context) ([]model.CacheDrift, error) {
	var drifts []model.CacheDrift
	err := s.read(ctx, func(tx *sql.Tx) error {
		stored := make([]string, len(figureColumns))
		for i, col := range figureColumns {
			stored[i] = storedFigure(col)
		}
		rows, err := tx.QueryContext(ctx, `SELECT f.id, f.`+strings.Join(figureColumns, ", f.")+`, `+strings.Join(stored, ", ")+` FROM (`+figuresSelect("")+`) AS f
			JOIN customers c ON c.id = f.id ORDER BY c.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := len(figureColumns)
		vals := make([]any, 1+2*n)
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			for i, col := range figureColumns {
				computed, cached := vals[1+i], vals[1+n+i]
				if !sameFigure(computed, cached) {
					drifts = append(drifts, model.CacheDrift{Cache: "customers", Key: figureText(vals[0]), Column: col,
						Stored: figureText(cached), Computed: figureText(computed)})
				}
			}
		}
		return rows.Err()
	})
	return drifts, err
}

// errCheckDone rolls back the transaction checkSummaryAgg rebuilt in.
var errCheckDone = errors.New("summary check done")

// checkSummaryAgg rebuilds summary_agg from the feedback inside a
// transaction it rolls back, and compares the cells before and after.
func (s *Store) checkSummaryAgg(ctx context.Context) ([]model.CacheDrift, error) {
	var drifts []model.CacheDrift
	err := s.write(ctx, func(tx *sql.Tx) error {
		kept, err := summaryCells(ctx, tx)
		if err != nil {
			return err
		}
		rebuild := rebuildSummaryAgg
		if s.d.pg {
			rebuild = rebuildSummaryAggPG
		}
		if err := rebuild(ctx, tx); err != nil {
			return err
		}
		rebuilt, err := summaryCells(ctx, tx)
		if err != nil {
			return err
		}
		keys := make([]string, 0, len(kept)+len(rebuilt))
		for k := range kept {
			keys = append(keys, k)
		}
		for k := range rebuilt {
			if _, ok := kept[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			for i, col := range summaryCellColumns {
				var was, is int64
				if v, ok := kept[k]; ok {
					was = v[i]
				}
				if v, ok := rebuilt[k]; ok {
					is = v[i]
				}
				if was != is {
					drifts = append(drifts, model.CacheDrift{Cache: "summary_agg", Key: k, Column: col,
						Stored: strconv.FormatInt(was, 10), Computed: strconv.FormatInt(is, 10)})
				}
			}
		}
		return errCheckDone
	})
	if errors.Is(err, errCheckDone) {
		err = nil
	}
	return drifts, err
}

var summaryCellColumns = []string{"fb_n", "cust_n", "csat_n", "csat_sum", "csat_sat", "nps_n", "nps_pro", "nps_det", "compl_n"}

// summaryCells reads summary_agg by "dim/key/month"; all-zero cells (left
// by deletions) are the same as none.
func summaryCells(ctx context.Context, tx querier) (map[string][]int64, error) {
	// A cell is the sum of its rows: one on SQLite, the appended changes
	// on PostgreSQL (summary_agg_pg.go).
	sums := make([]string, len(summaryCellColumns))
	for i, c := range summaryCellColumns {
		sums[i] = "CAST(sum(" + c + ") AS BIGINT)"
	}
	rows, err := tx.QueryContext(ctx, `SELECT dim, key, month, `+strings.Join(sums, ", ")+` FROM summary_agg GROUP BY dim, key, month`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cells := map[string][]int64{}
	for rows.Next() {
		var dim, key, month string
		v := make([]int64, len(summaryCellColumns))
		dst := []any{&dim, &key, &month}
		for i := range v {
			dst = append(dst, &v[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		if slices.ContainsFunc(v, func(x int64) bool { return x != 0 }) {
			cells[dim+"/"+key+"/"+month] = v
		}
	}
	return cells, rows.Err()
}

// sameFigure compares two scanned values: numbers by value (an average
// may have been summed in another order), text as text.
func sameFigure(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	fa, aNum := figureNumber(a)
	fb, bNum := figureNumber(b)
	if aNum && bNum {
		return math.Abs(fa-fb) <= 1e-9*max(1, math.Abs(fa))
	}
	return figureText(a) == figureText(b)
}

func figureNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func figureText(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

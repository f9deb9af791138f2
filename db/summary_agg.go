package db

import (
	"context"
	"database/sql"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// The summary aggregates (migration 5) answer the common summaries —
// all time, no filter, by one of the dimensions aggDims marks, or by
// month, with monthly trends — from summary_agg instead of scanning every
// feedback. Triggers generated from aggDims (summary_agg_triggers.go)
// keep the table current on every write; rebuildSummaryAgg builds it from
// the rows (after the migration, a first load, the demo's bulk load, a
// change of the triggers, and in `rapport doctor`'s check).

// aggWriter is a transaction, or a connection inside one.
type aggWriter interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

type aggKey struct{ dim, key, month string }

type aggTally struct {
	fb, cust, csatN, csatSum, csatSat, npsN, npsPro, npsDet, compl int
}

// rebuildSummaryAgg recomputes summary_agg from the feedback in one pass,
// ordered by customer so that each customer's distinct cells are counted
// once.
func rebuildSummaryAgg(ctx context.Context, tx aggWriter) error {
	return rebuildSummaryAggFrom(ctx, tx, "SELECT f.customer_id, "+aggRowSQL("f")+
		" FROM feedback f JOIN customers c ON c.id = f.customer_id ORDER BY f.customer_id")
}

// rebuildSummaryAggFrom is rebuildSummaryAgg reading the rows with query
// (a customer id, then aggRowSQL's columns, in customer order).
func rebuildSummaryAggFrom(ctx context.Context, tx aggWriter, query string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM summary_agg"); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	cells := map[aggKey]*aggTally{}
	seen := map[aggKey]bool{} // the current customer's cells
	cur := int64(-1)
	for rows.Next() {
		var cid int64
		var r aggRow
		if err := scanAggRow(rows, &r, &cid); err != nil {
			rows.Close()
			return err
		}
		if cid != cur {
			cur = cid
			clear(seen)
		}
		tallyRow(cells, seen, r, 1)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum,
		csat_sat, nps_n, nps_pro, nps_det, compl_n) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for k, t := range cells {
		if _, err := stmt.ExecContext(ctx, k.dim, k.key, k.month, t.fb, t.cust, t.csatN, t.csatSum, t.csatSat,
			t.npsN, t.npsPro, t.npsDet, t.compl); err != nil {
			return err
		}
	}
	return nil
}

// aggRow is one feedback row as summary_agg counts it: its month, its
// key in each of aggDims (keys[0], 'all', is ""), and what it adds.
type aggRow struct {
	month     string
	keys      []string
	complaint bool
	csat, nps sql.NullInt64
}

// tallyRow adds one feedback row (sign 1) or takes it away (sign -1) in
// every cell it belongs to. seen holds the cells this row's customer has
// already been counted in, so each customer counts once per cell.
func tallyRow(cells map[aggKey]*aggTally, seen map[aggKey]bool, r aggRow, sign int) {
	var one model.ScoreTally // the row's answers, counted by the rules' one owner
	if r.csat.Valid {
		one.AddCSAT(int(r.csat.Int64))
	}
	if r.nps.Valid {
		one.AddNPS(int(r.nps.Int64))
	}
	for i, d := range aggDims {
		for _, m := range [2]string{r.month, ""} {
			ak := aggKey{d.name, r.keys[i], m}
			t := cells[ak]
			if t == nil {
				t = &aggTally{}
				cells[ak] = t
			}
			// distinct customers where readers use them: all-time
			// rows, and the monthly rows of 'all'
			if !seen[ak] && (m == "" || d.monthCustomers) {
				seen[ak] = true
				t.cust += sign
			}
			t.fb += sign
			t.csatN += sign * one.CSATN
			t.csatSum += sign * one.CSATSum
			t.csatSat += sign * one.CSATSat
			t.npsN += sign * one.NPSN
			t.npsPro += sign * one.Promoters
			t.npsDet += sign * one.Detractors
			if r.complaint {
				t.compl += sign
			}
		}
	}
}

// RebuildSummaryAgg rebuilds the summary aggregates in one transaction.
func (s *Store) RebuildSummaryAgg(ctx context.Context) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if s.d.pg {
			return rebuildSummaryAggPG(ctx, tx)
		}
		return rebuildSummaryAgg(ctx, tx)
	})
}

// aggAnswers reports whether summary_agg answers q exactly.
func aggAnswers(q model.SummaryQuery) bool {
	by := strings.TrimSpace(q.By)
	return !q.Segments && q.Since.IsZero() && q.Until.IsZero() && strings.TrimSpace(q.Where) == "" &&
		(q.Trend == "" || q.Trend == "month") && (by == "" || by == "month" || aggKept(by))
}

const aggCols = `coalesce(sum(fb_n), 0), coalesce(sum(cust_n), 0), coalesce(sum(csat_n), 0), coalesce(sum(csat_sum), 0),
	coalesce(sum(csat_sat), 0), coalesce(sum(nps_n), 0), coalesce(sum(nps_pro), 0), coalesce(sum(nps_det), 0),
	coalesce(sum(compl_n), 0)`

func scanAgg(r rowScanner, extra ...any) (groupTally, error) {
	var g groupTally
	dest := append(extra, &g.feedbackN, &g.customersN, &g.t.CSATN, &g.t.CSATSum, &g.t.CSATSat,
		&g.t.NPSN, &g.t.Promoters, &g.t.Detractors, &g.complaint)
	return g, r.Scan(dest...)
}

// aggKeyExpr names a summary_agg row's group: ids become their names
// (a category's path; a deleted category's rows fall into "(none)").
func aggKeyExpr(dim string) (expr, join string) {
	if dim == "month" {
		return "a.month", ""
	}
	if d, ok := lookupStoreDim(dim); ok && d.byID {
		return "coalesce(" + d.group + ", '" + model.SummaryNone + "')", d.keyJoin
	}
	return "a.key", ""
}

// summaryFromAgg answers an aggAnswers query from summary_agg.
func summaryFromAgg(ctx context.Context, tx *sql.Tx, by, trend string) (overall groupTally, groups []groupTally,
	trends map[string][]model.TrendPoint, err error) {
	overall, err = scanAgg(tx.QueryRowContext(ctx, "SELECT "+aggCols+" FROM summary_agg a WHERE dim = 'all' AND month = ''"))
	if err != nil {
		return
	}
	overall.key = SummaryAll
	trends = map[string][]model.TrendPoint{}
	addTrend := func(dim, expr, join string) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+expr+", a.month, "+aggCols+" FROM summary_agg a"+join+
			" WHERE a.dim = ? AND a.month <> '' GROUP BY 1, 2 HAVING sum(fb_n) > 0 ORDER BY 1, 2", dim)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k, p string
			g, err := scanAgg(rows, &k, &p)
			if err != nil {
				return err
			}
			nps, _ := g.t.NPS()
			trends[k] = append(trends[k], model.TrendPoint{Period: p, N: g.feedbackN, CSATAvg: g.t.CSATAvg(), NPS: nps})
		}
		return rows.Err()
	}
	if trend == "month" {
		if err = addTrend("all", "'"+SummaryAll+"'", ""); err != nil {
			return
		}
	}
	if by == "" {
		return
	}
	dim := by
	if by == "month" {
		dim = "all"
	}
	expr, join := aggKeyExpr(by)
	cond := "a.month = ''"
	if by == "month" {
		cond = "a.month <> ''"
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+expr+", "+aggCols+" FROM summary_agg a"+join+
		" WHERE a.dim = ? AND "+cond+" GROUP BY 1 HAVING sum(fb_n) > 0", dim)
	if err != nil {
		return
	}
	for rows.Next() {
		var k string
		var g groupTally
		if g, err = scanAgg(rows, &k); err != nil {
			rows.Close()
			return
		}
		g.key = k
		groups = append(groups, g)
	}
	rows.Close()
	if err = rows.Err(); err != nil {
		return
	}
	if trend == "month" {
		if by == "month" {
			for _, g := range groups { // a month's trend is itself
				nps, _ := g.t.NPS()
				trends[g.key] = []model.TrendPoint{{Period: g.key, N: g.feedbackN, CSATAvg: g.t.CSATAvg(), NPS: nps}}
			}
		} else if err = addTrend(dim, expr, join); err != nil {
			return
		}
	}
	return
}

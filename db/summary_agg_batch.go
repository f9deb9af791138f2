package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// bulkAgg keeps summary_agg and the customers' derived figures right for
// a batch of writes (an import batch, a bulk classification) while the
// batch holds bulk_load's 'summary_agg' row, so that the summary_agg
// triggers stand aside (migration 6). Instead of their upsert of each cell
// per row, the batch sums every change in memory and writes the net
// change of each cell once, at finish.
//
// A new feedback row of a customer the batch has not taken is counted as
// the insert trigger counts it (add). Before any other change to a
// customer — a column of theirs aggDims groups by, or an existing
// feedback row — the batch takes the customer out (take subtracts
// everything they count for); finish puts every taken customer back from
// their final rows. The
// customers' derived figures are not counted here: finish has
// writeFigures recompute them for every customer the batch touched.
type bulkAgg struct {
	// figuresOnly: PostgreSQL, whose per-statement triggers count a
	// batch's statements themselves (summary_agg_pg.go); the batch only
	// recomputes the figures of the customers it touches, at finish.
	figuresOnly bool
	taken       map[int64]bool
	touched     map[int64]bool // customers whose figures finish recomputes
	cells       map[aggKey]*aggTally
	seen        map[aggKey]bool
	changes     []pendingChange // bulk edits, counted by applyChanges
}

// beginBulkAgg starts deferring.
func beginBulkAgg(ctx context.Context, d dialect, tx querier) (*bulkAgg, error) {
	if d.pg {
		return &bulkAgg{figuresOnly: true, taken: map[int64]bool{}, touched: map[int64]bool{},
			cells: map[aggKey]*aggTally{}, seen: map[aggKey]bool{}}, nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO bulk_load(tbl, first_id) VALUES ('summary_agg', 0)"); err != nil {
		return nil, err
	}
	return &bulkAgg{taken: map[int64]bool{}, touched: map[int64]bool{}, cells: map[aggKey]*aggTally{},
		seen: map[aggKey]bool{}}, nil
}

// take must run before the batch changes a customer (a column of theirs
// aggDims groups by) or any of their existing feedback.
func (b *bulkAgg) take(ctx context.Context, tx querier, customer int64) error {
	if b == nil || b.taken[customer] { // nil: a first load counts everything at its end
		return nil
	}
	b.taken[customer] = true
	b.touched[customer] = true
	if b.figuresOnly {
		return nil
	}
	return b.tally(ctx, tx, customer, -1)
}

// add counts a feedback row the batch has just inserted, as the insert
// trigger would: the customer counts in a cell unless another of their
// rows is already there.
func (b *bulkAgg) add(ctx context.Context, tx querier, id, customer int64) error {
	if b == nil || b.taken[customer] { // nil: a first load counts everything at its end
		return nil // finish counts the customer's final rows
	}
	if b.figuresOnly {
		return b.take(ctx, tx, customer)
	}
	// The row as summary_agg counts it, and whether the customer already
	// counts in each of its cells: in an all-time cell through another row
	// there, in 'all''s month through another row that month.
	var r aggRow
	present := make([]bool, len(aggDims))
	var presentMonth bool
	dest := []any{&presentMonth}
	for i := range present {
		dest = append(dest, &present[i])
	}
	if err := scanAggRow(tx.QueryRowContext(ctx, aggAddSQL, id), &r, dest...); err != nil {
		return err
	}
	// The cells the customer already counts in are "seen": tallyRow then
	// counts the customer only in the others.
	clear(b.seen)
	for i, d := range aggDims {
		if present[i] {
			b.seen[aggKey{d.name, r.keys[i], ""}] = true
		}
		if presentMonth && d.monthCustomers {
			b.seen[aggKey{d.name, r.keys[i], r.month}] = true
		}
	}
	tallyRow(b.cells, b.seen, r, 1)
	b.touched[customer] = true
	return nil
}

// aggAddSQL reads a feedback row just inserted (by id) as the insert
// trigger counts it: whether its customer has another row in 'all”s
// month and in each dimension's all-time cell, then aggRowSQL's columns.
var aggAddSQL = func() string {
	cols := []string{otherRow("n", sameMonth("n"))}
	for _, d := range aggDims {
		cols = append(cols, otherRow("n", d.sameCell("n")))
	}
	return "SELECT " + strings.Join(cols, ", ") + ", " + aggRowSQL("n") +
		" FROM feedback n LEFT JOIN customers c ON c.id = n.customer_id WHERE n.id = ?"
}()

// change queues a feedback row's new status, kind or category (its
// customer, date, channel and scores stay) for applyChanges.
func (b *bulkAgg) change(st *feedbackState, status, kind string, cat sql.NullInt64) {
	if b.taken[st.customer] || status == st.status && kind == st.kind && cat == st.category {
		return
	}
	if b.figuresOnly {
		b.taken[st.customer], b.touched[st.customer] = true, true
		return
	}
	b.changes = append(b.changes, pendingChange{st: st, status: status, kind: kind, cat: cat})
}

type pendingChange struct {
	st     *feedbackState
	status string
	kind   string
	cat    sql.NullInt64
}

// applyChanges counts the queued changes, in order, as the update trigger
// would have one by one. A change alters feedback columns (kind,
// category_id) some aggregated dimensions group by; only those cells need
// to know whether the customer has another row there, which one read of
// the customers' rows (from the index alone) and the changes before each
// answer.
func (b *bulkAgg) applyChanges(ctx context.Context, tx querier) error {
	fcols := aggFeedbackCols
	var ids []int64
	seenCustomer := map[int64]bool{}
	for _, c := range b.changes {
		if c.altersCells() && !seenCustomer[c.st.customer] {
			seenCustomer[c.st.customer] = true
			ids = append(ids, c.st.customer)
		}
	}
	// How many rows each customer has with each value of each column:
	// "another row there" is the count less the item itself.
	type colValue struct {
		customer int64
		col      string
		v        any
	}
	counts := map[colValue]int{}
	keysOf := map[int64][]string{} // each customer's keys of the customer dimensions
	if len(ids) > 0 {
		list, _ := json.Marshal(ids)
		// Counted here rather than with GROUP BY, which sorts the rows
		// first: a customer has a handful of items.
		rows, err := tx.QueryContext(ctx, "SELECT customer_id, "+strings.Join(fcols, ", ")+
			" FROM feedback INDEXED BY feedback_by_customer WHERE customer_id IN (SELECT value FROM json_each(?))", string(list))
		if err != nil {
			return err
		}
		vals := make([]any, len(fcols))
		for rows.Next() {
			var cid int64
			dest := []any{&cid}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
			for i, col := range fcols {
				counts[colValue{cid, col, vals[i]}]++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var custKeys []string
		for _, d := range aggDims[1:] {
			if d.of == model.OfCustomer {
				custKeys = append(custKeys, d.keySQL("f", "c"))
			}
		}
		rows, err = tx.QueryContext(ctx, "SELECT c.id, "+strings.Join(custKeys, ", ")+
			" FROM customers c WHERE c.id IN (SELECT value FROM json_each(?))", string(list))
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			ks := make([]string, len(custKeys))
			dest := []any{&id}
			for i := range ks {
				dest = append(dest, &ks[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
			keysOf[id] = ks
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, c := range b.changes {
		st := c.st
		if openComplaint(c.kind, c.status) != openComplaint(st.kind, st.status) {
			b.touched[st.customer] = true
		}
		if !c.altersCells() {
			continue
		}
		cid := st.customer
		r := aggRow{csat: st.csat, nps: st.nps, keys: make([]string, len(aggDims))}
		if len(st.createdAt) >= 7 {
			r.month = st.createdAt[:7] // as strftime('%Y-%m') reads timeLayout
		}
		// Cells whose key stays keep the customer either way; the two
		// tallies below cancel there except for the complaint count.
		for side, sign := range [2]int{-1, 1} {
			after := side == 1
			clear(b.seen)
			ck := keysOf[cid]
			for i, d := range aggDims {
				switch {
				case d.col == "":
				case d.of == model.OfCustomer:
					r.keys[i], ck = ck[0], ck[1:]
				default:
					r.keys[i] = d.keyOf(c.value(d.col, after))
				}
				old, now := c.value(d.col, false), c.value(d.col, true)
				// The customer stays in a cell whose key the change
				// keeps; in one it changes, when another row is there.
				n := counts[colValue{cid, d.col, c.value(d.col, after)}]
				if !after {
					n-- // the item itself
				}
				if d.col == "" || d.of == model.OfCustomer || old == now || n > 0 {
					b.seen[aggKey{d.name, r.keys[i], ""}] = true
				}
				if d.monthCustomers {
					b.seen[aggKey{d.name, r.keys[i], r.month}] = true
				}
			}
			r.complaint = c.value("kind", after) == string(model.KindComplaint)
			tallyRow(b.cells, b.seen, r, sign)
		}
		for _, col := range fcols {
			if old, now := c.value(col, false), c.value(col, true); old != now {
				counts[colValue{cid, col, old}]--
				counts[colValue{cid, col, now}]++
			}
		}
	}
	b.changes = nil
	return nil
}

// value is a feedback column before (after false) or after the change,
// as the driver reads it: text, an int64 id, or nil. A change sets kind
// and category_id; the other columns stay.
func (c pendingChange) value(col string, after bool) any {
	switch col {
	case "kind":
		if after {
			return c.kind
		}
		return c.st.kind
	case "category_id":
		cat := c.st.category
		if after {
			cat = c.cat
		}
		if !cat.Valid {
			return nil
		}
		return cat.Int64
	case "channel":
		return c.st.channel
	}
	return nil
}

// altersCells reports whether the change moves the item between cells of
// summary_agg: a column an aggregated dimension groups by (kind, which
// also says whether it counts as a complaint, is one).
func (c pendingChange) altersCells() bool {
	for _, col := range aggFeedbackCols {
		if c.value(col, false) != c.value(col, true) {
			return true
		}
	}
	return false
}

// openComplaint is 1 for a row complaints_open counts.
func openComplaint(kind, status string) int64 {
	if kind == string(model.KindComplaint) && (status == string(model.StatusOpen) || status == string(model.StatusPending)) {
		return 1
	}
	return 0
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// tally adds (sign 1) or subtracts (-1) a customer's rows in b.cells.
func (b *bulkAgg) tally(ctx context.Context, tx querier, customer int64, sign int) error {
	rows, err := tx.QueryContext(ctx, aggTallySQL, customer)
	if err != nil {
		return err
	}
	defer rows.Close()
	clear(b.seen)
	for rows.Next() {
		var r aggRow
		if err := scanAggRow(rows, &r); err != nil {
			return err
		}
		tallyRow(b.cells, b.seen, r, sign)
	}
	return rows.Err()
}

var aggTallySQL = "SELECT " + aggRowSQL("f") + " FROM customers c JOIN feedback f ON f.customer_id = c.id WHERE c.id = ?"

// finish adds the taken customers back, writes the net change of every
// cell and the figures of the customers touched, and ends the deferral.
func (b *bulkAgg) finish(ctx context.Context, tx querier) error {
	if err := b.applyChanges(ctx, tx); err != nil {
		return err
	}
	touched := make([]int64, 0, len(b.touched))
	for id := range b.touched {
		touched = append(touched, id)
	}
	if err := writeFigures(ctx, tx, customersOf(touched...)); err != nil {
		return err
	}
	if b.figuresOnly {
		return nil
	}
	for id := range b.taken {
		if err := b.tally(ctx, tx, id, 1); err != nil {
			return err
		}
	}
	for k, t := range b.cells {
		if *t == (aggTally{}) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum,
			csat_sat, nps_n, nps_pro, nps_det, compl_n) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n,
			csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat,
			nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det,
			compl_n = compl_n + excluded.compl_n`,
			k.dim, k.key, k.month, t.fb, t.cust, t.csatN, t.csatSum, t.csatSat, t.npsN, t.npsPro, t.npsDet, t.compl); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM bulk_load WHERE tbl = 'summary_agg'")
	return err
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"

	"github.com/rapportcrm/rapport/model"
)

// bulkAgg keeps summary_agg and the customers' derived figures right for
// a batch of writes (an import batch, a bulk classification) while the
// batch holds bulk_load's 'summary_agg' row, so that the migration 5
// triggers stand aside (migration 6). Instead of their fourteen upserts
// per row, the batch sums every change in memory and writes the net
// change of each cell once, at finish.
//
// A new feedback row of a customer the batch has not taken is counted as
// the insert trigger counts it (add). Before any other change to a
// customer — plan, region or lifecycle, or an existing feedback row — the
// batch takes the customer out (take subtracts everything they count
// for); finish puts every taken customer back from their final rows. The
// customers' derived figures are not counted here: finish has
// writeFigures recompute them for every customer the batch touched.
type bulkAgg struct {
	// figuresOnly: the store keeps no aggregates (PostgreSQL); the batch
	// only recomputes the figures of the customers it touches, at finish.
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

// take must run before the batch changes a customer (plan, region,
// lifecycle) or any of their existing feedback.
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
// trigger of migration 5 would: the customer counts in a cell unless
// another of their rows is already there.
func (b *bulkAgg) add(ctx context.Context, tx querier, f model.Feedback, category any) error {
	if b == nil || b.taken[f.CustomerID] { // nil: a first load counts everything at its end
		return nil // finish counts the customer's final rows
	}
	if b.figuresOnly {
		return b.take(ctx, tx, f.CustomerID)
	}
	createdAt := fmtTime(f.CreatedAt)
	var r aggRow
	var anyAll, anyMonth, anyChannel, anyKind, anyCategory bool
	err := tx.QueryRowContext(ctx, `SELECT strftime('%Y-%m', ?3), coalesce(nullif(c.plan, ''), '(none)'),
			coalesce(nullif(c.region, ''), '(none)'), coalesce(nullif(c.lifecycle, ''), '(none)'),
			EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = ?1 AND G.id <> ?2),
			EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = ?1 AND G.id <> ?2
				AND G.created_at >= strftime('%Y-%m-01', ?3) AND G.created_at < date(?3, 'start of month', '+1 month')),
			EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = ?1 AND G.id <> ?2 AND G.channel = ?4),
			EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = ?1 AND G.id <> ?2 AND G.kind = ?5),
			EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = ?1 AND G.id <> ?2 AND G.category_id IS ?6)
		FROM customers c WHERE c.id = ?1`, f.CustomerID, f.ID, createdAt, f.Channel, string(f.Kind), category).
		Scan(&r.month, &r.plan, &r.region, &r.life, &anyAll, &anyMonth, &anyChannel, &anyKind, &anyCategory)
	if err != nil {
		return err
	}
	r.channel, r.kind = f.Channel, string(f.Kind)
	if r.channel == "" {
		r.channel = "(none)"
	}
	if c, ok := category.(int64); ok {
		r.cat = c
	}
	r.csat = sql.NullInt64{Int64: int64(derefInt(f.CSAT)), Valid: f.CSAT != nil}
	r.nps = sql.NullInt64{Int64: int64(derefInt(f.NPS)), Valid: f.NPS != nil}
	// The cells the customer already counts in are "seen": tallyRow then
	// counts the customer only in the others.
	clear(b.seen)
	mark := func(present bool, dim, key, month string) {
		if present {
			b.seen[aggKey{dim, key, month}] = true
		}
	}
	mark(anyAll, "all", "", "")
	mark(anyAll, "plan", r.plan, "")
	mark(anyAll, "region", r.region, "")
	mark(anyAll, "lifecycle", r.life, "")
	mark(anyMonth, "all", "", r.month)
	mark(anyChannel, "channel", r.channel, "")
	mark(anyKind, "kind", r.kind, "")
	mark(anyCategory, "category", strconv.FormatInt(r.cat, 10), "")
	tallyRow(b.cells, b.seen, r, 1)
	b.touched[f.CustomerID] = true
	return nil
}

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
// of migration 5 would have one by one: only the cells whose key changes
// need to know whether the customer has another row there, which one
// read of the customers' rows (from the index alone) and the changes
// before each answer.
func (b *bulkAgg) applyChanges(ctx context.Context, tx querier) error {
	var ids []int64
	seenCustomer := map[int64]bool{}
	for _, c := range b.changes {
		if (c.kind != c.st.kind || c.cat != c.st.category) && !seenCustomer[c.st.customer] {
			seenCustomer[c.st.customer] = true
			ids = append(ids, c.st.customer)
		}
	}
	// How many rows each customer has of each kind and category: "another
	// row there" is the count less the item itself.
	type ckey struct {
		customer int64
		kind     string
	}
	type catKey struct {
		customer int64
		cat      sql.NullInt64
	}
	kinds, cats := map[ckey]int{}, map[catKey]int{}
	type dims struct{ plan, region, life string }
	dimsOf := map[int64]dims{}
	if len(ids) > 0 {
		list, _ := json.Marshal(ids)
		// Counted here rather than with GROUP BY, which sorts the rows
		// first: a customer has a handful of items.
		rows, err := tx.QueryContext(ctx, `SELECT customer_id, kind, category_id FROM feedback INDEXED BY feedback_by_customer
			WHERE customer_id IN (SELECT value FROM json_each(?))`, string(list))
		if err != nil {
			return err
		}
		for rows.Next() {
			var cid int64
			var kind string
			var cat sql.NullInt64
			if err := rows.Scan(&cid, &kind, &cat); err != nil {
				rows.Close()
				return err
			}
			kinds[ckey{cid, kind}]++
			cats[catKey{cid, cat}]++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT id, coalesce(nullif(plan, ''), '(none)'), coalesce(nullif(region, ''), '(none)'),
			coalesce(nullif(lifecycle, ''), '(none)') FROM customers WHERE id IN (SELECT value FROM json_each(?))`, string(list))
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var d dims
			if err := rows.Scan(&id, &d.plan, &d.region, &d.life); err != nil {
				rows.Close()
				return err
			}
			dimsOf[id] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, c := range b.changes {
		st, kind, cat := c.st, c.kind, c.cat
		if openComplaint(kind, c.status) != openComplaint(st.kind, st.status) {
			b.touched[st.customer] = true
		}
		if kind == st.kind && cat == st.category {
			continue
		}
		cid := st.customer
		others := func(n int, self bool) bool { // rows there besides the item itself
			if self {
				n--
			}
			return n > 0
		}
		oldKind := others(kinds[ckey{cid, st.kind}], true)
		newKind := others(kinds[ckey{cid, kind}], kind == st.kind)
		oldCat := others(cats[catKey{cid, st.category}], true)
		newCat := others(cats[catKey{cid, cat}], cat == st.category)
		d := dimsOf[st.customer]
		r := aggRow{plan: d.plan, region: d.region, life: d.life, channel: st.channel, csat: st.csat, nps: st.nps}
		if len(st.createdAt) >= 7 {
			r.month = st.createdAt[:7] // as strftime('%Y-%m') reads timeLayout
		}
		if r.channel == "" {
			r.channel = "(none)"
		}
		// Cells whose key stays keep the customer either way; the two
		// tallies below cancel there except for the complaint count.
		for _, side := range []struct {
			sign            int
			kind            string
			cat             int64
			inKind, inCateg bool
		}{{-1, st.kind, st.category.Int64, oldKind, oldCat}, {1, kind, cat.Int64, newKind, newCat}} {
			r.kind, r.cat = side.kind, side.cat
			clear(b.seen)
			for _, k := range []aggKey{{"all", "", ""}, {"all", "", r.month}, {"plan", r.plan, ""}, {"region", r.region, ""},
				{"lifecycle", r.life, ""}, {"channel", r.channel, ""}} {
				b.seen[k] = true
			}
			if kind == st.kind || side.inKind {
				b.seen[aggKey{"kind", r.kind, ""}] = true
			}
			if cat == st.category || side.inCateg {
				b.seen[aggKey{"category", strconv.FormatInt(r.cat, 10), ""}] = true
			}
			tallyRow(b.cells, b.seen, r, side.sign)
		}
		kinds[ckey{cid, st.kind}]--
		kinds[ckey{cid, kind}]++
		cats[catKey{cid, st.category}]--
		cats[catKey{cid, cat}]++
	}
	b.changes = nil
	return nil
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
	rows, err := tx.QueryContext(ctx, `SELECT strftime('%Y-%m', f.created_at),
			coalesce(nullif(c.plan, ''), '(none)'), coalesce(nullif(c.region, ''), '(none)'),
			coalesce(nullif(c.lifecycle, ''), '(none)'), coalesce(nullif(f.channel, ''), '(none)'), f.kind,
			coalesce(f.category_id, 0), f.csat, f.nps
		FROM customers c JOIN feedback f ON f.customer_id = c.id WHERE c.id = ?`, customer)
	if err != nil {
		return err
	}
	defer rows.Close()
	clear(b.seen)
	for rows.Next() {
		var r aggRow
		if err := rows.Scan(&r.month, &r.plan, &r.region, &r.life, &r.channel, &r.kind, &r.cat, &r.csat, &r.nps); err != nil {
			return err
		}
		tallyRow(b.cells, b.seen, r, sign)
	}
	return rows.Err()
}

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

package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/facts"
)

// The incremental refresh of the Insights snapshot. Migration 14's
// triggers append to facts_changes the customer every write touches (a
// feedback row's customer, a customer's dimensions, attributes or tags); a
// snapshot remembers the journal position it reflects, and after a commit
// (this process's or another's) reads only the journal since then and those
// customers again — their row, tags and feedback — into the next snapshot
// (facts.Update), instead of reading every feedback row. It reads
// everything again when the journal says so (a NULL entry: a tag or
// category renamed, a load that wrote without the triggers), when the
// journal was trimmed past its position, or when the customers changed
// since the last full read pass factsDeltaShare of all (a full read is then
// about as cheap, and the delta's memory stays small). A customer named
// only through feedback rows (migration 16) is patched: only those rows
// are read again (db/facts_patch.go).

// factsDeltaMin and factsDeltaShare bound the customers a snapshot holds
// apart from its base: the larger of the two (a test lowers the first).
var factsDeltaMin = 4096

const factsDeltaShare = 10 // percent of the customers

// factsNoPatch makes a refresh read every customer the journal names in
// full, as before the journal named feedback rows (a benchmark compares).
var factsNoPatch = false

// factsJournalKeep is how many entries the journal keeps (the trim of
// migration 14 and migrations_pg/0003).
const factsJournalKeep = 262144

// factsIDChunk is how many customer ids one IN list names.
const factsIDChunk = 500

// factsStandAside makes the journal's triggers stand aside for the rest
// of a batch that writes rows wholesale (a first load, a copy) and marks
// the journal so that every snapshot reads everything again. On SQLite
// (migration 14) the batch deletes its bulk_load rows before it commits;
// on PostgreSQL (migrations_pg/0003) the setting ends with the transaction.
func factsStandAside(ctx context.Context, tx querier, pg bool) error {
	q := "INSERT INTO bulk_load(tbl, first_id) VALUES ('facts', 0)"
	if pg {
		q = "SELECT set_config('rapport.facts_off', 'on', true)"
	}
	if _, err := tx.ExecContext(ctx, q); err != nil {
		return err
	}
	return factsReadAll(ctx, tx)
}

// factsReadAll marks the journal: every snapshot reads everything again.
func factsReadAll(ctx context.Context, tx querier) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO facts_changes(customer_id) VALUES (NULL)")
	return err
}

// factsPosition is the journal position a read transaction sees; -1 when
// the store keeps no journal (a read-only store of an older schema).
func (s *Store) factsPosition(ctx context.Context, tx *sql.Tx) (int64, error) {
	if !tableExists(ctx, tx, s.d.pg, "facts_changes") {
		return -1, nil
	}
	var pos int64
	err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM facts_changes").Scan(&pos)
	return pos, err
}

// factsRefresh brings the snapshot to the database's state v by reading
// again only the customers the journal names since the snapshot's
// position. It reports false, having changed nothing, when a full read is
// needed. The caller holds the cache's lock.
func (s *Store) factsRefresh(ctx context.Context, v int64) (bool, error) {
	c := &s.facts
	if c.snap == nil || c.pos < 0 || c.fullAt == v {
		return false, nil
	}
	start := time.Now()
	ctx = context.WithoutCancel(ctx) // as a full read: one for all waiting summaries
	var next *facts.Snapshot
	var pos int64
	full, patched := false, 0
	// Not readMapped: the rows read again are few and spread over the
	// file, and a fresh mapping's page faults cost more than read calls
	// (refresh after a bulk edit 294–358 ms → 468–489 ms).
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM facts_changes").Scan(&pos); err != nil {
			return err
		}
		if pos == c.pos {
			return nil // a commit that changed nothing a summary counts
		}
		// The trim deletes entries factsJournalKeep behind the newest: past
		// that, entries after the snapshot's position may be gone. (Gaps
		// below, from writes rolled back, lose nothing.)
		if pos < c.pos || pos-factsJournalKeep >= c.pos {
			full = true
			return nil
		}
		limit := max(factsDeltaMin, c.snap.Customers()*factsDeltaShare/100)
		limit -= c.snap.Delta()
		seen := map[int64]bool{}
		plain := map[int64]bool{} // named by an entry that names no feedback row
		var ids, fbIDs []int64
		rows, err := tx.QueryContext(ctx, "SELECT customer_id, feedback_id FROM facts_changes WHERE seq > ? AND seq <= ?", c.pos, pos)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, fb sql.NullInt64
			if err := rows.Scan(&id, &fb); err != nil {
				rows.Close()
				return err
			}
			if !id.Valid || len(ids) > limit {
				full = true
				break
			}
			if !seen[id.Int64] {
				seen[id.Int64] = true
				ids = append(ids, id.Int64)
			}
			if fb.Valid && !factsNoPatch {
				fbIDs = append(fbIDs, fb.Int64)
			} else {
				plain[id.Int64] = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil || full {
			return err
		}
		u := c.snap.Update()
		again := ids // the customers read again in full
		if len(fbIDs) > 0 {
			if again, err = factsPatch(ctx, tx, u, fbIDs, ids, plain); err != nil {
				return err
			}
			patched = len(ids) - len(again)
		}
		u.Changed(again...)
		if err := readFactsOf(ctx, tx, u, again); err != nil {
			return err
		}
		next, err = u.Build()
		if err != nil { // a full read says whether the data fits at all
			full = true
			return nil
		}
		// The attribute columns summaries asked for come along: untouched
		// values from the last snapshot, the touched customers' read again.
		touched := func(id int64) bool { return seen[id] }
		for _, name := range c.snap.AttrNames() {
			prev := c.snap.Attr(name)
			if ab, odd, ok := next.AttrColumn(name); ok && len(odd) <= factsOddMax {
				// the customers' values are the snapshot's: carry only
				// the feedback's own
				ab.CarryFeedback(c.snap, prev, touched)
				if err := readCustomerAttrOf(ctx, tx, ab, name, odd); err != nil {
					return err
				}
				for chunk := range slices.Chunk(ids, factsIDChunk) {
					in, args := idList(chunk)
					if err := readFeedbackAttr(ctx, tx, ab, name, in, args); err != nil {
						return err
					}
				}
				next.KeepAttr(name, ab.Build())
				continue
			}
			ab := next.CarryAttr(c.snap, prev, touched)
			if err := readAttrOf(ctx, tx, ab, name, ids); err != nil {
				return err
			}
			next.KeepAttr(name, ab.Build())
		}
		return nil
	})
	if errors.Is(err, errFactsUnfit) { // a full read says whether the data fits at all
		err, full = nil, true
	}
	if err != nil {
		return false, err
	}
	if full {
		c.fullAt = v
		return false, nil
	}
	if next != nil {
		c.snap = next
		c.gen++
		c.patched += patched
		c.refreshed = time.Since(start)
	}
	c.pos, c.version = pos, v
	c.results = map[string]cachedSummary{} // a --where may name what changed
	return true, nil
}

// readFactsOf reads the given customers, their tags and their feedback
// into an update, as loadFacts reads everyone into a builder.
func readFactsOf(ctx context.Context, q querier, u *facts.Update, ids []int64) error {
	paths, err := categoryPaths(ctx, q)
	if err != nil {
		return err
	}
	ccols := facts.CustomerDims()
	fb := newFeedbackFacts(paths)
	for chunk := range slices.Chunk(slices.Sorted(slices.Values(ids)), factsIDChunk) {
		in, args := idList(chunk)
		var kv [][]byte
		err := eachRow(ctx, q, "SELECT id, "+strings.Join(ccols, ", ")+", attrs FROM customers WHERE id IN "+in, args,
			2+len(ccols), func(id int64, v [][]byte) error {
				if err := u.Customer(id, v[:len(ccols)]); err != nil {
					return err
				}
				var ok bool
				kv, ok = attrPairs(kv[:0], v[len(ccols)])
				u.CustomerAttrs(id, kv, !ok)
				return nil
			})
		if err != nil {
			return err
		}
		err = eachRow(ctx, q, "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id IN "+in,
			args, 2, func(id int64, v [][]byte) error { u.Tag(id, v[0]); return nil })
		if err != nil {
			return err
		}
		err = fb.each(ctx, q, " WHERE customer_id IN "+in, args, func(f *facts.Feedback) error { return u.Feedback(*f) })
		if err != nil {
			return err
		}
	}
	return nil
}

// readAttrOf reads one attribute of the given customers and of their
// feedback, as loadFactsAttr reads everyone's.
func readAttrOf(ctx context.Context, q querier, ab *facts.AttrBuilder, name string, ids []int64) error {
	if err := readCustomerAttrOf(ctx, q, ab, name, ids); err != nil {
		return err
	}
	for chunk := range slices.Chunk(ids, factsIDChunk) {
		in, args := idList(chunk)
		if err := readFeedbackAttr(ctx, q, ab, name, in, args); err != nil {
			return err
		}
	}
	return nil
}

// idList is "(?, ?, …)" for ids, with its arguments.
func idList(ids []int64) (string, []any) {
	var b strings.Builder
	args := make([]any, len(ids))
	b.WriteByte('(')
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('?')
		args[i] = id
	}
	b.WriteByte(')')
	return b.String(), args
}

// factsCheckColumns lists, for a test, the columns the loader reads: the
// journal's triggers must watch every one.
func factsCheckColumns() (customers, feedback []string) {
	customers = append(facts.CustomerDims(), "attrs")
	for _, c := range facts.FeedbackDims() {
		d, _ := lookupStoreDim(c)
		feedback = append(feedback, d.col)
	}
	return customers, append(feedback, "customer_id", "created_at", "csat", "nps", "attrs")
}

package db

import (
	"context"
	"database/sql"
	"errors"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// firstLoad is what a first load into an empty database remembers between
// its batches, so that the rows it can prove new skip every look-up:
// feedback whose (source, external id) it has not inserted yet is new (the
// database held none), and a customer it has already found or created by
// their source id is found again without a query. Anything else — a ticket
// seen before, a customer's first or last row, rows without a source id —
// takes ImportBatch's exact path, so both give the same rows.
//
// The full-text and bigram indexes, the summary aggregates and the
// customers' derived figures are not kept per batch but built once, set-
// based, by EndFirstLoad (finishFirstLoad).
type firstLoad struct {
	seed maphash.Seed
	// seen holds a hash of each (source, external id) the load inserted;
	// a hash that is present only sends the row down the exact path.
	seen map[uint64]struct{}
	// customers maps source + "\x00" + the source's customer id to ours.
	customers map[string]int64
	// written holds, for a customer this load created from a row with
	// later rows of theirs to follow and has not changed since, a hash of
	// that row (customerHash): a row that hashes the same would change
	// nothing (importing a row again does not) and is not sent.
	written map[int64]uint64
	// release ends the load's hold on the database (PostgreSQL's lock).
	release func()
	// rows the load created so far, and at its last ANALYZE (PostgreSQL).
	rows, analyzed int
}

func newFirstLoad() *firstLoad {
	return &firstLoad{seed: maphash.MakeSeed(), seen: map[uint64]struct{}{}, customers: map[string]int64{},
		written: map[int64]uint64{}}
}

// customerHash hashes what importCustomer reads of a row's customer: the
// source's id and every imported field. Never 0 (0 means "not known").
func (fl *firstLoad) customerHash(r *model.ImportRecord) uint64 {
	var h maphash.Hash
	h.SetSeed(fl.seed)
	c := &r.Customer
	for _, s := range []string{r.CustomerKey, c.Name, c.Email, c.Phone, c.Company, c.Plan, c.Region, c.City,
		c.Language, c.Gender, string(c.Lifecycle), strconv.FormatFloat(c.LTV, 'g', -1, 64)} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	h.WriteByte(1)
	for _, t := range c.Tags {
		h.WriteString(t)
		h.WriteByte(0)
	}
	h.WriteByte(1)
	keys := make([]string, 0, len(c.Attrs))
	for k := range c.Attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		h.WriteString(k)
		h.WriteByte(0)
		h.WriteString(c.Attrs[k])
		h.WriteByte(0)
	}
	return max(h.Sum64(), 1)
}

func (fl *firstLoad) feedbackHash(source, key string) uint64 {
	var h maphash.Hash
	h.SetSeed(fl.seed)
	h.WriteString(source)
	h.WriteByte(0)
	h.WriteString(key)
	return h.Sum64()
}

// firstLoadFeedbackCols are the columns a first load writes per feedback row, in
// the order of importFeedback's INSERT, with the id first.
var firstLoadFeedbackCols = []string{"id", "customer_id", "source", "external_id", "channel", "kind", "subject", "body",
	"category_id", "priority", "status", "csat", "csat_raw", "nps", "agent", "created_at", "resolved_at", "updated_at", "attrs"}

// firstLoadRowsPerInsert is how many rows one multi-row INSERT carries
// (19 × 500 bound values, below SQLite's limit).
const firstLoadRowsPerInsert = 500

// multiInsert buffers rows of one table and writes them with multi-row
// INSERT statements of up to firstLoadRowsPerInsert rows.
type multiInsert struct {
	prefix, tuple string
	suffix        string // after the rows (ON CONFLICT …)
	ncols         int
	args          []any
	n             int
	after         *multiInsert // rows this table's rows refer to, written first
}

func newMultiInsert(head string, cols []string) *multiInsert {
	return &multiInsert{prefix: head + "(" + strings.Join(cols, ", ") + ") VALUES ",
		tuple: "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")", ncols: len(cols),
		args: make([]any, 0, firstLoadRowsPerInsert*len(cols))}
}

func (m *multiInsert) add(ctx context.Context, tx querier, vals ...any) error {
	m.args = append(m.args, vals...)
	m.n++
	if m.n == firstLoadRowsPerInsert {
		return m.flush(ctx, tx)
	}
	return nil
}

func (m *multiInsert) flush(ctx context.Context, tx querier) error {
	if m.n == 0 {
		return nil
	}
	if m.after != nil {
		if err := m.after.flush(ctx, tx); err != nil {
			return err
		}
	}
	var b strings.Builder
	b.Grow(len(m.prefix) + m.n*(len(m.tuple)+1))
	b.WriteString(m.prefix)
	for i := range m.n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(m.tuple)
	}
	b.WriteString(m.suffix)
	_, err := tx.ExecContext(ctx, b.String(), m.args...)
	clear(m.args)
	m.args, m.n = m.args[:0], 0
	return err
}

// importFirstLoad is ImportBatch during a first load: the same rows and
// counts, with new feedback written set-based and known customers found
// in memory; no per-batch indexing or aggregate upkeep.
func (s *Store) importFirstLoad(ctx context.Context, fl *firstLoad, agent, source string, recs []model.ImportRecord) (model.ImportCounts, error) {
	var counts model.ImportCounts
	last := map[string]int{}
	for i, r := range recs {
		if r.Feedback != nil {
			last[r.FeedbackKey] = i
		}
	}
	// The customers this batch finds, and the rows it writes them from
	// (firstLoad.written), remembered when it commits.
	newCustomers := map[string]int64{}
	newWritten := map[int64]uint64{}
	writtenFrom := func(id int64) uint64 {
		if h, ok := newWritten[id]; ok {
			return h
		}
		return fl.written[id]
	}
	err := s.write(ctx, func(sqlTx *sql.Tx) error {
		tx := newStmtCache(sqlTx)
		defer tx.close()
		now := fmtTime(s.now())
		rules, err := loadRules(ctx, tx)
		if err != nil {
			return err
		}
		// The triggers skip every row (first id 1) and the aggregates'
		// triggers stand aside; finishFirstLoad indexes and counts all.
		if !s.d.pg {
			if _, err := tx.ExecContext(ctx, "INSERT INTO bulk_load(tbl, first_id) VALUES ('customers', 1), ('feedback', 1), ('summary_agg', 0)"); err != nil {
				return err
			}
		}
		if err := factsStandAside(ctx, tx, false); err != nil {
			return err
		}
		bulk := bulkIndex{firstCustomer: 1, firstFeedback: 1}
		var nextID int64
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM feedback").Scan(&nextID); err != nil {
			return err
		}
		rows := newMultiInsert("INSERT INTO feedback", firstLoadFeedbackCols)
		tagRows := newMultiInsert("INSERT INTO feedback_tags", []string{"feedback_id", "tag_id"})
		tagRows.suffix = " ON CONFLICT DO NOTHING"
		tagRows.after = rows
		flushRows := func() error {
			if err := rows.flush(ctx, tx); err != nil {
				return err
			}
			if s.d.pg { // the rows took their ids explicitly: a row inserted next takes the sequence's
				if err := syncFeedbackIDsPG(ctx, tx); err != nil {
					return err
				}
			}
			return tagRows.flush(ctx, tx)
		}
		cats := map[string]int64{}
		tags := map[string]int64{}
		for i, r := range recs {
			if r.Feedback != nil && last[r.FeedbackKey] != i {
				counts.Unchanged++
				continue
			}
			withRules(&r, rules)
			ckey := source + "\x00" + r.CustomerKey
			id, known := fl.customers[ckey]
			if !known {
				id, known = newCustomers[ckey]
			}
			var created, updated bool
			// A row that only refers to a customer found before writes
			// nothing of them (importCustomer: next = old, no tags, key bound);
			// nor does a row equal to the one they were last written from by
			// this load (the common case: a customer's last ticket repeats
			// their first), as importing a row again changes nothing.
			var ch uint64
			if known && r.CustomerKey != "" && !(r.CustomerRef && len(r.Customer.Tags) == 0) {
				ch = fl.customerHash(&r)
			}
			if !(known && r.CustomerKey != "" && (r.CustomerRef && len(r.Customer.Tags) == 0 || ch == writtenFrom(id))) {
				// (the buffered feedback rows need not be written first: finding
				// and writing a customer reads no feedback)
				id, created, updated, err = s.importCustomer(ctx, tx, agent, source, r, now, bulk, nil)
				if dup := (*model.DuplicateError)(nil); errors.As(err, &dup) {
					counts.Errors++
					counts.Rejected = append(counts.Rejected, model.ImportRowError{Line: r.Line, Reason: dup.Error()})
					continue
				}
				if err != nil {
					return err
				}
				if r.CustomerKey != "" {
					newCustomers[ckey] = id
				}
				// Only a customer created from this row holds exactly its
				// fields (an update may have kept some, or only added tags):
				// remembered while later rows of theirs follow, forgotten when
				// a row changes them.
				switch {
				case created && r.CustomerRef && r.CustomerKey != "":
					newWritten[id] = fl.customerHash(&r)
				case created || updated:
					newWritten[id] = 0
				}
			}
			changed := created || updated
			if created {
				counts.CustomersCreated++
			} else if updated {
				counts.CustomersUpdated++
			}
			if r.Feedback != nil {
				h := fl.feedbackHash(source, r.FeedbackKey)
				_, maybe := fl.seen[h]
				var fc, fu bool
				if maybe || r.FeedbackKey == "" {
					if err := flushRows(); err != nil {
						return err
					}
					if fc, fu, err = importFeedback(ctx, tx, source, id, agent, r, now, nil, cats); err != nil {
						return err
					}
					if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM feedback").Scan(&nextID); err != nil {
						return err
					}
				} else {
					if err := addFeedbackRow(ctx, tx, rows, tagRows, nextID, source, id, r, now, cats, tags); err != nil {
						return err
					}
					nextID++
					fc = true
				}
				fl.seen[h] = struct{}{} // later rows of this batch; undone below if it fails
				if fc {
					counts.FeedbackCreated++
				} else if fu {
					counts.FeedbackUpdated++
				}
				changed = changed || fc || fu
			}
			if !changed {
				counts.Unchanged++
			}
		}
		if err := flushRows(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM bulk_load WHERE tbl IN ('customers', 'feedback', 'summary_agg', 'facts')"); err != nil {
			return err
		}
		if changed := counts.CustomersCreated + counts.CustomersUpdated + counts.FeedbackCreated + counts.FeedbackUpdated; changed > 0 {
			return writeAudit(ctx, tx, s.now(), agent, "import", 0, "import", map[string][2]any{
				"source": {nil, source}, "customers_created": {nil, counts.CustomersCreated},
				"customers_updated": {nil, counts.CustomersUpdated}, "feedback_created": {nil, counts.FeedbackCreated},
				"feedback_updated": {nil, counts.FeedbackUpdated}})
		}
		return nil
	})
	if err != nil {
		// Keys marked seen by a batch that did not commit only send later
		// rows down the exact path, which is right either way; customers
		// it created do not exist, so they are not remembered.
		return counts, err
	}
	for k, id := range newCustomers {
		fl.customers[k] = id
	}
	for id, h := range newWritten {
		if h == 0 {
			delete(fl.written, id)
		} else {
			fl.written[id] = h
		}
	}
	fl.rows += counts.CustomersCreated + counts.FeedbackCreated
	if s.d.pg && fl.rows >= 2*fl.analyzed+1000 {
		// PostgreSQL's planner would go on judging the tables by the empty
		// ones the load began with (autovacuum analyzes a minute later at
		// best) and find a customer by e-mail by walking the table in id
		// order: at 100k rows, 170 µs a look-up instead of a few. The
		// statistics are refreshed each time the load has doubled.
		if _, err := s.db.ExecContext(ctx, "ANALYZE customers, customer_keys, feedback"); err != nil {
			return counts, translate(err)
		}
		fl.analyzed = fl.rows
	}
	return counts, nil
}

// addFeedbackRow buffers a new feedback row as importFeedback's INSERT
// writes it, with its tags.
func addFeedbackRow(ctx context.Context, tx querier, rows, tagRows *multiInsert, id int64, source string, customer int64,
	r model.ImportRecord, now string, cats, tags map[string]int64) error {
	f := *r.Feedback
	f.Normalize()
	createdAt := now
	if !f.CreatedAt.IsZero() {
		createdAt = fmtTime(f.CreatedAt)
	} else if !r.UndatedAt.IsZero() {
		createdAt = fmtTime(r.UndatedAt.UTC())
	}
	var cat any
	if f.Category != "" {
		cid, ok := cats[f.Category]
		if !ok {
			var err error
			if cid, err = categoryID(ctx, tx, f.Category); err != nil {
				return err
			}
			cats[f.Category] = cid
		}
		cat = cid
	}
	if err := rows.add(ctx, tx, id, customer, source, r.FeedbackKey, f.Channel, string(f.Kind), f.Subject, f.Body, cat,
		string(f.Priority), string(f.Status), intOrNil(f.CSAT), nullable(f.CSATRaw), intOrNil(f.NPS),
		f.Agent, createdAt, fmtTimePtr(f.ResolvedAt), now, attrsJSON(f.Attrs)); err != nil {
		return err
	}
	for _, t := range f.Tags {
		tid, ok := tags[t]
		if !ok {
			var err error
			if tid, err = tagID(ctx, tx, t); err != nil {
				return err
			}
			tags[t] = tid
		}
		if err := tagRows.add(ctx, tx, id, tid); err != nil {
			return err
		}
	}
	return nil
}

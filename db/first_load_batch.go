package db

import (
	"context"
	"database/sql"
	"errors"
	"hash/maphash"
	"slices"
	"strconv"

	"github.com/rapportcrm/rapport/model"
)

// firstLoad is what a first load into an empty database remembers between
// its batches, so that the rows it can prove new skip every look-up:
// feedback whose (source, external id) it has not inserted yet is new (the
// database held none), and a customer it has already found or created by
// their source id is found again without a query, and a customer whom no
// source id, e-mail or phone the load has written names is new (created
// set-based: first_load_customers.go). Anything else — a ticket seen
// before, a row that may change a known customer, a person whose e-mail
// or phone the load has met — takes ImportBatch's exact path, so both
// give the same rows.
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
	// taken holds a hash (takenHash) of each e-mail and phone of a customer
	// the load wrote or matched, and the source ids of handed-over batches:
	// a row naming none of them, and no key in customers, is a new
	// customer (first_load_customers.go).
	taken map[uint64]struct{}
	// written holds, for a customer this load created from a row with
	// later rows of theirs to follow and has not changed since, a hash of
	// that row (customerHash): a row that hashes the same would change
	// nothing (importing a row again does not) and is not sent.
	written map[int64]uint64
	// release ends the load's hold on the database (PostgreSQL's lock).
	release func()
	// rows the load created so far, and at its last ANALYZE (PostgreSQL).
	rows, analyzed int
	// batches done again on the exact path (handOver)
	handOvers int
	// rows that took a look-up of the exact path (importCustomer,
	// importFeedback), so far and at the last ANALYZE (PostgreSQL)
	lookups, lookupsAnalyzed int
}

func newFirstLoad() *firstLoad {
	return &firstLoad{seed: maphash.MakeSeed(), seen: map[uint64]struct{}{}, customers: map[string]int64{},
		taken: map[uint64]struct{}{}, written: map[int64]uint64{}}
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

// importFirstLoad is ImportBatch during a first load: the same rows and
// counts, with new customers and new feedback written set-based
// (first_load_customers.go) and known customers found in memory; no
// per-batch indexing or aggregate upkeep. It returns errHandOver, having
// rolled back, when another session wrote a row it took for new: the
// caller does the batch on the exact path.
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
	var conn *sql.Conn // PostgreSQL: the transaction's connection, for COPY
	if s.d.pg {
		var err error
		if conn, err = s.db.Conn(ctx); err != nil {
			return counts, s.translate(err)
		}
		defer conn.Close()
		ctx = withWriteConn(ctx, conn)
	}
	handOver := false // a buffered row hit a unique index
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
		var nextID, nextCustomer int64
		if err := tx.QueryRowContext(ctx, "SELECT (SELECT coalesce(max(id), 0) + 1 FROM feedback), (SELECT coalesce(max(id), 0) + 1 FROM customers)").Scan(&nextID, &nextCustomer); err != nil {
			return err
		}
		sinks := s.newFirstLoadSinks(tx, conn)
		// bulkErr marks a failed write of buffered rows: a unique index's
		// refusal there hands the batch over.
		bulkErr := func(err error) error {
			if uniqueViolation(err) {
				handOver = true
			}
			return err
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
			var created, updated, wrote bool
			// A row that only refers to a customer found before writes
			// nothing of them (importCustomer: next = old, no tags, key bound);
			// nor does a row equal to the one they were last written from by
			// this load (the common case: a customer's last ticket repeats
			// their first), as importing a row again changes nothing.
			var ch uint64
			if known && r.CustomerKey != "" && !(r.CustomerRef && len(r.Customer.Tags) == 0) {
				ch = fl.customerHash(&r)
			}
			switch {
			case known && r.CustomerKey != "" && (r.CustomerRef && len(r.Customer.Tags) == 0 || ch == writtenFrom(id)):
			case !known && fl.provablyNew(source, &r):
				// No customer the database holds can be this row's: created
				// set-based, as importCustomer would create them.
				id, created, wrote = nextCustomer, true, true
				nextCustomer++
				if err := sinks.addCustomerRows(ctx, tx, id, source, &r, now, tags); err != nil {
					return bulkErr(err)
				}
			default:
				// (the buffered feedback rows need not be written first: finding
				// and writing a customer reads no feedback)
				if err := sinks.flushCustomers(ctx, tx, s.d.pg); err != nil {
					return bulkErr(err)
				}
				fl.lookups++
				id, created, updated, err = s.importCustomer(ctx, tx, agent, source, r, now, bulk, nil)
				if dup := (*model.DuplicateError)(nil); errors.As(err, &dup) {
					counts.Errors++
					counts.Rejected = append(counts.Rejected, model.ImportRowError{Line: r.Line, Reason: dup.Error()})
					continue
				}
				if err != nil {
					return err
				}
				if created {
					nextCustomer = max(nextCustomer, id+1)
				}
				wrote = true
			}
			if wrote {
				fl.take(&r) // any later row naming them is looked up
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
					if err := sinks.flushAll(ctx, tx, s.d.pg); err != nil {
						return bulkErr(err)
					}
					fl.lookups++
					if fc, fu, err = importFeedback(ctx, tx, source, id, agent, r, now, nil, cats); err != nil {
						return err
					}
					if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM feedback").Scan(&nextID); err != nil {
						return err
					}
				} else {
					if err := addFeedbackRow(ctx, tx, sinks, nextID, source, id, r, now, cats, tags); err != nil {
						return bulkErr(err)
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
		if err := sinks.flushAll(ctx, tx, s.d.pg); err != nil {
			return bulkErr(err)
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
		// Keys marked seen or taken by a batch that did not commit only
		// send later rows down the exact path, which is right either way;
		// customers it created do not exist, so they are not remembered.
		if handOver {
			return model.ImportCounts{}, errHandOver
		}
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
	if s.d.pg {
		return counts, s.analyzeFirstLoadPG(ctx, fl) // first_load_pg.go
	}
	return counts, nil
}

// errHandOver is importFirstLoad's word that its batch was rolled back
// for the exact path (another session wrote a row it took for new).
var errHandOver = errors.New("first load: batch handed over to the exact path")

// addFeedbackRow buffers a new feedback row as importFeedback's INSERT
// writes it, with its tags.
func addFeedbackRow(ctx context.Context, tx querier, sinks *firstLoadSinks, id int64, source string, customer int64,
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
	sinks.feedbackAhead = true
	if err := sinks.feedback.add(ctx, id, customer, source, r.FeedbackKey, f.Channel, string(f.Kind), f.Subject, f.Body, cat,
		string(f.Priority), string(f.Status), intOrNil(f.CSAT), nullable(f.CSATRaw), intOrNil(f.NPS),
		f.Agent, createdAt, fmtTimePtr(f.ResolvedAt), now, attrsJSON(f.Attrs)); err != nil {
		return err
	}
	return addTagRows(ctx, tx, sinks.feedbackTags, id, f.Tags, tags)
}

package db

import (
	"context"
	"database/sql"
	"hash/maphash"

	"github.com/rapportcrm/rapport/model"
)

// A first load starts on an empty database, so a row's customer is
// provably new when nothing the load has written or matched could be
// them: their source id is not one the load knows (firstLoad.customers,
// or taken), and neither their case-folded e-mail nor their phone's
// digits is among those of any customer the load wrote or matched
// (firstLoad.taken). Such a customer skips importCustomer's look-ups and
// INSERTs: they get the next id and their customers, customer_keys and
// customer_tags rows are buffered with the feedback (rowSink), exactly as
// importCustomer writes them. Every other row takes importCustomer, and
// what it names is marked taken, so any later row of that person takes it
// too.
//
// Another session may write a customer meanwhile: then a buffered row
// hits a unique index, the batch is rolled back and done again on the
// exact path (ImportBatch), and what it named is marked taken
// (handOver).

// takenHash hashes one identity of a customer: kind 'k' a source's
// customer id, 'e' a case-folded e-mail, 'p' a phone's digits. A
// collision only sends a row down the exact path.
func (fl *firstLoad) takenHash(kind byte, s string) uint64 {
	var h maphash.Hash
	h.SetSeed(fl.seed)
	h.WriteByte(kind)
	h.WriteString(s)
	return h.Sum64()
}

// take marks the e-mail and phone the row gives its customer as
// belonging to a customer the database holds. (Its source id is in
// firstLoad.customers once the batch commits; only a handed-over batch's
// are taken here, by handOver, to keep the map small: a 1M-row load has
// 140k customers.)
func (fl *firstLoad) take(r *model.ImportRecord) {
	if e := model.NormalizeEmail(r.Customer.Email); e != "" {
		fl.taken[fl.takenHash('e', e)] = struct{}{}
	}
	if d := model.PhoneDigits(r.Customer.Phone); d != "" {
		fl.taken[fl.takenHash('p', d)] = struct{}{}
	}
}

// provablyNew reports whether the row's customer cannot be one the
// database holds (the key is not known: the caller looked).
func (fl *firstLoad) provablyNew(source string, r *model.ImportRecord) bool {
	if r.CustomerKey != "" {
		if _, ok := fl.taken[fl.takenHash('k', source+"\x00"+r.CustomerKey)]; ok {
			return false
		}
	}
	if e := model.NormalizeEmail(r.Customer.Email); e != "" {
		if _, ok := fl.taken[fl.takenHash('e', e)]; ok {
			return false
		}
	}
	if d := model.PhoneDigits(r.Customer.Phone); d != "" {
		if _, ok := fl.taken[fl.takenHash('p', d)]; ok {
			return false
		}
	}
	return true
}

// handOver records a batch that the exact path wrote after the first
// load's version of it was refused: everything it named is taken, its
// tickets are seen, and no customer is assumed to hold the row it was
// created from any longer (the batch may have changed any of them).
func (fl *firstLoad) handOver(source string, recs []model.ImportRecord) {
	for i := range recs {
		fl.take(&recs[i])
		if recs[i].CustomerKey != "" {
			fl.taken[fl.takenHash('k', source+"\x00"+recs[i].CustomerKey)] = struct{}{}
		}
		if recs[i].Feedback != nil {
			fl.seen[fl.feedbackHash(source, recs[i].FeedbackKey)] = struct{}{}
		}
	}
	clear(fl.written)
	fl.handOvers++
}

// firstLoadSinks are a first load batch's buffered rows, in the order
// their foreign keys need.
type firstLoadSinks struct {
	customers, keys, customerTags, feedback, feedbackTags rowSink
	// rows written with explicit ids since PostgreSQL's sequences were
	// last moved past them
	customersAhead, feedbackAhead bool
}

var firstLoadCustomerCols = []string{"id", "name", "email", "email_key", "phone", "phone_digits", "company", "plan",
	"region", "city", "language", "gender", "lifecycle", "ltv", "attrs", "created_at", "updated_at"}

func (s *Store) newFirstLoadSinks(tx querier, conn *sql.Conn) *firstLoadSinks {
	k := &firstLoadSinks{}
	k.customers = s.newSink(tx, conn, "customers", firstLoadCustomerCols, "", nil)
	k.keys = s.newSink(tx, conn, "customer_keys", []string{"source", "external_id", "customer_id", "matched"}, "", k.customers)
	k.customerTags = s.newSink(tx, conn, "customer_tags", []string{"customer_id", "tag_id"}, " ON CONFLICT DO NOTHING", k.customers)
	k.feedback = s.newSink(tx, conn, "feedback", firstLoadFeedbackCols, "", k.customers)
	k.feedbackTags = s.newSink(tx, conn, "feedback_tags", []string{"feedback_id", "tag_id"}, " ON CONFLICT DO NOTHING", k.feedback)
	return k
}

// flushCustomers writes the buffered customers with their keys and tags,
// before the exact path reads customers.
func (k *firstLoadSinks) flushCustomers(ctx context.Context, tx querier, pg bool) error {
	for _, m := range []rowSink{k.keys, k.customerTags, k.customers} {
		if err := m.flush(ctx); err != nil {
			return err
		}
	}
	if pg && k.customersAhead { // the next customer the exact path inserts takes the sequence's id
		k.customersAhead = false
		_, err := tx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('customers', 'id'), coalesce(max(id), 0) + 1, false) FROM customers")
		return err
	}
	return nil
}

// flushAll writes every buffered row and moves PostgreSQL's sequences
// past the ids they took.
func (k *firstLoadSinks) flushAll(ctx context.Context, tx querier, pg bool) error {
	if err := k.flushCustomers(ctx, tx, pg); err != nil {
		return err
	}
	if err := k.feedbackTags.flush(ctx); err != nil {
		return err
	}
	if err := k.feedback.flush(ctx); err != nil {
		return err
	}
	if pg && k.feedbackAhead {
		k.feedbackAhead = false
		return syncFeedbackIDsPG(ctx, tx)
	}
	return nil
}

// addCustomerRows buffers a new customer as importCustomer's INSERTs write
// one: its row (trimmed, lifecycle "new" unless given), its source id
// (matched = 0: created, not found) and its tags.
func (k *firstLoadSinks) addCustomerRows(ctx context.Context, tx querier, id int64, source string, r *model.ImportRecord,
	now string, tags map[string]int64) error {
	c := r.Customer
	trimCustomer(&c)
	if c.Lifecycle == "" {
		c.Lifecycle = model.LifecycleNew
	}
	if err := k.customers.add(ctx, id, c.Name, c.Email, model.NormalizeEmail(c.Email), c.Phone, model.PhoneDigits(c.Phone),
		c.Company, c.Plan, c.Region, c.City, c.Language, c.Gender, string(c.Lifecycle), c.LTV,
		attrsJSON(c.Attrs), now, now); err != nil {
		return err
	}
	k.customersAhead = true
	if r.CustomerKey != "" {
		if err := k.keys.add(ctx, source, r.CustomerKey, id, int64(0)); err != nil {
			return err
		}
	}
	return addTagRows(ctx, tx, k.customerTags, id, c.Tags, tags)
}

// addTagRows buffers the (owner, tag) rows of a new customer or feedback
// row, each tag once (tags differing in ASCII case are one).
func addTagRows(ctx context.Context, tx querier, sink rowSink, owner int64, names []string, tags map[string]int64) error {
	var done []int64
	for _, t := range names {
		tid, ok := tags[t]
		if !ok {
			var err error
			if tid, err = tagID(ctx, tx, t); err != nil {
				return err
			}
			tags[t] = tid
		}
		if containsID(done, tid) {
			continue
		}
		done = append(done, tid)
		if err := sink.add(ctx, owner, tid); err != nil {
			return err
		}
	}
	return nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

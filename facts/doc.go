// Package facts is the in-memory columnar snapshot that Insights answers
// from: every summary (any dimension, attr.NAME, saved segments, a
// --where, time bounds, weekly or monthly trends) is one pass over a few
// small arrays, with no SQL and no sort of the feedback.
//
// What it holds, per feedback (grouped by customer, so that a group counts
// its distinct customers by remembering the last one it counted): the id
// (4 bytes), the day (2 bytes, into a sorted list of days, which give the
// month and ISO week), CSAT and NPS (1 byte each) and the codes of kind,
// channel, category, agent and source (1 byte each while a column has at
// most 256 distinct values, 2 up to 65,536, 4 after); per customer the codes of plan,
// region, city, lifecycle and language, its tags and its attributes (CSR
// lists; an attribute is a pair of codes, its name's and its value's in
// that name's dictionary, see attr_pairs.go); and, built on first use from
// those pairs, the columns of the attributes asked for. The demo's 1M
// customers and 5M feedback took 87.5 MB before the attribute pairs,
// which add about 10 MB (98.9 MB at 1.05M customers / 5.09M feedback).
//
// Why a snapshot in memory rather than more aggregate tables or a
// persisted column file: the aggregates (migration 5) answer only the
// dimensions they keep, each new one costs a migration and trigger work on
// every write, and a filter (segment, --where, period) defeats them; a
// database/sql scan of 5M rows takes seconds whatever the indexes. The
// snapshot answers all of them in tens of milliseconds and is read again
// from the database in one streaming pass (db/facts_load.go, portable SQL),
// so nothing on disk has to be kept consistent with it.
//
// Freshness: the store brings the snapshot up to date lazily, on the first
// summary after a commit (db/facts_cache.go). A change journal kept by
// triggers names the customers each write touched (db/facts_refresh.go);
// Snapshot.Update builds the next snapshot from this one and those
// customers read again: the base columns are shared, the touched customers
// move to a small delta part and their base places are masked, a new day
// is merged into the day list through a map of the base's days, and a
// dictionary is copied only when a new value comes. A customer touched
// only through some of its feedback (a bulk edit, feedback added or
// deleted; the journal names the rows) can be kept rather than read again
// (Update.Keep): only those feedback rows come from the store.
// Summaries walk the
// base (skipping masked places) and then the delta. The store reads
// everything again when the delta outgrows a tenth of the customers, or
// the journal says so.
//
// The satisfaction rules are model.ScoreTally's (AddCSAT, AddNPS); the
// dimensions are model.SummaryDims. What a saved segment or a --where
// selects (Query.Where, Segments) the store works out from the snapshot's
// dimensions, tags and attributes where they are named, asking the
// database which of a column's distinct values a condition keeps and
// which customers the fields the snapshot does not hold select
// (where.go, db/facts_where.go); which feedback of a bound's day falls
// outside it the store asks the database (Drop).
//
// What it may import: model and the standard library. Never db (the store
// loads the snapshot and asks it, not the other way round) nor any front
// end (arch_test.go at the module root checks this).
package facts

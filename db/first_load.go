package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// firstLoadIndexes are the secondary indexes a first load defers: the
// ones no import statement or trigger reads (identity lookups use
// customers_by_email, customers_by_phone, customer_keys and
// feedback_by_external; the aggregates feedback_by_customer). Each insert
// would otherwise update seventeen more B-trees.
var firstLoadIndexes = []string{
	"feedback_by_created", "feedback_by_status", "feedback_unclassified", "feedback_by_category", "feedback_by_agent",
	"feedback_tags_by_tag", "customers_by_name", "customers_by_company", "customers_by_plan", "customers_by_lifecycle",
	"customers_by_csat", "customers_by_contact", "followup_counts_by_open", "customers_by_ltv",
	"customers_by_csat_contact", "customers_by_lifecycle_contact", "customers_by_ltv_feedback", "feedback_with_attrs",
}

// BeginFirstLoad drops the deferred indexes when the database holds no
// customers and no feedback yet, saving their definitions in the same
// transaction, and reports whether it did. EndFirstLoad builds them
// again; if the load is killed first, the next Open does.
func (s *Store) BeginFirstLoad(ctx context.Context) (bool, error) {
	ctx = requires(ctx, model.RoleLead, "import")
	if s.d.pg {
		return s.beginFirstLoadPG(ctx) // first_load_pg.go
	}
	dropped := false
	err := s.write(ctx, func(tx *sql.Tx) (err error) {
		dropped, err = deferFirstLoadIndexes(ctx, tx, firstLoadIndexes,
			"SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?")
		return err
	})
	if dropped && err == nil {
		s.firstLoad.Store(newFirstLoad())
	}
	return dropped, err
}

// deferFirstLoadIndexes starts a first load in tx when the database is
// empty: it keeps each named index's definition (read by defQuery, which
// takes the name) in deferred_index, drops the index, and adds the mark
// that the text indexes, aggregates and figures are still to build
// (finishFirstLoad), all committed together. It reports whether it did.
func deferFirstLoadIndexes(ctx context.Context, tx *sql.Tx, names []string, defQuery string) (bool, error) {
	var busy int
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM feedback)
		OR EXISTS (SELECT 1 FROM deferred_index)`).Scan(&busy); err != nil {
		return false, err
	}
	if busy != 0 {
		return false, nil
	}
	for _, name := range names {
		var def string
		err := tx.QueryRowContext(ctx, defQuery, name).Scan(&def)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO deferred_index(name, sql) VALUES (?, ?)", name, def); err != nil {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, "DROP INDEX "+quoteIdent(name)); err != nil {
			return false, err
		}
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO deferred_index(name, sql) VALUES (?, '')", firstLoadMark)
	return err == nil, err
}

// firstLoadMark is the deferred_index row that stands for the work a
// first load leaves to its end: no index has this name.
const firstLoadMark = "~first load"

// finishFirstLoad builds, once and set-based, what the first load's
// batches left out: every customer's derived figures, the full-text and
// bigram indexes and the summary aggregates. Each step recomputes from
// the rows, so after a load that was killed the next Open does it again.
func (s *Store) finishFirstLoad(ctx context.Context) error {
	var pending int
	if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM deferred_index WHERE name = ?)", firstLoadMark).Scan(&pending); err != nil {
		return translate(err)
	}
	if pending == 0 {
		return nil
	}
	if s.d.pg { // no FTS tables or aggregates there; the bigram rows of customers
		if err := s.RefreshAllDerived(ctx); err != nil {
			return err
		}
		return s.finishFirstLoadPG(ctx)
	}
	if err := s.write(ctx, func(tx *sql.Tx) error {
		defer lowMemory(ctx, tx)()
		return writeFigures(ctx, tx, allCustomers())
	}); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		defer lowMemory(ctx, tx)()
		return finishTextAndAggs(ctx, tx)
	})
}

// endOfLoadCache is the page cache (KiB, as PRAGMA cache_size takes it
// negated) of the connection that ends a first load. Its statements read
// the tables in order, and SQLite's sorter holds up to a cache's worth of
// rows in memory before it spills a run to a file: with the connections'
// 32 MB, the end of a 300,000-row load reached 209 MB of RSS, with 8 MB
// 77 MB, and its index builds took no longer.
const endOfLoadCache = 8192

// lowMemory makes ex's connection sort through temporary files with a
// small page cache (endOfLoadCache) until the returned function puts back
// what it had. With temp_store = MEMORY, SQLite sorts any amount in
// memory. SQLite refuses temp_store inside a transaction only when the
// connection has temporary tables open; then it stays as it was.
func lowMemory(ctx context.Context, ex querier) (restore func()) {
	var cache, temp int
	if err := ex.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		return func() {}
	}
	if err := ex.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&temp); err != nil {
		return func() {}
	}
	ex.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", -endOfLoadCache))
	ex.ExecContext(ctx, "PRAGMA temp_store = FILE")
	return func() {
		bg := context.WithoutCancel(ctx)
		ex.ExecContext(bg, fmt.Sprintf("PRAGMA cache_size = %d", cache))
		ex.ExecContext(bg, fmt.Sprintf("PRAGMA temp_store = %d", temp))
	}
}

// finishTextAndAggs builds a first load's full-text and bigram indexes and
// the summary aggregates from the rows, and clears the load's mark.
func finishTextAndAggs(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		"INSERT INTO customers_fts(customers_fts) VALUES ('rebuild')",
		"INSERT INTO customers_grams(customers_grams) VALUES ('delete-all')",
		`INSERT INTO customers_grams(rowid, grams) SELECT id, g FROM
			(SELECT id, rapport_cjk_bigrams(name, company) AS g FROM customers) WHERE g <> ''`,
		"INSERT INTO feedback_fts(feedback_fts) VALUES ('rebuild')",
		"INSERT INTO feedback_grams(feedback_grams) VALUES ('delete-all')",
		`INSERT INTO feedback_grams(rowid, grams) SELECT id, g FROM
			(SELECT id, rapport_cjk_bigrams(subject, body) AS g FROM feedback) WHERE g <> ''`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if err := rebuildSummaryAgg(ctx, tx); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM deferred_index WHERE name = ?", firstLoadMark)
	return err
}

// EndFirstLoad builds what a first load deferred: the figures, text
// indexes and aggregates (finishFirstLoad), then the secondary indexes
// over the final rows. It sorts through temporary files, not memory, with
// a small page cache (lowMemory), so building seventeen indexes over a
// million rows stays within the import's memory.
func (s *Store) EndFirstLoad(ctx context.Context) error {
	ctx = requires(ctx, model.RoleLead, "import")
	if err := permitted(ctx); err != nil {
		return err
	}
	fl := s.firstLoad.Swap(nil)
	if s.d.pg {
		return s.endFirstLoadPG(ctx, fl)
	}
	if err := s.finishFirstLoad(ctx); err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return translate(err)
	}
	defer conn.Close()
	defer lowMemory(ctx, conn)()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	if err := restoreDeferred(ctx, tx); err != nil {
		tx.Rollback()
		return translate(err)
	}
	if err := tx.Commit(); err != nil {
		return translate(err)
	}
	s.changed()
	return nil
}

// restoreDeferred creates the deferred indexes that are missing and
// forgets them.
func restoreDeferred(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM deferred_index WHERE name <> ? ORDER BY name", firstLoadMark)
	if err != nil {
		return err
	}
	var objs []demoSchemaObject
	for rows.Next() {
		o := demoSchemaObject{kind: "index"}
		if err := rows.Scan(&o.name, &o.sql); err != nil {
			rows.Close()
			return err
		}
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := demoRestoreSecondary(ctx, tx, objs); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM deferred_index WHERE name <> ?", firstLoadMark)
	return err
}

// repairDeferred rebuilds indexes a killed first load left dropped.
func (s *Store) repairDeferred(ctx context.Context) error {
	var pending int
	if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM deferred_index)").Scan(&pending); err != nil || pending == 0 {
		return err
	}
	return s.EndFirstLoad(ctx)
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Copy (rapport copy) moves a whole database from one store to another —
// SQLite file to PostgreSQL and back, or file to file — keeping every id,
// version, timestamp and audit entry. Both engines hold the same tables
// with the same column names (db/migrations, db/migrations_pg), so the
// copy is one generic pass: each table is read in key order inside one
// read transaction of the source (one snapshot) and written inside one
// write transaction of the destination, which commits only when
// everything is in: into SQLite in batches of multi-row INSERTs, into
// PostgreSQL with one COPY per table (copy_pg.go). The search indexes
// derived from the rows (SQLite's FTS5 tables and summary aggregates,
// PostgreSQL's bigram table, the open follow-up counts) are rebuilt at
// the end, not copied; PostgreSQL's id sequences are moved past the
// largest copied id.

// CopyCounts are the rows a copy wrote, for `rapport copy`'s report.
type CopyCounts struct {
	Customers int64 `json:"customers"`
	Feedback  int64 `json:"feedback"`
	FollowUps int64 `json:"followups"`
	Notes     int64 `json:"notes"`
	Audit     int64 `json:"audit"`
}

// ErrNotEmpty refuses a copy into a database that already holds data:
// a copy never merges, so running it twice cannot duplicate anything.
var ErrNotEmpty = errors.New("the destination database is not empty")

// copyTable is one table a copy carries over, in an order that writes
// every row after the rows it references.
type copyTable struct {
	name  string
	order string // ORDER BY, the table's key
}

var copyTables = []copyTable{
	{"categories", "CASE WHEN parent_id IS NULL THEN 0 ELSE 1 END, id"}, // parents first (two levels)
	{"tags", "id"},
	{"customers", "id"},
	{"customer_keys", "source, external_id"},
	{"customer_tags", "customer_id, tag_id"},
	{"feedback", "id"},
	{"feedback_tags", "feedback_id, tag_id"},
	{"rules", "id"},
	{"followups", "id"},
	{"notes", "id"},
	{"segments", "id"},
	{"import_runs", "id"},
	{"audit", "id"},
	{"feedback_actions", "id"},
	{"feedback_action_items", "action_id, feedback_id"},
	{"saved_views", "id"},
}

// copyDerived are the tables a copy does not carry: search indexes and
// aggregates rebuilt from the copied rows, and the batch bookkeeping that
// is empty outside a batch. A table in neither list fails the copy (a
// test keeps the lists in step with the migrations).
var copyDerived = []string{
	"customers_fts", "customers_grams", "feedback_fts", "feedback_grams", "summary_agg",
	"followup_counts", "bulk_load", "deferred_index", "facts_changes",
}

// Copy copies everything in src into dst, which must be empty (a new
// database: nothing but the default categories, which the source's
// replace). On any error nothing is written to dst.
func Copy(ctx context.Context, src, dst *Store) (CopyCounts, error) {
	var n CopyCounts
	if src == dst || src.path == dst.path {
		return n, fmt.Errorf("%w: source and destination are the same database", ErrNotEmpty)
	}
	ropts := &sql.TxOptions{ReadOnly: true}
	if src.d.pg {
		ropts.Isolation = sql.LevelRepeatableRead // one snapshot for every table
	}
	rtx, err := src.db.BeginTx(ctx, ropts)
	if err != nil {
		return n, translate(err)
	}
	defer rtx.Rollback()

	dst.writing.Lock()
	defer dst.writing.Unlock()
	var pgw pgCopyWriter // PostgreSQL: the connection COPY writes on (copy_pg.go)
	var wtx *sql.Tx
	if dst.d.pg {
		if pgw.conn, err = dst.db.Conn(ctx); err != nil {
			return n, translate(err)
		}
		defer pgw.conn.Close()
		wtx, err = pgw.conn.BeginTx(ctx, nil)
	} else {
		wtx, err = dst.db.BeginTx(ctx, nil) // SQLite: BEGIN IMMEDIATE (the DSN's _txlock)
	}
	if err != nil {
		return n, translate(err)
	}
	defer wtx.Rollback()
	if dst.d.pg {
		// The write lock every PostgreSQL write transaction takes.
		if _, err := wtx.ExecContext(ctx, fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", applicationID)); err != nil {
			return n, translate(err)
		}
		// and the counter other sessions' change feeds watch.
		var bump bool
		if err := wtx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = 'rapport_meta' AND column_name = 'data_version')`).Scan(&bump); err != nil {
			return n, translate(err)
		}
		if bump {
			if err := pgCommitted(ctx, wtx); err != nil {
				return n, translate(err)
			}
		}
		if tableExists(ctx, wtx, true, "facts_changes") { // rows copied are not journaled, one by one
			if err := factsStandAside(ctx, wtx, true); err != nil {
				return n, translate(err)
			}
		}
		if err := aggStandAsidePG(ctx, wtx); err != nil { // counted once at the end, below
			return n, translate(err)
		}
	}
	if err := copyCheckTables(ctx, rtx, src.d.pg); err != nil {
		return n, err
	}
	if err := copyCheckEmpty(ctx, wtx); err != nil {
		return n, err
	}
	if !dst.d.pg {
		// The FTS and aggregate triggers stand aside (migration 6); the
		// indexes are built once at the end, below.
		if _, err := wtx.ExecContext(ctx, "INSERT INTO bulk_load(tbl, first_id) VALUES ('customers', 1), ('feedback', 1), ('summary_agg', 0)"); err != nil {
			return n, translate(err)
		}
		if err := factsStandAside(ctx, wtx, false); err != nil {
			return n, translate(err)
		}
	}
	var deferred pgDeferred
	if dst.d.pg {
		if deferred, err = pgDropForCopy(ctx, wtx); err != nil {
			return n, translate(err)
		}
	}
	for _, t := range copyTables {
		var c int64
		if dst.d.pg {
			c, err = copyRowsPG(ctx, rtx, pgw, t)
			if err == nil && t.name == "customers" && tableExists(ctx, wtx, true, "customers_grams") {
				err = copyGramsPG(ctx, rtx, pgw)
			}
		} else {
			c, err = copyRows(ctx, rtx, wtx, t)
		}
		if err != nil {
			return n, fmt.Errorf("copying %s: %w", t.name, translate(err))
		}
		switch t.name {
		case "customers":
			n.Customers = c
		case "feedback":
			n.Feedback = c
		case "followups":
			n.FollowUps = c
		case "notes":
			n.Notes = c
		case "audit":
			n.Audit = c
		}
	}
	start := time.Now()
	if err := copyFinish(ctx, wtx, dst.d.pg); err != nil {
		return n, translate(err)
	}
	traceCopy(start, "derived figures and id sequences")
	if err := deferred.restore(ctx, wtx); err != nil {
		return n, translate(err)
	}
	if dst.d.pg && tableExists(ctx, wtx, true, "summary_agg") { // after the indexes: it reads feedback_by_customer
		start := time.Now()
		if err := rebuildSummaryAggPG(ctx, wtx); err != nil {
			return n, translate(err)
		}
		traceCopy(start, "summary aggregates")
	}
	if err := rtx.Rollback(); err != nil {
		return n, translate(err)
	}
	if err := wtx.Commit(); err != nil {
		return n, translate(err)
	}
	dst.changed()
	if dst.d.pg {
		// The planner's statistics of the new rows, now rather than when
		// autovacuum comes round: the first queries plan on them. The copy
		// is committed: a failure here only leaves that to autovacuum.
		start := time.Now()
		_, err := dst.db.ExecContext(ctx, "ANALYZE")
		traceCopy(start, "ANALYZE (%v)", err)
	}
	return n, nil
}

// copyCheckTables refuses a source holding a table the copy does not know
// (a newer schema than this code): it would be lost.
func copyCheckTables(ctx context.Context, tx *sql.Tx, pg bool) error {
	q := "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%' AND name NOT LIKE '%_grams_%'"
	if pg {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
	}
	names, err := queryColumn[string](ctx, tx, q)
	if err != nil {
		return translate(err)
	}
	for _, name := range names {
		if pg && name == "rapport_meta" { // PostgreSQL's schema version
			continue
		}
		known := slices.Contains(copyDerived, name) || slices.ContainsFunc(copyTables, func(t copyTable) bool { return t.name == name })
		if !known {
			return fmt.Errorf("cannot copy: the source has a table %q this Rapport does not know (is it newer?)", name)
		}
	}
	return nil
}

// copyCheckEmpty refuses a destination with any data, naming what it
// holds; the default categories of a new database are removed, to be
// replaced by the source's with their ids.
func copyCheckEmpty(ctx context.Context, tx *sql.Tx) error {
	var held []string
	for _, t := range copyTables {
		if t.name == "categories" {
			continue
		}
		var has bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+t.name+")").Scan(&has); err != nil {
			return translate(err)
		}
		if has {
			held = append(held, t.name)
		}
	}
	if len(held) > 0 {
		return fmt.Errorf("%w (it holds %s): copy into a new database, or remove this one first", ErrNotEmpty, strings.Join(held, ", "))
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM categories")
	return translate(err)
}

// copyReadRows reads table t of the source in its copy order and hands
// its columns and its rows to write, which both stores' writers share:
// each calls emit with one row's values (a slice reused from row to row).
func copyReadRows(ctx context.Context, rtx *sql.Tx, t copyTable,
	write func(cols []string, each func(emit func([]any) error) error) (int64, error)) (int64, error) {
	rows, err := rtx.QueryContext(ctx, "SELECT * FROM "+t.name+" ORDER BY "+t.order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	return write(cols, func(emit func([]any) error) error {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			if err := emit(vals); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// copyRows copies one table into SQLite in batches of multi-row INSERTs
// and returns the rows copied.
func copyRows(ctx context.Context, rtx, wtx *sql.Tx, t copyTable) (int64, error) {
	return copyReadRows(ctx, rtx, t, func(cols []string, each func(emit func([]any) error) error) (int64, error) {
		// Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
		per := max(1, min(500, 30000/len(cols)))
		head := "INSERT INTO " + t.name + " (" + strings.Join(cols, ", ") + ") VALUES "
		tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		var (
			args  []any
			batch int
			total int64
		)
		flush := func() error {
			if batch == 0 {
				return nil
			}
			q := head + strings.TrimSuffix(strings.Repeat(tuple+", ", batch), ", ")
			if _, err := wtx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
			total += int64(batch)
			args, batch = args[:0], 0
			return nil
		}
		err := each(func(vals []any) error {
			for _, v := range vals {
				if b, ok := v.([]byte); ok { // a driver's buffer, reused by the next Scan
					v = string(b)
				}
				args = append(args, v)
			}
			if batch++; batch == per {
				return flush()
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		return total, flush()
	})
}

// copyFinish builds what the copy did not carry: on SQLite the full-text
// and bigram indexes and the summary aggregates, on PostgreSQL the id
// sequences, moved past the largest copied id.
func copyFinish(ctx context.Context, tx *sql.Tx, pg bool) error {
	if err := execFollowUpCounts(ctx, tx, ""); err != nil {
		return err
	}
	if pg {
		for _, t := range copyTables {
			if t.order != "id" && t.name != "categories" {
				continue // no id column
			}
			q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), coalesce(max(id), 0) + 1, false) FROM %[1]s", t.name)
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("resetting the ids of %s: %w", t.name, err)
			}
		}
		return nil
	}
	if err := (bulkIndex{firstCustomer: 1, firstFeedback: 1}).flush(ctx, tx); err != nil {
		return err
	}
	if err := rebuildSummaryAgg(ctx, tx); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "DELETE FROM bulk_load")
	return err
}

// tableExists reports whether the database has the table.
func tableExists(ctx context.Context, tx *sql.Tx, pg bool, name string) bool {
	q := "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?"
	if pg {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
	}
	var n int
	return tx.QueryRowContext(ctx, q, name).Scan(&n) == nil && n > 0
}

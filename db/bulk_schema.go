package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// demoFastPragmas trades durability for speed on the loading connection
// only (a half-written demo database is thrown away anyway), and returns
// the function that puts the connection back as it was.
func demoFastPragmas(ctx context.Context, conn *sql.Conn) (func(), error) {
	var sync, cache, fk, threads, temp int
	for _, p := range []struct {
		q   string
		dst *int
	}{{"PRAGMA synchronous", &sync}, {"PRAGMA cache_size", &cache}, {"PRAGMA foreign_keys", &fk}, {"PRAGMA threads", &threads},
		{"PRAGMA temp_store", &temp}} {
		if err := conn.QueryRowContext(ctx, p.q).Scan(p.dst); err != nil {
			return nil, err
		}
	}
	restore := func() {
		bg := context.Background()
		conn.ExecContext(bg, fmt.Sprintf("PRAGMA synchronous = %d", sync))
		conn.ExecContext(bg, fmt.Sprintf("PRAGMA cache_size = %d", cache))
		conn.ExecContext(bg, fmt.Sprintf("PRAGMA foreign_keys = %d", fk))
		conn.ExecContext(bg, fmt.Sprintf("PRAGMA threads = %d", threads))
		conn.ExecContext(bg, fmt.Sprintf("PRAGMA temp_store = %d", temp))
	}
	// Generated rows are consistent by construction; checking each
	// reference would cost a lookup per row. Two sorter threads build the
	// indexes faster, and sorting through temporary files rather than
	// memory keeps the index builds and GROUP BYs over millions of rows
	// within a few hundred megabytes.
	for _, q := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -32768", "PRAGMA foreign_keys = OFF", "PRAGMA threads = 2",
		"PRAGMA temp_store = FILE"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			restore()
			return nil, err
		}
	}
	return restore, nil
}

// demoSchemaObject is an index or trigger dropped for the load, with the
// SQL that created it.
type demoSchemaObject struct{ kind, name, sql string }

// demoDropSecondary drops, in the caller's transaction, the secondary
// indexes of the tables the demo fills and the full-text triggers,
// returning their saved definitions.
func demoDropSecondary(ctx context.Context, conn *sql.Conn) ([]demoSchemaObject, error) {
	rows, err := conn.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_schema
		WHERE sql IS NOT NULL AND (
		      (type = 'index' AND tbl_name IN ('customers','customer_tags','feedback','feedback_tags','followups','notes'))
		   OR (type = 'trigger' AND (tbl_name = 'customers' OR name GLOB 'feedback_fts_*' OR name GLOB 'summary_agg_*' OR name GLOB 'facts_*')))
		ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	var objs []demoSchemaObject
	for rows.Next() {
		var o demoSchemaObject
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			rows.Close()
			return nil, err
		}
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, o := range objs {
		// Names come from sqlite_schema, quoted as identifiers.
		q := "DROP " + strings.ToUpper(o.kind) + " " + quoteIdent(o.name)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// demoRestoreSecondary re-runs the saved CREATE statements of the objects
// that are missing, so that it can also repair after a failed load (the
// first load's deferred indexes come back the same way).
func demoRestoreSecondary(ctx context.Context, conn querier, objs []demoSchemaObject) error {
	var firstErr error
	for _, o := range objs {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = ? AND name = ?`, o.kind, o.name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := conn.ExecContext(ctx, o.sql); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("recreating %s %s: %w", o.kind, o.name, err)
		}
	}
	return firstErr
}

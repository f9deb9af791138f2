package db

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns SQLite's embedded files in order; each is named
// NNNN_what.sql and brings the schema to version NNNN.
func migrations() ([]migration, error) { return readMigrations(migrationFiles, "migrations") }

// readMigrations reads the NNNN_what.sql files of dir in fsys, in
// order, and refuses a gap in the numbers.
func readMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", e.Name())
		}
		body, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the version this build of Rapport writes.
func SchemaVersion() int {
	ms, _ := migrations()
	return len(ms)
}

// migrate applies the missing migrations in one IMMEDIATE transaction, so
// two agents starting at once cannot both apply them, and a crash leaves
// the old schema intact.
func (s *Store) migrate(ctx context.Context, onUpgrade func(from, to int)) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()

	// Look before taking the write lock: a newer or foreign database is
	// refused without writing anything.
	var version, appID, tables int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return err
	}
	if appID != applicationID && (appID != 0 || tables > 0) {
		return &PathError{Path: s.path, Reason: "is a SQLite database of another program, not a Rapport database"}
	}
	if version > len(ms) {
		return &PathError{Path: s.path, Reason: fmt.Sprintf(
			"was written by a newer Rapport (schema %d; this one knows up to %d); upgrade Rapport", version, len(ms))}
	}
	if version == len(ms) {
		return nil
	}
	if onUpgrade != nil && version > 0 {
		onUpgrade(version, len(ms))
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Another process may have migrated while we looked.
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	for _, m := range ms[version:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if after := afterMigration[m.version]; after != nil {
			if err := after(ctx, tx); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
		}
	}
	if err := setVersion(ctx, tx, len(ms)); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	// Fold what the upgrade wrote (a rebuilt index can be hundreds of MB of
	// WAL) into the database now, so the first edit after an upgrade does
	// not pay for it. Best effort: a busy reader only makes it partial.
	conn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return nil
}

// afterMigration holds the work a migration needs done in Go, in the same
// transaction, right after its SQL.
var afterMigration = map[int]func(context.Context, *sql.Tx) error{
	5: func(ctx context.Context, tx *sql.Tx) error { return rebuildSummaryAgg(ctx, tx) },
}

func setVersion(ctx context.Context, tx *sql.Tx, v int) error {
	// PRAGMA takes no bound parameters; both values are our own integers.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v))
	return err
}

package db

import (
	"context"
	"database/sql"
	"github.com/rapportcrm/rapport/model"
)

// DryRun runs fn on a view of the store whose writes all go into one
// transaction that is rolled back when fn returns. An import's later
// batches (and later files) then see what its earlier ones would have
// written — a customer met in two batches is created once — so a dry run
// counts exactly what the real run would, and keeps nothing: no rows, no
// audit, no import_runs record. The transaction holds the write lock while
// fn runs, as one long import batch would; other writers wait for it
// (busy_timeout) or report the database busy.
func (s *Store) DryRun(ctx context.Context, fn func(st model.Store) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback()
	if err := s.lockWrites(ctx, tx); err != nil { // PostgreSQL: the write lock, as BEGIN IMMEDIATE takes SQLite's
		return s.translate(err)
	}
	d := &Store{db: s.db, path: s.path, dsn: s.dsn, d: s.d, host: s.host, Now: s.Now, exactSummaries: s.exactSummaries, pinned: tx}
	return fn(d)
}

// pinnedWrite is write inside a dry run: one savepoint in the dry run's
// transaction, so a write that fails leaves no trace, as a rolled-back
// transaction would.
func (s *Store) pinnedWrite(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if _, err := s.pinned.ExecContext(ctx, "SAVEPOINT dry_write"); err != nil {
		return translate(err)
	}
	if err := fn(s.pinned); err != nil {
		s.pinned.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO dry_write")
		s.pinned.ExecContext(context.WithoutCancel(ctx), "RELEASE dry_write")
		return translate(err)
	}
	_, err := s.pinned.ExecContext(ctx, "RELEASE dry_write")
	return translate(err)
}

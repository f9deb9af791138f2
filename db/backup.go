package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the live database to dest with
// VACUUM INTO: one read transaction, so writers carry on and the copy is
// the database as of one moment. It refuses to overwrite anything, the
// source above all, and leaves the copy readable by its owner only.
func (s *Store) Backup(ctx context.Context, dest string) error {
	if dest == "" {
		return fmt.Errorf("%w: backup needs a destination file", errBackup)
	}
	if s.d.pg {
		return s.backupPG(ctx, dest)
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if src, err := filepath.Abs(s.path); err == nil && src == abs {
		return fmt.Errorf("%w: %s is the database itself", errBackup, dest)
	}
	if fi, err := os.Stat(dest); err == nil {
		if si, err := os.Stat(s.path); err == nil && os.SameFile(fi, si) {
			return fmt.Errorf("%w: %s is the database itself", errBackup, dest)
		}
		return fmt.Errorf("%w: %s already exists; choose a new file", errBackup, dest)
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("backup to %s: %w", dest, translate(err))
	}
	return os.Chmod(abs, 0o600)
}

var errBackup = errors.New("cannot back up")

// IntegrityCheck runs SQLite's integrity check and returns its findings;
// nil means the file is sound.
func (s *Store) IntegrityCheck(ctx context.Context) ([]string, error) {
	return s.check(ctx, "PRAGMA integrity_check")
}

// QuickCheck is the faster check (no index contents) the TUI runs in the
// background at start-up, so a damaged file is reported, not used silently.
func (s *Store) QuickCheck(ctx context.Context) ([]string, error) {
	return s.check(ctx, "PRAGMA quick_check")
}

func (s *Store) check(ctx context.Context, pragma string) ([]string, error) {
	if s.d.pg {
		// PostgreSQL checks its own pages (checksums, WAL); what is left
		// to ask is whether the schema is Rapport's and readable.
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM rapport_meta").Scan(&n); err != nil {
			return nil, s.translate(err)
		}
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, pragma)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			out = append(out, line)
		}
	}
	return out, rows.Err()
}

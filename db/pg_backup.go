package db

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// backupPG writes a PostgreSQL database's backup to dest with pg_dump, in
// its custom format (restore with pg_restore into an empty database): one
// consistent snapshot, writers carry on. The connection URL reaches
// pg_dump as its argument list, never a message; dest must not exist.
func (s *Store) backupPG(ctx context.Context, dest string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return fmt.Errorf("%w: %s already exists; choose a new file", errBackup, dest)
	}
	dump, err := findPGDump()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("%w: %s", errBackup, unwrapPathErr(err))
	}
	f.Close()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, dump, "--format=custom", "--no-owner", "--file="+abs, "--dbname="+s.dsn)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(abs)
		msg := strings.TrimSpace(strings.ReplaceAll(stderr.String(), s.dsn, s.path))
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return fmt.Errorf("%w: pg_dump failed: %s", errBackup, msg)
	}
	return nil
}

// findPGDump finds pg_dump on PATH or in Debian's PostgreSQL folders.
func findPGDump() (string, error) {
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	if len(matches) > 0 {
		return matches[len(matches)-1], nil
	}
	return "", fmt.Errorf("%w: a PostgreSQL database is backed up with pg_dump, which is not installed "+
		"(install PostgreSQL's client tools, or run pg_dump on the server)", errBackup)
}

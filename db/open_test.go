package db

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenMigratesFromEmpty(t *testing.T) {
	s := openTemp(t)
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != SchemaVersion() {
		t.Fatalf("user_version = %d, %v; want %d", v, err, SchemaVersion())
	}
	var mode string
	s.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("new database mode %v is readable by others", perm)
	}
	// Reopening is a no-op.
	s2, err := Open(context.Background(), s.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

func TestOpenRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("hello, this is not a database at all"), 0o600)

	newer := filepath.Join(dir, "newer.db")
	s, err := Open(context.Background(), newer, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.db.Exec("PRAGMA user_version = 999")
	s.Close()

	ro := filepath.Join(dir, "ro.db")
	s, err = Open(context.Background(), ro, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	os.Chmod(ro, 0o400)

	cases := []struct{ path, want string }{
		{dir, "is a directory"},
		{notDB, "is not a SQLite database"},
		{newer, "newer Rapport"},
	}
	if os.Geteuid() != 0 { // root ignores file modes
		cases = append(cases, struct{ path, want string }{ro, "read-only"})
	}
	for _, c := range cases {
		before, _ := os.ReadFile(c.path)
		_, err := Open(context.Background(), c.path, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("Open(%s) = %v; want a message naming the path and %q", c.path, err, c.want)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("Open(%s): message is not one line: %q", c.path, err)
		}
		after, _ := os.ReadFile(c.path)
		if string(before) != string(after) {
			t.Errorf("Open(%s) changed the file", c.path)
		}
	}
}

func TestFTSTrigramAndGrams(t *testing.T) {
	s := openTemp(t)
	_, err := s.db.Exec(`INSERT INTO customers(name, company, created_at, updated_at) VALUES ('陈静','杭州云栖科技','x','x')`)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '"云栖科"'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("trigram match: %d %v", n, err)
	}
	if _, err := s.db.Exec(`INSERT INTO customers_grams(rowid, grams) VALUES (1, ?)`, cjkBigrams("陈静", "杭州云栖科技")); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`SELECT count(*) FROM customers_grams WHERE customers_grams MATCH '"云栖"'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("bigram match: %d %v", n, err)
	}
	if _, err := s.db.Exec(`DELETE FROM customers_grams WHERE rowid = 1`); err != nil {
		t.Fatal(err)
	}
}

package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection that creates test databases
)

// testPGDatabase creates an empty database pgops_<random> on the server
// RAPPORT_TEST_PG names (an admin URL, e.g.
// postgres://rapport@127.0.0.1:5433/postgres?sslmode=disable), drops it
// when t ends and returns its URL. It skips t when RAPPORT_TEST_PG is
// unset, or when this build has no PostgreSQL store.
func testPGDatabase(t *testing.T) string {
	t.Helper()
	raw := os.Getenv("RAPPORT_TEST_PG")
	if raw == "" {
		t.Skip("RAPPORT_TEST_PG is unset: set it to a PostgreSQL 15+ admin URL (scripts/pg-cluster start DIR prints one) to run the PostgreSQL tests")
	}
	if _, err := Open(context.Background(), "postgres://127.0.0.1:1/x", Options{}); errors.Is(err, ErrNoPostgres) {
		t.Skip("this build has no PostgreSQL store (db.Open: " + err.Error() + ")")
	}
	server, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("RAPPORT_TEST_PG: %v", err)
	}
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "pgops_" + hex.EncodeToString(b)
	bg := context.Background()
	if _, err := admin.ExecContext(bg, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"); err != nil {
		t.Fatalf("create database %s on %s: %v", name, RedactURL(raw), err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(bg, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u := *server
	u.Path = "/" + name
	return u.String()
}

// TestTeamStressPostgres is the team stress on PostgreSQL over TCP: 8 and
// 16 writers × 400 mixed writes, each writer with its own connection
// pool as a separate process would have. No write may fail, no update be
// lost, every counter exact (the checks of stressOn).
func TestTeamStressPostgres(t *testing.T) {
	for _, n := range []int{8, 16} {
		t.Run(fmt.Sprintf("%d-writers", n), func(t *testing.T) {
			stressOn(t, testPGDatabase(t), n, 400)
		})
	}
}

package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection

	"github.com/rapportcrm/rapport/db/storetest"
	"github.com/rapportcrm/rapport/model"
)

// knownDefectsPG are the suite's findings on the PostgreSQL store that
// are not fixed yet, each skipped with its reason.
var knownDefectsPG = map[string]string{}

// pgAdmin connects to the server named by RAPPORT_TEST_PG (an admin URL,
// e.g. postgres://rapport@127.0.0.1:5433/postgres?sslmode=disable), or
// skips the test when it is unset.
func pgAdmin(t *testing.T) (*sql.DB, *url.URL) {
	t.Helper()
	raw := os.Getenv("RAPPORT_TEST_PG")
	if raw == "" {
		t.Skip("RAPPORT_TEST_PG is unset: set it to a PostgreSQL 15+ admin URL to run the PostgreSQL store's tests")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("RAPPORT_TEST_PG: %v", err)
	}
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	return admin, u
}

// freshPG creates an empty database pg_<random> on the admin's server
// (UTF-8, code-point collation), drops it when t ends, and returns its URL.
func freshPG(t *testing.T, admin *sql.DB, server *url.URL) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "pg_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u := *server
	u.Path = "/" + name
	return u.String()
}

// TestConformancePostgres runs the store contract's conformance suite,
// unchanged, against the PostgreSQL store, each subtest on a new database.
func TestConformancePostgres(t *testing.T) {
	admin, server := pgAdmin(t)
	storetest.RunWith(t, func(t *testing.T) model.Store {
		st, err := Open(context.Background(), freshPG(t, admin, server), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}, knownDefectsPG)
}

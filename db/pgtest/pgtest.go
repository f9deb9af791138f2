// Package pgtest gives tests throw-away PostgreSQL databases on the server
// RAPPORT_TEST_PG names (an admin URL such as
// postgres://rapport@127.0.0.1:5433/postgres?sslmode=disable, which
// scripts/pg-cluster start DIR prints), and skips them when it is unset.
// It imports nothing of Rapport's, so the store's own tests can use it.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection
)

// Env is the variable naming the test server.
const Env = "RAPPORT_TEST_PG"

// Server is an admin connection to the test server.
type Server struct {
	admin *sql.DB
	url   url.URL
}

// Open connects to the server RAPPORT_TEST_PG names, or skips t when the
// variable is unset. The connection closes when t ends.
func Open(t testing.TB) *Server {
	t.Helper()
	raw := os.Getenv(Env)
	if raw == "" {
		t.Skip(Env + " is unset: set it to a PostgreSQL 15+ admin URL (scripts/pg-cluster start DIR prints one) to run the PostgreSQL tests")
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	return &Server{admin: admin, url: *u}
}

// Database creates an empty database rapport_test_<random> (UTF-8,
// code-point collation, as Rapport's docs ask of a real one), drops it
// when t ends, and returns its URL.
func (s *Server) Database(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "rapport_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := s.admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := s.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u := s.url
	u.Path = "/" + name
	return u.String()
}

// Database is Open(t).Database(t): one fresh database, or a skip.
func Database(t testing.TB) string {
	t.Helper()
	return Open(t).Database(t)
}

// Admin is the admin connection, for tests that act on the server (end a
// session, look at pg_stat_activity).
func (s *Server) Admin() *sql.DB { return s.admin }

// URL is the admin URL.
func (s *Server) URL() *url.URL { u := s.url; return &u }

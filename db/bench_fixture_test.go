package db

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// benchFixture is the database the benchmarks run on when
// $RAPPORT_BENCH_DB is unset: a 20,000-customer demo, made once per test
// binary, so that `go test -bench . ./db/` runs every query in a few
// seconds. Its figures say little about a million rows.
var benchFixture struct {
	once sync.Once
	dir  string
	path string
	err  error
}

const benchFixtureCustomers = 20000

func benchFixturePath(b *testing.B) string {
	b.Helper()
	benchFixture.once.Do(func() {
		dir, err := os.MkdirTemp("", "rapport-bench-")
		if err != nil {
			benchFixture.err = err
			return
		}
		benchFixture.dir = dir
		benchFixture.path = filepath.Join(dir, "bench.db")
		s, err := Open(context.Background(), benchFixture.path, Options{})
		if err != nil {
			benchFixture.err = err
			return
		}
		defer s.Close()
		_, benchFixture.err = loadTestDemo(s, context.Background(), testDemo{Customers: benchFixtureCustomers,
			Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	})
	if benchFixture.err != nil {
		b.Fatalf("building the benchmark database: %v", benchFixture.err)
	}
	return benchFixture.path
}

// TestMain removes the benchmark database after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchFixture.dir != "" {
		os.RemoveAll(benchFixture.dir)
	}
	os.Exit(code)
}

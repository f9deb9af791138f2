package importer

import (
	"context"
	"database/sql"
	"maps"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/db/pgtest"
)

// TestFirstLoadSameOnPostgres imports the same file into two empty
// PostgreSQL databases, one by the first-load path (indexes dropped,
// batches of multi-row INSERTs, figures, bigrams and indexes built at the
// end) and one row by row, and copies each into a new file: every table,
// the search indexes' contents and the counts are the same, and the
// first-loaded database has its indexes back and no load left pending.
// (import/pg_equal_test.go compares PostgreSQL with SQLite.)
func TestFirstLoadSameOnPostgres(t *testing.T) {
	defer func(n int64) { firstLoadBytes = n }(firstLoadBytes)
	firstLoadBytes = 0 // small files take the first-load path too
	generated := filepath.Join(t.TempDir(), "tickets.csv")
	writeTickets(t, generated, 3000)
	files := []string{generated}
	for _, name := range []string{"kaggle-customer-support-tickets.csv", "glpi-helpdesk-uenp-utf8bom-semicolon.csv"} {
		if p := corpusPath(name); p != "" {
			files = append(files, p)
		}
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { comparePGFirstLoad(t, file, nil) })
	}
}

// comparePGFirstLoad is compareFirstLoad on PostgreSQL: file imported by
// the first-load path and row by row into two empty databases, each
// copied into a file for dumpTables; then no load is left pending and the
// deferred indexes are back.
func comparePGFirstLoad(t *testing.T, file string, columns map[string]Field) {
	t.Helper()
	clock := func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) }
	url := pgtest.Database(t)
	pg := openClockedPG(t, url, clock)
	slow := openClockedPG(t, pgtest.Database(t), clock)
	opts := Options{Loc: time.UTC, Agent: "importer", Columns: columns}
	fr, err := Run(context.Background(), pg, file, opts)
	if err != nil {
		t.Fatal(err)
	}
	sr, err := Run(context.Background(), incremental{slow}, file, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fr.ImportCounts.FeedbackCreated == 0 {
		t.Fatalf("nothing imported: %+v", fr.ImportCounts)
	}
	if a, b := counts(fr), counts(sr); a != b {
		t.Errorf("counts differ:\nfirst load  %s\nrow by row  %s", a, b)
	}
	fd, sd := dumpTables(t, copyToFile(t, pg)), dumpTables(t, copyToFile(t, slow))
	for _, tbl := range slices.Sorted(maps.Keys(sd)) {
		if fd[tbl] != sd[tbl] {
			t.Errorf("%s differs:\n%s", tbl, firstDiff(fd[tbl], sd[tbl]))
		}
	}
	// Back on PostgreSQL: no load pending, every index there.
	admin, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var pending, indexes int
	if err := admin.QueryRow(`SELECT (SELECT count(*) FROM deferred_index), (SELECT count(*) FROM pg_indexes
		WHERE schemaname = current_schema() AND indexname IN ('feedback_search', 'feedback_grams', 'customers_search',
		'customers_grams_search', 'feedback_by_created', 'customers_by_name'))`).Scan(&pending, &indexes); err != nil {
		t.Fatal(err)
	}
	if pending != 0 || indexes != 6 {
		t.Errorf("after the load: %d deferred_index rows, %d of 6 indexes", pending, indexes)
	}
}

func openClockedPG(t *testing.T, url string, clock func() time.Time) *db.Store {
	t.Helper()
	s, err := db.Open(context.Background(), url, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = clock
	return s
}

// copyToFile copies a store into a new SQLite file, for dumpTables.
func copyToFile(t *testing.T, s *db.Store) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "copy.db")
	f, err := db.Open(context.Background(), path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := db.Copy(context.Background(), s, f); err != nil {
		t.Fatal(err)
	}
	return path
}

package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection that creates test databases

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/db/pgtest"
)

// The same commands on a SQLite file and on PostgreSQL give the same
// answers (issue 18). These tests need a server: RAPPORT_TEST_PG names
// one (an admin URL; .ci/run and scripts/pg-cluster start one), else they
// skip, as they do on a build without the PostgreSQL store.

// crossStoreFiles are representative exports: Zendesk Explore (CSAT),
// GLPI in Windows-1252 with semicolons, Chinese reviews in GB18030, and
// an NPS survey.
var crossStoreFiles = []string{
	"zendesk-explore-branch-q425.csv",
	"glpi-helpdesk-uenp-cp1252-semicolon.csv",
	"suning-iphone-reviews-gb18030.csv",
	"preppindata-airline-nps-prep-air.csv",
}

var summaryDims = []string{"plan", "region", "city", "lifecycle", "language", "channel", "kind", "category",
	"tag", "agent", "source", "month", "week"}

var crossSegments = map[string]string{
	"unhappy":   "csat_avg < 3",
	"detractor": "nps_last <= 6",
	"active":    "feedback_n >= 2",
	"quiet":     "last_contact_days > 30 and feedback_n >= 1",
	"named":     `name ~ "a" or company ~ "科技"`,
}

// TestCrossStoreImport imports the same corpus files into a SQLite file
// and a PostgreSQL database and compares the import report, every
// summary --by dimension's JSON, the customer and feedback counts and
// the members of several segments: all equal.
func TestCrossStoreImport(t *testing.T) {
	pg := pgtest.Database(t)
	c := newCLI(t)
	file := filepath.Join(t.TempDir(), "cross.db")
	var files []string
	for _, f := range crossStoreFiles {
		files = append(files, corpusAt(t, f))
	}
	reports := map[string]string{}
	for _, target := range []string{file, pg} {
		args := append([]string{"--db", target, "import", "--format", "json"}, files...)
		r := c.run(args...)
		if r.code != 0 && r.code != exitRowErrors {
			t.Fatalf("import into %s: exit %d: %s", db.RedactURL(target), r.code, r.stderr)
		}
		reports[target] = r.stdout
		for name, expr := range crossSegments {
			c.ok("--db", target, "segment", "add", name, expr)
		}
	}
	if reports[file] != reports[pg] {
		t.Errorf("import reports differ:\nsqlite: %s\npg:     %s", reports[file], reports[pg])
	}
	same := func(args ...string) string {
		t.Helper()
		a := c.ok(append([]string{"--db", file}, args...)...).stdout
		b := c.ok(append([]string{"--db", pg}, args...)...).stdout
		if a != b {
			t.Errorf("rapport %s differs between the stores\n%s", strings.Join(args, " "), firstDiff(a, b))
		}
		return a
	}
	overall := decode[map[string]any](t, same("summary", "--format", "json"))
	if o, _ := overall["overall"].(map[string]any); o == nil || o["feedback_n"].(float64) < 5000 {
		t.Errorf("overall summary: %v", overall["overall"])
	}
	same("summary", "--trend", "month", "--format", "json")
	same("summary", "--segments", "--format", "json")
	for _, dim := range summaryDims {
		same("summary", "--by", dim, "--format", "json")
	}
	// Customers carry the time each store created them (the import's
	// clock): everything else must be equal.
	sameCustomers := func(args ...string) []map[string]any {
		t.Helper()
		var out [2][]map[string]any
		for i, target := range []string{file, pg} {
			out[i] = decode[[]map[string]any](t, c.ok(append([]string{"--db", target}, args...)...).stdout)
			for _, o := range out[i] {
				delete(o, "created_at")
				delete(o, "updated_at")
			}
		}
		if a, b := string(mustJSON(t, out[0])), string(mustJSON(t, out[1])); a != b {
			t.Errorf("rapport %s differs between the stores (besides created_at, updated_at)\n%s", strings.Join(args, " "), firstDiff(a, b))
		}
		return out[0]
	}
	customers := sameCustomers("customers", "--limit", "0", "--sort", "name", "--format", "json")
	feedback := decode[[]map[string]any](t, same("feedback", "--limit", "0", "--format", "json"))
	t.Logf("%d customers, %d feedback in both stores", len(customers), len(feedback))
	for name := range crossSegments {
		a := segmentIDs(t, c, file, name)
		b := segmentIDs(t, c, pg, name)
		if !slices.Equal(a, b) {
			t.Errorf("segment %s: %d members on SQLite, %d on PostgreSQL", name, len(a), len(b))
		}
	}
	for _, q := range []string{"iPhone", "手机", "充电", "impresora", "login"} {
		sameCustomers("customers", "--search", q, "--limit", "0", "--format", "json")
		same("feedback", "--search", q, "--limit", "0", "--format", "json")
	}
}

func segmentIDs(t *testing.T, c *cli, target, name string) []float64 {
	t.Helper()
	rows := decode[[]map[string]any](t, c.ok("--db", target, "customers", "--segment", name, "--limit", "0", "--format", "json").stdout)
	ids := make([]float64, len(rows))
	for i, r := range rows {
		ids[i], _ = r["id"].(float64)
	}
	slices.Sort(ids)
	return ids
}

// TestCrossStoreCopyRoundTrip copies a demo database with history from a
// file into PostgreSQL and back into a new file: every JSON view is byte
// for byte the same on all three; a second copy into PostgreSQL is
// refused (exit 2) and changes nothing; a new record on PostgreSQL takes
// the next id.
func TestCrossStoreCopyRoundTrip(t *testing.T) {
	pg := pgtest.Database(t)
	c := newCLI(t)
	src := demoWithHistory(t, c)
	back := filepath.Join(t.TempDir(), "back.db")

	r := c.ok("copy", "--from", src, "--to", pg, "--format", "json")
	if n := decode[map[string]int](t, r.stdout); n["customers"] != 120 || n["feedback"] != 601 {
		t.Errorf("copy to PostgreSQL: %s", r.stdout)
	}
	want := viewsOf(t, c, src)
	sameViews(t, "file → PostgreSQL", want, viewsOf(t, c, pg))
	c.ok("copy", "--from", pg, "--to", back)
	sameViews(t, "file → PostgreSQL → file", want, viewsOf(t, c, back))

	c.fails(2, []string{"copy", "--from", src, "--to", pg}, "not empty")
	sameViews(t, "after a refused copy", want, viewsOf(t, c, pg))

	added := decode[map[string]any](t, c.ok("--db", pg, "customers", "add", "--name", "新客户", "--format", "json").stdout)
	if added["id"] != float64(121) {
		t.Errorf("a customer added after the copy has id %v, want 121 (sequence reset)", added["id"])
	}
}

// A password in a --db URL never appears in what rapport prints, whether
// the server answers or not.
func TestDBURLNeverShowsPassword(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{
		{"--db", "postgres://rapport:s3cret@127.0.0.1:1/crm?sslmode=disable&connect_timeout=2", "summary"},
		{"--db", "postgresql://127.0.0.1:1/crm?user=rapport&password=s3cret&connect_timeout=2", "customers"},
		{"copy", "--from", "postgres://rapport:s3cret@127.0.0.1:1/a?connect_timeout=2", "--to", filepath.Join(t.TempDir(), "x.db")},
	} {
		r := c.run(args...)
		if r.code != 1 {
			t.Errorf("rapport %s: exit %d, want 1 (%s)", strings.Join(args, " "), r.code, r.stderr)
		}
		if strings.Contains(r.stderr+r.stdout, "s3cret") {
			t.Errorf("rapport %s printed the password: %s", strings.Join(args, " "), r.stderr)
		}
		if !strings.Contains(r.stderr, "127.0.0.1") {
			t.Errorf("rapport %s: the message does not name the server: %s", strings.Join(args, " "), r.stderr)
		}
	}
	// No file or folder named after the URL appears.
	if _, err := os.Stat("postgres:"); err == nil {
		t.Error("a folder postgres: was created")
	}
}

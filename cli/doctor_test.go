package cli

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestDoctor: a fresh demo database passes; a figure changed behind the
// store's back is reported on stdout (table and JSON) with exit 1.
func TestDoctor(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "d.db")
	c.ok("demo", "--customers", "60", "--feedback", "300", "--seed", "3", path)
	if r := c.ok("--db", path, "doctor"); r.stdout != "the cached figures match the rows\n" {
		t.Errorf("doctor on a fresh demo: %q", r.stdout)
	}
	if got := decode[map[string][]model.CacheDrift](t, c.ok("--db", path, "doctor", "--format", "json").stdout); got["differences"] == nil || len(got["differences"]) != 0 {
		t.Errorf("doctor --format json on a fresh demo: %+v", got)
	}

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE followup_counts SET open = open + 3 WHERE customer_id = 5"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	r := c.run("--db", path, "doctor")
	if r.code != 1 || !strings.HasPrefix(r.stdout, "customers 5: followups_open is ") ||
		r.stderr != "rapport: 1 cached figure differs from the rows\n" {
		t.Errorf("doctor after a drift: exit %d\nstdout %q\nstderr %q", r.code, r.stdout, r.stderr)
	}
	r = c.run("--db", path, "doctor", "--format", "json")
	got := decode[map[string][]model.CacheDrift](t, r.stdout)
	if d := got["differences"]; r.code != 1 || len(d) != 1 || d[0].Cache != "customers" || d[0].Key != "5" || d[0].Column != "followups_open" {
		t.Errorf("doctor --format json after a drift: exit %d, %+v", r.code, got)
	}
	c.fails(2, []string{"--db", path, "doctor", "extra"})
}

package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/demo"
	"github.com/rapportcrm/rapport/model"
)

var update = flag.Bool("update", false, "rewrite testdata/contract.golden")

// contractNow is the demo's "today": fixed, and far enough in the past that
// every relative figure (last_contact_days > 30, feedback_90d, overdue
// follow-ups) is settled whenever the test runs.
var contractNow = time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)

// TestJSONContract runs the read commands with --format json on a small
// demo database of a fixed seed and day, and compares their stdout, byte
// for byte, with testdata/contract.golden: the lasting guard that the JSON
// of CONTRACT.md does not change by accident (scripts/json-snapshot makes
// the same check on any database, with two builds). A deliberate change
// is written with `go test ./cli/ -run TestJSONContract -update` and read
// in the diff.
func TestJSONContract(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "contract.db")
	st, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.New(demo.Options{Customers: 120, Feedback: 600, Seed: 11, Now: contractNow})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.LoadDemo(ctx, gen, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	cmds := [][]string{
		{"customers", "--limit", "25"},
		{"customers", "--sort", "ltv:desc", "--limit", "10"},
		{"customers", "--sort", "csat_avg", "--limit", "10", "--offset", "20"},
		{"customers", "--sort", "last_contact:desc", "--limit", "10"},
		{"customers", "--lifecycle", "at_risk", "--limit", "10"},
		{"customers", "--where", "plan = enterprise and csat_avg < 4", "--limit", "0"},
		{"customers", "--search", "科技", "--limit", "0"},
		{"customers", "--segment", "churn warning", "--limit", "0"},
		{"customers", "show", "1"},
		{"customers", "show", "94"},
		{"feedback", "--limit", "15"},
		{"feedback", "--kind", "complaint", "--status", "open", "--limit", "10"},
		{"feedback", "--customer", "94", "--limit", "0"},
		{"feedback", "--channel", "email", "--limit", "5", "--offset", "5"},
		{"feedback", "--attr", "industry=education", "--limit", "5"},
		{"summary"},
		{"summary", "--segments"},
		{"summary", "--by", "plan", "--where", "lifecycle = paying"},
		{"summary", "--by", "attr.industry"},
		{"segment"},
		{"segment", "show", "churn warning"},
		{"followup", "--all", "--state", "all"},
		{"followup", "--all", "--state", "overdue"},
		{"followup", "--state", "done"},
		{"followup", "campaigns"},
		{"audit"},
		{"demand"},
		{"demand", "--by", "tag"},
		{"imports"},
		{"categories"},
		{"rules"},
	}
	for _, dim := range model.SummaryDimensions {
		cmds = append(cmds, []string{"summary", "--by", dim})
	}

	c := newCLI(t)
	c.vars["RAPPORT_AGENT"] = "li.na" // one of the demo's agents: "my follow-ups"
	var got bytes.Buffer
	for _, args := range cmds {
		args = append(args, "--db", path, "--format", "json")
		r := c.ok(args...)
		got.WriteString("### rapport " + strings.Join(args[:len(args)-4], " ") + "\n")
		got.WriteString(r.stdout)
	}

	golden := filepath.Join("testdata", "contract.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (write it with -update)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("JSON differs from %s at line %d:\n got: %s\nwant: %s\n(section: %s)", golden, i+1, gl[i], wl[i], section(wl, i))
			}
		}
		t.Fatalf("JSON differs from %s in length: %d lines, want %d", golden, len(gl), len(wl))
	}
}

// section names the command whose output holds line i.
func section(lines []string, i int) string {
	for ; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "### ") {
			return lines[i]
		}
	}
	return "?"
}

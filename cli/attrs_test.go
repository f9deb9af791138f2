package cli

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusAt finds a file of ../shared/corpus beside the repository, or
// skips: the files are third-party exports, never copied into the
// repository.
func corpusAt(t *testing.T, name string) string {
	t.Helper()
	for dir, _ := filepath.Abs("."); ; dir = filepath.Dir(dir) {
		for _, p := range []string{filepath.Join(dir, "shared", "corpus", name), filepath.Join(dir, "..", "shared", "corpus", name)} {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
		if dir == filepath.Dir(dir) {
			t.Skip("../shared/corpus is not here")
		}
	}
}

func writeFile(t *testing.T, path, data string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type attrSummary struct {
	By      string `json:"by"`
	Overall struct {
		FeedbackN  int `json:"feedback_n"`
		CustomersN int `json:"customers_n"`
	} `json:"overall"`
	Groups []struct {
		Key        string   `json:"key"`
		FeedbackN  int      `json:"feedback_n"`
		CustomersN int      `json:"customers_n"`
		CSATAvg    *float64 `json:"csat_avg"`
	} `json:"groups"`
}

// TestAttrsOfTicketsReachable imports a ticket file whose Geography column
// matches no field (so it lands on each ticket), and finds it again with
// summary --by attr.Geography, customers --where and in the feedback JSON.
func TestAttrsOfTicketsReachable(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	dbp := filepath.Join(dir, "t.db")
	file := writeFile(t, filepath.Join(dir, "tickets.csv"),
		"Ticket ID,Email,Subject,CSAT,Geography\n"+
			"1,ann@example.com,Refund,5,France\n"+
			"2,ann@example.com,Login,4,France\n"+
			"3,bob@example.com,Invoice,1,Spain\n"+
			"4,cy@example.com,Export,2,N/A\n"+
			"5,di@example.com,Crash,3,Germany\n"+
			"6,di@example.com,Crash again,3,France\n")
	c.ok("--db", dbp, "import", "--preset", "tickets", file)

	sum := decode[attrSummary](t, c.ok("--db", dbp, "summary", "--by", "attr.Geography", "--format", "json").stdout)
	got := map[string]string{}
	for _, g := range sum.Groups {
		got[g.Key] = fmt.Sprintf("%d/%d", g.FeedbackN, g.CustomersN)
	}
	// each ticket counts in its own Geography; N/A is no value
	want := map[string]string{"France": "3/2", "Spain": "1/1", "Germany": "1/1", "(none)": "1/1"}
	if fmt.Sprint(got) != fmt.Sprint(want) || sum.Overall.FeedbackN != 6 {
		t.Errorf("summary by attr.Geography: %v (overall %d), want %v", got, sum.Overall.FeedbackN, want)
	}
	if sum.Groups[0].Key != "France" || sum.Groups[0].CSATAvg == nil || *sum.Groups[0].CSATAvg != 4 {
		t.Errorf("France first with CSAT 4: %+v", sum.Groups[0])
	}

	for expr, n := range map[string]int{
		"attr.Geography = France":                    2, // ann, and di through one of her tickets
		"attr.Geography = Spain":                     1,
		"attr.Geography ~ an":                        2, // France and Germany: ann and di
		"not attr.Geography = France":                2,
		"attr.Geography in (Spain, Germany)":         2,
		"attr.Geography = France and email ~ ann":    1,
		`attr.Geography = "N/A"`:                     0,
		"attr.Geography != France":                   2, // bob; di has a Germany ticket
		"attr.nosuch = France or attr.Geography = x": 0,
	} {
		rows := decode[[]map[string]any](t, c.ok("--db", dbp, "customers", "--where", expr, "--limit", "0", "--format", "json").stdout)
		if len(rows) != n {
			t.Errorf("--where %s: %d customers, want %d", expr, len(rows), n)
		}
	}

	fb := decode[[]map[string]any](t, c.ok("--db", dbp, "feedback", "--limit", "0", "--format", "json").stdout)
	byID := map[string]any{}
	for _, f := range fb {
		checkShape(t, f, feedbackKeys)
		byID[fmt.Sprint(f["external_id"])] = f["attrs"]
	}
	// the file has no date column: each item is flagged undated (README, Import)
	if fmt.Sprint(byID["3"]) != "map[Geography:Spain undated:yes]" || fmt.Sprint(byID["4"]) != "map[undated:yes]" {
		t.Errorf("feedback attrs: %v", byID)
	}
	for flag, n := range map[string]int{"Geography=France": 3, "Geography = Spain": 1, "Geography=": 0, "nosuch=x": 0} {
		rows := decode[[]map[string]any](t, c.ok("--db", dbp, "feedback", "--attr", flag, "--limit", "0", "--format", "json").stdout)
		if len(rows) != n {
			t.Errorf("feedback --attr %s: %d items, want %d", flag, len(rows), n)
		}
	}
	c.fails(2, []string{"--db", dbp, "feedback", "--attr", "Geography"}, "--attr takes NAME=VALUE")
}

// TestImportErrorsFileHasEveryRow rejects more rows than the JSON list
// keeps: --errors has them all, and the report says how many the list
// leaves out.
func TestImportErrorsFileHasEveryRow(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	const bad, good = 10_500, 3
	var b strings.Builder
	b.WriteString("Ticket ID,Email,Subject\n")
	for i := range bad + good {
		email := fmt.Sprintf("u%d@example.com", i)
		if i >= good {
			email = fmt.Sprintf("not-an-email-%d", i)
		}
		fmt.Fprintf(&b, "T%d,%s,subject %d\n", i, email, i)
	}
	file := writeFile(t, filepath.Join(dir, "bad.csv"), b.String())
	errorsFile := filepath.Join(dir, "rejected.csv")
	r := c.run("--db", filepath.Join(dir, "t.db"), "import", "--preset", "tickets", "--errors", errorsFile, "--format", "json", file)
	if r.code != 3 {
		t.Fatalf("exit %d, want 3: %s", r.code, r.stderr)
	}
	rep := decode[struct {
		Files []struct {
			Errors        []map[string]any `json:"errors"`
			ErrorsOmitted int              `json:"errors_omitted"`
		} `json:"files"`
		Totals struct {
			Errors          int `json:"errors"`
			FeedbackCreated int `json:"feedback_created"`
		} `json:"totals"`
	}](t, r.stdout)
	if rep.Totals.Errors != bad || rep.Totals.FeedbackCreated != good || len(rep.Files) != 1 ||
		len(rep.Files[0].Errors) != 10_000 || rep.Files[0].ErrorsOmitted != bad-10_000 {
		t.Errorf("report: totals %+v, listed %d, omitted %d", rep.Totals, len(rep.Files[0].Errors), rep.Files[0].ErrorsOmitted)
	}
	f, err := os.Open(errorsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != bad+1 || strings.Join(rows[0], ",") != "Ticket ID,Email,Subject,errors" {
		t.Fatalf("errors file: %d rows, header %v", len(rows), rows[0])
	}
	if last := rows[len(rows)-1]; last[0] != fmt.Sprintf("T%d", bad+good-1) || !strings.Contains(last[3], "not an email") {
		t.Errorf("last rejected row: %v", last)
	}
}

type importTotals struct {
	Rows             int `json:"rows"`
	CustomersCreated int `json:"customers_created"`
	CustomersUpdated int `json:"customers_updated"`
	FeedbackCreated  int `json:"feedback_created"`
	FeedbackUpdated  int `json:"feedback_updated"`
	Unchanged        int `json:"unchanged"`
	Skipped          int `json:"skipped"`
	Errors           int `json:"errors"`
}

func importCounts(t *testing.T, c *cli, args ...string) importTotals {
	t.Helper()
	r := c.run(append([]string{"import", "--format", "json"}, args...)...)
	if r.code != 0 && r.code != 3 {
		t.Fatalf("import %v: exit %d: %s", args, r.code, r.stderr)
	}
	return decode[struct {
		Totals importTotals `json:"totals"`
	}](t, r.stdout).Totals
}

// noDatabase fails when anything of a SQLite database is at path.
func noDatabase(t *testing.T, path string) {
	t.Helper()
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a dry run (%v)", p, err)
		}
	}
}

// TestDryRunCountsAsTheRun checks that a dry run counts exactly what the
// run then does — a customer met in two batches counts once — and leaves
// nothing behind: no database file where there was none, no row where
// there was one.
func TestDryRunCountsAsTheRun(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	// 4,500 tickets from 1,500 people, each person's tickets 1,500 rows
	// apart: three batches of 2,000 rows each meet every person again.
	var b strings.Builder
	b.WriteString("Ticket ID,Email,Subject,CSAT,Region\n")
	for i := range 4500 {
		fmt.Fprintf(&b, "T%d,p%d@example.com,subject %d,%d,%s\n", i, i%1500, i, 1+i%5, []string{"north", "south", "N/A"}[i%3])
	}
	gen := writeFile(t, filepath.Join(dir, "gen.csv"), b.String())
	files := []string{gen}
	for _, name := range []string{"zendesk-explore-branch-q425.csv", "freshdesk-thingtrax-2025-02.csv",
		"nps-botanic-fr.csv", "bank-churn-satisfaction.csv"} {
		if testing.Short() {
			break
		}
		files = append(files, corpusAt(t, name))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			dbp := filepath.Join(t.TempDir(), "fresh.db")
			dry := importCounts(t, c, "--db", dbp, "--dry-run", "--errors", dbp+".errors.csv", file)
			noDatabase(t, dbp)
			real := importCounts(t, c, "--db", dbp, file)
			if dry != real {
				t.Errorf("dry run %+v\n    run %+v", dry, real)
			}
			if real.CustomersCreated == 0 {
				t.Errorf("nothing imported: %+v", real)
			}
			// On a database that holds the file: all unchanged, and the
			// dry run leaves every table as it was.
			before := c.ok("--db", dbp, "summary", "--format", "json").stdout
			again := importCounts(t, c, "--db", dbp, "--dry-run", file)
			if after := c.ok("--db", dbp, "summary", "--format", "json").stdout; after != before {
				t.Errorf("the dry run changed the figures:\n%s\n%s", before, after)
			}
			if runs := c.ok("--db", dbp, "imports", "--format", "json").stdout; strings.Count(runs, `"file"`) != 1 {
				t.Errorf("import runs after one import and two dry runs: %s", runs)
			}
			second := importCounts(t, c, "--db", dbp, file)
			if again != second || second.Unchanged+second.Errors+second.Skipped != second.Rows {
				t.Errorf("second dry run %+v\n    second run %+v", again, second)
			}
		})
	}
}

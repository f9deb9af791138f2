package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// storeViews are the CLI's JSON views of a whole database that a copy
// must leave byte-identical.
var storeViews = [][]string{
	{"customers", "--limit", "0", "--sort", "name", "--format", "json"},
	{"feedback", "--limit", "0", "--format", "json"},
	{"followup", "list", "--all", "--state", "all", "--format", "json"},
	{"summary", "--format", "json"},
	{"summary", "--by", "plan", "--trend", "month", "--format", "json"},
	{"summary", "--by", "category", "--format", "json"},
	{"summary", "--segments", "--format", "json"},
	{"segment", "list", "--format", "json"},
	{"audit", "--limit", "0", "--format", "json"},
}

// viewsOf runs every view against the database named by dbArg.
func viewsOf(t *testing.T, c *cli, dbArg string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, v := range storeViews {
		args := append([]string{"--db", dbArg}, v...)
		r := c.run(args...)
		if r.code != 0 {
			t.Fatalf("rapport %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
		}
		out[strings.Join(v, " ")] = r.stdout
	}
	return out
}

func sameViews(t *testing.T, what string, a, b map[string]string) {
	t.Helper()
	for _, v := range storeViews {
		k := strings.Join(v, " ")
		if a[k] != b[k] {
			t.Errorf("%s: rapport %s differs (%d vs %d bytes)\n%s", what, k, len(a[k]), len(b[k]), firstDiff(a[k], b[k]))
		} else if len(a[k]) < 3 {
			t.Errorf("%s: rapport %s is empty: %q", what, k, a[k])
		}
	}
}

// firstDiff shows the first differing line of two outputs, with the
// lines before it for context.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	i := 0
	for i < len(la) && i < len(lb) && la[i] == lb[i] {
		i++
	}
	from := max(0, i-3)
	show := func(l []string) string {
		return strings.Join(l[min(from, len(l)):min(i+1, len(l))], "\n        ")
	}
	return fmt.Sprintf("  line %d:\n  one:   %s\n  other: %s", i+1, show(la), show(lb))
}

// demoWithHistory is a small demo database with edits on top, so that
// versions, audit entries and a saved segment exist.
func demoWithHistory(t *testing.T, c *cli) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src.db")
	c.ok("demo", "--customers", "120", "--feedback", "600", "--seed", "5", src)
	c.ok("--db", src, "customers", "set", "1", "--plan", "enterprise", "--tag", "+vip")
	c.ok("--db", src, "customers", "set", "1", "--city", "杭州")
	c.ok("--db", src, "notes", "add", "2", "回电：同意退款")
	c.ok("--db", src, "segment", "add", "unhappy", "csat_avg < 3", "--warn")
	c.ok("--db", src, "feedback", "add", "--customer", "3", "--text", "the invoice is wrong", "--csat", "2")
	return src
}

// rapport copy file → file: the copy answers every JSON view byte for
// byte as the source; a second run is refused with exit 2 and leaves the
// destination as it was; a failed copy into a new file leaves no file.
func TestCopyCommandFileToFile(t *testing.T) {
	c := newCLI(t)
	src := demoWithHistory(t, c)
	dst := filepath.Join(t.TempDir(), "dst.db")

	r := c.ok("copy", "--from", src, "--to", dst, "--format", "json")
	counts := decode[map[string]int](t, r.stdout)
	if counts["customers"] != 120 || counts["feedback"] != 601 || counts["notes"] < 1 || counts["audit"] < 4 || len(counts) != 5 {
		t.Errorf("copy report %s", r.stdout)
	}
	if _, ok := counts["followups"]; !ok {
		t.Errorf("copy report has no followups: %s", r.stdout)
	}
	want := viewsOf(t, c, src)
	sameViews(t, "file → file", want, viewsOf(t, c, dst))

	before, _ := os.ReadFile(dst)
	c.fails(2, []string{"copy", "--from", src, "--to", dst}, "not empty", "customers")
	after, _ := os.ReadFile(dst)
	if string(before) != string(after) {
		t.Error("a refused copy changed the destination file")
	}
	sameViews(t, "after a refused second copy", want, viewsOf(t, c, dst))

	c.fails(2, []string{"copy", "--from", src, "--to", src}, "same database")
	c.fails(2, []string{"copy", "--from", src}, "--to")
	missing := filepath.Join(t.TempDir(), "nope.db")
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	c.fails(1, []string{"copy", "--from", missing, "--to", fresh}, missing)
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("a failed copy left %s behind (%v)", fresh, err)
	}
	// The table report names both databases.
	r = c.ok("copy", "--from", src, "--to", fresh)
	if !strings.Contains(r.stdout, "120 customers") || !strings.Contains(r.stdout, fresh) {
		t.Errorf("copy report: %q", r.stdout)
	}
}

package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapportcrm/rapport/model"
	"github.com/rapportcrm/rapport/ui"
)

type result struct {
	code           int
	stdout, stderr string
}

// cli runs one command line in-process, as main would, with a fixed
// environment: no terminal, agent "tester", HOME and XDG_DATA_HOME in a
// temp dir so the user's real database is never touched.
type cli struct {
	t    *testing.T
	vars map[string]string
	tty  bool
	ui   func(ctx context.Context, st ui.Store, opts ui.Options) error
}

func newCLI(t *testing.T) *cli {
	home := t.TempDir()
	return &cli{t: t, vars: map[string]string{
		"HOME":          home,
		"XDG_DATA_HOME": filepath.Join(home, "data"),
		"RAPPORT_AGENT": "tester",
	}}
}

func (c *cli) run(args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, env{
		stdin:     strings.NewReader(""),
		stdout:    &out,
		stderr:    &errb,
		getenv:    func(k string) string { return c.vars[k] },
		stdinTTY:  c.tty,
		stdoutTTY: c.tty,
		runUI:     c.ui,
	})
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// ok runs and fails the test unless the exit code is 0.
func (c *cli) ok(args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("rapport %s: exit %d\nstderr: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	return r
}

// fails runs and checks the exit code and that stderr is one line that
// starts with "rapport: " and contains each of want.
func (c *cli) fails(code int, args []string, want ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != code {
		c.t.Errorf("rapport %s: exit %d, want %d\nstderr: %s", strings.Join(args, " "), r.code, code, r.stderr)
	}
	if !strings.HasPrefix(r.stderr, "rapport: ") || strings.Count(r.stderr, "\n") != 1 {
		c.t.Errorf("rapport %s: stderr is not one 'rapport: ' line: %q", strings.Join(args, " "), r.stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			c.t.Errorf("rapport %s: stderr %q does not mention %q", strings.Join(args, " "), r.stderr, w)
		}
	}
	if r.stdout != "" {
		c.t.Errorf("rapport %s: failed but wrote to stdout: %q", strings.Join(args, " "), r.stdout)
	}
	return r
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON (%v):\n%s", err, s)
	}
	return v
}

var customerKeys = []string{"id", "name", "email", "phone", "company", "plan", "region", "city",
	"language", "gender", "lifecycle", "ltv", "tags", "attrs", "csat_avg", "csat_n", "nps_last",
	"feedback_n", "complaints_open", "followups_open", "last_contact_at", "created_at",
	"updated_at", "version", "warnings"}

var feedbackKeys = []string{"id", "customer_id", "customer_name", "source", "external_id",
	"channel", "kind", "subject", "body", "category", "priority", "status", "tags", "attrs", "csat",
	"csat_raw", "nps", "agent", "created_at", "resolved_at", "version"}

// checkShape checks that obj has exactly keys (plus extra), that lists are
// never null and that no string is empty (absent values are null).
func checkShape(t *testing.T, obj map[string]any, keys []string, extra ...string) {
	t.Helper()
	want := map[string]bool{}
	for _, k := range append(append([]string{}, keys...), extra...) {
		want[k] = true
		if _, ok := obj[k]; !ok {
			t.Errorf("object lacks %q: %v", k, obj)
		}
	}
	for k, v := range obj {
		if !want[k] {
			t.Errorf("object has unexpected field %q", k)
		}
		if s, ok := v.(string); ok && s == "" {
			t.Errorf("field %q is \"\", want null", k)
		}
	}
	for _, k := range []string{"tags", "warnings", "timeline"} {
		if v, ok := obj[k]; ok {
			if _, isList := v.([]any); !isList {
				t.Errorf("%s = %v, want a list", k, v)
			}
		}
	}
	if v, ok := obj["attrs"]; ok {
		if _, isMap := v.(map[string]any); !isMap {
			t.Errorf("attrs = %v, want an object", v)
		}
	}
}

func TestDemoListAndShow(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "demo.db")
	r := c.ok("demo", "--customers", "50", "--feedback", "200", "--seed", "7", path)
	if r.stdout != "" {
		t.Errorf("demo wrote to stdout: %q", r.stdout)
	}
	if !strings.Contains(r.stderr, "50 customers") || !strings.Contains(r.stderr, path) {
		t.Errorf("demo summary = %q", r.stderr)
	}
	c.fails(1, []string{"demo", "--customers", "50", "--feedback", "200", path}, path, "--force")
	c.ok("demo", "--customers", "50", "--feedback", "200", "--seed", "7", "--force", path)

	all := decode[[]map[string]any](t, c.ok("customers", "--db", path, "--limit", "0", "--format", "json").stdout)
	if len(all) != 50 {
		t.Fatalf("customers --limit 0: %d rows, want 50", len(all))
	}
	for _, o := range all {
		checkShape(t, o, customerKeys)
	}
	def := decode[[]map[string]any](t, c.ok("customers", "list", "--db", path, "--format", "json").stdout)
	if len(def) != 50 {
		t.Errorf("customers list: %d rows, want all 50 (default limit 50)", len(def))
	}
	page := decode[[]map[string]any](t, c.ok("customers", "--db", path, "--limit", "10", "--offset", "5", "--format", "json").stdout)
	if len(page) != 10 {
		t.Fatalf("--limit 10 --offset 5: %d rows", len(page))
	}
	for i := range page {
		if page[i]["id"] != all[i+5]["id"] {
			t.Errorf("--offset 5 row %d = id %v, want %v", i, page[i]["id"], all[i+5]["id"])
		}
	}
	desc := decode[[]map[string]any](t, c.ok("customers", "--db", path, "--sort", "ltv:desc", "--limit", "0", "--format", "json").stdout)
	for i := 1; i < len(desc); i++ {
		if ltv(desc[i]) > ltv(desc[i-1]) {
			t.Errorf("--sort ltv:desc: row %d ltv %v after %v", i, ltv(desc[i]), ltv(desc[i-1]))
		}
	}

	// The same seed gives the same people.
	other := filepath.Join(t.TempDir(), "again.db")
	c.ok("demo", "--customers", "50", "--feedback", "200", "--seed", "7", other)
	again := decode[[]map[string]any](t, c.ok("customers", "--db", other, "--limit", "0", "--format", "json").stdout)
	for i := range all {
		if i < len(again) && all[i]["name"] != again[i]["name"] {
			t.Errorf("seed 7 twice: row %d name %v vs %v", i, all[i]["name"], again[i]["name"])
		}
	}

	// Table: a header and one line per row, columns aligned by display width.
	table := c.ok("customers", "--db", path, "--limit", "5").stdout
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	if len(lines) != 6 || !strings.HasPrefix(strings.TrimSpace(lines[0]), "ID") {
		t.Errorf("table:\n%s", table)
	}
	col := ansi.StringWidth(lines[0][:strings.Index(lines[0], "EMAIL")])
	for _, l := range lines[1:] {
		at := strings.Index(l, "@")
		if at < 0 {
			continue
		}
		start := strings.LastIndex(l[:at], " ") + 1
		if w := ansi.StringWidth(l[:start]); w != col {
			t.Errorf("email starts at column %d, header at %d: %q", w, col, l)
		}
	}

	// CSV: the header and one record per row.
	recs, err := csv.NewReader(strings.NewReader(c.ok("customers", "--db", path, "--limit", "0", "--format", "csv").stdout)).ReadAll()
	if err != nil || len(recs) != 51 || recs[0][0] != "id" || len(recs[0]) != len(customerKeys) {
		t.Errorf("csv: %d records, header %v, err %v", len(recs), recs[0], err)
	}

	// Feedback.
	fb := decode[[]map[string]any](t, c.ok("feedback", "--db", path, "--limit", "0", "--format", "json").stdout)
	if len(fb) < 200 {
		t.Errorf("feedback --limit 0: %d rows, want at least 200", len(fb))
	}
	for _, o := range fb[:min(len(fb), 30)] {
		checkShape(t, o, feedbackKeys)
	}
	for i := 1; i < len(fb); i++ {
		if fb[i]["created_at"].(string) > fb[i-1]["created_at"].(string) {
			t.Errorf("feedback not newest first at row %d", i)
			break
		}
	}
	// Paging in small batches gives the same rows, by cursor and by offset.
	defer func(n int) { listBatch = n }(listBatch)
	listBatch = 7
	small := decode[[]map[string]any](t, c.ok("feedback", "--db", path, "--limit", "0", "--format", "json").stdout)
	if len(small) != len(fb) {
		t.Errorf("feedback in batches of 7: %d rows, want %d", len(small), len(fb))
	}
	for i := range small {
		if i < len(fb) && small[i]["id"] != fb[i]["id"] {
			t.Errorf("feedback batch row %d = %v, want %v", i, small[i]["id"], fb[i]["id"])
			break
		}
	}
	fpage := decode[[]map[string]any](t, c.ok("feedback", "--db", path, "--limit", "20", "--offset", "13", "--format", "json").stdout)
	if len(fpage) != 20 || fpage[0]["id"] != fb[13]["id"] || fpage[19]["id"] != fb[32]["id"] {
		t.Errorf("feedback --limit 20 --offset 13 does not match the full list")
	}
	cpage := decode[[]map[string]any](t, c.ok("customers", "--db", path, "--limit", "30", "--offset", "4", "--format", "json").stdout)
	if len(cpage) != 30 {
		t.Fatalf("customers --limit 30 --offset 4 in batches of 7: %d rows", len(cpage))
	}
	for i := range cpage {
		if cpage[i]["id"] != all[i+4]["id"] {
			t.Errorf("customers batch row %d = %v, want %v", i, cpage[i]["id"], all[i+4]["id"])
			break
		}
	}
	listBatch = 1000

	first := fb[0]
	cid := fmt.Sprint(first["customer_id"])
	mine := decode[[]map[string]any](t, c.ok("feedback", "list", "--db", path, "--customer", cid, "--limit", "0", "--format", "json").stdout)
	if len(mine) == 0 {
		t.Errorf("feedback --customer %s: none", cid)
	}
	for _, o := range mine {
		if fmt.Sprint(o["customer_id"]) != cid {
			t.Errorf("feedback --customer %s gave customer %v", cid, o["customer_id"])
		}
	}
	complaints := decode[[]map[string]any](t, c.ok("feedback", "--db", path, "--kind", "COMPLAINT", "--status", "open", "--format", "json").stdout)
	for _, o := range complaints {
		if o["kind"] != "complaint" || o["status"] != "open" {
			t.Errorf("--kind complaint --status open gave %v/%v", o["kind"], o["status"])
		}
	}
	fcsv, err := csv.NewReader(strings.NewReader(c.ok("feedback", "--db", path, "--limit", "20", "--format", "csv").stdout)).ReadAll()
	if err != nil || len(fcsv) != 21 || len(fcsv[0]) != len(feedbackKeys)-1 /* no attrs column */ {
		t.Errorf("feedback csv: %d records, err %v", len(fcsv), err)
	}
	if out := c.ok("feedback", "--db", path, "--limit", "3").stdout; strings.Count(out, "\n") != 4 {
		t.Errorf("feedback table:\n%s", out)
	}

	// Show: the customer plus a timeline, newest first.
	show := decode[map[string]any](t, c.ok("customers", "show", cid, "--db", path, "--format", "json").stdout)
	checkShape(t, show, customerKeys, "timeline")
	tl := show["timeline"].([]any)
	if len(tl) == 0 {
		t.Fatalf("show %s: empty timeline for a customer with feedback", cid)
	}
	for _, e := range tl {
		checkShape(t, e.(map[string]any), []string{"at", "type", "id", "agent", "summary"})
	}
	if out := c.ok("customers", "show", cid, "--db", path).stdout; !strings.Contains(out, "Timeline") {
		t.Errorf("show table:\n%s", out)
	}
}

func ltv(o map[string]any) float64 {
	f, _ := o["ltv"].(float64)
	return f
}

func TestCustomerRoundTrip(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "crm.db")
	r := c.ok("customers", "add", "--db", path, "--name", "张伟", "--email", "Zhang.Wei@Example.com",
		"--phone", "+86 138-0013-8000", "--company", "云栖科技", "--plan", "pro", "--lifecycle", "Paying",
		"--ltv", "1200.5", "--attr", "source=expo", "--tag", "vip", "--tag", "beta", "--format", "json")
	added := decode[map[string]any](t, r.stdout)
	checkShape(t, added, customerKeys)
	if added["name"] != "张伟" || added["lifecycle"] != "paying" || added["ltv"] != 1200.5 {
		t.Errorf("added = %v", added)
	}
	for _, k := range []string{"region", "city", "language", "gender", "csat_avg", "nps_last", "last_contact_at"} {
		if added[k] != nil {
			t.Errorf("%s = %v, want null", k, added[k])
		}
	}
	if fmt.Sprint(added["tags"]) != "[beta vip]" || fmt.Sprint(added["attrs"]) != "map[source:expo]" {
		t.Errorf("tags %v attrs %v", added["tags"], added["attrs"])
	}
	id := fmt.Sprint(added["id"])

	// A plain add prints one line.
	line := c.ok("customers", "add", "--db", path, "--name", "Ann Lee").stdout
	if !strings.HasPrefix(line, "created customer ") || !strings.HasSuffix(line, " Ann Lee\n") {
		t.Errorf("add output %q", line)
	}

	// Set by email (any case) and by phone digits; only given fields change.
	set := decode[map[string]any](t, c.ok("customers", "set", "zhang.wei@example.COM", "--db", path,
		"--city", "杭州", "--tag", "+churn-risk", "--tag", "-beta", "--attr", "source=", "--attr", "tier=gold",
		"--format", "json").stdout)
	if set["city"] != "杭州" || set["company"] != "云栖科技" || fmt.Sprint(set["tags"]) != "[churn-risk vip]" ||
		fmt.Sprint(set["attrs"]) != "map[tier:gold]" || set["version"].(float64) <= added["version"].(float64) {
		t.Errorf("after set: %v", set)
	}
	line = c.ok("customers", "set", "8613800138000", "--db", path, "--ltv", "0", "--region", "").stdout
	if !strings.HasPrefix(line, "updated customer "+id+" 张伟 (version ") {
		t.Errorf("set output %q", line)
	}

	// Notes.
	line = c.ok("notes", "add", id, "called back about the refund", "--db", path).stdout
	if !strings.HasPrefix(line, "added note ") {
		t.Errorf("notes add output %q", line)
	}
	show := decode[map[string]any](t, c.ok("customers", "show", id, "--db", path, "--format", "json").stdout)
	checkShape(t, show, customerKeys, "timeline")
	if show["ltv"] != nil || show["region"] != nil {
		t.Errorf("ltv %v region %v after clearing, want null", show["ltv"], show["region"])
	}
	types := map[string]bool{}
	for _, e := range show["timeline"].([]any) {
		em := e.(map[string]any)
		types[em["type"].(string)] = true
		if em["type"] == "note" && em["agent"] != "tester" {
			t.Errorf("note agent = %v, want tester", em["agent"])
		}
	}
	if !types["note"] {
		t.Errorf("timeline lacks the note: %v", show["timeline"])
	}

	// --agent wins over $RAPPORT_AGENT.
	c.ok("notes", "add", id, "second", "--db", path, "--agent", "alice")
	show = decode[map[string]any](t, c.ok("customers", "show", id, "--db", path, "--format", "json").stdout)
	if a := show["timeline"].([]any)[0].(map[string]any)["agent"]; a != "alice" {
		t.Errorf("newest timeline agent = %v, want alice", a)
	}

	// Search, tag and lifecycle filters.
	list := decode[[]map[string]any](t, c.ok("customers", "--db", path, "--search", "云栖", "--format", "json").stdout)
	if len(list) != 1 || fmt.Sprint(list[0]["id"]) != id {
		t.Errorf("--search 云栖 = %v", list)
	}
	list = decode[[]map[string]any](t, c.ok("customers", "--db", path, "--tag", "vip", "--lifecycle", "paying", "--format", "json").stdout)
	if len(list) != 1 {
		t.Errorf("--tag vip --lifecycle paying: %d rows", len(list))
	}
	list = decode[[]map[string]any](t, c.ok("customers", "--db", path, "--lifecycle", "churned", "--format", "json").stdout)
	if string(mustJSON(t, list)) != "[]" {
		t.Errorf("no match should print [], got %v", list)
	}
	if out := c.ok("customers", "--db", path, "--lifecycle", "churned", "--format", "json").stdout; out != "[]\n" {
		t.Errorf("empty list printed %q", out)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUntrustedTextInOutput(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "crm.db")
	c.ok("customers", "add", "--db", path, "--name", `=HYPERLINK("http://evil.example","click")`, "--phone", "+1 555 0100")
	c.ok("customers", "add", "--db", path, "--name", "Evil\x1b]0;pwned\x07 \x1b[31mRed\u202e", "--company", "@corp")
	c.ok("customers", "add", "--db", path, "--name", "-2+3", "--company", "\tTabbed")

	recs, err := csv.NewReader(strings.NewReader(c.ok("customers", "--db", path, "--format", "csv", "--sort", "id").stdout)).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("csv: %v %v", recs, err)
	}
	for _, rec := range recs[1:] {
		for i, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("csv column %s cell %q starts a formula", recs[0][i], cell)
			}
			if strings.ContainsAny(cell, "\x1b\x07\u202e") {
				t.Errorf("csv cell %q keeps control characters", cell)
			}
		}
	}
	if recs[1][1] != `'=HYPERLINK("http://evil.example","click")` || recs[1][3] != "'+1 555 0100" {
		t.Errorf("formula cells = %q, %q", recs[1][1], recs[1][3])
	}
	if recs[2][4] != "'@corp" || recs[3][1] != "'-2+3" {
		t.Errorf("cells = %q, %q", recs[2][4], recs[3][1])
	}

	table := c.ok("customers", "--db", path).stdout
	if strings.ContainsAny(table, "\x1b\x07\u202e") {
		t.Errorf("table prints control characters: %q", table)
	}
	if !strings.Contains(table, "Evil Red") {
		t.Errorf("cleaned name missing:\n%s", table)
	}
	show := c.ok("customers", "show", "2", "--db", path).stdout
	if strings.ContainsAny(show, "\x1b\x07\u202e") {
		t.Errorf("show prints control characters: %q", show)
	}
	// JSON keeps the data as it is, escaped.
	js := c.ok("customers", "show", "2", "--db", path, "--format", "json").stdout
	if strings.Contains(js, "\x1b") || !strings.Contains(js, `\u001b`) {
		t.Errorf("json should escape ESC: %s", js)
	}
}

func TestExitCodes(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "crm.db")

	// Usage errors and invalid values exit 2 and write nothing.
	c.fails(2, []string{"customers", "add", "--db", path, "--name", "X", "--email", "not-an-email"}, "not-an-email")
	c.fails(2, []string{"customers", "add", "--db", path, "--name", "X", "--lifecycle", "zombie"}, "zombie", "lifecycle")
	c.fails(2, []string{"customers", "add", "--db", path, "--name", "X", "--ltv", "-3"}, "negative")
	c.fails(2, []string{"customers", "add", "--db", path, "--name", "X", "--ltv", "lots"}, "--ltv")
	c.fails(2, []string{"customers", "add", "--db", path, "--name", "X", "--tag", "two words"}, "tag")
	c.fails(2, []string{"customers", "add", "--db", path, "--name", "X", "--attr", "novalue"}, "key=value")
	c.fails(2, []string{"customers", "add", "--db", path}, "name")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused add created the database (%v)", err)
	}
	c.fails(2, []string{"customers", "--db", path, "--bogus"}, "unknown flag", "--bogus", "rapport customers --help")
	c.fails(2, []string{"customers", "--db", path, "--limit", "abc"}, "--limit")
	c.fails(2, []string{"customers", "--db", path, "--limit", "-1"}, "--limit")
	c.fails(2, []string{"customers", "--db", path, "--sort", "shoe_size"}, "shoe_size")
	c.fails(2, []string{"customers", "--db", path, "--format", "xml"}, "xml")
	c.fails(2, []string{"customers", "--db", path, "--lifecycle", "zombie"}, "zombie")
	c.fails(2, []string{"customers", "frobnicate", "--db", path}, "frobnicate")
	c.fails(2, []string{"frobnicate"}, "frobnicate")
	c.fails(2, []string{"feedback", "--db", path, "--status", "lost"}, "lost")
	c.fails(2, []string{"feedback", "--db", path, "--kind", "rant"}, "rant")
	c.fails(2, []string{"customers", "show", "--db", path}, "REF")
	c.fails(2, []string{"notes", "add", "1", "   ", "--db", path}, "empty note")
	c.fails(2, []string{"notes", "frobnicate"}, "frobnicate")
	c.fails(2, []string{"demo", "--customers", "0", filepath.Join(dir, "d.db")}, "--customers")
	c.fails(2, []string{"customers", "add", "--db", path, "--name", "X", "--agent", ""}, "--agent")
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused command created the database (%v)", err)
	}

	// Stale writes exit 4 and change nothing.
	added := decode[map[string]any](t, c.ok("customers", "add", "--db", path, "--name", "Bo", "--email", "bo@example.com", "--format", "json").stdout)
	v := fmt.Sprint(added["version"])
	c.ok("customers", "set", "bo@example.com", "--db", path, "--plan", "pro", "--if-version", v, "--agent", "alice")
	c.fails(4, []string{"customers", "set", "bo@example.com", "--db", path, "--plan", "free", "--if-version", v}, "changed", "plan — → pro (alice,")
	now := decode[map[string]any](t, c.ok("customers", "show", "bo@example.com", "--db", path, "--format", "json").stdout)
	if now["plan"] != "pro" {
		t.Errorf("stale set changed plan to %v", now["plan"])
	}
	c.fails(2, []string{"customers", "set", "bo@example.com", "--db", path}, "nothing to change")
	c.fails(2, []string{"customers", "set", "bo@example.com", "--db", path, "--email", "bad@"}, "bad@")

	// Failures exit 1 with one line naming the problem.
	c.fails(1, []string{"customers", "show", "999", "--db", path}, "999")
	c.fails(1, []string{"customers", "set", "nobody@example.com", "--db", path, "--plan", "x"}, "nobody@example.com")
	c.fails(1, []string{"notes", "add", "999", "hello", "--db", path}, "999")
	c.fails(1, []string{"feedback", "--db", path, "--customer", "999"}, "999")
	missing := filepath.Join(dir, "typo.db")
	c.fails(1, []string{"customers", "--db", missing}, missing)
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("listing a missing --db created it")
	}

	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("this is not a database\n"), 0o600)
	newer := filepath.Join(dir, "newer.db")
	c.ok("customers", "add", "--db", newer, "--name", "N")
	sqldb, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqldb.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	sqldb.Close()
	for _, p := range []struct{ path, want string }{
		{dir, "directory"}, {text, "not a SQLite database"}, {newer, "newer Rapport"},
	} {
		before := readAll(p.path)
		for _, args := range [][]string{
			{"customers", "--db", p.path},
			{"customers", "add", "--db", p.path, "--name", "X"},
			{"feedback", "--db", p.path},
		} {
			c.fails(1, args, p.path, p.want)
		}
		if after := readAll(p.path); !bytes.Equal(before, after) {
			t.Errorf("%s changed", p.path)
		}
	}
	// $RAPPORT_DB is used when --db is absent.
	c.vars["RAPPORT_DB"] = text
	c.fails(1, []string{"customers"}, text)
}

func readAll(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}

func TestDefaultDatabaseAndTUI(t *testing.T) {
	c := newCLI(t)
	c.ok("customers", "add", "--name", "Default")
	dir := filepath.Join(c.vars["XDG_DATA_HOME"], "rapport")
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode %v, want 0700", fi.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(dir, "rapport.db")); err != nil {
		t.Errorf("default database not created: %v", err)
	}

	// Without a terminal the TUI refuses, pointing at the commands.
	c.fails(1, nil, "terminal")

	var got ui.Options
	c.tty = true
	c.ui = func(ctx context.Context, st ui.Store, opts ui.Options) error {
		got = opts
		page, err := st.ListCustomers(ctx, model.CustomerQuery{Limit: 10})
		if err != nil || len(page.Rows) != 1 {
			t.Errorf("TUI store: %v rows, %v", len(page.Rows), err)
		}
		return nil
	}
	c.ok()
	if got.Agent != "tester" || got.DBPath != filepath.Join(dir, "rapport.db") {
		t.Errorf("ui.Options = %+v", got)
	}
	c.ok("--agent", "bob")
	if got.Agent != "bob" {
		t.Errorf("--agent bob gave %q", got.Agent)
	}
	c.fails(2, []string{"--demo", "--db", "x.db"}, "--demo")
}

func TestDemoFlagKeepsDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the full demo database")
	}
	c := newCLI(t)
	c.tty = true
	var path string
	c.ui = func(ctx context.Context, st ui.Store, opts ui.Options) error {
		path = opts.DBPath
		return nil
	}
	r := c.ok("--demo")
	if r.stdout != "" {
		t.Errorf("--demo wrote to stdout: %q", r.stdout)
	}
	t.Cleanup(func() { os.RemoveAll(filepath.Dir(path)) })
	if !strings.Contains(r.stderr, "Demo database kept at "+path) || !strings.Contains(r.stderr, "rapport --db "+path) {
		t.Errorf("stderr = %q", r.stderr)
	}
	list := decode[[]map[string]any](t, c.ok("customers", "--db", path, "--limit", "0", "--format", "json").stdout)
	if len(list) != 3000 {
		t.Errorf("demo has %d customers, want 3000", len(list))
	}
}

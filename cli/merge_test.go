package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCustomersIdentityRule: add or set with another customer's e-mail (in
// another case) or phone (written differently) exits 2 naming that
// customer's id, and writes nothing.
func TestCustomersIdentityRule(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "crm.db")
	c.ok("customers", "add", "--db", path, "--name", "张伟", "--email", "Zhang.Wei@Example.com", "--phone", "+86 138-0013-8000")
	c.ok("customers", "add", "--db", path, "--name", "Ann", "--email", "ann@example.com")
	c.fails(2, []string{"customers", "add", "--db", path, "--name", "Wei Z", "--email", "zhang.wei@EXAMPLE.com"}, "customer 1", "张伟")
	c.fails(2, []string{"customers", "add", "--db", path, "--name", "Wei Z", "--phone", "8613800138000"}, "customer 1")
	c.fails(2, []string{"customers", "set", "--db", path, "ann@example.com", "--email", "ZHANG.WEI@example.com"}, "customer 1")
	c.fails(2, []string{"customers", "set", "--db", path, "2", "--phone", "(86) 138 0013 8000"}, "customer 1")
	list := decode[[]map[string]any](t, c.ok("customers", "--db", path, "--format", "json").stdout)
	if len(list) != 2 || list[0]["email"] != "Zhang.Wei@Example.com" && list[1]["email"] != "Zhang.Wei@Example.com" {
		t.Errorf("after refusals: %v", list)
	}
	if got := decode[map[string]any](t, c.ok("customers", "show", "--db", path, "zhang.wei@example.COM", "--format", "json").stdout); got["name"] != "张伟" {
		t.Errorf("show by e-mail = %v", got["name"])
	}
}

// TestCustomersMerge: the merge JSON of the contract; a dry run prints the
// same and changes nothing; the same or a missing REF exits 2; unmerge
// brings the merged customer back.
func TestCustomersMerge(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "crm.db")
	c.ok("customers", "add", "--db", path, "--name", "Ann Lee", "--email", "ann@example.com", "--tag", "vip")
	c.ok("customers", "add", "--db", path, "--name", "Ann L.", "--phone", "+1 415 555 0101", "--company", "Acme", "--tag", "beta")
	c.ok("feedback", "add", "--db", path, "--customer", "14155550101", "--text", "refund please", "--csat", "2", "--kind", "complaint")
	c.ok("feedback", "add", "--db", path, "--customer", "ann@example.com", "--text", "thanks", "--csat", "5")
	c.ok("notes", "add", "--db", path, "2", "prefers e-mail")
	c.ok("followup", "add", "--db", path, "--customer", "2", "--due", "+3d", "--note", "call back")
	before := c.ok("customers", "--db", path, "--format", "json").stdout

	dry := decode[map[string]any](t, c.ok("customers", "merge", "--db", path, "+1 415 555 0101", "ann@example.com", "--dry-run", "--format", "json").stdout)
	if after := c.ok("customers", "--db", path, "--format", "json").stdout; after != before {
		t.Fatalf("dry run changed customers:\n%s\n%s", before, after)
	}
	r := c.ok("customers", "merge", "--db", path, "+1 415 555 0101", "ann@example.com", "--format", "json")
	got := decode[map[string]any](t, r.stdout)
	moved := fmt.Sprint(got["moved"])
	if got["from"] != 2.0 || got["into"] != 1.0 || moved != "map[feedback:1 followups:1 keys:0 notes:1 tags:1]" {
		t.Errorf("merge = %v", r.stdout)
	}
	if fmt.Sprint(dry["moved"]) != moved || dry["dry_run"] != true || dry["audit_id"] != nil {
		t.Errorf("dry run = %v", dry)
	}
	survivor := got["customer"].(map[string]any)
	if survivor["phone"] != "+1 415 555 0101" || survivor["company"] != "Acme" || survivor["feedback_n"] != 2.0 ||
		survivor["csat_avg"] != 3.5 || survivor["followups_open"] != 1.0 || fmt.Sprint(survivor["tags"]) != "[beta vip]" {
		t.Errorf("survivor %v", survivor)
	}
	c.fails(1, []string{"customers", "show", "--db", path, "2"}, "no customer")
	c.fails(2, []string{"customers", "merge", "--db", path, "1", "ann@example.com"}, "same customer")
	c.fails(2, []string{"customers", "merge", "--db", path, "nobody@example.com", "1"}, "no customer matches")
	c.fails(2, []string{"customers", "merge", "--db", path, "1"})

	// The table line names the undo.
	line := c.ok("customers", "unmerge", "--db", path, fmt.Sprint(got["audit_id"])).stdout
	if !strings.HasPrefix(line, "restored customer 2 from 1") {
		t.Errorf("unmerge: %q", line)
	}
	back := decode[map[string]any](t, c.ok("customers", "show", "--db", path, "2", "--format", "json").stdout)
	if back["name"] != "Ann L." || back["feedback_n"] != 1.0 || back["followups_open"] != 1.0 {
		t.Errorf("restored %v", back)
	}
	c.fails(2, []string{"customers", "unmerge", "--db", path, "x"}, "not an audit entry")
}

// TestImportRowNamingTwoCustomers: a row whose e-mail is one customer's
// and whose phone is another's is rejected with its line (exit 3); the
// other rows are stored and no duplicate is created.
func TestImportRowNamingTwoCustomers(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "crm.db")
	csv := filepath.Join(dir, "people.csv")
	if err := os.WriteFile(csv, []byte("name,email,phone\nAnn,ann@example.com,\nBen,ben@example.com,+1 415 555 0101\nAnn Lee,ANN@example.com,1 (415) 555-0101\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rejected := filepath.Join(dir, "rejected.csv")
	r := c.run("import", "--db", path, "--preset", "contacts", "--format", "json", "--errors", rejected, csv)
	if r.code != 3 {
		t.Fatalf("exit %d, want 3\n%s%s", r.code, r.stdout, r.stderr)
	}
	rep := decode[map[string]any](t, r.stdout)
	file := rep["files"].([]any)[0].(map[string]any)
	errs := file["errors"].([]any)
	if file["customers_created"] != 2.0 || len(errs) != 1 {
		t.Fatalf("report %s", r.stdout)
	}
	e := errs[0].(map[string]any)
	if e["line"] != 4.0 || !strings.Contains(fmt.Sprint(e["reason"]), "customer 2 (Ben)") {
		t.Errorf("error %v", e)
	}
	if b, err := os.ReadFile(rejected); err != nil || !strings.Contains(string(b), "Ann Lee,ANN@example.com,1 (415) 555-0101,") ||
		!strings.Contains(string(b), "customer 2 (Ben)") {
		t.Errorf("--errors file: %q, %v", b, err)
	}
	list := decode[[]map[string]any](t, c.ok("customers", "--db", path, "--format", "json").stdout)
	if len(list) != 2 {
		t.Errorf("%d customers, want 2", len(list))
	}
}

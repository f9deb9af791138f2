package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

func TestFollowUpCommands(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "f.db")
	c.ok("customers", "add", "--db", path, "--name", "王芳", "--email", "wf@example.cn")
	added := decode[map[string]any](t, c.ok("followup", "add", "--db", path, "--customer", "WF@example.cn",
		"--due", "+2h", "--note", "回电确认退款", "--format", "json").stdout)
	checkShape(t, added, []string{"id", "customer_id", "customer_name", "feedback_id", "assignee", "due_at", "note",
		"status", "campaign", "created_by", "created_at", "done_at", "version"})
	if added["assignee"] != "tester" || added["status"] != "open" || added["feedback_id"] != nil || added["campaign"] != nil {
		t.Errorf("added: %v", added)
	}
	id := fmt.Sprint(added["id"])
	c.ok("followup", "add", "--db", path, "--customer", "1", "--due", "tomorrow", "--assignee", "emma")

	mine := decode[[]map[string]any](t, c.ok("followup", "--db", path, "--format", "json").stdout)
	all := decode[[]map[string]any](t, c.ok("followup", "list", "--db", path, "--all", "--format", "json").stdout)
	if len(mine) != 1 || len(all) != 2 {
		t.Errorf("mine %d, all %d", len(mine), len(all))
	}
	today := decode[[]map[string]any](t, c.ok("followup", "--db", path, "--state", "today", "--all", "--format", "json").stdout)
	if len(today) > 1 {
		t.Errorf("today: %v", today)
	}

	c.ok("followup", "snooze", id, "--db", path, "--until", "next monday")
	c.ok("followup", "reassign", id, "--db", path, "--to", "li.na")
	if out := c.ok("followup", "done", id, "--db", path).stdout; out != "follow-up "+id+" done\n" {
		t.Errorf("done output %q", out)
	}
	done := decode[[]map[string]any](t, c.ok("followup", "--db", path, "--assignee", "li.na", "--state", "done", "--format", "json").stdout)
	if len(done) != 1 || done[0]["done_at"] == nil || done[0]["version"].(float64) != 4 {
		t.Errorf("done: %v", done)
	}
	audit := c.ok("customers", "show", "1", "--db", path).stdout
	if !strings.Contains(audit, "follow-up done") {
		t.Errorf("the timeline should show the done follow-up:\n%s", audit)
	}

	c.fails(2, []string{"followup", "add", "--db", path, "--customer", "1", "--due", "soon"}, "cannot read \"soon\"")
	c.fails(2, []string{"followup", "done", "--db", path}, "needs at least one ID")
	c.fails(2, []string{"followup", "done", "x1", "--db", path}, "not a follow-up id")
	c.fails(2, []string{"followup", "--db", path, "--state", "later"}, "--state must be")
	c.fails(1, []string{"followup", "done", "999", "--db", path}, "not found")
	c.fails(2, []string{"followup", "snooze", id, "--db", path, "--until", "+1d"}, "already done")
}

func TestBackupCommand(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	c.ok("customers", "add", "--db", path, "--name", "Kept")
	copyPath := filepath.Join(dir, "copy.db")
	if out := c.ok("backup", copyPath, "--db", path).stdout; !strings.Contains(out, "backed up") {
		t.Errorf("backup output %q", out)
	}
	list := decode[[]map[string]any](t, c.ok("customers", "--db", copyPath, "--format", "json").stdout)
	if len(list) != 1 || list[0]["name"] != "Kept" {
		t.Errorf("the copy holds %v", list)
	}
	c.fails(1, []string{"backup", copyPath, "--db", path}, "already exists")
	c.fails(1, []string{"backup", path, "--db", path}, "is the database itself")
}

func TestAuditCommand(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "a.db")
	c.ok("customers", "add", "--db", path, "--name", "Audited", "--plan", "free")
	c.ok("customers", "set", "1", "--db", path, "--plan", "pro", "--agent", "alice")
	all := decode[[]map[string]any](t, c.ok("audit", "--db", path, "--format", "json").stdout)
	if len(all) != 2 || all[0]["agent"] != "alice" || all[0]["action"] != "update" || all[1]["agent"] != "tester" {
		t.Fatalf("audit = %v", all)
	}
	checkShape(t, all[0], []string{"at", "agent", "entity", "entity_id", "action", "changes"})
	if fmt.Sprint(all[0]["changes"]) != "map[plan:[free pro]]" {
		t.Errorf("changes = %v", all[0]["changes"])
	}
	mine := decode[[]map[string]any](t, c.ok("audit", "--db", path, "--agent", "alice", "--entity", "customer", "--id", "1", "--format", "json").stdout)
	if len(mine) != 1 {
		t.Errorf("alice's changes: %v", mine)
	}
	if out := c.ok("audit", "--db", path).stdout; !strings.Contains(out, "plan: free → pro") {
		t.Errorf("table:\n%s", out)
	}
}

func TestImportCommand(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "i.db")
	csvPath := filepath.Join(dir, "tickets.csv")
	os.WriteFile(csvPath, []byte("Ticket ID,Customer Name,Customer Email,Subject,Satisfaction Score,Created at\n"+
		"T1,王芳,wf@example.cn,退款慢,非常不满意,2024-03-05 14:22\n"+
		"T2,Emma,emma@example.de,Login fails,7,2024-03-06 09:00\n"+
		"T3,Emma,emma@example.de,\"multi\nline\",good,05/Mar/24 2:22 PM\n"), 0o600)
	r := c.run("import", csvPath, "--db", path, "--format", "json", "--errors", filepath.Join(dir, "bad.csv"))
	if r.code != 3 {
		t.Fatalf("exit %d, want 3 (one row rejected)\n%s%s", r.code, r.stdout, r.stderr)
	}
	rep := decode[map[string]any](t, r.stdout)
	totals := rep["totals"].(map[string]any)
	if totals["feedback_created"].(float64) != 2 || totals["errors"].(float64) != 1 || rep["dry_run"] != false {
		t.Errorf("report: %v", rep)
	}
	files := rep["files"].([]any)
	errs := files[0].(map[string]any)["errors"].([]any)
	e := errs[0].(map[string]any)
	if e["line"].(float64) != 3 || e["column"] != "Satisfaction Score" {
		t.Errorf("row error: %v", e)
	}
	bad, _ := os.ReadFile(filepath.Join(dir, "bad.csv"))
	if !strings.Contains(string(bad), "errors") || !strings.Contains(string(bad), "T2") {
		t.Errorf("errors file:\n%s", bad)
	}
	again := decode[map[string]any](t, c.run("import", csvPath, "--db", path, "--format", "json").stdout)
	if again["totals"].(map[string]any)["unchanged"].(float64) != 2 {
		t.Errorf("re-import: %v", again["totals"])
	}
	junk := filepath.Join(dir, "junk.bin")
	os.WriteFile(junk, append([]byte("PK\x03\x04"), make([]byte, 1000)...), 0o600)
	c.fails(1, []string{"import", junk, "--db", path}, "not a delimited text file")

	// rapport imports: one row per file imported, newest first.
	runs := decode[[]map[string]any](t, c.ok("imports", "--db", path, "--format", "json").stdout)
	if len(runs) != 2 || runs[0]["unchanged"] != float64(2) || runs[1]["feedback_created"] != float64(2) ||
		runs[1]["errors"] != float64(1) || runs[1]["file"] != csvPath {
		t.Errorf("imports: %v", runs)
	}
	if table := c.ok("imports", "--db", path).stdout; !strings.Contains(table, "tickets.csv") || !strings.Contains(table, "UNCHANGED") {
		t.Errorf("imports table:\n%s", table)
	}
	c.fails(2, []string{"imports", "--db", path, "--limit", "0"}, "--limit")
}

func TestFollowUpRecallCommand(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "r.db")
	for i := 0; i < 5; i++ {
		c.ok("customers", "add", "--db", path, "--name", fmt.Sprintf("沉默用户 %d", i), "--plan", "pro", "--ltv", fmt.Sprint(1000*i))
	}
	c.ok("segment", "add", "--db", path, "silent payers", "ltv >= 2000")
	args := []string{"followup", "recall", "--db", path, "--segment", "silent payers", "--due", "+3d",
		"--assignee", "li.na,emma", "--note", "召回：问问最近的使用情况", "--campaign", "2026-11 召回", "--format", "json"}
	first := decode[map[string]any](t, c.ok(args...).stdout)
	if fmt.Sprint(first) != "map[created:3 skipped:0]" {
		t.Errorf("first recall: %v", first)
	}
	second := decode[map[string]any](t, c.ok(args...).stdout)
	if fmt.Sprint(second) != "map[created:0 skipped:3]" {
		t.Errorf("second recall: %v", second)
	}
	camps := decode[[]map[string]any](t, c.ok("followup", "campaigns", "--db", path, "--format", "json").stdout)
	if len(camps) != 1 || camps[0]["campaign"] != "2026-11 召回" || camps[0]["open"] != float64(3) {
		t.Errorf("campaigns: %v", camps)
	}
	c.fails(2, []string{"followup", "recall", "--db", path, "--where", "ltv > 0", "--due", "someday", "--campaign", "x"},
		"someday", "2026-11-25 14:00", "tomorrow")
	c.fails(2, []string{"followup", "recall", "--db", path, "--where", "ltv >", "--due", "+1d", "--campaign", "x"}, "column")
	c.fails(2, []string{"followup", "recall", "--db", path, "--due", "+1d", "--campaign", "x"}, "--segment")
}

func TestDemandCommand(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "d.db")
	c.ok("customers", "add", "--db", path, "--name", "A", "--ltv", "99")
	c.ok("customers", "add", "--db", path, "--name", "B", "--ltv", "9")
	st, err := db.Open(context.Background(), path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range []model.Kind{model.KindComplaint, model.KindQuestion} {
		if _, err := st.AddFeedback(context.Background(), "t", model.Feedback{CustomerID: int64(i + 1), Kind: k,
			Body: "refund please", Category: "Billing/Refund"}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	rows := decode[[]map[string]any](t, c.ok("demand", "--db", path, "--format", "json").stdout)
	if len(rows) != 1 || rows[0]["key"] != "Billing/Refund" || rows[0]["customers_n"] != float64(2) || rows[0]["score"] != 6.5 {
		t.Errorf("demand: %v", rows)
	}
	checkShape(t, rows[0], []string{"key", "feedback_n", "complaints_n", "customers_n", "ltv_sum", "score"})
	c.fails(2, []string{"demand", "--db", path, "--by", "plan"}, "category or tag")
}

// TestImportPresetAndMappingFile: a Zendesk export is named as such in the
// report; --save-map writes the mapping, which, edited, steers the next
// import through --map; an unknown preset or field is a usage error.
func TestImportPresetAndMappingFile(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "zendesk.csv")
	os.WriteFile(csvPath, []byte("Id,Requester,Requester email,Subject,Via,Group,Satisfaction Score,Created at\n"+
		"1,Ana Lima,ana@example.com,Refund please,email,Tier 2,Good,2024-03-05 14:22\n"), 0o600)
	mapPath := filepath.Join(dir, "zd.toml")
	rep := decode[map[string]any](t, c.ok("import", csvPath, "--db", filepath.Join(dir, "a.db"), "--format", "json",
		"--save-map", mapPath).stdout)
	if p := rep["files"].([]any)[0].(map[string]any)["preset"]; p != "zendesk" {
		t.Errorf("preset %v, want zendesk", p)
	}
	data, err := os.ReadFile(mapPath)
	if err != nil || !strings.Contains(string(data), `Group = "attrs"`) || !strings.Contains(string(data), `Via = "feedback.channel"`) {
		t.Fatalf("saved mapping:\n%s %v", data, err)
	}
	os.WriteFile(mapPath, []byte(strings.Replace(string(data), `Group = "attrs"`, `Group = "customer.plan"`, 1)), 0o600)
	other := filepath.Join(dir, "b.db")
	c.ok("import", csvPath, "--db", other, "--map", mapPath)
	if out := c.ok("customers", "--db", other, "--where", `plan = "Tier 2"`).stdout; !strings.Contains(out, "Ana Lima") {
		t.Errorf("the mapping should put Group into the plan:\n%s", out)
	}
	c.fails(2, []string{"import", csvPath, "--db", other, "--preset", "zendeks"}, "unknown preset")
	os.WriteFile(mapPath, []byte("[columns]\nVia = \"feedback.chanel\"\n"), 0o600)
	c.fails(2, []string{"import", csvPath, "--db", other, "--map", mapPath}, "unknown field")
}

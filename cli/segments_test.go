package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// segmentDB makes a database with three customers and five answers:
//
//	Ann  enterprise [vip]   csat 2 (nps 3, complaint, email), csat 1 (phone)
//	Ben  free               no feedback
//	陈静  pro [vip, beta]   csat 5 (nps 10, email), csat 4 (nps 9, chat)
func segmentDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seg.db")
	ctx := context.Background()
	st, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	ip := func(v int) *int { return &v }
	mk := func(c model.Customer, fbs ...model.Feedback) {
		c, err := st.CreateCustomer(ctx, "t", c)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range fbs {
			f.CustomerID, f.Subject = c.ID, "s"
			f.CreatedAt = now.Add(-time.Duration(i+1) * time.Hour)
			if _, err := st.AddFeedback(ctx, "t", f); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk(model.Customer{Name: "Ann", Email: "ann@example.com", Plan: "enterprise", Tags: []string{"vip"}},
		model.Feedback{CSAT: ip(2), NPS: ip(3), Kind: model.KindComplaint, Channel: "email"},
		model.Feedback{CSAT: ip(1), Channel: "phone"})
	mk(model.Customer{Name: "Ben", Email: "ben@example.com", Plan: "free"})
	mk(model.Customer{Name: "陈静", Email: "chen@example.com", Plan: "pro", Tags: []string{"vip", "beta"}},
		model.Feedback{CSAT: ip(5), NPS: ip(10), Channel: "email"},
		model.Feedback{CSAT: ip(4), NPS: ip(9), Channel: "chat"})
	return path
}

func names(rows []map[string]any) string {
	var out []string
	for _, r := range rows {
		out = append(out, r["name"].(string))
	}
	return strings.Join(out, ",")
}

func TestSegmentCommands(t *testing.T) {
	c := newCLI(t)
	path := segmentDB(t)
	d := []string{"--db", path}
	args := func(a ...string) []string { return append(a, d...) }

	// Empty list.
	if out := c.ok(args("segment", "--format", "json")...).stdout; strings.TrimSpace(out) != "[]" {
		t.Errorf("empty segment list = %q", out)
	}
	r := c.ok(args("segment", "add", "unhappy", "csat_avg < 3", "--warn")...)
	if !strings.Contains(r.stdout, "unhappy") || !strings.Contains(r.stdout, "1 customer") {
		t.Errorf("add: %q", r.stdout)
	}
	c.ok(args("segment", "add", "vips", "tag:vip")...)

	list := decode[[]map[string]any](t, c.ok(args("segment", "list", "--format", "json")...).stdout)
	if names(list) != "unhappy,vips" || list[0]["warn"] != true || list[0]["expression"] != "csat_avg < 3" {
		t.Errorf("segment list: %v", list)
	}
	table := c.ok(args("segment")...).stdout
	if lines := strings.Split(strings.TrimRight(table, "\n"), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") {
		t.Errorf("segment table:\n%s", table)
	}
	show := decode[map[string]any](t, c.ok(args("segment", "show", "vips", "--format", "json")...).stdout)
	if show["count"] != 2.0 || show["expression"] != "tag:vip" {
		t.Errorf("show: %v", show)
	}
	if out := c.ok(args("segment", "show", "VIPS")...).stdout; !strings.Contains(out, "customers   2") {
		t.Errorf("show table:\n%s", out)
	}

	// Lists: --where, --segment, warnings.
	rows := decode[[]map[string]any](t, c.ok(args("customers", "--where", "plan in (pro, free)", "--format", "json")...).stdout)
	if names(rows) != "Ben,陈静" {
		t.Errorf("--where: %s", names(rows))
	}
	rows = decode[[]map[string]any](t, c.ok(args("customers", "list", "--segment", "vips", "--where", "plan = pro", "--format", "json")...).stdout)
	if names(rows) != "陈静" {
		t.Errorf("--segment + --where: %s", names(rows))
	}
	rows = decode[[]map[string]any](t, c.ok(args("customers", "--format", "json")...).stdout)
	for _, r := range rows {
		w := r["warnings"].([]any)
		if (r["name"] == "Ann") != (len(w) == 1 && w[0] == "unhappy") {
			t.Errorf("%v warnings %v", r["name"], w)
		}
	}
	if out := c.ok(args("customers")...).stdout; !strings.Contains(out, "⚠ Ann") {
		t.Errorf("table lacks ⚠:\n%s", out)
	}
	showC := decode[map[string]any](t, c.ok(args("customers", "show", "ann@example.com", "--format", "json")...).stdout)
	if w := showC["warnings"].([]any); len(w) != 1 || w[0] != "unhappy" {
		t.Errorf("show warnings %v", w)
	}

	// Mistakes: exit 2 with the column, nothing written.
	c.fails(2, args("customers", "--where", "csat_avg < and"), "at column 12")
	c.fails(2, args("customers", "--where", "plna = pro"), "unknown field", "column 1", "plan")
	c.fails(2, args("segment", "add", "bad", "csat_avg <"), "expected a value after '<' at column 11")
	c.fails(2, args("summary", "--where", "plan = "), "column")
	c.fails(1, args("segment", "show", "nope"), "nope")
	c.fails(1, args("customers", "--segment", "nope"), "nope")
	c.fails(2, args("segment", "add", "x"), "EXPR")

	c.ok(args("segment", "rm", "unhappy")...)
	c.fails(1, args("segment", "rm", "unhappy"), "unhappy")
	if list := decode[[]map[string]any](t, c.ok(args("segment", "--format", "json")...).stdout); names(list) != "vips" {
		t.Errorf("after rm: %v", list)
	}
}

var groupKeysJSON = []string{"key", "feedback_n", "customers_n", "csat_n", "csat_avg", "csat_sat_pct",
	"csat_ci_low", "csat_ci_high", "nps_n", "nps", "nps_moe", "complaints_n", "flag", "trend"}

func TestSummaryCommand(t *testing.T) {
	c := newCLI(t)
	path := segmentDB(t)
	args := func(a ...string) []string { return append(a, "--db", path) }

	sum := decode[map[string]any](t, c.ok(args("summary", "--by", "plan", "--format", "json")...).stdout)
	if len(sum) != 3 || sum["by"] != "plan" {
		t.Errorf("summary keys: %v", sum)
	}
	if r := c.run(args("summary", "--by", "plan", "--bands")...); r.code != exitUsage || !strings.Contains(r.stderr, "use it with --by attr.NAME") {
		t.Errorf("--bands without an attribute: exit %d, %s", r.code, r.stderr)
	}
	overall := sum["overall"].(map[string]any)
	checkGroup := func(g map[string]any) {
		t.Helper()
		if len(g) != len(groupKeysJSON) {
			t.Errorf("group has %d fields: %v", len(g), g)
		}
		for _, k := range groupKeysJSON {
			if _, ok := g[k]; !ok {
				t.Errorf("group lacks %q", k)
			}
		}
		if _, ok := g["trend"].([]any); !ok {
			t.Errorf("trend = %v, want a list", g["trend"])
		}
	}
	checkGroup(overall)
	// csat 2, 1, 5, 4: mean 3, 50% satisfied; nps 3, 10, 9
	if overall["feedback_n"] != 4.0 || overall["csat_avg"] != 3.0 || overall["csat_sat_pct"] != 50.0 ||
		overall["customers_n"] != 2.0 || overall["complaints_n"] != 1.0 {
		t.Errorf("overall %v", overall)
	}
	groups := sum["groups"].([]any)
	if len(groups) != 2 {
		t.Fatalf("groups %v", groups)
	}
	for _, g := range groups {
		checkGroup(g.(map[string]any))
	}
	if g := groups[0].(map[string]any); g["key"] != "enterprise" || g["feedback_n"] != 2.0 || g["csat_avg"] != 1.5 ||
		g["nps"] != -100.0 || g["flag"] != "small" {
		t.Errorf("first group %v", g)
	}

	// No --by: overall only, by null; a group without NPS has null figures.
	sum = decode[map[string]any](t, c.ok(args("summary", "--where", "plan = free", "--format", "json")...).stdout)
	if sum["by"] != nil || len(sum["groups"].([]any)) != 0 {
		t.Errorf("no --by: %v", sum)
	}
	if o := sum["overall"].(map[string]any); o["feedback_n"] != 0.0 || o["csat_avg"] != nil || o["nps"] != nil {
		t.Errorf("empty overall %v", o)
	}

	sum = decode[map[string]any](t, c.ok(args("summary", "--by", "channel", "--trend", "month", "--format", "json")...).stdout)
	if g := sum["groups"].([]any)[0].(map[string]any); g["key"] != "email" || len(g["trend"].([]any)) != 1 {
		t.Errorf("by channel with trend: %v", g)
	}
	c.ok(args("segment", "add", "vips", "tag:vip")...)
	sum = decode[map[string]any](t, c.ok(args("summary", "--segments", "--format", "json")...).stdout)
	if g := sum["groups"].([]any)[0].(map[string]any); sum["by"] != "segment" || g["key"] != "vips" || g["feedback_n"] != 4.0 {
		t.Errorf("--segments: %v", sum)
	}
	tomorrow := time.Now().AddDate(0, 0, 1).Format("2006-01-02")
	sum = decode[map[string]any](t, c.ok(args("summary", "--since", tomorrow, "--format", "json")...).stdout)
	if o := sum["overall"].(map[string]any); o["feedback_n"] != 0.0 {
		t.Errorf("--since tomorrow: %v", o)
	}

	// Table: header, overall and one line per group, aligned.
	out := c.ok(args("summary", "--by", "tag", "--trend", "week")...).stdout
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "TAG") || !strings.HasPrefix(lines[1], "(all)") {
		t.Fatalf("summary table:\n%s", out)
	}
	col := ansi.StringWidth(lines[0][:strings.Index(lines[0], "FEEDBACK")+len("FEEDBACK")])
	for _, l := range lines[1:] {
		fields := strings.Fields(l)
		end := strings.Index(l, " "+fields[1]+" ") + 1 + len(fields[1])
		if w := ansi.StringWidth(l[:end]); w != col {
			t.Errorf("feedback count ends at %d, header at %d: %q", w, col, l)
		}
	}

	c.fails(2, args("summary", "--by", "colour"), "colour")
	c.fails(2, args("summary", "--by", "plan", "--segments"), "--segments")
	c.fails(2, args("summary", "--trend", "day"), "week or month")
	c.fails(2, args("summary", "--since", "yesterday-ish"), "--since")
	c.fails(2, args("summary", "--format", "xml"), "xml")
}

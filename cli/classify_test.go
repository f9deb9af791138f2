package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestFeedbackClassifyCommands(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "c.db")
	c.ok("customers", "add", "--db", path, "--name", "王芳", "--email", "wf@example.cn")
	// A rule fills what a new item leaves empty.
	rule := decode[map[string]any](t, c.ok("rules", "add", "--db", path, "--match", "退款|refund", "--category", "Billing/Refund",
		"--tag", "refund", "--format", "json").stdout)
	checkShape(t, rule, []string{"id", "match", "category", "tags", "kind", "priority", "created_by", "created_at"})
	c.fails(2, []string{"rules", "add", "--db", path, "--match", "refund(", "--category", "Billing/Refund"}, "column")

	fb := decode[map[string]any](t, c.ok("feedback", "add", "--db", path, "--customer", "WF@example.cn", "--text", "申请退款两周了还没到账",
		"--kind", "complaint", "--csat", "2", "--channel", "Phone", "--format", "json").stdout)
	if fb["category"] != "Billing/Refund" || fmt.Sprint(fb["tags"]) != "[refund]" || fb["csat"] != float64(2) ||
		fb["channel"] != "phone" || fb["kind"] != "complaint" {
		t.Errorf("feedback add: %v", fb)
	}
	id := fmt.Sprint(fb["id"])
	v := fmt.Sprint(fb["version"])
	// Invalid values exit 2 and write nothing.
	c.fails(2, []string{"feedback", "add", "--db", path, "--customer", "1", "--text", "x", "--csat", "7"}, "--csat")
	c.fails(2, []string{"feedback", "set", id, "--db", path, "--status", "done"}, "status")
	c.ok("feedback", "set", id, "--db", path, "--status", "resolved", "--tag", "+vip", "--if-version", v, "--agent", "alice")
	c.fails(4, []string{"feedback", "set", id, "--db", path, "--priority", "high", "--if-version", v}, "changed", "alice")
	list := decode[[]map[string]any](t, c.ok("feedback", "--db", path, "--format", "json", "--status", "resolved").stdout)
	if len(list) != 1 || list[0]["priority"] != "normal" || !strings.Contains(fmt.Sprint(list[0]["tags"]), "vip") {
		t.Errorf("after set: %v", list)
	}
	// Categories and rules apply.
	c.ok("categories", "add", "--db", path, "物流/配送延迟")
	cats := decode[[]string](t, c.ok("categories", "--db", path, "--format", "json").stdout)
	if !strings.Contains(strings.Join(cats, ","), "物流/配送延迟") {
		t.Errorf("categories: %v", cats)
	}
	c.ok("feedback", "add", "--db", path, "--customer", "1", "--text", "快递三天没动")
	c.ok("rules", "add", "--db", path, "--match", "快递", "--category", "物流/配送延迟")
	applied := decode[map[string]int](t, c.ok("rules", "apply", "--db", path).stdout)
	if applied["matched"] != 2 || applied["changed"] != 1 { // both match a rule; one had something to fill
		t.Errorf("rules apply: %v", applied)
	}
	again := decode[map[string]int](t, c.ok("rules", "apply", "--db", path).stdout)
	if again["changed"] != 0 {
		t.Errorf("a second apply should change nothing: %v", again)
	}
}

package cli

import "testing"

// TestWhereNamesSavedSegment: --where takes segment:"NAME" (and segment =
// NAME) on every command that takes an expression; an unknown name or a
// cycle is a usage error naming the column.
func TestWhereNamesSavedSegment(t *testing.T) {
	c := newCLI(t)
	path := segmentDB(t)
	args := func(a ...string) []string { return append(a, "--db", path) }
	c.ok(args("segment", "add", "churn warning", "csat_avg < 3", "--warn")...)
	c.ok(args("segment", "add", "vips", "tag:vip")...)
	c.ok(args("segment", "add", "vip churn", `segment:"churn warning" and segment = vips`)...)

	rows := decode[[]map[string]any](t, c.ok(args("customers", "--where", `segment:"churn warning"`, "--format", "json")...).stdout)
	if names(rows) != "Ann" {
		t.Errorf(`--where segment:"churn warning": %s`, names(rows))
	}
	rows = decode[[]map[string]any](t, c.ok(args("customers", "--where", `segment != "vip churn" and plan != free`, "--format", "json")...).stdout)
	if names(rows) != "陈静" {
		t.Errorf("--where segment != ...: %s", names(rows))
	}
	sum := decode[map[string]any](t, c.ok(args("summary", "--by", "plan", "--where", `segment:"vip churn"`, "--format", "json")...).stdout)
	if o, _ := sum["overall"].(map[string]any); o == nil || o["customers_n"] != float64(1) {
		t.Errorf("summary over a segment reference: %v", sum["overall"])
	}
	c.fails(2, args("customers", "--where", `plan = pro or segment:"nope"`), `unknown segment "nope"`, "column 15")
	c.fails(2, args("segment", "add", "vips", `segment:"vip churn"`), "refers to itself")
	c.fails(2, args("segment", "add", "dangling", `segment:nowhere`), `unknown segment "nowhere"`)
}

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportReportsColumnDecisions: the table report says why each column
// got its field, counts the plain attribute columns, and words the
// findings; the JSON report lists every column with its field, level and
// evidence, and the counts of what was kept without being understood.
func TestImportReportsColumnDecisions(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "survey.csv")
	os.WriteFile(csvPath, []byte("satisfaction,How likely are you to recommend us?,Contact,Store,explication\n"+
		"10,9,ann@example.com,Lyon,NA\n3,NA,bo@example.com,Paris,trop cher\n7,10,cy@example.com,Lyon,-\n"), 0o600)
	c := newCLI(t)
	table := c.ok("import", csvPath, "--db", filepath.Join(dir, "a.db")).stdout
	for _, want := range []string{
		"satisfaction: 0–10 scale, not CSAT 1–5 → kept as attribute",
		"How likely are you to recommend us?: 0–10 scale → feedback.nps",
		"Contact: 100% e-mails → customer.email",
		"explication: by its header → feedback.body",
		"+ 1 more columns kept as customer attributes",
		"note: no creation-date column: 3 feedback flagged undated, dated just before the oldest feedback",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("the table report lacks %q:\n%s", want, table)
		}
	}
	rep := decode[map[string]any](t, c.ok("import", csvPath, "--db", filepath.Join(dir, "b.db"), "--format", "json").stdout)
	file := rep["files"].([]any)[0].(map[string]any)
	cols := file["columns"].([]any)
	if len(cols) != 5 || file["preset"] != "survey" {
		t.Fatalf("%d columns in the JSON report, want 5; preset %v", len(cols), file["preset"])
	}
	store := cols[3].(map[string]any)
	if store["header"] != "Store" || store["field"] != "attrs" || store["level"] != "customer" || store["evidence"] == "" {
		t.Errorf("Store column: %v", store)
	}
	if file["undated"].(float64) != 3 || file["unknown_scores"].(float64) != 0 || file["no_person"].(float64) != 0 {
		t.Errorf("findings: undated %v, unknown_scores %v, no_person %v", file["undated"], file["unknown_scores"], file["no_person"])
	}
	if uv, ok := file["unknown_values"].([]any); !ok || len(uv) != 0 {
		t.Errorf("unknown_values should be []: %v", file["unknown_values"])
	}
}

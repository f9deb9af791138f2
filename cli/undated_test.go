package cli

import (
	"path/filepath"
	"testing"
)

// TestUndatedStayBelowLaterDatedImports: a file without a date column
// imported first into an empty database takes the import's own time; a
// dated export imported after it, from long before, must not sort below
// it. The undated rows move to just before the oldest dated item, the
// customers' last contact and the summaries follow, and importing both
// files again changes nothing (issue 15: nothing on top of the Inbox by
// default).
func TestUndatedStayBelowLaterDatedImports(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	dbp := filepath.Join(dir, "t.db")
	undated := writeFile(t, filepath.Join(dir, "reviews.csv"),
		"Ticket ID,Email,Subject,CSAT\n"+
			"u1,ann@example.com,No date here,2\n"+
			"u2,bob@example.com,Nor here,5\n")
	dated := writeFile(t, filepath.Join(dir, "tickets.csv"),
		"Ticket ID,Email,Subject,CSAT,Created\n"+
			"d1,cy@example.com,Old ticket,4,2024-03-05 10:00\n"+
			"d2,ann@example.com,Older ticket,3,2023-11-20 09:30\n")
	c.ok("--db", dbp, "import", "--preset", "tickets", "--source", "reviews", undated)
	c.ok("--db", dbp, "import", "--preset", "tickets", "--source", "desk", dated)

	type fb struct {
		ExternalID string            `json:"external_id"`
		CreatedAt  string            `json:"created_at"`
		Attrs      map[string]string `json:"attrs"`
	}
	list := decode[[]fb](t, c.ok("--db", dbp, "feedback", "--limit", "0", "--format", "json").stdout)
	at := map[string]string{}
	for _, f := range list {
		at[f.ExternalID] = f.CreatedAt
	}
	if len(at) != 4 {
		t.Fatalf("feedback: %+v", list)
	}
	for _, u := range []string{"u1", "u2"} {
		if at[u] != "2023-11-20T09:29:59Z" {
			t.Errorf("undated %s is at %s, want one second before the oldest dated item (2023-11-20T09:30:00Z)", u, at[u])
		}
	}
	// The Inbox's first page, newest first, starts with the dated tickets.
	if list[0].ExternalID != "d1" || list[1].ExternalID != "d2" {
		t.Errorf("newest first: %s, %s", list[0].ExternalID, list[1].ExternalID)
	}
	type cust struct {
		Email         string `json:"email"`
		LastContactAt string `json:"last_contact_at"`
	}
	for _, cu := range decode[[]cust](t, c.ok("--db", dbp, "customers", "--limit", "0", "--format", "json").stdout) {
		if cu.Email == "bob@example.com" && cu.LastContactAt != "2023-11-20T09:29:59Z" {
			t.Errorf("bob's last contact follows his only (undated) feedback: %s", cu.LastContactAt)
		}
	}
	sum := decode[attrSummary](t, c.ok("--db", dbp, "summary", "--by", "month", "--format", "json").stdout)
	months := map[string]int{}
	for _, g := range sum.Groups {
		months[g.Key] = g.FeedbackN
	}
	if months["2023-11"] != 3 || months["2024-03"] != 1 || len(months) != 2 {
		t.Errorf("summary by month after the move: %v", months)
	}
	for _, f := range []string{undated, dated} {
		src := map[string]string{undated: "reviews", dated: "desk"}[f]
		rep := decode[struct {
			Totals struct {
				Rows      int `json:"rows"`
				Unchanged int `json:"unchanged"`
			} `json:"totals"`
		}](t, c.ok("--db", dbp, "import", "--preset", "tickets", "--source", src, "--format", "json", f).stdout)
		if rep.Totals.Unchanged != rep.Totals.Rows {
			t.Errorf("re-importing %s: %+v", filepath.Base(f), rep.Totals)
		}
	}
}

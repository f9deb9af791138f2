package storetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// testHousekeeping: status counts, attribute names, checks, backup,
// import history and likely duplicates.
func testHousekeeping(t *testing.T, st model.Store) {
	fx := seed(t, st)
	must(st.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: fx.customers[0].ID, Assignee: "li.na", Due: base.AddDate(-1, 0, 0)}))(t)
	s := must(st.Stats(ctx, "li.na"))(t)
	if s.Customers != len(fx.customers) || s.Feedback != len(fx.feedback) || s.Overdue != 1 || s.OpenFollowups < 1 {
		t.Errorf("stats = %+v, want %d customers, %d feedback, 1 overdue", s, len(fx.customers), len(fx.feedback))
	}
	keys := map[string]string{}
	for _, k := range must(st.AttrKeys(ctx))(t) {
		keys[k.Name] = k.Level
	}
	if keys["tier"] != model.AttrBoth {
		t.Errorf("attribute names = %v, want tier at both levels", keys)
	}
	if p := must(st.QuickCheck(ctx))(t); p != nil {
		t.Errorf("quick check of a sound store: %v", p)
	}
	if p := must(st.IntegrityCheck(ctx))(t); p != nil {
		t.Errorf("integrity check of a sound store: %v", p)
	}
	dest := filepath.Join(t.TempDir(), "backup")
	if err := st.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dest); err != nil || fi.Size() == 0 {
		t.Errorf("backup wrote %v, %v", fi, err)
	}
	if err := st.Backup(ctx, dest); err == nil {
		t.Errorf("a backup overwrote an existing file")
	}
	run := model.ImportRun{File: "tickets.csv", Preset: "zendesk", Encoding: "utf-8", Delimiter: ",", Source: "zendesk", Agent: "li.na",
		StartedAt: base, FinishedAt: base.Add(time.Second), ImportCounts: model.ImportCounts{Rows: 3, FeedbackCreated: 3}}
	if _, err := st.RecordImportRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	runs := must(st.ImportRuns(ctx, 10))(t)
	if len(runs) != 1 || runs[0].File != "tickets.csv" || runs[0].FeedbackCreated != 3 || runs[0].Agent != "li.na" {
		t.Errorf("import runs = %+v", runs)
	}
	a := create(t, st, "t", model.Customer{Name: "Zhang Wei", Email: "zhang.wei@gmail.com"})
	b := create(t, st, "t", model.Customer{Name: "张伟", Email: "ZhangWei+shop@gmail.com"})
	found := false
	for _, p := range must(st.DuplicatePairs(ctx, 100))(t) {
		if (p.A.ID == a.ID && p.B.ID == b.ID) || (p.A.ID == b.ID && p.B.ID == a.ID) {
			found = strings.Contains(strings.Join(p.Reasons, ","), "email")
		}
	}
	if !found {
		t.Errorf("zhang.wei@gmail.com and ZhangWei+shop@gmail.com are not a likely duplicate")
	}
	if st.Path() == "" {
		t.Errorf("Path is empty")
	}
}

package storetest

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// testNotesAndDetail: notes on a profile and on an item land on the
// customer's timeline (newest first) and in the item's detail, with the
// follow-ups promised on the item.
func testNotesAndDetail(t *testing.T, st model.Store) {
	c := create(t, st, "t", model.Customer{Name: "A"})
	f := addFeedback(t, st, "li.na", model.Feedback{CustomerID: c.ID, Subject: "s", Body: "b", CreatedAt: base.Add(-time.Hour)})
	n := must(st.AddNote(ctx, "emma", model.Note{CustomerID: c.ID, Body: "prefers 电话"}))(t)
	if n.ID == 0 || n.Agent != "emma" || n.CustomerID != c.ID || n.Body != "prefers 电话" {
		t.Errorf("note = %+v", n)
	}
	if _, err := st.AddNote(ctx, "emma", model.Note{CustomerID: c.ID + 1000, Body: "x"}); !isErr(err, model.ErrNotFound) {
		t.Errorf("a note on a missing customer: %v", err)
	}
	fn := must(st.AddFeedbackNote(ctx, "zhang", f.ID, "called, will refund"))(t)
	fu := must(st.AddFollowUp(ctx, "zhang", model.FollowUp{CustomerID: c.ID, FeedbackID: &f.ID, Due: base.Add(time.Hour), Note: "refund"}))(t)
	d := must(st.FeedbackDetail(ctx, f.ID))(t)
	if d.Feedback.ID != f.ID || len(d.FollowUps) != 1 || d.FollowUps[0].ID != fu.ID || len(d.History) == 0 {
		t.Errorf("detail = %+v", d)
	}
	tl := must(st.Timeline(ctx, c.ID, 50))(t)
	kinds := map[string]int{}
	for i, e := range tl {
		kinds[e.Type]++
		if i > 0 && e.At.After(tl[i-1].At) {
			t.Errorf("timeline not newest first at %d", i)
		}
	}
	if kinds["feedback"] != 1 || kinds["note"] != 2 || kinds["followup"] < 1 {
		t.Errorf("timeline kinds %v", kinds)
	}
	item := must(st.TimelineItem(ctx, "note", fn.ID))(t)
	if item.Note == nil || item.Note.Body != "called, will refund" {
		t.Errorf("timeline item = %+v", item)
	}
	item = must(st.TimelineItem(ctx, "followup", fu.ID))(t)
	if item.FollowUp == nil || item.FollowUp.Note != "refund" {
		t.Errorf("timeline follow-up = %+v", item)
	}
	if _, err := st.TimelineItem(ctx, "note", fn.ID+1000); !isErr(err, model.ErrNotFound) {
		t.Errorf("a missing note: %v", err)
	}
	sh := must(st.ScoreHistory(ctx, c.ID, 10))(t)
	if len(sh) != 0 {
		t.Errorf("score history without scores: %+v", sh)
	}
}

// testAddFeedbackKeepsAttrs: what AddFeedback is given is stored or
// refused, never dropped: an item's own attributes come back.
func testAddFeedbackKeepsAttrs(t *testing.T, st model.Store) {
	c := create(t, st, "t", model.Customer{Name: "A"})
	f := addFeedback(t, st, "t", model.Feedback{CustomerID: c.ID, Body: "b", Attrs: map[string]string{"order": "A-1"}})
	if got := must(st.Feedback(ctx, f.ID))(t); got.Attrs["order"] != "A-1" {
		t.Errorf("AddFeedback dropped the item's attributes: %v", got.Attrs)
	}
}

// testViews: saved views are per screen, replaced by name, deleted.
func testViews(t *testing.T, st model.Store) {
	v := must(st.SaveView(ctx, "li.na", model.SavedView{Screen: "inbox", Name: "my complaints",
		Filters: model.ViewFilters{Status: model.StatusOpen, Kind: model.KindComplaint, Agent: "li.na"}}))(t)
	if v.ID == 0 || v.CreatedBy != "li.na" {
		t.Errorf("saved %+v", v)
	}
	must(st.SaveView(ctx, "emma", model.SavedView{Screen: "inbox", Name: "my complaints",
		Filters: model.ViewFilters{Kind: model.KindComplaint}}))(t)
	must(st.SaveView(ctx, "emma", model.SavedView{Screen: "inbox", Name: "refunds", Filters: model.ViewFilters{Search: "退款"}}))(t)
	vs := must(st.Views(ctx, "inbox"))(t)
	if len(vs) != 2 || vs[0].Name != "my complaints" || vs[0].Filters.Status != "" || vs[1].Filters.Search != "退款" {
		t.Errorf("views = %+v", vs)
	}
	if err := st.DeleteView(ctx, "emma", vs[1].ID); err != nil {
		t.Fatal(err)
	}
	if vs := must(st.Views(ctx, "inbox"))(t); len(vs) != 1 {
		t.Errorf("after delete: %+v", vs)
	}
}

// testDemand: demand by category and by tag counts what a scan counts,
// and scores by the documented formula, best first.
func testDemand(t *testing.T, st model.Store) {
	seed(t, st)
	fb, cust := allFeedback(t, st), customersByID(t, st)
	for _, by := range []string{"category", "tag"} {
		type acc struct {
			n, compl  int
			who, comp map[int64]bool
		}
		want := map[string]*acc{}
		for _, f := range fb {
			keys := []string{orNone(f.Category)}
			if by == "tag" {
				keys = f.Tags
			}
			for _, k := range keys {
				a := want[k]
				if a == nil {
					a = &acc{who: map[int64]bool{}, comp: map[int64]bool{}}
					want[k] = a
				}
				a.n++
				a.who[f.CustomerID] = true
				if f.Kind == model.KindComplaint {
					a.compl++
					a.comp[f.CustomerID] = true
				}
			}
		}
		rows := must(st.Demand(ctx, model.DemandQuery{By: by}))(t)
		if len(rows) != len(want) {
			t.Errorf("demand by %s: %d rows, scan %d", by, len(rows), len(want))
		}
		for i, r := range rows {
			a := want[r.Key]
			if a == nil {
				t.Errorf("demand by %s: %q not in the scan", by, r.Key)
				continue
			}
			ltv, score := 0.0, 0.0
			for id := range a.who {
				ltv += cust[id].LTV
				s := 1 + math.Log10(1+cust[id].LTV)
				if a.comp[id] {
					s *= 1.5
				}
				score += s
			}
			if r.FeedbackN != a.n || r.ComplaintsN != a.compl || r.CustomersN != len(a.who) ||
				math.Abs(r.LTVSum-ltv) > 1e-6 || math.Abs(r.Score-score) > 1e-6 {
				t.Errorf("demand by %s %q = %+v, scan n=%d complaints=%d customers=%d ltv=%v score=%v",
					by, r.Key, r, a.n, a.compl, len(a.who), ltv, score)
			}
			if i > 0 && r.Score > rows[i-1].Score {
				t.Errorf("demand by %s: %q ranked below a lower score", by, r.Key)
			}
		}
	}
}

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

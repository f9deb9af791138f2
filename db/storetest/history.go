package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// testAudit: every write is recorded under its agent, newest first, with
// each changed field's old and new value; the filters filter.
func testAudit(t *testing.T, st model.Store) {
	c := create(t, st, "alice", model.Customer{Name: "A", Plan: "free"})
	plan := "pro"
	must(st.UpdateCustomer(ctx, "bob", c.ID, model.CustomerPatch{Plan: &plan}, 0))(t)
	f := addFeedback(t, st, "carol", model.Feedback{CustomerID: c.ID, Body: "x"})
	resolved := model.StatusResolved
	must(st.SetFeedback(ctx, "dave", []int64{f.ID}, model.FeedbackPatch{Status: &resolved}, 0))(t)
	fu := must(st.AddFollowUp(ctx, "erin", model.FollowUp{CustomerID: c.ID, Due: base}))(t)
	if err := st.FollowUpDone(ctx, "frank", fu.ID); err != nil {
		t.Fatal(err)
	}
	entries := func(q model.AuditQuery) string {
		t.Helper()
		var out []string
		for _, e := range must(st.Audit(ctx, q))(t) {
			out = append(out, fmt.Sprintf("%s:%s:%d:%s", e.Agent, e.Entity, e.EntityID, e.Action))
		}
		return strings.Join(out, " ")
	}
	cust := entries(model.AuditQuery{Entity: "customer", ID: c.ID})
	if want := fmt.Sprintf("bob:customer:%d:update alice:customer:%d:create", c.ID, c.ID); cust != want {
		t.Errorf("customer audit = %s, want %s", cust, want)
	}
	log := must(st.Audit(ctx, model.AuditQuery{Entity: "customer", ID: c.ID, Limit: 1}))(t)
	if len(log) != 1 || fmt.Sprint(log[0].Changes["plan"]) != "[free pro]" || log[0].At.IsZero() {
		t.Errorf("newest customer entry = %+v", log)
	}
	fbLog := must(st.Audit(ctx, model.AuditQuery{Entity: "feedback", ID: f.ID}))(t)
	if len(fbLog) != 2 || fbLog[0].Agent != "dave" || fbLog[0].Action != "update" ||
		fmt.Sprint(fbLog[0].Changes["status"]) != "[open resolved]" || fbLog[1].Agent != "carol" || fbLog[1].Action != "create" {
		t.Errorf("feedback audit = %+v", fbLog)
	}
	for _, agent := range []string{"alice", "bob", "carol", "dave", "erin", "frank"} {
		got := must(st.Audit(ctx, model.AuditQuery{Agent: agent}))(t)
		if len(got) == 0 {
			t.Errorf("nothing recorded for %s", agent)
		}
		for _, e := range got {
			if e.Agent != agent {
				t.Errorf("audit for %s lists %+v", agent, e)
			}
		}
	}
	fuLog := must(st.Audit(ctx, model.AuditQuery{Entity: "followup", ID: fu.ID}))(t)
	if len(fuLog) != 2 || fuLog[0].Agent != "frank" || fuLog[1].Agent != "erin" {
		t.Errorf("follow-up audit = %+v", fuLog)
	}
	all := must(st.Audit(ctx, model.AuditQuery{}))(t)
	for i := 1; i < len(all); i++ {
		if all[i].At.After(all[i-1].At) {
			t.Errorf("audit not newest first at %d", i)
		}
	}
	if later := must(st.Audit(ctx, model.AuditQuery{Since: time.Now().Add(time.Hour)}))(t); len(later) != 0 {
		t.Errorf("%d entries after an hour from now", len(later))
	}
}

// testUndoRedo: writes made as TUI actions are undone newest first and
// redone, with the records and figures back each time, and the undo and
// redo audited; another agent has nothing to undo.
func testUndoRedo(t *testing.T, st model.Store) {
	tui := model.RecordActions(ctx)
	c, err := st.CreateCustomer(tui, "li.na", model.Customer{Name: "A", Plan: "free"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.AddFeedback(tui, "li.na", model.Feedback{CustomerID: c.ID, Kind: model.KindComplaint, Body: "x", CSAT: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	resolved := model.StatusResolved
	cat := "Billing"
	ensureCategories(t, st, cat)
	if _, err := st.SetFeedback(tui, "li.na", []int64{f.ID}, model.FeedbackPatch{Status: &resolved}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetFeedback(tui, "li.na", []int64{f.ID}, model.FeedbackPatch{Category: &cat, AddTags: []string{"vip"}}, 0); err != nil {
		t.Fatal(err)
	}
	plan := "pro"
	if _, err := st.UpdateCustomer(tui, "li.na", c.ID, model.CustomerPatch{Plan: &plan}, 0); err != nil {
		t.Fatal(err)
	}
	state := func() string {
		fb := must(st.Feedback(ctx, f.ID))(t)
		cu := must(st.Customer(ctx, c.ID))(t)
		return fmt.Sprintf("%s/%s/%v/%s/open=%d", fb.Status, fb.Category, fb.Tags, cu.Plan, cu.ComplaintsOpen)
	}
	steps := []string{state()}
	if steps[0] != "resolved/Billing/[vip]/pro/open=0" {
		t.Fatalf("after the writes: %s", steps[0])
	}
	if _, err := st.Undo(tui, "emma", 0); err == nil {
		t.Errorf("emma undid li.na's action")
	}
	for _, want := range []string{"resolved/Billing/[vip]/free/open=0", "resolved//[]/free/open=0", "open//[]/free/open=1"} {
		a, err := st.Undo(tui, "li.na", 0)
		if err != nil || a.State != model.ActionUndone || a.Agent != "li.na" {
			t.Fatalf("undo: %+v, %v", a, err)
		}
		if got := state(); got != want {
			t.Errorf("after undoing %s: %s, want %s", a.Kind, got, want)
		}
		checkFigures(t, st, "after an undo")
		checkSummaries(t, st, "after an undo")
		steps = append(steps, want)
	}
	for i := len(steps) - 2; i >= 0; i-- {
		a, err := st.Redo(tui, "li.na", 0)
		if err != nil || a.State != model.ActionRedone {
			t.Fatalf("redo: %+v, %v", a, err)
		}
		if got := state(); got != steps[i] {
			t.Errorf("after redoing %s: %s, want %s", a.Kind, got, steps[i])
		}
		checkFigures(t, st, "after a redo")
		checkSummaries(t, st, "after a redo")
	}
	acts := must(st.Activity(ctx, "li.na", 0, 10))(t)
	if len(acts.Rows) < 5 {
		t.Errorf("activity lists %d actions, want at least 5", len(acts.Rows))
	}
	log := must(st.Audit(ctx, model.AuditQuery{Entity: "feedback", ID: f.ID}))(t)
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "redo redo undo undo update update create" {
		t.Errorf("feedback audit: %s", got)
	}
	// Someone else's change since makes an undo refused, changing nothing.
	if _, err := st.Undo(tui, "li.na", 0); err != nil {
		t.Fatal(err)
	}
	must(st.Redo(tui, "li.na", 0))(t)
	city := "杭州"
	must(st.UpdateCustomer(ctx, "emma", c.ID, model.CustomerPatch{City: &city}, 0))(t)
	before := state()
	var ue *model.UndoError
	if _, err := st.Undo(tui, "li.na", 0); !errors.As(err, &ue) {
		t.Errorf("undo over emma's change: %v", err)
	}
	if got := state(); got != before {
		t.Errorf("a refused undo changed %s to %s", before, got)
	}
}

// testUndoBulk: a bulk edit's UndoID puts back each item it changed,
// except items someone changed since.
func testUndoBulk(t *testing.T, st model.Store) {
	fx := seed(t, st)
	some := feedbackIDs(fx.feedback[:6])
	before := map[int64]model.Feedback{}
	for _, id := range some {
		before[id] = must(st.Feedback(ctx, id))(t)
	}
	prio := model.PriorityHigh
	res := must(st.SetFeedback(ctx, "li.na", some, model.FeedbackPatch{Priority: &prio, AddTags: []string{"bulk"}}, 0))(t)
	if res.Changed != 6 || res.UndoID == 0 {
		t.Fatalf("bulk = %+v", res)
	}
	low := model.PriorityLow
	must(st.SetFeedback(ctx, "emma", some[:1], model.FeedbackPatch{Priority: &low}, 0))(t)
	n := must(st.UndoBulk(ctx, "li.na", res.UndoID))(t)
	if n != 5 {
		t.Errorf("restored %d, want 5 (one changed since)", n)
	}
	for i, id := range some {
		f := must(st.Feedback(ctx, id))(t)
		if i == 0 {
			if f.Priority != model.PriorityLow {
				t.Errorf("item changed since was overwritten: %+v", f)
			}
			continue
		}
		if f.Priority != before[id].Priority || fmt.Sprint(f.Tags) != fmt.Sprint(before[id].Tags) || f.Version != before[id].Version+2 {
			t.Errorf("item %d: %s %v v%d, want %s %v v%d", id, f.Priority, f.Tags, f.Version,
				before[id].Priority, before[id].Tags, before[id].Version+2)
		}
	}
	if n, err := st.UndoBulk(ctx, "li.na", res.UndoID); err == nil && n != 0 {
		t.Errorf("a second UndoBulk restored %d", n)
	}
	checkFigures(t, st, "after UndoBulk")
	checkSummaries(t, st, "after UndoBulk")
}

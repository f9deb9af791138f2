package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// tui is the context the TUI writes with: every write is an action.
var tui = model.RecordActions(ctx)

func undoStore(t *testing.T) *Store {
	t.Helper()
	s := openTemp(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { now = now.Add(time.Second); return now }
	return s
}

func mustUndo(t *testing.T, s *Store, agent string, redo bool) model.Action {
	t.Helper()
	step := s.Undo
	if redo {
		step = s.Redo
	}
	a, err := step(tui, agent, 0)
	if err != nil {
		t.Fatalf("redo=%v: %v", redo, err)
	}
	return a
}

func classification(t *testing.T, s *Store, ids ...int64) string {
	t.Helper()
	var out []string
	for _, id := range ids {
		f, err := s.Feedback(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s/%s/%s/%s/%v/%v", f.Status, f.Priority, f.Kind, f.Category, f.Tags, f.ResolvedAt != nil))
	}
	return strings.Join(out, " ")
}

// TestUndoRedoClassificationSteps: two bulk edits, each undone in turn
// (the second undo is what the Inbox's single undo could not do), then
// redone, with the figures and aggregates equal to a recomputation at
// every step.
func TestUndoRedoClassificationSteps(t *testing.T) {
	s := undoStore(t)
	c1 := mustCreate(t, s, model.Customer{Name: "A", Plan: "pro"})
	c2 := mustCreate(t, s, model.Customer{Name: "B", Plan: "free"})
	var ids []int64
	for i, c := range []int64{c1.ID, c2.ID, c1.ID} {
		f, err := s.AddFeedback(ctx, "li.na", model.Feedback{CustomerID: c, Kind: model.KindComplaint, Channel: "email",
			Subject: fmt.Sprint("item ", i), CSAT: ip(2 + i), Tags: []string{"old"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.ID)
	}
	start := classification(t, s, ids...)
	cat := "Billing/Refund"
	if _, err := s.SetFeedback(tui, "li.na", ids, model.FeedbackPatch{Category: &cat, AddTags: []string{"vip"}, RemoveTags: []string{"old"}}, 0); err != nil {
		t.Fatal(err)
	}
	afterCat := classification(t, s, ids...)
	resolved := model.StatusResolved
	if _, err := s.SetFeedback(tui, "li.na", ids[:2], model.FeedbackPatch{Status: &resolved}, 0); err != nil {
		t.Fatal(err)
	}
	afterStatus := classification(t, s, ids...)
	sameSummaries(t, s, "after both edits")
	figuresMatch(t, s, "after both edits")

	if a := mustUndo(t, s, "li.na", false); a.Kind != "classify" || a.Summary != "status → resolved" || a.Items != 2 || a.State != model.ActionUndone {
		t.Errorf("first undo: %+v", a)
	}
	if got := classification(t, s, ids...); got != afterCat {
		t.Errorf("after undoing the status: %s, want %s", got, afterCat)
	}
	sameSummaries(t, s, "after the first undo")
	figuresMatch(t, s, "after the first undo")
	mustUndo(t, s, "li.na", false)
	if got := classification(t, s, ids...); got != start {
		t.Errorf("after undoing the category too: %s, want %s", got, start)
	}
	sameSummaries(t, s, "after the second undo")
	figuresMatch(t, s, "after the second undo")
	if _, err := s.Undo(tui, "li.na", 0); err == nil || err.Error() != "nothing to undo" {
		t.Errorf("a third undo: %v", err)
	}
	mustUndo(t, s, "li.na", true)
	if got := classification(t, s, ids...); got != afterCat {
		t.Errorf("after redoing the category: %s, want %s", got, afterCat)
	}
	mustUndo(t, s, "li.na", true)
	if got := classification(t, s, ids...); got != afterStatus {
		t.Errorf("after redoing the status: %s, want %s", got, afterStatus)
	}
	sameSummaries(t, s, "after both redos")
	figuresMatch(t, s, "after both redos")
	// the undo and redo are audited, with the item's new version
	log, err := s.Audit(ctx, AuditQuery{Entity: "feedback", ID: ids[0]})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "redo redo undo undo update update create" {
		t.Errorf("feedback audit: %s", got)
	}
	if f, _ := s.Feedback(ctx, ids[0]); f.Version != 7 {
		t.Errorf("version after two edits, two undos, two redos: %d", f.Version)
	}
}

// TestUndoRedoFollowUpsNotesAndCustomers: create, snooze, reassign and
// done a follow-up, add a note, move the lifecycle and edit the customer;
// undo all of it newest first and read each state back, then redo it.
func TestUndoRedoFollowUpsNotesAndCustomers(t *testing.T) {
	s := undoStore(t)
	c := mustCreate(t, s, model.Customer{Name: "王芳", Plan: "pro", Lifecycle: model.LifecycleNew, Tags: []string{"trial"}})
	// feedback, so that the customer's plan, lifecycle and tags count in the summary aggregates
	if _, err := s.AddFeedback(ctx, "li.na", model.Feedback{CustomerID: c.ID, Subject: "slow", CSAT: ip(2), NPS: ip(4)}); err != nil {
		t.Fatal(err)
	}
	due := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	type state struct {
		fu      string
		notes   int
		figures string
		cust    string
	}
	read := func() state {
		t.Helper()
		var st state
		p, err := s.FollowUpPage(ctx, model.FollowUpQuery{State: model.StateAll})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range p.Rows {
			st.fu += fmt.Sprintf("%d:%s:%s:%s ", f.ID, f.Status, f.Due.Format("01-02"), f.Assignee)
		}
		s.db.QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&st.notes)
		cu, err := s.Customer(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		st.figures = fmt.Sprint(cu.FollowupsOpen)
		st.cust = fmt.Sprint(cu.Lifecycle, cu.Plan, cu.LTV, cu.Tags)
		return st
	}
	var states []state
	states = append(states, read())
	f, err := s.AddFollowUp(tui, "li.na", model.FollowUp{CustomerID: c.ID, Due: due, Note: "call back"})
	if err != nil {
		t.Fatal(err)
	}
	states = append(states, read())
	steps := []func() error{
		func() error { return s.SnoozeFollowUp(tui, "li.na", f.ID, due.Add(72*time.Hour)) },
		func() error { return s.ReassignFollowUp(tui, "li.na", f.ID, "wang.fang") },
		func() error { return s.FollowUpDone(tui, "li.na", f.ID) },
		func() error {
			_, err := s.AddNote(tui, "li.na", model.Note{CustomerID: c.ID, Body: "promised a refund"})
			return err
		},
		func() error {
			l := model.LifecyclePaying
			_, err := s.UpdateCustomer(tui, "li.na", c.ID, model.CustomerPatch{Lifecycle: &l}, 0)
			return err
		},
		func() error {
			plan, ltv := "enterprise", 1200.0
			_, err := s.UpdateCustomer(tui, "li.na", c.ID, model.CustomerPatch{Plan: &plan, LTV: &ltv,
				AddTags: []string{"vip"}, RemoveTags: []string{"trial"}}, 0)
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		states = append(states, read())
	}
	kinds := []string{}
	page, err := s.Activity(ctx, "li.na", 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	for page.HasMore || len(page.Rows) > 0 {
		for _, a := range page.Rows {
			kinds = append(kinds, a.Kind)
		}
		if !page.HasMore {
			break
		}
		if page, err = s.Activity(ctx, "li.na", page.Rows[len(page.Rows)-1].ID, 3); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(kinds, " "); got != "edit lifecycle note done reassign snooze follow-up" {
		t.Errorf("activity, newest first, in pages of 3: %s", got)
	}
	for i := len(states) - 2; i >= 0; i-- {
		mustUndo(t, s, "li.na", false)
		if got := read(); got != states[i] {
			t.Errorf("after undo back to state %d:\n got %+v\nwant %+v", i, got, states[i])
		}
		figuresMatch(t, s, fmt.Sprint("after undo to state ", i))
		sameSummaries(t, s, fmt.Sprint("after undo to state ", i))
	}
	for i := 1; i < len(states); i++ {
		mustUndo(t, s, "li.na", true)
		if got := read(); got != states[i] {
			t.Errorf("after redo to state %d:\n got %+v\nwant %+v", i, got, states[i])
		}
		figuresMatch(t, s, fmt.Sprint("after redo to state ", i))
		sameSummaries(t, s, fmt.Sprint("after redo to state ", i))
	}
	page, _ = s.Activity(ctx, "li.na", 0, 10)
	for _, a := range page.Rows {
		if a.State != model.ActionRedone || a.Undos != 1 {
			t.Errorf("after undo and redo of everything: %+v", a)
		}
	}
}

// TestUndoRefusedWhenSomeoneChangedIt names the other agent, refuses
// undoing logged feedback with a reason, and forgets the redo once a new
// action is made.
func TestUndoRefusedWhenSomeoneChangedIt(t *testing.T) {
	s := undoStore(t)
	c := mustCreate(t, s, model.Customer{Name: "Emma"})
	f, err := s.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: c.ID, Due: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SnoozeFollowUp(tui, "li.na", f.ID, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := s.ReassignFollowUp(tui, "wang.fang", f.ID, "wang.fang"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Undo(tui, "li.na", 0)
	var ue *model.UndoError
	if !errors.As(err, &ue) || ue.ByAgent != "wang.fang" || !strings.Contains(err.Error(), "changed since by wang.fang") {
		t.Fatalf("undo after another agent's change: %v", err)
	}
	if got, _ := s.FollowUpPage(ctx, model.FollowUpQuery{State: model.StateAll}); got.Rows[0].Due.Day() != 30 {
		t.Errorf("the refused undo changed the due date: %v", got.Rows[0].Due)
	}
	// wang.fang's own stack is untouched by li.na's and undoes their reassign
	if a := mustUndo(t, s, "wang.fang", false); a.Kind != "reassign" {
		t.Errorf("wang.fang undid %+v", a)
	}
	// now nobody else's change is in the way
	if a := mustUndo(t, s, "li.na", false); a.Kind != "snooze" {
		t.Errorf("li.na undid %+v", a)
	}
	// logged feedback is refused with a reason
	if _, err := s.AddFeedback(tui, "li.na", model.Feedback{CustomerID: c.ID, Subject: "hello"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(tui, "li.na", 0); !errors.As(err, &ue) || !strings.Contains(err.Error(), "logged feedback stays") {
		t.Errorf("undo of logged feedback: %v", err)
	}
	// said once, the next u goes past it (here: to nothing, the snooze is undone)
	if _, err := s.Undo(tui, "li.na", 0); err == nil || err.Error() != "nothing to undo" {
		t.Errorf("a second undo past the kept feedback: %v", err)
	}
	// a new action after an undo clears the redo
	if _, err := s.AddNote(tui, "li.na", model.Note{CustomerID: c.ID, Body: "x"}); err != nil {
		t.Fatal(err)
	}
	mustUndo(t, s, "li.na", false)
	if _, err := s.AddNote(tui, "li.na", model.Note{CustomerID: c.ID, Body: "y"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redo(tui, "li.na", 0); err == nil || !strings.Contains(err.Error(), "nothing to redo") {
		t.Errorf("redo after a new action: %v", err)
	}
	// an older, independent action undoes from the activity list; one
	// whose records changed since is refused
	page, err := s.Activity(ctx, "li.na", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, a := range page.Rows {
		kinds = append(kinds, a.Kind+":"+string(a.State))
	}
	if got := strings.Join(kinds, " "); got != "note:done note:undone feedback:done snooze:undone" {
		t.Errorf("activity: %s", got)
	}
	snooze := page.Rows[3]
	if _, err := s.Redo(tui, "li.na", snooze.ID); err != nil {
		t.Errorf("redo of the snooze from the list: %v", err)
	}
	if _, err := s.Undo(tui, "wang.fang", snooze.ID); err == nil || !strings.Contains(err.Error(), "li.na's action") {
		t.Errorf("undo of another agent's action: %v", err)
	}
	// the audit holds no action rows for writes made outside the TUI
	var n int
	s.db.QueryRowContext(ctx, "SELECT count(*) FROM audit WHERE entity = 'action' AND agent <> 'li.na' AND agent <> 'wang.fang'").Scan(&n)
	if n != 0 || !slices.Contains([]int{0}, n) {
		t.Errorf("%d action rows of others", n)
	}
}

// TestUndoOneCommandOfSeveralWrites: a command that writes in several
// transactions (reassign two follow-ups, then a note) is one action: one
// row in the activity, one undo, one redo.
func TestUndoOneCommandOfSeveralWrites(t *testing.T) {
	s := undoStore(t)
	c := mustCreate(t, s, model.Customer{Name: "陈静"})
	var ids []int64
	for i := 0; i < 2; i++ {
		f, err := s.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: c.ID, Due: time.Date(2026, 11, 23, 9, i, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.ID)
	}
	assignees := func() string {
		p, err := s.FollowUpPage(ctx, model.FollowUpQuery{State: model.StateAll})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range p.Rows {
			out = append(out, f.Assignee)
		}
		var notes int
		s.db.QueryRowContext(ctx, "SELECT count(*) FROM notes").Scan(&notes)
		return fmt.Sprint(out, notes)
	}
	before := assignees()
	one := model.OneAction(tui)
	for _, id := range ids {
		if err := s.ReassignFollowUp(one, "li.na", id, "emma"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddNote(one, "li.na", model.Note{CustomerID: c.ID, Body: "handed to emma"}); err != nil {
		t.Fatal(err)
	}
	after := assignees()
	page, err := s.Activity(ctx, "li.na", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) != 1 || page.Rows[0].Kind != "reassign" || page.Rows[0].Items != 2 || page.Rows[0].Label != "陈静" {
		t.Fatalf("one action of two follow-ups and a note: %+v", page.Rows)
	}
	mustUndo(t, s, "li.na", false)
	if got := assignees(); got != before {
		t.Errorf("after undo: %s, want %s", got, before)
	}
	mustUndo(t, s, "li.na", true)
	if got := assignees(); got != after {
		t.Errorf("after redo: %s, want %s", got, after)
	}
	figuresMatch(t, s, "after undo and redo of one command")
}

// TestUndoReplayerHook: a write the undo does not know is kept with a
// reason until its store file registers how to replay it (as a merge
// would), then it undoes and redoes like the rest.
func TestUndoReplayerHook(t *testing.T) {
	s := undoStore(t)
	if _, err := s.SaveSegment(tui, "li.na", "unhappy", "csat_avg < 3", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(tui, "li.na", 0); err == nil || !strings.Contains(err.Error(), "segment create is not undone from the TUI") {
		t.Fatalf("an unknown write: %v", err)
	}
	replayers["segment/create"] = func(s *Store, ctx context.Context, tx *sql.Tx, agent string, row auditRow, redo bool) error {
		name := text(row.changes["name"][1])
		if redo {
			_, err := s.SaveSegment(ctx, agent, name, text(row.changes["expression"][1]), false)
			return err
		}
		return s.DeleteSegment(ctx, agent, name)
	}
	defer delete(replayers, "segment/create")
	if _, err := s.SaveSegment(tui, "li.na", "calm", "csat_avg >= 4", false); err != nil {
		t.Fatal(err)
	}
	names := func() string {
		segs, err := s.Segments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, g := range segs {
			out = append(out, g.Name)
		}
		return strings.Join(out, " ")
	}
	mustUndo(t, s, "li.na", false)
	if got := names(); got != "unhappy" {
		t.Errorf("after undo: %q", got)
	}
	mustUndo(t, s, "li.na", true)
	if got := names(); got != "calm unhappy" {
		t.Errorf("after redo: %q", got)
	}
}

// TestUndoItemChangedTwiceInOneAction: one command that classifies an
// item twice (and enough items for the bulk path) undoes to where it
// started and redoes to where it ended.
func TestUndoItemChangedTwiceInOneAction(t *testing.T) {
	s := undoStore(t)
	c := mustCreate(t, s, model.Customer{Name: "Bulk", Plan: "pro"})
	var ids []int64
	for i := 0; i < 25; i++ {
		f, err := s.AddFeedback(ctx, "li.na", model.Feedback{CustomerID: c.ID, Kind: model.KindComplaint, Subject: fmt.Sprint(i),
			CSAT: ip(1 + i%5), Tags: []string{"t0"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.ID)
	}
	start := classification(t, s, ids...)
	one := model.OneAction(tui)
	pending, resolved := model.StatusPending, model.StatusResolved
	refund, bug := "Billing/Refund", "Product/Bug"
	for _, p := range []model.FeedbackPatch{
		{Status: &pending, Category: &refund, AddTags: []string{"t1"}},
		{Status: &resolved, Category: &bug, AddTags: []string{"t2"}, RemoveTags: []string{"t0", "t1"}},
	} {
		if _, err := s.SetFeedback(one, "li.na", ids, p, 0); err != nil {
			t.Fatal(err)
		}
	}
	end := classification(t, s, ids...)
	// a later action on one item, undone: its version moved on, its fields did not
	high := model.PriorityHigh
	if _, err := s.SetFeedback(tui, "li.na", ids[:1], model.FeedbackPatch{Priority: &high}, 0); err != nil {
		t.Fatal(err)
	}
	mustUndo(t, s, "li.na", false)
	mustUndo(t, s, "li.na", false)
	if got := classification(t, s, ids...); got != start {
		t.Errorf("after undo:\n%s\nwant\n%s", got, start)
	}
	sameSummaries(t, s, "after undo of a twice-changed bulk")
	figuresMatch(t, s, "after undo of a twice-changed bulk")
	mustUndo(t, s, "li.na", true)
	if got := classification(t, s, ids...); got != end {
		t.Errorf("after redo:\n%s\nwant\n%s", got, end)
	}
	sameSummaries(t, s, "after redo of a twice-changed bulk")
	figuresMatch(t, s, "after redo of a twice-changed bulk")
}

package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// inboxClassification reads back what the Inbox's keys change.
func inboxClassification(t *testing.T, st Store, ids []int64) string {
	t.Helper()
	var out []string
	for _, id := range ids {
		f, err := st.(interface {
			Feedback(context.Context, int64) (model.Feedback, error)
		}).Feedback(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(f.Status)+"/"+f.Category)
	}
	return strings.Join(out, " ")
}

// TestUndoStackOverInboxEdits: select two items, c category, s status,
// then u u restores both (today's Inbox undid only the status), and
// ctrl+y ctrl+y does both again.
func TestUndoStackOverInboxEdits(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "space", "space")...)
	ids := m.inbox.picked.ids()
	before := inboxClassification(t, st, ids)
	send(t, m, nil, keys("c")...)
	for i := 0; i < 20 && !strings.Contains(m.View(), "› Product/Bug"); i++ {
		send(t, m, nil, keys("down")...)
	}
	send(t, m, nil, keys("enter")...)
	afterCat := inboxClassification(t, st, ids)
	for _, id := range ids {
		m.inbox.picked.toggle(id, model.Feedback{ID: id})
	}
	send(t, m, nil, keys("s", "down", "down", "enter")...) // open (now) → pending → resolved
	afterStatus := inboxClassification(t, st, ids)
	if !strings.Contains(afterStatus, "resolved/Product/Bug") || afterCat == before || afterStatus == afterCat {
		t.Fatalf("edits: %s → %s → %s", before, afterCat, afterStatus)
	}
	send(t, m, nil, keys("u")...)
	if got := inboxClassification(t, st, ids); got != afterCat || !strings.HasPrefix(m.status, "undone: classify status → resolved (2 items)") {
		t.Errorf("after u: %s (want %s), status %q", got, afterCat, m.status)
	}
	send(t, m, nil, keys("u")...)
	if got := inboxClassification(t, st, ids); got != before || !strings.HasPrefix(m.status, "undone: classify category → Product/Bug") {
		t.Errorf("after u u: %s (want %s), status %q", got, before, m.status)
	}
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyCtrlY})
	if got := inboxClassification(t, st, ids); got != afterCat || !strings.HasPrefix(m.status, "redone: classify category") {
		t.Errorf("after ctrl+y: %s (want %s), status %q", got, afterCat, m.status)
	}
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyCtrlY})
	if got := inboxClassification(t, st, ids); got != afterStatus {
		t.Errorf("after ctrl+y ctrl+y: %s (want %s)", got, afterStatus)
	}
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyCtrlY})
	if m.status != "nothing to redo" {
		t.Errorf("a third ctrl+y: %q", m.status)
	}
}

// TestUndoAcrossScreensAndRefused: a snooze on Follow-ups is undone with u
// from Customers; after another agent reassigns the follow-up, undoing the
// redone snooze is refused with their name, and nothing changes.
func TestUndoAcrossScreensAndRefused(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	m := newTestModel(t, st, 100, 20)
	send(t, m, nil, keys("3", "l")...) // today: the login fix
	f := m.followUps.rows[0]
	send(t, m, nil, keys("z")...)
	due := func() time.Time {
		p, err := st.FollowUpPage(ctx, model.FollowUpQuery{State: model.StateAll, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			if r.ID == f.ID {
				return r.Due
			}
		}
		t.Fatal("follow-up gone")
		return time.Time{}
	}
	if !due().Equal(f.Due.Add(24 * time.Hour)) {
		t.Fatalf("z did not snooze: %v", due())
	}
	send(t, m, nil, keys("1", "u")...)
	if !due().Equal(f.Due) || !strings.HasPrefix(m.status, "undone: snooze") {
		t.Errorf("u on Customers: due %v, status %q", due(), m.status)
	}
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyCtrlY})
	if !due().Equal(f.Due.Add(24 * time.Hour)) {
		t.Errorf("ctrl+y: due %v", due())
	}
	if err := st.ReassignFollowUp(ctx, "emma", f.ID, "emma"); err != nil {
		t.Fatal(err)
	}
	send(t, m, nil, keys("u")...)
	if !strings.Contains(m.status, "changed since by emma") || !m.statusErr || !due().Equal(f.Due.Add(24*time.Hour)) {
		t.Errorf("undo after emma's change: status %q, due %v", m.status, due())
	}
}

// TestActivityView: three different actions listed newest first, at two
// sizes; u on the row of an older, independent action undoes it, and the
// row says so; enter opens the customer.
func TestActivityView(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("3", "l", "z")...)              // snooze the login fix
	send(t, m, nil, keys("h", "a", "li.na", "enter")...) // reassign the refund call-back
	send(t, m, nil, keys("2", "t", "+follow-up", "enter")...)
	send(t, m, nil, keys("A")...)
	if m.activity == nil || len(m.activity.rows) != 3 {
		t.Fatalf("A should list three actions:\n%s", m.View())
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "activity_100x30", frame)
	send(t, m, nil, tea.WindowSizeMsg{Width: 60, Height: 15})
	frame = m.View()
	assertFrame(t, frame, 60, 15)
	golden(t, "activity_60x15", frame)
	send(t, m, nil, tea.WindowSizeMsg{Width: 100, Height: 30})
	// the reassign (second row) is independent of the newer tag edit
	send(t, m, nil, keys("j", "u")...)
	a := m.activity.rows[1]
	if a.Kind != "reassign" || a.State != model.ActionUndone || !strings.HasPrefix(m.status, "undone: reassign") {
		t.Errorf("u on the reassign row: %+v, status %q", a, m.status)
	}
	if !strings.Contains(m.View(), "undone") {
		t.Errorf("the row should be marked undone:\n%s", m.View())
	}
	send(t, m, nil, keys("enter")...)
	if m.activity != nil || m.profile == nil || m.profile.customer == nil || m.profile.customer.Name != "王芳" {
		t.Errorf("enter should open 王芳's profile")
	}
	// the palette finds it by name
	send(t, m, nil, keys(":", "activity", "enter")...)
	if m.activity == nil {
		t.Errorf(":activity should open the activity view")
	}
	send(t, m, nil, keys("esc")...)
	if m.activity != nil {
		t.Errorf("esc should close the activity view")
	}
}

// TestUndoOnProfile: on a profile u stays the follow-up form; ctrl+z
// undoes the note, then the follow-up, then the lifecycle move, each read
// back from the open profile, and ctrl+y puts the lifecycle back.
func TestUndoOnProfile(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("/", "Lucas", "enter", "enter")...)
	p := m.profile
	if p == nil || p.customer == nil {
		t.Fatal("profile should be open")
	}
	send(t, m, nil, keys("l", "down", "enter", "y")...) // new → activated, confirmed
	send(t, m, nil, keys("u", "ctrl+s")...)             // the follow-up form's first choice
	send(t, m, nil, keys("n", "wants a call", "enter")...)
	if p.customer.Lifecycle != model.LifecycleActivated || p.customer.FollowupsOpen != 1 || len(p.timeline) < 2 {
		t.Fatalf("before undo: %s, %d open, timeline %+v", p.customer.Lifecycle, p.customer.FollowupsOpen, p.timeline)
	}
	ctrlZ := tea.KeyMsg{Type: tea.KeyCtrlZ}
	send(t, m, nil, ctrlZ)
	for _, e := range p.timeline {
		if e.Type == "note" {
			t.Errorf("the note should be gone: %+v", p.timeline)
		}
	}
	send(t, m, nil, ctrlZ)
	if p.customer.FollowupsOpen != 0 || !strings.HasPrefix(m.status, "undone: follow-up") {
		t.Errorf("after undoing the follow-up: %d open, status %q", p.customer.FollowupsOpen, m.status)
	}
	send(t, m, nil, ctrlZ)
	if p.customer.Lifecycle != model.LifecycleNew || !strings.HasPrefix(m.status, "undone: lifecycle new → activated") {
		t.Errorf("after undoing the lifecycle: %s, status %q", p.customer.Lifecycle, m.status)
	}
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyCtrlY})
	if p.customer.Lifecycle != model.LifecycleActivated {
		t.Errorf("after ctrl+y: %s", p.customer.Lifecycle)
	}
}

// TestUndoFollowUpBulkIsOneAction: two follow-ups reassigned at once come
// back with one u; done with an outcome is undone with its note.
func TestUndoFollowUpBulkIsOneAction(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	m := newTestModel(t, st, 100, 20)
	send(t, m, nil, keys("3", "space", "l", "space")...) // the overdue call-back and today's login fix
	if m.followUps.picked.len() != 2 {
		t.Fatalf("picked %d", m.followUps.picked.len())
	}
	send(t, m, nil, keys("a", "li.na", "enter")...)
	mine := func() int {
		n, err := st.CountFollowUps(ctx, model.FollowUpQuery{Assignee: "tester", State: model.StateOpen})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if mine() != 0 {
		t.Fatalf("both should be li.na's now")
	}
	send(t, m, nil, keys("u")...)
	if mine() != 2 || !strings.HasPrefix(m.status, "undone: reassign tester → li.na (2 items)") {
		t.Errorf("one u should give both back: %d mine, status %q", mine(), m.status)
	}
	send(t, m, nil, keys("h", "X", "refund arrived", "enter")...)
	if mine() != 1 {
		t.Fatalf("X should close the overdue one: %d open", mine())
	}
	send(t, m, nil, keys("u")...)
	c, _ := st.FindCustomer(ctx, "wang.fang@example.cn")
	tl, _ := st.Timeline(ctx, c.ID, 20)
	for _, e := range tl {
		if e.Type == "note" && strings.Contains(e.Summary, "refund arrived") {
			t.Errorf("the outcome note should be undone with the done: %+v", e)
		}
	}
	if mine() != 2 || !strings.HasPrefix(m.status, "undone: done") {
		t.Errorf("after u: %d open, status %q", mine(), m.status)
	}
}

package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// Inbox s and p show every value with the item's current one selected
// (issue 16, defect 2).
func TestInboxPickersShowAllChoices(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "s")...)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "inbox_choose_status", frame)
	for _, v := range []string{"open", "pending", "resolved", "closed"} {
		if !strings.Contains(frame, "  "+v) && !strings.Contains(frame, "› "+v) {
			t.Errorf("status %s not offered:\n%s", v, frame)
		}
	}
	if !strings.Contains(frame, "› open  (now)") {
		t.Errorf("the item's status (open) should be selected:\n%s", frame)
	}
	send(t, m, nil, keys("esc", "p")...)
	frame = m.View()
	for _, v := range []string{"low", "normal", "high", "urgent"} {
		if !strings.Contains(frame, "  "+v) && !strings.Contains(frame, "› "+v) {
			t.Errorf("priority %s not offered:\n%s", v, frame)
		}
	}
	if !strings.Contains(frame, "› normal  (now)") {
		t.Errorf("the item's priority (normal) should be selected:\n%s", frame)
	}
	// Pick urgent: two down from normal.
	id := m.inbox.rows[m.inbox.sel].ID
	send(t, m, nil, keys("down", "down", "enter")...)
	if f, _ := st.Feedback(context.Background(), id); f.Priority != model.PriorityUrgent {
		t.Errorf("priority = %s, want urgent", f.Priority)
	}
	// Opened again, urgent is the current value.
	send(t, m, nil, keys("p")...)
	if !strings.Contains(m.View(), "› urgent  (now)") {
		t.Errorf("reopened, urgent should be selected:\n%s", m.View())
	}
}

// A list longer than the room scrolls visibly: it says how many options
// lie above and below, and the cursor stays in view.
func TestChoiceListScrollsVisibly(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 60, 15)
	send(t, m, nil, keys("2", "c")...)
	frame := m.View()
	assertFrame(t, frame, 60, 15)
	golden(t, "inbox_choose_category_60x15", frame)
	if !strings.Contains(frame, "↓") || !strings.Contains(frame, "more") {
		t.Fatalf("a long list should say there is more below:\n%s", frame)
	}
	send(t, m, nil, keys("G")...)
	frame = m.View()
	l := m.inbox.form().list
	if !strings.Contains(frame, "↑") || !strings.Contains(frame, "› "+l.labels[len(l.labels)-1]) {
		t.Errorf("G should show the last option and say there is more above:\n%s", frame)
	}
}

// A form's inline selects name all their choices beside them while they
// have the focus, so none is hidden behind ←/→.
func TestInlineSelectsNameTheirChoices(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 34)
	openProfile(t, m, "Lucas")
	send(t, m, nil, keys("f", "tab")...)
	if line := lineWith(m.View(), "Kind"); !strings.Contains(line, "[feedback] · complaint · praise · question · request") {
		t.Errorf("Kind should list its choices beside it, got %q", line)
	}
	send(t, m, nil, keys("right")...)
	if line := lineWith(m.View(), "Kind"); !strings.Contains(line, "feedback · [complaint]") {
		t.Errorf("the current kind should be marked, got %q", line)
	}
	for i := 0; i < 6; i++ {
		send(t, m, nil, keys("tab")...)
	}
	if line := lineWith(m.View(), "Priority"); !strings.Contains(line, "low · [normal] · high · urgent") {
		t.Errorf("Priority should list its choices, got %q", line)
	}
}

// A form's list with another value preselected still shows the options
// above it (the recall form's due is "in 3 days", the fourth).
func TestFormSelectShowsOptionsAboveThePreselectedOne(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 30)
	send(t, m, nil, keys("w", "plan = enterprise", "enter", "R")...)
	frame := m.View()
	for _, want := range []string{"tomorrow  Sat 11-21 17:00", "today 17:00  Fri 11-20 17:00", "in 2 hours", "> in 3 days  Mon 11-23 17:00"} {
		if !strings.Contains(frame, want) {
			t.Errorf("the recall form's due list should show %q:\n%s", want, frame)
		}
	}
}

// TestChoiceListFilters: `/` filters a list of choices as you type — a
// burst too, as tmux or a slow link sends it — enter picks the option
// shown, esc clears the filter before it closes the list, and a filter
// that matches nothing picks nothing (never "clear" by accident).
func TestChoiceListFilters(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2")...)
	item := m.inbox.rows[m.inbox.sel].ID
	id := func() int64 { return item }
	send(t, m, nil, keys("c")...)
	send(t, m, nil, keys("/")...)
	send(t, m, nil, burst("refu"))
	frame := m.View()
	if !strings.Contains(frame, "/ refu") || !strings.Contains(frame, "› Billing/Refund") || strings.Contains(frame, "Account/Login") {
		t.Fatalf("filter refu:\n%s", frame)
	}
	send(t, m, nil, keys("enter")...)
	if f, _ := st.Feedback(context.Background(), id()); f.Category != "Billing/Refund" {
		t.Errorf("category = %q, want Billing/Refund", f.Category)
	}
	// esc clears the filter and keeps the list open; a second esc closes it.
	send(t, m, nil, keys("c", "/", "x", "esc")...)
	if m.overlay() == nil || strings.Contains(m.View(), "/ x") {
		t.Fatalf("esc should clear the filter and keep the list:\n%s", m.View())
	}
	send(t, m, nil, keys("esc")...)
	if m.overlay() != nil {
		t.Fatalf("a second esc should close the list")
	}
	// Nothing matches: enter picks nothing.
	send(t, m, nil, keys("c", "/")...)
	send(t, m, nil, burst("zzz"))
	if !strings.Contains(m.View(), "no option matches") {
		t.Errorf("no match should say so:\n%s", m.View())
	}
	send(t, m, nil, keys("enter")...)
	if f, _ := st.Feedback(context.Background(), id()); f.Category != "Billing/Refund" || m.overlay() == nil {
		t.Errorf("enter on no match: category %q, list open %v", f.Category, m.overlay() != nil)
	}
}

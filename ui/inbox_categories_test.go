package ui

import (
	"context"
	"strings"
	"testing"
)

// TestInboxCategoriesManage: C shows the taxonomy as a tree; a adds
// Billing/Chargeback (the c chooser offers it at once), an invalid path
// is refused in the prompt, removing a category in use shows the store's
// reason, and d then y removes an unused one.
func TestInboxCategoriesManage(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "C")...)
	in := m.inbox
	if in.cats == nil || !strings.Contains(m.View(), "Categories") || !strings.Contains(m.View(), "    Refund") {
		t.Fatalf("C should show the taxonomy:\n%s", m.View())
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "inbox_categories", frame)

	send(t, m, nil, keys("a", "Billing/Chargeback", "enter")...)
	if !strings.Contains(m.status, "category Billing/Chargeback added") {
		t.Fatalf("status %q\n%s", m.status, m.View())
	}
	if c := in.cats.rows[in.cats.sel]; c.Path != "Billing/Chargeback" {
		t.Errorf("cursor on %q after adding, want the new category", c.Path)
	}
	send(t, m, nil, keys("a", "a/b/c", "enter")...)
	if !in.cats.prompt.active() || !strings.Contains(m.View(), "two levels") {
		t.Errorf("a three-level path should be refused in the prompt:\n%s", m.View())
	}
	send(t, m, nil, keys("esc")...)

	// Billing/Chargeback is unused: d, y removes it.
	send(t, m, nil, keys("d")...)
	if !strings.Contains(m.View(), "Remove Billing/Chargeback?") {
		t.Fatalf("d should ask first:\n%s", m.View())
	}
	send(t, m, nil, keys("y")...)
	if !strings.Contains(m.status, "category Billing/Chargeback removed") {
		t.Fatalf("status %q", m.status)
	}
	cs, _ := st.Categories(ctx)
	for _, c := range cs {
		if c.Path == "Billing/Chargeback" {
			t.Errorf("Billing/Chargeback still stored")
		}
	}
	send(t, m, nil, keys("esc")...)
	if in.cats != nil {
		t.Errorf("esc should go back to the Inbox")
	}
}

package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
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

// catCursorTo moves the categories view's cursor onto path with j and k.
func catCursorTo(t *testing.T, m *Model, path string) {
	t.Helper()
	cats := m.inbox.cats
	want := -1
	for i, c := range cats.rows {
		if c.Path == path {
			want = i
		}
	}
	for i := 0; i < 100 && want >= 0 && cats.sel != want; i++ {
		if cats.sel < want {
			send(t, m, nil, keys("j")...)
		} else {
			send(t, m, nil, keys("k")...)
		}
	}
	if cats.rows[cats.sel].Path != path {
		t.Fatalf("no row %q:\n%s", path, m.View())
	}
}

// TestInboxCategoriesStoreRefusals: what the store refuses (a duplicate
// in another case, a category that feedback uses) shows in the view in
// words; an unused parent goes with its children after naming them.
func TestInboxCategoriesStoreRefusals(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	page, err := st.FeedbackPage(ctx, model.FeedbackQuery{Limit: 1})
	if err != nil || len(page.Rows) == 0 {
		t.Fatalf("feedback: %v", err)
	}
	bug := "Product/Bug"
	if _, err := st.SetFeedback(ctx, "tester", []int64{page.Rows[0].ID}, model.FeedbackPatch{Category: &bug}, 0); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "C", "a", "billing/refund", "enter")...)
	cats := m.inbox.cats
	if cats.prompt.active() || !strings.Contains(lastLines(m.View(), 3), `category "Billing/Refund" exists`) {
		t.Errorf("a duplicate should show the store's reason:\n%s", m.View())
	}
	if strings.Contains(m.View(), "conflicts with an existing record") {
		t.Errorf("the reason should be worded without the error's prefix:\n%s", m.View())
	}

	catCursorTo(t, m, "Product/Bug")
	send(t, m, nil, keys("d", "y")...)
	if !strings.Contains(m.View(), "used by 1 feedback item(s)") || m.status == "category Product/Bug removed" {
		t.Errorf("a category in use should stay, with the reason:\n%s", m.View())
	}

	catCursorTo(t, m, "Delivery")
	send(t, m, nil, keys("d")...)
	if !strings.Contains(m.View(), "Remove Delivery and its subcategories?") {
		t.Fatalf("removing a parent should say its children go too:\n%s", m.View())
	}
	send(t, m, nil, keys("n")...)
	if cats.confirm != nil || cats.rows[cats.sel].Path != "Delivery" {
		t.Fatalf("n should keep Delivery")
	}
	send(t, m, nil, keys("d", "y")...)
	if m.status != "category Delivery removed" {
		t.Errorf("status %q", m.status)
	}
	for _, c := range cats.rows {
		if strings.HasPrefix(c.Path, "Delivery") {
			t.Errorf("%s still listed", c.Path)
		}
	}
}

// TestInboxCategoriesChooserSeesChanges: after an add in the categories
// view, c offers the new category without restarting.
func TestInboxCategoriesChooserSeesChanges(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("2", "C", "a", "Billing/Chargeback", "enter", "esc", "c")...)
	in := m.inbox
	if in.cats != nil || in.form() == nil {
		t.Fatalf("esc then c should open the chooser:\n%s", m.View())
	}
	for i := 0; i < 30 && !strings.Contains(m.View(), "› Billing/Chargeback"); i++ {
		send(t, m, nil, keys("down")...)
	}
	if !strings.Contains(m.View(), "› Billing/Chargeback") {
		t.Errorf("the chooser should offer Billing/Chargeback:\n%s", m.View())
	}
}

// TestPaletteOpensCategories: the palette finds the categories view.
func TestPaletteOpensCategories(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("2", ":", "categories")...)
	if m.env.layers.paletteOf() == nil || !strings.Contains(m.View(), "categories") {
		t.Fatalf("the palette should list categories:\n%s", m.View())
	}
	send(t, m, nil, keys("enter")...)
	if m.env.layers.paletteOf() != nil || m.inbox.cats == nil {
		t.Errorf("enter should open the categories view:\n%s", m.View())
	}
}

// TestInboxCategoriesCleanNames: a category name with terminal escapes
// and a bidi override (written by a script, say) shows as plain text.
func TestInboxCategoriesCleanNames(t *testing.T) {
	st := testStore(t)
	if _, err := st.AddCategory(context.Background(), "script", "Evil\x1b]0;pwned\x07/Bad\u202eName\x1b[31m"); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "C")...)
	catCursorTo(t, m, "Evil\x1b]0;pwned\x07/Bad\u202eName\x1b[31m")
	send(t, m, nil, keys("d")...)
	frame := m.View()
	if strings.ContainsAny(frame, "\x1b\x07\u202e") {
		t.Errorf("control characters reached the screen: %q", frame)
	}
	if !strings.Contains(frame, "BadName") {
		t.Errorf("the cleaned name should show:\n%s", frame)
	}
	assertFrame(t, frame, 100, 30)
}

// lastLines is the bottom n lines of a frame.
func lastLines(frame string, n int) string {
	ls := strings.Split(frame, "\n")
	return strings.Join(ls[max(0, len(ls)-n):], "\n")
}

// TestInboxCategoriesOutcomeAfterClose: an answer that arrives after the
// view closed still reaches the status bar.
func TestInboxCategoriesOutcomeAfterClose(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("2")...)
	send(t, m, nil, categoryChangedMsg{text: "category Billing/Chargeback added", path: "Billing/Chargeback"})
	if m.status != "category Billing/Chargeback added" || m.statusErr {
		t.Errorf("status %q (error %v)", m.status, m.statusErr)
	}
	send(t, m, nil, categoryChangedMsg{err: model.ErrNotFound})
	if !m.statusErr || m.status == "" {
		t.Errorf("a refusal should show as an error: %q", m.status)
	}
}

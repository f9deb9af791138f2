package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestInboxLogFeedbackForAnyCustomer: a picks the customer by typing,
// then the log-feedback form opens; the new item is in the Inbox at once.
func TestInboxLogFeedbackForAnyCustomer(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "a", "陈静")...)
	in := m.inbox
	if in.picker == nil || len(in.picker.rows) != 1 || in.picker.rows[0].Name != "陈静" {
		t.Fatalf("the picker should find 陈静:\n%s", m.View())
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "inbox_pick_customer", frame)
	send(t, m, nil, keys("enter")...)
	if in.picker != nil || in.form() == nil {
		t.Fatal("enter should pick and open the form")
	}
	send(t, m, nil, keys("登录后闪退，第三次了", "tab", "right", "tab", "tab", "1", "ctrl+s")...)
	if in.form() != nil || len(in.rows) != 6 || in.rows[0].Body != "登录后闪退，第三次了" || in.rows[0].CustomerName != "陈静" {
		t.Fatalf("the new complaint should lead the Inbox: %d rows\n%s", len(in.rows), m.View())
	}
}

func TestInboxFilterPromptAndSearch(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "F", "colour:red", "enter")...)
	in := m.inbox
	if !in.prompt.active() || !strings.Contains(m.View(), `unknown filter "colour"`) {
		t.Fatalf("an unknown filter key should be refused:\n%s", m.View())
	}
	send(t, m, nil, keys("esc", "F", "channel:EMAIL", "enter")...)
	if in.filter.channel != "email" || len(in.rows) != 2 {
		t.Errorf("channel:email: %d rows", len(in.rows))
	}
	send(t, m, nil, keys("esc", "/", "login")...)
	if !in.searching || len(in.rows) != 1 || in.rows[0].Subject != "App crashes on login" {
		t.Errorf("search login: %d rows", len(in.rows))
	}
	send(t, m, nil, keys("enter")...)
	if in.searching || in.filter.search != "login" {
		t.Errorf("enter should keep the search")
	}
}

// TestInboxFollowUpOnItem: U on an item promises a follow-up tied to it.
func TestInboxFollowUpOnItem(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "U")...)
	in := m.inbox
	if in.form() == nil {
		t.Fatal("U should open the follow-up form")
	}
	send(t, m, nil, keys("ctrl+s")...)
	item := in.rows[0]
	fs, err := st.FollowUpPage(context.Background(), model.FollowUpQuery{State: model.StateOpen, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var tied bool
	for _, f := range fs.Rows {
		tied = tied || (f.FeedbackID != nil && *f.FeedbackID == item.ID && f.CustomerID == item.CustomerID)
	}
	if !tied || !strings.Contains(m.status, "follow-up due") {
		t.Errorf("no follow-up tied to feedback %d (status %q)", item.ID, m.status)
	}
}

// TestPaletteRunsAnAction: ":" then a few letters of an action's name
// runs it as its key would.
func TestPaletteRunsAnAction(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("2", ":", "kind")...)
	if m.env.layers.paletteOf() == nil || len(m.env.layers.paletteOf().matches) != 1 || !strings.Contains(m.View(), "kind filter") {
		t.Fatalf("the palette should find the kind filter:\n%s", m.View())
	}
	send(t, m, nil, keys("enter")...)
	if m.env.layers.paletteOf() != nil || m.inbox.kind != model.KindFeedback {
		t.Errorf("enter should run the kind filter once: kind %q", m.inbox.kind)
	}
}

// TestInboxBulkClassifyAndUndo: select two items, set their category,
// tags and priority in one transaction each, then undo them in turn.
func TestInboxBulkClassifyAndUndo(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	// The default taxonomy includes Product/Bug.
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "space", "space")...)
	in := m.inbox
	ids := in.picked.ids()
	if len(ids) != 2 {
		t.Fatalf("picked %v", ids)
	}
	send(t, m, nil, keys("c")...)
	if in.form() == nil || !strings.Contains(m.View(), "Category · 2 items") {
		t.Fatalf("c should offer the categories:\n%s", m.View())
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "inbox_choose_category", frame)
	// Move to Product/Bug and choose it.
	for i := 0; i < 20 && !strings.Contains(m.View(), "› Product/Bug"); i++ {
		send(t, m, nil, keys("down")...)
	}
	send(t, m, nil, keys("enter")...)
	if !strings.Contains(m.status, "category Product/Bug: 2 changed") || in.picked.len() != 0 {
		t.Fatalf("status %q, picked %d", m.status, in.picked.len())
	}
	for _, id := range ids {
		f, _ := st.Feedback(ctx, id)
		if f.Category != "Product/Bug" {
			t.Errorf("item %d category %q", id, f.Category)
		}
	}
	// t adds a tag to the item under the cursor; u undoes it.
	cur := in.rows[in.sel].ID
	send(t, m, nil, keys("t", "+urgent-review", "enter")...)
	if f, _ := st.Feedback(ctx, cur); len(f.Tags) != 1 || f.Tags[0] != "urgent-review" {
		t.Fatalf("tags after t: %v", f.Tags)
	}
	send(t, m, nil, keys("u")...)
	if f, _ := st.Feedback(ctx, cur); len(f.Tags) != 0 || !strings.Contains(m.status, "undone") {
		t.Errorf("after u: tags %v, status %q", f.Tags, m.status)
	}
	// the undo stack goes on: a second u undoes the category too
	send(t, m, nil, keys("u")...)
	for _, id := range ids {
		if f, _ := st.Feedback(ctx, id); f.Category != "" {
			t.Errorf("after a second u: item %d category %q", id, f.Category)
		}
	}
	send(t, m, nil, keys("u")...)
	if m.status != "nothing to undo" {
		t.Errorf("a third u: %q", m.status)
	}
}

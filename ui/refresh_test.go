package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// TestOtherAgentsChangesRefreshTheScreen: another agent's process renames
// a customer on screen; the next poll finds the commit, refreshes the rows
// and says so in the status bar.
func TestOtherAgentsChangesRefreshTheScreen(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 140, 20)
	ctx := context.Background()
	_, _, last, err := st.Changes(ctx, "tester", 0) // the baseline the poll would have set
	if err != nil {
		t.Fatal(err)
	}
	other, err := db.Open(ctx, st.Path(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	emma, err := other.FindCustomer(ctx, "emma@example.de")
	if err != nil {
		t.Fatal(err)
	}
	name := "Emma Schmidt-Weber"
	if _, err := other.UpdateCustomer(ctx, "bob", emma.ID, model.CustomerPatch{Name: &name}, 0); err != nil {
		t.Fatal(err)
	}
	m.lastAudit = last
	send(t, m, m.changesCmd())
	frame := m.View()
	if !strings.Contains(frame, "Emma Schmidt-Weber") || !strings.Contains(frame, "1 change by others — refreshed") {
		t.Errorf("after bob's rename:\n%s", frame)
	}
}

// TestRefreshKeepsCursorAndSelection: the Inbox refreshes after another
// agent logs feedback (a new row on top); the cursor stays on the item it
// was on and the selection survives.
func TestRefreshKeepsCursorAndSelection(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	ctx := context.Background()
	send(t, m, nil, keys("2", "j")...)
	in := m.inbox
	picked := in.rows[in.sel].ID
	send(t, m, nil, keys("space")...) // picks the 2nd item, moves to the 3rd
	was := in.rows[in.sel].ID
	_, _, last, _ := st.Changes(ctx, "tester", 0)
	other, err := db.Open(ctx, st.Path(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Now = func() time.Time { return fixedNow.Add(time.Minute) }
	c, _ := other.FindCustomer(ctx, "olivia@example.org")
	if _, err := other.AddFeedback(ctx, "bob", model.Feedback{CustomerID: c.ID, Subject: "Invoice address wrong", Kind: model.KindComplaint}); err != nil {
		t.Fatal(err)
	}
	m.lastAudit = last
	send(t, m, m.changesCmd())
	if len(in.rows) != 6 || in.rows[0].Subject != "Invoice address wrong" {
		t.Fatalf("the new item should be on top: %d rows", len(in.rows))
	}
	if in.rows[in.sel].ID != was || in.picked.len() != 1 || !in.picked.has(picked) {
		t.Errorf("cursor moved to %d (was %d) or selection lost (%d)", in.rows[in.sel].ID, was, in.picked.len())
	}
}

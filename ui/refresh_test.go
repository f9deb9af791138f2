package ui

import (
	"context"
	"strings"
	"testing"

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

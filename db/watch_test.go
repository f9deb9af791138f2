package db

import (
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestChangesSeesOtherAgents: two stores on one file, as two agents'
// processes; each notices the other's commits through data_version.
func TestChangesSeesOtherAgents(t *testing.T) {
	a := openTemp(t)
	b, err := Open(ctx, a.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	changed, _, last, err := a.Changes(ctx, "alice", 0)
	if err != nil || changed {
		t.Fatalf("first call sets the baseline: %v %v", changed, err)
	}
	if changed, _, _, _ := a.Changes(ctx, "alice", last); changed {
		t.Fatal("nothing happened, yet a change was reported")
	}
	c, err := b.CreateCustomer(ctx, "bob", model.Customer{Name: "From Bob"})
	if err != nil {
		t.Fatal(err)
	}
	b.AddNote(ctx, "bob", model.Note{CustomerID: c.ID, Body: "hi"})
	changed, n, last2, err := a.Changes(ctx, "alice", last)
	if err != nil || !changed || n != 2 || last2 <= last {
		t.Fatalf("after bob's two writes: changed %v, by others %d, last %d→%d, %v", changed, n, last, last2, err)
	}
	// alice's own writes through another connection of her store count as
	// changes but not as others'.
	a.AddNote(ctx, "alice", model.Note{CustomerID: c.ID, Body: "mine"})
	changed, n, _, _ = a.Changes(ctx, "alice", last2)
	if n != 0 {
		t.Errorf("alice's own note counted as another agent's: changed %v n %d", changed, n)
	}
}

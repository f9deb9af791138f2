package db

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// next waits a bounded time for a subscription's next event.
func next(t *testing.T, sub model.Subscription) model.Event {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ev, err := sub.Next(c)
	if err != nil {
		t.Fatalf("no event: %v", err)
	}
	return ev
}

// TestFeedEverySubscriberHears: two subscribers of one store (two
// sessions of one server) both hear a write made through that store by a
// third writer, at once (the poll interval is an hour), each with the
// count of changes by agents other than itself.
func TestFeedEverySubscriberHears(t *testing.T) {
	st := openTemp(t)
	st.SetFeedPoll(time.Hour)
	alice, err := st.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer alice.Close()
	bob, err := st.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer bob.Close()
	time.Sleep(50 * time.Millisecond) // the poller takes its baseline
	c, err := st.CreateCustomer(ctx, "carol", model.Customer{Name: "Written by Carol"})
	if err != nil {
		t.Fatal(err)
	}
	for name, sub := range map[string]model.Subscription{"alice": alice, "bob": bob} {
		ev := next(t, sub)
		if ev.ByOthers(name) != 1 || ev.Entities["customer"] != 1 || ev.LastAudit == 0 {
			t.Errorf("%s heard %+v, want carol's one customer change", name, ev)
		}
	}
	// Unread events merge: two writes, one event with both.
	st.AddNote(ctx, "alice", model.Note{CustomerID: c.ID, Body: "one"})
	st.AddNote(ctx, "alice", model.Note{CustomerID: c.ID, Body: "two"})
	deadline := time.Now().Add(10 * time.Second)
	var got model.Event
	for got.ByAgent["alice"] < 2 && time.Now().Before(deadline) {
		ev := next(t, bob)
		got.Merge(ev)
	}
	if got.ByAgent["alice"] != 2 || got.ByOthers("alice") != 0 {
		t.Errorf("bob heard %+v, want alice's two notes", got)
	}
}

// TestFeedSeesOtherProcesses: a write through another Store on the same
// file (another process) is noticed by the poll.
func TestFeedSeesOtherProcesses(t *testing.T) {
	a := openTemp(t)
	a.SetFeedPoll(20 * time.Millisecond)
	b, err := Open(ctx, a.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	s1, _ := a.Subscribe(ctx)
	s2, _ := a.Subscribe(ctx)
	time.Sleep(50 * time.Millisecond)
	if _, err := b.CreateCustomer(ctx, "bob", model.Customer{Name: "From another process"}); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []model.Subscription{s1, s2} {
		if ev := next(t, sub); ev.ByAgent["bob"] != 1 {
			t.Errorf("heard %+v, want bob's change", ev)
		}
	}
	// Closing a subscription ends its Next; the store's Close ends the rest.
	s1.Close()
	if _, err := s1.Next(ctx); !errors.Is(err, model.ErrClosed) {
		t.Errorf("Next after Close: %v", err)
	}
	a.Close()
	if _, err := s2.Next(ctx); !errors.Is(err, model.ErrClosed) {
		t.Errorf("Next after the store closed: %v", err)
	}
}

// TestRolesEnforcedAtTheWrite: a served session's role is checked where
// the store writes; local work (no identity) may do anything.
func TestRolesEnforcedAtTheWrite(t *testing.T) {
	st := openTemp(t)
	c, err := st.CreateCustomer(ctx, "owner", model.Customer{Name: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	viewer := model.WithIdentity(ctx, model.Identity{Agent: "vic", Role: model.RoleViewer})
	agent := model.WithIdentity(ctx, model.Identity{Agent: "ann", Role: model.RoleAgent})
	lead := model.WithIdentity(ctx, model.Identity{Agent: "lee", Role: model.RoleLead})

	_, err = st.AddFeedback(viewer, "vic", model.Feedback{CustomerID: c.ID, Body: "no"})
	var fe *model.ForbiddenError
	if !errors.As(err, &fe) || !errors.Is(err, model.ErrForbidden) || fe.Needs != model.RoleAgent || fe.Action != "log feedback" {
		t.Fatalf("viewer's feedback: %v", err)
	}
	if _, err := st.AddFeedback(agent, "ann", model.Feedback{CustomerID: c.ID, Body: "yes"}); err != nil {
		t.Fatalf("agent's feedback: %v", err)
	}
	if _, err := st.AddCategory(agent, "ann", "Serve/Roles"); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("agent's category: %v", err)
	}
	if _, err := st.AddCategory(lead, "lee", "Serve/Roles"); err != nil {
		t.Fatalf("lead's category: %v", err)
	}
	if _, err := st.SaveSegment(agent, "ann", "x", "ltv > 1", false); !errors.Is(err, model.ErrForbidden) {
		t.Fatalf("agent's segment: %v", err)
	}
	// Nothing of the refused writes was stored.
	fb, err := st.FeedbackPage(ctx, model.FeedbackQuery{Limit: 10})
	if err != nil || len(fb.Rows) != 1 {
		t.Fatalf("feedback stored: %d %v", len(fb.Rows), err)
	}
}

package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

func TestProfileNoteFollowUpAndLifecycle(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("/", "Lucas", "enter", "enter")...)
	p := m.profile
	if p == nil || p.customer == nil || p.customer.Name != "Lucas Martin" {
		t.Fatal("profile of Lucas Martin should be open")
	}
	send(t, m, nil, keys("n", "wants a call after 18:00", "enter")...)
	if len(p.timeline) != 1 || p.timeline[0].Type != "note" || !strings.Contains(m.View(), "note added") {
		t.Errorf("after n: timeline %+v", p.timeline)
	}
	// u opens the promise form: quick choices, or a typed date that is
	// refused with the reason when it cannot be read.
	send(t, m, nil, keys("u", "tab", "someday", "ctrl+s")...)
	frame := m.View()
	assertFrame(t, frame, 120, 30)
	golden(t, "profile_followup_form", frame)
	if p.form() == nil || !strings.Contains(frame, `cannot read "someday"`) {
		t.Fatalf("a bad due time should keep the form open with the reason:\n%s", frame)
	}
	for range "someday" {
		send(t, m, nil, keys("backspace")...)
	}
	send(t, m, nil, keys("tomorrow", "tab", "tab", "call back", "ctrl+s")...)
	if p.form() != nil || p.customer.FollowupsOpen != 1 || !strings.Contains(m.View(), "follow-up due Sat 2026-11-21 17:00") {
		t.Errorf("after u: form open %v, open follow-ups %d\n%s", p.form() != nil, p.customer.FollowupsOpen, m.View())
	}
	// l offers the stages; down, enter and y move the lifecycle on,
	// naming the version it showed.
	send(t, m, nil, keys("l", "down", "enter", "y")...)
	if p.customer.Lifecycle != model.LifecycleActivated {
		t.Errorf("lifecycle after l = %s", p.customer.Lifecycle)
	}
	// Someone else changes Lucas; the next l is refused and says by whom.
	other, err := db.Open(context.Background(), st.Path(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	plan := "pro"
	if _, err := other.UpdateCustomer(context.Background(), "bob", p.customer.ID, model.CustomerPatch{Plan: &plan}, 0); err != nil {
		t.Fatal(err)
	}
	stale := *p.customer
	send(t, m, nil, keys("l", "down", "enter", "y")...)
	if !strings.Contains(m.status, "changed since you loaded it (by bob)") || !m.statusErr {
		t.Errorf("stale write status = %q", m.status)
	}
	if p.customer.Lifecycle != stale.Lifecycle || p.customer.Plan != "pro" {
		t.Errorf("the refused write changed the lifecycle, or the profile did not reload: %+v", p.customer)
	}
	// esc closes an open prompt first, then the profile.
	send(t, m, nil, keys("n", "esc")...)
	if m.profile == nil || p.asking != "" {
		t.Errorf("esc should close the prompt only")
	}
}

package ui

import (
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

func TestInboxListsAndFilters(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("2")...)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "inbox_100x30", frame)
	in := m.inbox
	if len(in.rows) != 5 || in.rows[0].Subject != "App crashes on login" || !strings.Contains(frame, "1–5 of 5") {
		t.Fatalf("inbox rows: %d, first %q", len(in.rows), in.rows[0].Subject)
	}
	// K cycles the kind filter: feedback, complaint, ...
	send(t, m, nil, keys("K", "K")...)
	if in.kind != model.KindComplaint || len(in.rows) != 2 {
		t.Errorf("kind %s: %d rows, want 2 complaints", in.kind, len(in.rows))
	}
	// f cycles the status filter: open → pending (none there).
	send(t, m, nil, keys("f")...)
	if in.status != model.StatusPending || len(in.rows) != 0 || !strings.Contains(m.View(), "no feedback matches") {
		t.Errorf("status %s: %d rows", in.status, len(in.rows))
	}
	send(t, m, nil, keys("esc")...)
	if in.status != model.StatusOpen || in.kind != "" || len(in.rows) != 5 {
		t.Errorf("esc should bring the default filter back (open), got status %q kind %q", in.status, in.kind)
	}
	// o opens the customer's profile over the Inbox (enter opens the
	// item); esc returns.
	send(t, m, nil, keys("j", "o")...)
	if m.profile == nil || m.profile.customer == nil || m.profile.customer.Name != "Emma Schmidt" {
		t.Fatalf("o on the second item should open Emma Schmidt's profile")
	}
	send(t, m, nil, keys("esc")...)
	if m.profile != nil || m.tab != tabInbox {
		t.Errorf("esc should return to the Inbox")
	}
	assertFrame(t, m.viewAt(t, 60, 15), 60, 15)
}

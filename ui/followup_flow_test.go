package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// TestFollowUpFlowWithMovingClock: promise a call-back tomorrow from a
// profile, move the clock two days (no sleeping), see it overdue in the
// queue and in the status bar, mark it done; the timeline shows both.
func TestFollowUpFlowWithMovingClock(t *testing.T) {
	st := testStore(t)
	now := fixedNow
	clock := func() time.Time { return now }
	st.Now = func() time.Time { return now.UTC() }
	m := New(context.Background(), st, NewStyles(lipgloss.DefaultRenderer()),
		Options{Agent: "li.na", DBPath: "/tmp/team.db", Now: clock})
	send(t, m, m.Init())
	send(t, m, nil, tea.WindowSizeMsg{Width: 120, Height: 30})
	// u opens the promise form on "tomorrow"; the promise is the last field.
	send(t, m, nil, keys("/", "Olivia", "enter", "enter", "u", "tab", "tab", "tab", "call back about the invoice", "ctrl+s")...)
	if m.profile == nil || m.profile.customer.FollowupsOpen != 1 {
		t.Fatal("the follow-up was not made")
	}
	send(t, m, nil, keys("esc", "3")...)
	if m.followUps.counts["overdue"] != 0 || m.followUps.counts["upcoming"] != 1 {
		t.Fatalf("before the clock moves: %v", m.followUps.counts)
	}
	now = now.Add(48 * time.Hour) // two days later
	send(t, m, m.loadStats())
	send(t, m, nil, keys("ctrl+r")...)
	frame := m.View()
	if m.followUps.counts["overdue"] != 1 || !strings.Contains(frame, "call back about the invoice") ||
		!strings.Contains(frame, "1 overdue") {
		t.Fatalf("two days later the promise should be overdue:\n%s", frame)
	}
	send(t, m, nil, keys("x")...)
	if m.followUps.counts["overdue"] != 0 || m.followUps.counts["done"] != 1 {
		t.Fatalf("after x: %v", m.followUps.counts)
	}
	send(t, m, nil, keys("h", "enter")...) // the done section, then the customer
	if m.profile == nil || m.profile.customer.Name != "Olivia Rossi" {
		t.Fatal("enter on the done item should open Olivia's profile")
	}
	var made, done bool
	for _, e := range m.profile.timeline {
		made = made || strings.HasPrefix(e.Summary, "follow-up due")
		done = done || strings.HasPrefix(e.Summary, "follow-up done")
	}
	if !made || !done || strings.Contains(lastLine(m.View()), " overdue") {
		t.Errorf("timeline should show the promise and its completion (made %v, done %v)", made, done)
	}
}

// The queue opens on the most urgent section that holds something: the
// last overdue promise done leads on to today's, and a section the agent
// picks with ←/→ stays, empty or not.
func TestFollowUpsLeadToTheNextDue(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 30)
	send(t, m, nil, keys("3")...)
	if m.followUps.state != "overdue" || !strings.Contains(m.View(), "回电确认退款到账") {
		t.Fatalf("the queue should open on the overdue promise:\n%s", m.View())
	}
	send(t, m, nil, keys("x")...)
	if m.followUps.state != "today" || !strings.Contains(m.View(), "check the login fix") {
		t.Fatalf("with nothing overdue left, today's promise should show:\n%s", m.View())
	}
	send(t, m, nil, keys("right")...)
	if m.followUps.state != "upcoming" || !strings.Contains(m.View(), "nothing upcoming") {
		t.Fatalf("a section picked with → should stay, empty:\n%s", m.View())
	}
}

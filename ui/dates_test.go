package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// newTestModelAt is newTestModel with another clock.
func newTestModelAt(t *testing.T, st Store, w, h int, now time.Time) *Model {
	t.Helper()
	m := New(context.Background(), st, NewStyles(lipgloss.DefaultRenderer()),
		Options{Agent: "tester", DBPath: "/tmp/team.db", Now: func() time.Time { return now }})
	send(t, m, m.Init())
	send(t, m, nil, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// A promise due in the past is asked about, with the year, before it is
// saved (issue 16, defect 8).
func TestFollowUpInThePastAsksFirst(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	p := openProfile(t, m, "Lucas")
	send(t, m, nil, keys("u", "tab", "2020-01-01 10:00", "ctrl+s")...)
	frame := m.View()
	assertFrame(t, frame, 120, 30)
	if p.form() == nil || !strings.Contains(frame, "Due Wed 2020-01-01 10:00 is in the past (6 y ago) — save anyway? y/n") {
		t.Fatalf("a past due time should be asked about, with its year:\n%s", frame)
	}
	send(t, m, nil, keys("n")...)
	if p.form() == nil || p.customer.FollowupsOpen != 0 {
		t.Fatal("n should go back to the form without saving")
	}
	send(t, m, nil, keys("ctrl+s", "y")...)
	if p.form() != nil || p.customer.FollowupsOpen != 1 || !strings.Contains(m.status, "2020-01-01") {
		t.Errorf("y should save it: form open %v, status %q", p.form() != nil, m.status)
	}
}

// The quick choices offer only times ahead: at 18:59 "today 17:00" is gone.
func TestFollowUpQuickChoicesNeverPast(t *testing.T) {
	st := testStore(t)
	evening := time.Date(2026, 11, 20, 18, 59, 0, 0, time.UTC)
	m := newTestModelAt(t, st, 120, 30, evening)
	openProfile(t, m, "Lucas")
	send(t, m, nil, keys("u")...)
	frame := m.View()
	if strings.Contains(frame, "today 17:00") {
		t.Errorf("today 17:00 is past at 18:59 and must not be offered:\n%s", frame)
	}
	if !strings.Contains(frame, "tomorrow  Sat 11-21 17:00") || !strings.Contains(frame, "in 2 hours  Fri 11-20 20:59") {
		t.Errorf("the choices ahead should stay:\n%s", frame)
	}
	// In the morning it is offered.
	m = newTestModel(t, st, 120, 30)
	openProfile(t, m, "Lucas")
	send(t, m, nil, keys("u")...)
	if !strings.Contains(m.View(), "today 17:00  Fri 11-20 17:00") {
		t.Errorf("today 17:00 should be offered at 09:30:\n%s", m.View())
	}
}

// Snoozing into the past asks first, and the result shows the year.
func TestSnoozeIntoThePastAsksAndShowsTheYear(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("3", "s", "2020-01-01", "enter")...)
	frame := m.View()
	assertFrame(t, frame, 120, 30)
	if !strings.Contains(frame, "Snooze to Wed 2020-01-01 17:00 is in the past") || !strings.Contains(frame, "y/n") {
		t.Fatalf("a past snooze should be asked about:\n%s", frame)
	}
	send(t, m, nil, keys("y")...)
	if !strings.Contains(m.status, "snoozed to Wed 2020-01-01 17:00") {
		t.Errorf("status should name the year: %q", m.status)
	}
	// A snooze this year keeps the short form, without asking.
	send(t, m, nil, keys("s", "2026-12-01 10:00", "enter")...)
	if !strings.Contains(m.status, "snoozed to Tue 12-01 10:00") {
		t.Errorf("status %q", m.status)
	}
}

// noteRecorder keeps the notes' bodies as the store received them.
type noteRecorder struct {
	Store
	bodies []string
}

func (s *noteRecorder) AddNote(ctx context.Context, agent string, n model.Note) (model.Note, error) {
	s.bodies = append(s.bodies, n.Body)
	return s.Store.AddNote(ctx, agent, n)
}

// An 18,700-character paste into a note is saved whole.
func TestLongPastedNoteIsKeptWhole(t *testing.T) {
	st := &noteRecorder{Store: testStore(t)}
	m := newTestModel(t, st, 120, 30)
	p := openProfile(t, m, "Lucas")
	text := string([]rune(strings.Repeat("客户说退款一直没有到账, the refund never arrived. ", 500))[:18700])
	send(t, m, nil, keys("n")...)
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(text), Paste: true})
	if p.inputEr != "" {
		t.Errorf("no limit message expected: %q", p.inputEr)
	}
	send(t, m, nil, keys("enter")...)
	if len(st.bodies) != 1 || len([]rune(st.bodies[0])) != 18700 {
		t.Fatalf("note saved with %d characters, want 18700", len([]rune(st.bodies[0])))
	}
	if p.asking != "" || len(p.timeline) != 1 {
		t.Errorf("the prompt should close and the note show: asking %q", p.asking)
	}
}

func TestDatesNameTheYearWhenNotThisOne(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		at        time.Time
		when, day string
	}{
		{time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), "Tue 12-01 10:00", "12-01"},
		{time.Date(2020, 1, 1, 17, 0, 0, 0, time.UTC), "Wed 2020-01-01 17:00", "2020-01-01"},
		{time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC), "Mon 2027-01-04 09:00", "2027-01-04"},
	} {
		if got := whenText(c.at, now); got != c.when {
			t.Errorf("whenText(%v) = %q, want %q", c.at, got, c.when)
		}
		if got := dayText(c.at, now); got != c.day {
			t.Errorf("dayText(%v) = %q, want %q", c.at, got, c.day)
		}
	}
}

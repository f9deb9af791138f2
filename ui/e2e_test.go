package ui

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestEndToEndBrowse runs the real Bubble Tea program on a temp store and
// types like a user: search, open a profile, go back, quit.
func TestEndToEndBrowse(t *testing.T) {
	st := testStore(t)
	tm, waitFor := program(t, st, "tester", 100, 30)
	waitFor("1–25 of 37")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	tm.Type("Emma")
	waitFor("1–1 of 1")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter}) // leave the input
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter}) // open the profile
	waitFor("Blue Harbor Analytics GmbH", "Please add SSO", "Satisfaction")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor("/ Emma")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	final := tm.FinalModel(t).(*Model)
	if final.profile != nil || final.customers.search != "Emma" {
		t.Errorf("final state: profile open %v, search %q", final.profile != nil, final.customers.search)
	}
	if got := names(final.customers.rows); got != "Emma Schmidt" {
		t.Errorf("rows at quit: %q", got)
	}
}

// TestEndToEndInsights: open Insights, switch the dimension, drill into
// the worst group, open one of its customers.
func TestEndToEndInsights(t *testing.T) {
	st := testStore(t)
	tm, waitFor := program(t, st, "tester", 120, 30)
	key := func(s string) { tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}) }
	waitFor("1–25 of 37")
	key("4")
	waitFor("by plan", "enterprise")
	key("d") // by region
	waitFor("by region", "华南")
	// 华南 (陈静's one-star crash report) is the worst group: third row.
	key("j")
	key("j")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(`region = "华南"`, "1–1 of 1")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor("深圳前海微众", "CSAT 1 NPS 2")
	key("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	final := tm.FinalModel(t).(*Model)
	if final.profile == nil || final.profile.customer == nil || final.profile.customer.Name != "陈静" {
		t.Errorf("the drill should end on 陈静's profile")
	}
}

// program runs the real Bubble Tea program on st at w×h, and waitFor reads
// its output until every text has appeared.
func program(t *testing.T, st Store, agent string, w, h int) (*teatest.TestModel, func(texts ...string)) {
	t.Helper()
	m := New(context.Background(), st, NewStyles(lipgloss.DefaultRenderer()),
		Options{Agent: agent, DBPath: "/tmp/team.db", Now: func() time.Time { return fixedNow }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	waitFor := func(texts ...string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			for _, s := range texts {
				if !bytes.Contains(b, []byte(s)) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	return tm, waitFor
}

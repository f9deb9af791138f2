package ui

import (
	"context"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"

	tea "github.com/charmbracelet/bubbletea"
)

// burst is what tmux send-keys jjj delivers: one message, several runes.
func burst(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func TestKeyBurstMovesEachStep(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, burst("jjj"))
	if m.customers.sel != 3 {
		t.Errorf("Customers cursor after a jjj burst = %d, want 3", m.customers.sel)
	}
	send(t, m, nil, burst("jk"))
	if m.customers.sel != 3 {
		t.Errorf("Customers cursor after jk = %d, want 3", m.customers.sel)
	}
	send(t, m, nil, keys("2")...)
	send(t, m, nil, burst("jjj"))
	if m.inbox.sel != 3 {
		t.Errorf("Inbox cursor after a jjj burst = %d, want 3", m.inbox.sel)
	}
	// A burst that switches tab acts too: "1j" goes to Customers, one down.
	send(t, m, nil, burst("1j"))
	if m.tab != tabCustomers || m.customers.sel != 4 {
		t.Errorf("1j burst: tab %d, cursor %d; want Customers at 4", m.tab, m.customers.sel)
	}
}

func TestKeyBurstIntoInputStaysWhole(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	// "/" opens the search; the rest of the burst is typed into it.
	send(t, m, nil, burst("/Emma"))
	if !m.customers.searching || m.customers.search != "Emma" {
		t.Fatalf("burst /Emma: searching=%v search=%q", m.customers.searching, m.customers.search)
	}
	// While the input has focus, a burst is text: jjj is typed, not moved.
	send(t, m, nil, burst("jjj"))
	if m.customers.search != "Emmajjj" {
		t.Errorf("burst into the search input: %q, want Emmajjj", m.customers.search)
	}
	// A paste is never split, even outside an input.
	send(t, m, nil, keys("esc", "esc")...)
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj"), Paste: true})
	if m.customers.sel != 0 {
		t.Errorf("a paste outside an input moved the cursor to %d", m.customers.sel)
	}
}

// In a list of choices (Inbox s) keys are commands: "jj" sent together
// moves two down, as two presses would (tmux send-keys s j j Enter).
func TestKeyBurstInChoiceListMoves(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2")...)
	id := m.inbox.rows[m.inbox.sel].ID
	send(t, m, nil, keys("s")...)
	send(t, m, nil, burst("jj"))
	send(t, m, nil, keys("enter")...)
	if f, _ := st.Feedback(context.Background(), id); f.Status != model.StatusResolved {
		t.Errorf("status after s, jj, enter = %s, want resolved", f.Status)
	}
}

// TestEscThenKeyTogether: esc and a key sent together arrive as one
// alt+key; it acts as the two presses — the item view closes and the tab
// switches (tmux send-keys Escape 4 did nothing).
func TestEscThenKeyTogether(t *testing.T) {
	defer func(d time.Duration) { holdMax = d }(holdMax)
	holdMax = time.Millisecond // the harness runs the timer too, after the esc's work
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("2", "enter")...)
	if m.item == nil {
		t.Fatal("enter on the Inbox opened no item")
	}
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'4'}, Alt: true})
	if m.item != nil || m.tab != tabInsights {
		t.Errorf("alt+4 over the item: item open %v, tab %d; want closed, Insights", m.item != nil, m.tab)
	}
	// Closing a profile is a message: the key after esc waits for it, so
	// "/" opens the Customers search, not something of the profile.
	send(t, m, nil, keys("1", "enter")...)
	if m.profile == nil {
		t.Fatal("enter on Customers opened no profile")
	}
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'/'}, Alt: true}, burst("Emma"))
	if m.profile != nil || !m.customers.searching || m.customers.search != "Emma" {
		t.Errorf("alt+/ over a profile: profile open %v, searching %v %q", m.profile != nil, m.customers.searching, m.customers.search)
	}
	send(t, m, nil, keys("esc", "esc")...)
	// Keys that arrive before the profile has closed wait their turn:
	// tmux send-keys Escape 1 / then "Emma" (the "/" had gone to the
	// profile, and the "a" of a typed word opened New customer).
	send(t, m, nil, keys("enter")...)
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'1'}, Alt: true})
	_, c1 := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'/'}})
	_, c2 := m.Update(burst("Emma"))
	if c1 != nil || c2 != nil || m.profile == nil {
		t.Fatalf("keys before the profile closed were not held")
	}
	send(t, m, cmd)
	if m.profile != nil || m.overlay() != nil || !m.customers.searching || m.customers.search != "Emma" {
		t.Errorf("held keys: profile open %v, overlay %T, searching %v %q", m.profile != nil, m.overlay(), m.customers.searching, m.customers.search)
	}
	send(t, m, nil, keys("esc", "esc")...)
	// An esc whose work does not come back (a slow query) holds the keys
	// holdMax at most: the timer's release hands them on; a later release
	// of the same hold does nothing.
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'2'}, Alt: true})
	m.Update(burst("j"))
	gen := m.holdGen
	send(t, m, nil, releaseMsg{gen: gen})
	if m.holding || len(m.held) != 0 || m.tab != tabInbox || m.inbox.sel != 1 {
		t.Errorf("after the timer: holding %v, held %d, tab %d, cursor %d", m.holding, len(m.held), m.tab, m.inbox.sel)
	}
	send(t, m, nil, releaseMsg{gen: gen})
	if m.inbox.sel != 1 {
		t.Errorf("a second release moved the cursor to %d", m.inbox.sel)
	}
	send(t, m, nil, keys("1")...)
	// In a text input, esc esc and esc with a digit are the two presses
	// too (tmux send-keys Escape Escape 5 typed "5" into the search).
	send(t, m, nil, keys("/")...)
	send(t, m, nil, burst("Jaime"), tea.KeyMsg{Type: tea.KeyEsc, Alt: true}, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'5'}})
	if m.tab != tabImport || m.customers.searching || m.customers.search != "" {
		t.Errorf("esc esc 5 from the search: tab %d, searching %v %q", m.tab, m.customers.searching, m.customers.search)
	}
	send(t, m, nil, keys("1", "/")...)
	send(t, m, nil, burst("Jaime"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'3'}, Alt: true})
	if m.tab != tabFollowUps || m.customers.searching {
		t.Errorf("esc 3 from the search: tab %d, searching %v", m.tab, m.customers.searching)
	}
	send(t, m, nil, keys("1")...)
	// In a text input alt keys stay the input's (alt+b: a word back).
	send(t, m, nil, keys("1", "/")...)
	send(t, m, nil, burst("ab cd"), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'b'}, Alt: true})
	if !m.customers.searching || m.customers.search != "ab cd" {
		t.Errorf("alt+b in the search: searching %v, %q", m.customers.searching, m.customers.search)
	}
}

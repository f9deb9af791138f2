package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// What Bubble Tea v1 makes of "\x1b]11;rgb:0000/0000/0000\x1b\\" when the
// terminal's answer to lipgloss's background query arrives late.
func lateReply(body string, bel bool) []tea.Msg {
	end := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'\\'}, Alt: true}
	if bel {
		end = tea.KeyMsg{Type: tea.KeyCtrlG}
	}
	return []tea.Msg{tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{']'}, Alt: true}, burst(body), end}
}

// TestLateTerminalReplyIsNotTyped: a colour reply that arrives after the
// program started reading keys is dropped whole — it switched tabs and
// opened the command line as typed keys (seen over SSH) — and the keys
// after it act as usual.
func TestLateTerminalReplyIsNotTyped(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("j")...)
	before := m.View()
	send(t, m, nil, lateReply("11;rgb:0000/0000/0000", false)...)
	if m.tab != tabCustomers || m.overlay() != nil || m.customers.sel != 1 || m.View() != before {
		t.Fatalf("a late reply acted: tab %d, overlay %T, cursor %d\n%s", m.tab, m.overlay(), m.customers.sel, m.View())
	}
	// Split over reads, ended by BEL.
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{']'}, Alt: true}, burst("1"), burst("1;rgb:ffff/ffff/ffff"), tea.KeyMsg{Type: tea.KeyCtrlG})
	if m.tab != tabCustomers || m.overlay() != nil || m.View() != before {
		t.Fatalf("a split reply acted: tab %d, overlay %T\n%s", m.tab, m.overlay(), m.View())
	}
	send(t, m, nil, burst("jj"))
	if m.customers.sel != 3 {
		t.Errorf("keys after the reply: cursor %d, want 3", m.customers.sel)
	}
	// A stray alt+] followed by ordinary keys hands them back.
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{']'}, Alt: true}, burst("kk"))
	if m.customers.sel != 1 {
		t.Errorf("keys after a stray alt+]: cursor %d, want 1", m.customers.sel)
	}
	// In a text input the reply is not typed either.
	send(t, m, nil, keys("/")...)
	send(t, m, nil, burst("Emma"))
	send(t, m, nil, lateReply("11;rgb:0000/0000/0000", false)...)
	if m.customers.search != "Emma" {
		t.Errorf("search after a late reply: %q, want Emma", m.customers.search)
	}
}

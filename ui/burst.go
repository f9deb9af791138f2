package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Keys that arrive together: a terminal (tmux send-keys, a slow SSH link,
// fast typing) can deliver several characters as ONE tea.KeyMsg with
// Type KeyRunes and more than one rune. Outside a text input each of them
// is a command, so the burst is split and every key acts, in order, as if
// pressed one by one. Inside an input the text stays whole, and a paste
// (msg.Paste) is never split.

// isBurst reports whether msg is several keys delivered as one message.
func isBurst(msg tea.KeyMsg) bool {
	return msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste
}

// typing reports whether the keys go to text: a screen's input, the
// command palette, a form. An overlay of choices only (a status or
// category list) takes keys as commands, so "jj" there moves twice.
func (m *Model) typing() bool {
	if o := m.overlay(); o != nil {
		if t, ok := o.(textTaker); ok {
			return t.TakesText()
		}
		return true
	}
	return m.focused().Capturing()
}

// textTaker is an overlay that can say whether it takes text; one that
// cannot say is taken to.
type textTaker interface{ TakesText() bool }

// TakesText: a list of choices takes none (but its filter does), any
// other form does.
func (o *formOverlay) TakesText() bool { return o.list == nil || o.list.filtering }

// handleBurst runs each key of a burst in order. When a key opens an input
// (`/` then words, `w` then an expression) the rest of the burst is typed
// into it whole, as the terminal sent it.
func (m *Model) handleBurst(msg tea.KeyMsg) tea.Cmd {
	var cmds []tea.Cmd
	for i, r := range msg.Runes {
		if m.typing() {
			rest := tea.KeyMsg{Type: tea.KeyRunes, Runes: append([]rune(nil), msg.Runes[i:]...), Alt: msg.Alt}
			cmds = append(cmds, m.handleKey(rest))
			break
		}
		one := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
		if r == ' ' {
			one.Type = tea.KeySpace
		}
		cmds = append(cmds, m.handleKey(one))
	}
	return tea.Sequence(cmds...)
}

// escSentWith tells an alt+key that is esc pressed with the next key.
// Outside a text input every alt+key is (Rapport binds none); in one,
// alt+b, alt+f and alt+d move and delete by words and alt with an arrow or
// backspace is the input's too, so only esc esc and esc with any other
// letter or digit are.
func escSentWith(msg tea.KeyMsg, typing bool) bool {
	switch {
	case !msg.Alt || msg.Paste:
		return false
	case !typing || msg.Type == tea.KeyEsc:
		return true
	case msg.Type == tea.KeyRunes && len(msg.Runes) > 0:
		return !strings.ContainsRune("bfdBFD", msg.Runes[0])
	}
	return false
}

// escThenKey: esc and the next key sent together ("\x1b4" from tmux
// send-keys Escape 4, or a slow link) reach Bubble Tea as one alt+4.
// Rapport binds no alt key, so it is what was pressed: esc, then the key.
// The key is held until what esc set going has been handled (closing a
// profile is a message too), so it lands where a second press would;
// keys that arrive meanwhile wait behind it (Model.held), in order. An
// esc whose work takes long (a query) holds them holdMax at most.
func (m *Model) escThenKey(msg tea.KeyMsg) tea.Cmd {
	esc := m.handleKey(tea.KeyMsg{Type: tea.KeyEsc})
	msg.Alt = false
	m.holdGen++
	gen := m.holdGen
	m.holding = true
	m.held = append(m.held, msg)
	release := func() tea.Msg { return releaseMsg{gen: gen} }
	return tea.Batch(tea.Sequence(esc, release), tea.Tick(holdMax, func(time.Time) tea.Msg { return releaseMsg{gen: gen} }))
}

// holdMax is the longest keys wait for an esc's work.
var holdMax = 300 * time.Millisecond

// releaseMsg ends hold number gen: after the esc's work, or at holdMax.
type releaseMsg struct{ gen int }

// release handles the held keys in order, unless an earlier release did,
// until one of them holds the rest back again.
func (m *Model) release(msg releaseMsg) tea.Cmd {
	if msg.gen != m.holdGen || !m.holding {
		return nil
	}
	m.holding = false
	keys := m.held
	m.held = nil
	var cmds []tea.Cmd
	for i, k := range keys {
		if m.holding {
			m.held = append(m.held, keys[i:]...)
			break
		}
		_, cmd := m.Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Sequence(cmds...)
}

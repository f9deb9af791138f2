package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// drillBack remembers where an Insights drill came from, so that esc on
// the list it opened goes back there (as a browser's back does).
type drillBack struct{ from, to tab }

// navKey handles the keys the root owns beyond the tabs: j/k scroll a
// full help taller than its room, and esc on a drilled list goes back to
// Insights after the list drops the drill's filter.
func (m *Model) navKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := m.env.keys.List
	if cmd, ok := m.scrollHelp(msg); ok {
		return cmd, true
	}
	d := m.drill
	if d == nil || !key.Matches(msg, k.Back) || m.tab != d.to || (m.profile != nil && m.profileTab == m.tab) {
		return nil, false
	}
	if d.to == tabInbox && m.inbox.hasPicked() {
		return nil, false // esc clears the selection first
	}
	cmd := m.focused().Update(msg) // the list's own esc: its filter goes
	return tea.Batch(cmd, m.switchTab(d.from)), true
}

// helpGroups are the bindings the full help lists: the screen's, then the tabs and the global keys.
func (m *Model) helpGroups() [][]key.Binding {
	g := m.env.keys.Global
	return append(m.focused().FullHelp(), []key.Binding{g.Tab1, g.Tab2, g.Tab3, g.Tab4, g.Tab5, g.NextTab},
		[]key.Binding{g.Undo, g.Redo, g.Activity},
		[]key.Binding{g.Help, g.Palette, g.Quit, g.ForceQuit})
}

// scrollHelp moves a full help taller than its room with j/k; a help that
// fits leaves the keys to the screen.
func (m *Model) scrollHelp(msg tea.KeyMsg) (tea.Cmd, bool) {
	if !m.showHelp {
		return nil, false
	}
	n, k := len(m.fullHelpLines(m.helpGroups())), m.env.keys.List
	if n <= m.helpRoom() {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Down):
		m.helpTop = min(m.helpTop+1, max(0, n-(m.helpRoom()-1)))
		return m.resize(), true
	case key.Matches(msg, k.Up):
		m.helpTop = max(0, m.helpTop-1)
		return m.resize(), true
	}
	return nil, false
}

// fullHelpLines lays the full help out in as many columns as the width
// takes, column by column, so no binding is cut off.
func (m *Model) fullHelpLines(groups [][]key.Binding) []string {
	st := m.env.styles
	type item struct{ k, d string }
	var items []item
	seen := map[string]bool{}
	keyW := 0
	for _, g := range groups {
		for _, b := range g {
			h := b.Help()
			if !b.Enabled() || h.Key == "" || seen[h.Key+h.Desc] {
				continue
			}
			seen[h.Key+h.Desc] = true
			items = append(items, item{h.Key, h.Desc})
			keyW = max(keyW, lipgloss.Width(h.Key))
		}
	}
	colW := 0
	for _, it := range items {
		colW = max(colW, keyW+1+lipgloss.Width(it.d))
	}
	gap := 3
	cols := max(1, min(len(items), (m.width+gap)/(colW+gap)))
	rows := (len(items) + cols - 1) / cols
	lines := make([]string, rows)
	for c := 0; c < cols; c++ {
		for r := 0; r < rows; r++ {
			i := c*rows + r
			if i >= len(items) {
				continue
			}
			cellText := st.Accent.Render(cell(items[i].k, keyW)) + " " + st.Faint.Render(items[i].d)
			if c < cols-1 {
				cellText = padRight(cellText, colW+gap)
			}
			lines[r] += cellText
		}
	}
	for i := range lines {
		lines[i] = fit(lines[i], m.width)
	}
	return lines
}

// helpRoom is how many lines the full help may take: the body keeps three.
func (m *Model) helpRoom() int { return max(2, m.height-2-3) }

// fullHelpView is the full help, scrolled by j/k when it is taller than
// its room, with a line that says so.
func (m *Model) fullHelpView(groups [][]key.Binding) string {
	lines := m.fullHelpLines(groups)
	room := m.helpRoom()
	if len(lines) <= room {
		return joinLines(lines)
	}
	shown := room - 1
	top := max(0, min(m.helpTop, len(lines)-shown))
	out := append([]string(nil), lines[top:top+shown]...)
	more := fmt.Sprintf("help %d–%d of %d lines · j/k scroll · ? or esc closes", top+1, top+shown, len(lines))
	out = append(out, m.env.styles.Faint.Render(fit(more, m.width)))
	return joinLines(out)
}

func joinLines(lines []string) string { return strings.Join(lines, "\n") }

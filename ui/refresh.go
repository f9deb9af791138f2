package ui

import tea "github.com/charmbracelet/bubbletea"

// How a write reaches the screens that show it: the root asks each
// screen, through these methods, to read again; a screen decides what
// that means for it (a list not yet shown reads nothing, a cursor stays
// on its row). The root never sets a screen's fields.

// refresher is a screen that can re-read what it shows after someone
// else's change, keeping the cursor on its row.
type refresher interface{ Refresh() tea.Cmd }

func (c *customersScreen) Refresh() tea.Cmd { return c.refresh() }
func (p *profileScreen) Refresh() tea.Cmd   { return p.load() }
func (v *itemScreen) Refresh() tea.Cmd      { return v.load() }
func (a *activityScreen) Refresh() tea.Cmd  { return a.reload() }

func (s *inboxScreen) Refresh() tea.Cmd {
	s.remember()
	return s.reload()
}

func (s *followUpsScreen) Refresh() tea.Cmd {
	s.remember()
	return s.reload()
}

// reread reads the items again when the Inbox has been shown; keep holds
// the cursor where it is.
func (s *inboxScreen) reread(keep bool) tea.Cmd {
	switch {
	case s.gen == 0:
		return nil
	case keep:
		return s.stay(s.reload)
	}
	return s.reload()
}

// reread reads the follow-ups again when the tab has been shown.
func (s *followUpsScreen) reread(keep bool) tea.Cmd {
	switch {
	case s.gen == 0:
		return nil
	case keep:
		return s.stay(s.reload)
	}
	return s.reload()
}

// stale drops the figures computed before a change; shown ones are
// computed again when reload is set.
func (s *insightsScreen) stale(reload bool) tea.Cmd {
	s.invalidate()
	if reload && s.sum != nil {
		return s.load()
	}
	return nil
}

// afterMerge reads the list again, and the duplicates view when open.
func (c *customersScreen) afterMerge() tea.Cmd {
	cmds := []tea.Cmd{c.refresh()}
	if c.dups != nil {
		cmds = append(cmds, c.dups.load())
	}
	return tea.Batch(cmds...)
}

// hasPicked reports rows picked with space (esc clears them first).
func (s *inboxScreen) hasPicked() bool { return s.picked.len() > 0 }

// refreshFocused re-reads what is on screen after someone else's change.
func (m *Model) refreshFocused() tea.Cmd {
	if r, ok := m.focused().(refresher); ok {
		return r.Refresh()
	}
	return nil
}

// reloadProfile reads the open profile again, when it shows customer id
// (any customer when id is 0).
func (m *Model) reloadProfile(id int64) tea.Cmd {
	if m.profile == nil || (id != 0 && m.profile.id != id) {
		return nil
	}
	return m.profile.load()
}

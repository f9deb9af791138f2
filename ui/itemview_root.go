package ui

import tea "github.com/charmbracelet/bubbletea"

// The root's part of the item view: it opens over the tab it was opened
// from (over a profile, when opened from its timeline), esc closes it,
// and a write from it refreshes the lists that show the item.

func (m *Model) routeItem(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case openItemMsg:
		m.closeItem()
		m.item, m.itemTab = newItemScreen(m.env, m.openedID(), msg.typ, msg.id), m.tab
		return tea.Batch(m.item.SetSize(m.bodySize()), m.item.load())
	case closeItemMsg:
		m.closeItem()
		return nil
	case itemCustomerMsg:
		m.closeItem()
		return func() tea.Msg { return openProfileMsg{id: msg.id} }
	case itemChangedMsg:
		return tea.Batch(m.inbox.reread(true), m.reloadProfile(0))
	}
	return nil
}

package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// The Customers screen's forms: a adds a customer.

func (c *customersScreen) open(o *formOverlay, init tea.Cmd) tea.Cmd {
	c.form = o
	c.form.SetSize(c.width, c.height)
	return init
}

func (c *customersScreen) updateForm(msg tea.Msg) tea.Cmd {
	done, cmd := c.form.Update(msg)
	if done {
		c.form = nil
	}
	return cmd
}

// saved opens the new customer's profile, ready for the first feedback.
func (c *customersScreen) saved(msg customerSavedMsg) tea.Cmd {
	if msg.err != nil {
		return func() tea.Msg { return statusMsg{text: "not saved: " + errText(msg.err), err: true} }
	}
	id := msg.customer.ID
	return tea.Batch(c.refresh(),
		func() tea.Msg { return statusMsg{text: "customer " + displayName(&msg.customer) + " added"} },
		func() tea.Msg { return openProfileMsg{id: id} },
		func() tea.Msg { return refreshStatsMsg{} })
}

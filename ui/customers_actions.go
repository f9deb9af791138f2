package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// The Customers screen's forms: a adds a customer.

// open puts a form on the overlay stack over this screen.
func (c *customersScreen) open(o *formOverlay, init tea.Cmd) tea.Cmd {
	c.env.layers.push(c.sid, o)
	return init
}

// form is the form open over the screen, or nil.
func (c *customersScreen) form() *formOverlay { return c.env.layers.formOf(c.sid) }

// saved opens the new customer's profile, ready for the first feedback.
func (c *customersScreen) saved(msg customerSavedMsg) tea.Cmd {
	if msg.err != nil {
		return func() tea.Msg { return statusMsg{text: "not saved: " + errText(msg.err), err: true} }
	}
	id := msg.customer.ID
	return tea.Batch(c.refresh(),
		func() tea.Msg { return statusMsg{text: "customer " + msg.customer.Label() + " added"} },
		func() tea.Msg { return openProfileMsg{id: id} },
		func() tea.Msg { return refreshStatsMsg{} })
}

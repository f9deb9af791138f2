package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// customerPicker finds a customer by name, email, phone or company as
// the agent types, for actions that start outside a profile (logging
// feedback from the Inbox). enter picks, esc gives up.
type customerPicker struct {
	env   *env
	title string
	input textinput.Model
	rows  []model.Customer
	sel   int
	gen   int
	err   error
}

type pickerMsg struct {
	gen  int
	rows []model.Customer
	err  error
}

// pickedMsg says which customer was chosen.
type pickedMsg struct{ customer model.Customer }

const pickerRows = 8

var (
	pickerPick = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "pick"))
	pickerMove = key.NewBinding(key.WithKeys("up", "down", "ctrl+p", "ctrl+n"), key.WithHelp("↑/↓", "move"))
	pickerQuit = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
)

func newCustomerPicker(e *env, title string) (*customerPicker, tea.Cmd) {
	in := lineInput(e, "customer: ", "name, email, phone or company", 200)
	p := &customerPicker{env: e, title: title, input: in}
	return p, tea.Batch(p.input.Focus(), p.search())
}

func (p *customerPicker) search() tea.Cmd {
	p.gen++
	gen, st, ctx := p.gen, p.env.store, p.env.ctx
	q := model.CustomerQuery{Search: strings.TrimSpace(p.input.Value()), Limit: pickerRows, Sort: model.SortLastContact, Desc: true}
	return func() tea.Msg {
		page, err := st.ListCustomers(ctx, q)
		return pickerMsg{gen: gen, rows: page.Rows, err: err}
	}
}

// Update returns done when the picker closed; a pick arrives as pickedMsg.
func (p *customerPicker) Update(msg tea.Msg) (done bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case pickerMsg:
		if msg.gen == p.gen {
			p.rows, p.err, p.sel = msg.rows, msg.err, 0
		}
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, pickerQuit):
			return true, nil
		case key.Matches(msg, pickerPick):
			if p.sel < len(p.rows) {
				c := p.rows[p.sel]
				return true, func() tea.Msg { return pickedMsg{customer: c} }
			}
			return false, nil
		case msg.Type == tea.KeyUp || msg.Type == tea.KeyCtrlP:
			p.sel = max(0, p.sel-1)
			return false, nil
		case msg.Type == tea.KeyDown || msg.Type == tea.KeyCtrlN:
			p.sel = min(max(0, len(p.rows)-1), p.sel+1)
			return false, nil
		}
		before := p.input.Value()
		var c tea.Cmd
		p.input, c = p.input.Update(msg)
		if p.input.Value() != before {
			return false, tea.Batch(c, p.search())
		}
		return false, c
	}
	return false, nil
}

func (p *customerPicker) ShortHelp() []key.Binding {
	return []key.Binding{pickerPick, pickerMove, pickerQuit}
}

func (p *customerPicker) View(w int) string {
	st := p.env.styles
	lines := []string{st.Title.Render(p.title), "", fit(p.input.View(), w), ""}
	switch {
	case p.err != nil:
		lines = append(lines, st.Bad.Render(fit("  "+errText(p.err), w)))
	case len(p.rows) == 0:
		lines = append(lines, st.Faint.Render("  no customer matches — a on the Customers screen adds one"))
	}
	for i, c := range p.rows {
		line := cell(c.Label(), 24) + " " + cell(c.Company, 24) + " " + cell(c.Email, 28) + " " + c.Phone
		if i == p.sel {
			lines = append(lines, st.RowSel.Render(padRight(fit("› "+line, w), w)))
		} else {
			lines = append(lines, fit("  "+line, w))
		}
	}
	return strings.Join(lines, "\n")
}

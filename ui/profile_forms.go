package ui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// The profile's forms: f logs feedback, u promises a follow-up, e edits the
// customer (refused saves open the conflict view), t edits tags.

func (p *profileScreen) startFeedback() tea.Cmd {
	if p.customer == nil {
		return nil
	}
	p.pending = newFeedbackDraft(p.id, p.customer.Label())
	return loadCategories(p.env)
}

// openFeedbackForm opens the pending form once the taxonomy is known (an
// empty one if it could not be read: the category can be set later).
func (p *profileScreen) openFeedbackForm(msg categoriesMsg) tea.Cmd {
	if p.pending == nil {
		return nil
	}
	d := p.pending
	p.pending = nil
	return p.open(feedbackForm(p.env, d, msg.paths))
}

func (p *profileScreen) startFollowUp() tea.Cmd {
	if p.customer == nil {
		return nil
	}
	return p.open(followUpForm(p.env, newFollowUpDraft(p.id, p.customer.Label(), nil, p.env.agent)))
}

func (p *profileScreen) startEdit() tea.Cmd {
	if p.customer == nil {
		return nil
	}
	return p.open(customerForm(p.env, newCustomerDraft(p.customer)))
}

// open puts a form on the overlay stack over the profile.
func (p *profileScreen) open(o *formOverlay, init tea.Cmd) tea.Cmd {
	p.env.layers.push(p.sid, o)
	return init
}

// form is the form open over the profile, or nil.
func (p *profileScreen) form() *formOverlay { return p.env.layers.formOf(p.sid) }

// saved handles the result of the edit form: a refused stale write opens
// the conflict view with the agent's edit kept.
func (p *profileScreen) saved(msg customerSavedMsg) tea.Cmd {
	var stale *model.StaleError
	if errors.As(msg.err, &stale) && msg.draft != nil {
		mine, _ := msg.draft.patch()
		p.showConflict(&conflict{stale: stale, draft: msg.draft, mine: mine})
		return p.load() // show their version underneath
	}
	if msg.err != nil {
		return func() tea.Msg { return statusMsg{text: errText(msg.err), err: true} }
	}
	p.dropConflict()
	return tea.Batch(p.load(), func() tea.Msg { return statusMsg{text: "saved " + msg.customer.Label()} },
		func() tea.Msg { return refreshStatsMsg{} })
}

func (p *profileScreen) updateConflict(msg tea.KeyMsg) tea.Cmd {
	c := p.conflict
	switch {
	case key.Matches(msg, conflictApply):
		st, ctx, agent, id, have, mine, d := p.env.store, p.env.ctx, p.env.agent, p.id, c.stale.Have, c.mine, c.draft
		return to(p.sid, func() tea.Msg {
			saved, err := st.UpdateCustomer(ctx, agent, id, mine, have)
			return customerSavedMsg{customer: saved, draft: d, err: err}
		})
	case key.Matches(msg, conflictReopen):
		p.conflict = nil
		st, ctx, id, mine := p.env.store, p.env.ctx, p.id, c.mine
		return to(p.sid, func() tea.Msg {
			fresh, err := st.Customer(ctx, id)
			return reopenEditMsg{customer: fresh, mine: mine, err: err}
		})
	case key.Matches(msg, conflictKeep):
		p.conflict = nil
		return tea.Batch(p.load(), func() tea.Msg { return statusMsg{text: "kept their version; your edit was dropped"} })
	}
	return nil
}

// showConflict puts a refused save's conflict view on the overlay stack,
// in place of one shown before.
func (p *profileScreen) showConflict(c *conflict) {
	p.dropConflict()
	p.conflict = c
	sh := &sheet{update: func(msg tea.Msg) (bool, tea.Cmd) {
		km, ok := msg.(tea.KeyMsg)
		if !ok {
			return false, nil
		}
		cmd := p.updateConflict(km)
		return p.conflict != c, cmd // reloaded or kept theirs: it closes
	}, view: func(w, _ int) string { return c.view(p.env.styles, w, p.env.now()) }, help: conflictHelp}
	sh.closed = func() {
		if p.conflictLayer == sh {
			p.conflictLayer, p.conflict = nil, nil
		}
	}
	p.conflictLayer = sh
	p.env.layers.push(p.sid, sh)
}

// dropConflict takes the conflict view away (its edit was saved).
func (p *profileScreen) dropConflict() {
	if p.conflictLayer != nil {
		p.env.layers.remove(p.conflictLayer)
	}
	p.conflictLayer, p.conflict = nil, nil
}

// reopenEditMsg carries the current version for re-applying an edit.
type reopenEditMsg struct {
	customer model.Customer
	mine     model.CustomerPatch
	err      error
}

func (p *profileScreen) reopenEdit(msg reopenEditMsg) tea.Cmd {
	if msg.err != nil {
		return func() tea.Msg { return statusMsg{text: errText(msg.err), err: true} }
	}
	d := newCustomerDraft(&msg.customer)
	applyPatch(d, msg.mine)
	return p.open(customerForm(p.env, d))
}

// parseTagEdits reads "+vip -trial 大客户": + or nothing adds, - removes.
func parseTagEdits(s string) (add, remove []string) {
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' }) {
		switch {
		case strings.HasPrefix(t, "-") && len(t) > 1:
			remove = append(remove, t[1:])
		case strings.HasPrefix(t, "+") && len(t) > 1:
			add = append(add, t[1:])
		case t != "+" && t != "-":
			add = append(add, strings.TrimPrefix(t, "#"))
		}
	}
	return add, remove
}

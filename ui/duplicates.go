package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// The duplicates view lists pairs of customers that are likely one
// person — the same e-mail up to dots and a +tag, one phone written with
// and without its country prefix, the same name and company — the pairs
// with the most feedback first. The store finds them (db.DuplicatePairs);
// enter opens the merge view on the pair, the older customer surviving.

var (
	dupStart  = key.NewBinding(key.WithKeys("D"), key.WithHelp("D", "duplicates"))
	dupOpen   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "compare and merge"))
	dupReload = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "look again"))
)

// dupLimit bounds the pairs one look lists.
const dupLimit = 200

type dupPairsMsg struct {
	gen   int
	pairs []model.DuplicatePair
	err   error
}

type duplicatesView struct {
	env      *env
	gen      int
	pairs    []model.DuplicatePair
	loaded   bool
	sel, top int
	err      error
	merge    *mergeView
}

func newDuplicatesView(e *env) (*duplicatesView, tea.Cmd) {
	v := &duplicatesView{env: e}
	return v, v.load()
}

func (v *duplicatesView) load() tea.Cmd {
	v.gen++
	gen, st, ctx := v.gen, v.env.store, v.env.ctx
	return func() tea.Msg {
		ms, ok := st.(mergeStore)
		if !ok {
			return dupPairsMsg{gen: gen, err: errNoMerge}
		}
		pairs, err := ms.DuplicatePairs(ctx, dupLimit)
		return dupPairsMsg{gen: gen, pairs: pairs, err: err}
	}
}

// Update returns done when the view closed.
func (v *duplicatesView) Update(msg tea.Msg) (done bool, cmd tea.Cmd) {
	if m, ok := msg.(dupPairsMsg); ok {
		if m.gen == v.gen {
			v.pairs, v.err, v.loaded = m.pairs, m.err, true
			v.sel = min(v.sel, max(0, len(v.pairs)-1))
		}
		return false, nil
	}
	if v.merge != nil {
		switch msg.(type) {
		case tea.KeyMsg, mergeLoadedMsg, mergeDoneMsg:
			closed, cmd := v.merge.Update(msg)
			if closed {
				v.merge = nil
			}
			return false, cmd
		}
		return false, nil
	}
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return false, nil
	}
	switch {
	case key.Matches(k, mergeBack):
		return true, nil
	case key.Matches(k, dupReload):
		return false, v.load()
	case key.Matches(k, mergeUp):
		v.sel = max(0, v.sel-1)
	case key.Matches(k, mergeDown):
		v.sel = min(max(0, len(v.pairs)-1), v.sel+1)
	case key.Matches(k, dupOpen):
		if v.sel < len(v.pairs) {
			p := v.pairs[v.sel]
			v.merge, cmd = newMergeView(v.env, p.A.ID, p.B.ID)
			return false, cmd
		}
	}
	return false, nil
}

func (v *duplicatesView) ShortHelp() []key.Binding {
	if v.merge != nil {
		return v.merge.ShortHelp()
	}
	return []key.Binding{mergeDown, mergeUp, dupOpen, dupReload, mergeBack}
}

// View draws the pairs in w×h cells, scrolled to keep the cursor in view.
func (v *duplicatesView) View(w, h int) string {
	if v.merge != nil {
		return v.merge.View(w, h)
	}
	st := v.env.styles
	head := "Likely duplicates — one person, two customers; most feedback first"
	if v.loaded {
		head += fmt.Sprintf(" (%d)", len(v.pairs))
	}
	lines := []string{st.Title.Render(fit(head, w))}
	switch {
	case v.err != nil:
		return strings.Join(append(lines, "", st.Bad.Render(fit("  "+errText(v.err), w))), "\n")
	case !v.loaded:
		return strings.Join(append(lines, "", st.Faint.Render("  looking…")), "\n")
	case len(v.pairs) == 0:
		return strings.Join(append(lines, "", st.Faint.Render(fit("  no likely duplicates: no shared e-mail (up to dots and +tags), phone or name and company", w))), "\n")
	}
	whyW, fbW := 12, 4
	nameW := max(6, (w-2-whyW-fbW-6)/2)
	detailW := 0
	if w >= 100 { // room for what matched
		nameW = max(10, (w-26)/5)
		detailW = w - 2 - whyW - fbW - 8 - 2*nameW
	}
	row := func(a, b, why, fb, detail string) string {
		s := cell(a, nameW) + "  " + cell(b, nameW) + "  " + cell(why, whyW) + "  " + cellRight(fb, fbW)
		if detailW > 0 {
			s += "  " + cell(detail, detailW)
		}
		return s
	}
	lines = append(lines, st.Header.Render("  "+row("keeps (older)", "merged away", "why", "fb", "matched")))
	room := max(1, h-len(lines))
	if v.sel < v.top {
		v.top = v.sel
	}
	if v.sel >= v.top+room {
		v.top = v.sel - room + 1
	}
	for i := v.top; i < min(len(v.pairs), v.top+room); i++ {
		p := v.pairs[i]
		a := fmt.Sprintf("#%d %s", p.A.ID, p.A.Label())
		b := fmt.Sprintf("#%d %s", p.B.ID, p.B.Label())
		text := row(a, b, strings.Join(p.Reasons, ", "), fmt.Sprint(p.A.FeedbackN+p.B.FeedbackN), dupDetail(p))
		if i == v.sel {
			lines = append(lines, st.RowSel.Render(padRight("› "+text, w)))
		} else {
			lines = append(lines, padRight("  "+text, w))
		}
	}
	return strings.Join(lines, "\n")
}

// dupDetail shows the values that matched: "a.b@x.com ≈ ab+shop@x.com".
func dupDetail(p model.DuplicatePair) string {
	var parts []string
	for _, why := range p.Reasons {
		switch why {
		case "email":
			parts = append(parts, p.A.Email+" ≈ "+p.B.Email)
		case "phone":
			parts = append(parts, p.A.Phone+" ≈ "+p.B.Phone)
		case "name":
			parts = append(parts, p.A.Company)
		}
	}
	return strings.Join(parts, " · ")
}

// updateDuplicates is the Customers screen's hook: D opens the view on
// the overlay stack, where it takes the keys and its answers.
func (c *customersScreen) updateDuplicates(msg tea.Msg) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyMsg)
	if c.dups != nil || !ok || c.Capturing() || !key.Matches(k, dupStart) {
		return nil, false
	}
	d, cmd := newDuplicatesView(c.env)
	c.dups = d
	c.env.layers.push(c.sid, &sheet{update: func(msg tea.Msg) (bool, tea.Cmd) {
		switch msg.(type) {
		case tea.KeyMsg, dupPairsMsg, mergeLoadedMsg, mergeDoneMsg:
			return d.Update(msg)
		}
		return false, nil
	}, view: d.View, help: d.ShortHelp, closed: func() { c.dups = nil }})
	return cmd, true
}

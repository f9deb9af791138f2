package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// listPicker is a full-screen choice among saved things (segments, Inbox
// views): j/k move, enter picks, d deletes after a confirmation naming
// the item (when the list allows it), esc closes. It scrolls to keep the
// cursor in sight.
type listPicker struct {
	env       *env
	title     string
	empty     string // said when there is nothing to pick
	items     []pickItem
	sel, top  int
	loading   bool
	err       string
	canDelete bool
	confirm   *pickItem // waiting for y
}

// pickItem is one row: a name, what it stands for, and a note on the right.
type pickItem struct {
	id     int64
	name   string
	detail string
	note   string
	warn   bool
}

var (
	pickMove   = key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑/↓", "move"))
	pickChoose = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply"))
	pickDelete = key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d", "delete"))
	pickYes    = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "delete"))
	pickNo     = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "keep"))
	pickClose  = key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back"))
)

func newListPicker(e *env, title, empty string, canDelete bool) *listPicker {
	return &listPicker{env: e, title: title, empty: empty, canDelete: canDelete, loading: true}
}

// take fills the list, keeping the cursor in range.
func (p *listPicker) take(items []pickItem, err error) {
	p.loading = false
	p.err = ""
	if err != nil {
		p.err = errText(err)
		return
	}
	p.items = items
	p.sel = min(p.sel, max(0, len(items)-1))
}

// Update returns done when the picker closed; pick or del is the item
// chosen or confirmed for deletion.
func (p *listPicker) Update(msg tea.KeyMsg) (done bool, pick, del *pickItem) {
	if p.confirm != nil {
		switch {
		case key.Matches(msg, pickYes):
			it := *p.confirm
			p.confirm = nil
			return false, nil, &it
		case key.Matches(msg, pickNo):
			p.confirm = nil
		}
		return false, nil, nil
	}
	switch {
	case key.Matches(msg, pickClose):
		return true, nil, nil
	case key.Matches(msg, pickChoose):
		if p.sel < len(p.items) {
			it := p.items[p.sel]
			return true, &it, nil
		}
	case key.Matches(msg, pickDelete) && p.canDelete:
		if p.sel < len(p.items) {
			it := p.items[p.sel]
			p.confirm = &it
		}
	case msg.String() == "down" || msg.String() == "j":
		p.sel = min(max(0, len(p.items)-1), p.sel+1)
	case msg.String() == "up" || msg.String() == "k":
		p.sel = max(0, p.sel-1)
	}
	return false, nil, nil
}

func (p *listPicker) ShortHelp() []key.Binding {
	if p.confirm != nil {
		return []key.Binding{pickYes, pickNo}
	}
	if p.canDelete {
		return []key.Binding{pickChoose, pickMove, pickDelete, pickClose}
	}
	return []key.Binding{pickChoose, pickMove, pickClose}
}

func (p *listPicker) View(w, h int) string {
	st := p.env.styles
	lines := []string{st.Title.Render(p.title), ""}
	switch {
	case p.loading:
		lines = append(lines, st.Faint.Render("  loading…"))
	case p.err != "":
		lines = append(lines, st.Bad.Render(fit("  "+p.err, w)))
	case len(p.items) == 0:
		lines = append(lines, st.Faint.Render(fit("  "+p.empty, w)))
	}
	foot := ""
	if p.confirm != nil {
		foot = st.Warn.Render(fit(fmt.Sprintf("delete %q? y deletes, n keeps it", model.CleanLine(p.confirm.name)), w))
	}
	// Each item takes two lines: its name and note, then what it stands for.
	room := max(1, (h-len(lines)-1)/2)
	if p.sel < p.top {
		p.top = p.sel
	}
	if p.sel >= p.top+room {
		p.top = p.sel - room + 1
	}
	nameW := 0
	for _, it := range p.items {
		nameW = max(nameW, lipgloss.Width(model.CleanLine(it.name))+2)
	}
	nameW = min(nameW, max(10, w/2))
	for i := p.top; i < len(p.items) && i < p.top+room; i++ {
		it := p.items[i]
		cur, mark := " ", "  "
		if i == p.sel {
			cur = "›"
		}
		if it.warn {
			mark = "⚠ "
		}
		head := cur + mark + cell(it.name, nameW) + " " + st.Faint.Render(model.CleanLine(it.note))
		detail := "     " + model.CleanLine(it.detail)
		if i == p.sel {
			lines = append(lines, st.RowSel.Render(padRight(head, w)), st.RowSel.Render(padRight(detail, w)))
		} else {
			lines = append(lines, fit(head, w), st.Faint.Render(fit(detail, w)))
		}
	}
	if foot != "" {
		for len(lines) < h-1 {
			lines = append(lines, "")
		}
		lines = append(lines, foot)
	}
	return strings.Join(lines, "\n")
}

package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// choiceList is a one-question list: every option is shown with the
// current value under the cursor, or, when they do not fit, a window that
// says how many lie above and below. It stands in for a form's fields in
// a formOverlay, so the screens that show forms show it unchanged.
type choiceList struct {
	labels, values []string
	sel, top       int
	current        int // the value the item has now, marked "(now)"
	height         int
}

var (
	choicePick = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose"))
	choiceMove = key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑/↓", "move"))
	choiceUp   = key.NewBinding(key.WithKeys("up", "k", "ctrl+p"))
	choiceDown = key.NewBinding(key.WithKeys("down", "j", "ctrl+n"))
	choiceTop  = key.NewBinding(key.WithKeys("g", "home"))
	choiceEnd  = key.NewBinding(key.WithKeys("G", "end"))
	choiceYes  = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes"))
	choiceNo   = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no"))
)

// newChoiceOverlay opens a list of values with current selected; enter
// calls submit with the value chosen. When confirm returns a question for
// the value ("lifecycle paying → churned?"), y must answer it first.
func newChoiceOverlay(e *env, title string, values, labels []string, current string,
	submit func(v string) tea.Cmd, confirm func(v string) string) *formOverlay {
	l := &choiceList{values: values, labels: labels, current: -1}
	for i, v := range values {
		if v == current {
			l.sel, l.current = i, i
		}
	}
	o := &formOverlay{env: e, title: title, list: l}
	o.submit = func() tea.Cmd { return submit(l.value()) }
	if confirm != nil {
		o.ask = func() []string { return []string{confirm(l.value())} }
	}
	o.form = huh.NewForm(huh.NewGroup(huh.NewNote())) // never shown; keeps the overlay's form non-nil
	return o
}

func (l *choiceList) value() string {
	if l.sel < 0 || l.sel >= len(l.values) {
		return ""
	}
	return l.values[l.sel]
}

func (l *choiceList) setHeight(h int) {
	l.height = max(3, h)
	l.scroll()
}

// scroll keeps the cursor inside the window.
func (l *choiceList) scroll() {
	rows := l.rows()
	if l.sel < l.top {
		l.top = l.sel
	}
	if l.sel >= l.top+rows {
		l.top = l.sel - rows + 1
	}
	l.top = max(0, min(l.top, len(l.values)-rows))
}

// rows is how many options the window shows: all of them when they fit,
// else the height less the two "more" lines.
func (l *choiceList) rows() int {
	if l.height <= 0 || len(l.values) <= l.height {
		return len(l.values)
	}
	return max(1, l.height-2)
}

func (l *choiceList) update(msg tea.KeyMsg) {
	switch {
	case key.Matches(msg, choiceUp):
		l.sel = max(0, l.sel-1)
	case key.Matches(msg, choiceDown):
		l.sel = min(len(l.values)-1, l.sel+1)
	case key.Matches(msg, choiceTop):
		l.sel = 0
	case key.Matches(msg, choiceEnd):
		l.sel = len(l.values) - 1
	}
	l.scroll()
}

func (l *choiceList) view(st Styles, w int) string {
	rows := l.rows()
	var lines []string
	if l.top > 0 {
		lines = append(lines, st.Faint.Render(fmt.Sprintf("  ↑ %d more", l.top)))
	} else if rows < len(l.values) {
		lines = append(lines, "")
	}
	for i := l.top; i < l.top+rows && i < len(l.values); i++ {
		label := l.labels[i]
		if i == l.current {
			label += "  (now)"
		}
		if i == l.sel {
			lines = append(lines, st.RowSel.Render(padRight(fit("› "+label, w), w)))
		} else {
			lines = append(lines, fit("  "+label, w))
		}
	}
	if below := len(l.values) - l.top - rows; below > 0 {
		lines = append(lines, st.Faint.Render(fmt.Sprintf("  ↓ %d more", below)))
	}
	return strings.Join(lines, "\n")
}

// updateList is the overlay's Update while it shows a choiceList.
func (o *formOverlay) updateList(msg tea.KeyMsg) (bool, tea.Cmd) {
	switch {
	case key.Matches(msg, formCancel):
		return true, nil
	case key.Matches(msg, choicePick), key.Matches(msg, formSave):
		return o.complete()
	}
	o.list.update(msg)
	return false, nil
}

func (o *formOverlay) listView() string {
	return o.list.view(o.env.styles, max(10, o.width))
}

// listHeight is the room the list has under the title and above the
// question and messages.
func listHeight(h int) int { return max(3, h-3) }

func (o *formOverlay) listHelp() []key.Binding {
	return []key.Binding{choicePick, choiceMove, formCancel}
}

// optionsHint words an inline select's choices for beside it, so none is
// hidden behind ←/→: all of them with the current one in brackets when
// they fit, else where the current one is among them.
func optionsHint(values []string, cur *string, room int) func() string {
	return func() string {
		parts := make([]string, len(values))
		at := 0
		for i, v := range values {
			parts[i] = v
			if v == *cur || (*cur == "" && v == "(none)") {
				parts[i], at = "["+v+"]", i+1
			}
		}
		all := strings.Join(parts, " · ") + "  ←/→"
		if len(all) <= room {
			return all
		}
		return fmt.Sprintf("%d of %d — ←/→ for the others", at, len(values))
	}
}

// hintOptions adds optionsHint beside an inline select of a form.
func (o *formOverlay) hintOptions(field huh.Field, title string, values []string, cur *string) {
	o.hints = append(o.hints, fieldHint{field: field, title: title, text: func() string {
		return optionsHint(values, cur, max(20, o.width-lipgloss.Width(title)-20))()
	}})
}

// selectShowingAll builds a huh Select whose window starts at the first
// option even when another is preselected: huh starts it at the selected
// option, which hides the ones above (Inbox s showed only resolved and
// closed). The select is built on the first option and moved down to the
// wanted one before it is ever drawn.
func selectShowingAll(title string, opts []huh.Option[string], value *string) *huh.Select[string] {
	want := *value
	if len(opts) > 0 {
		*value = opts[0].Value
	}
	sel := huh.NewSelect[string]().Title(title).Value(value).Options(opts...)
	sel.WithKeyMap(huh.NewDefaultKeyMap()) // the form sets its own later; moving needs one now
	for i, o := range opts {
		if o.Value == want {
			for range i {
				sel.Update(tea.KeyMsg{Type: tea.KeyDown})
			}
			break
		}
	}
	return sel
}

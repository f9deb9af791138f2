package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// choiceList is a one-question list: every option is shown with the
// current value under the cursor, or, when they do not fit, a window that
// says how many lie above and below. `/` filters it as you type (a
// category among dozens: "/refund"), esc clears the filter. It stands in
// for a form's fields in a formOverlay, so the screens that show forms
// show it unchanged.
type choiceList struct {
	labels, values []string
	sel, top       int // sel: an index into values; top: a position in shown
	current        int // the value the item has now, marked "(now)"
	height         int
	filtering      bool   // `/` was pressed: keys type into filter
	filter         string // what the options shown contain; "" unless filtering
	shown          []int  // the options that match filter, in order
}

var (
	choicePick   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose"))
	choiceMove   = key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑/↓", "move"))
	choiceUp     = key.NewBinding(key.WithKeys("up", "k", "ctrl+p"))
	choiceDown   = key.NewBinding(key.WithKeys("down", "j", "ctrl+n"))
	choiceTop    = key.NewBinding(key.WithKeys("g", "home"))
	choiceEnd    = key.NewBinding(key.WithKeys("G", "end"))
	choiceYes    = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes"))
	choiceNo     = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no"))
	choiceFilter = key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter"))
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
	l.refilter()
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

// refilter lists the options that contain the filter, case aside, keeping
// the cursor on its option while it still shows.
func (l *choiceList) refilter() {
	l.shown = l.shown[:0]
	want := strings.ToLower(l.filter)
	for i, label := range l.labels {
		if want == "" || strings.Contains(strings.ToLower(label), want) {
			l.shown = append(l.shown, i)
		}
	}
	if l.pos() < 0 {
		l.sel = -1
		if len(l.shown) > 0 {
			l.sel = l.shown[0]
		}
	}
	l.scroll()
}

// pos is the cursor's place among the options shown, or -1.
func (l *choiceList) pos() int {
	for p, i := range l.shown {
		if i == l.sel {
			return p
		}
	}
	return -1
}

func (l *choiceList) setHeight(h int) {
	l.height = max(3, h)
	l.scroll()
}

// scroll keeps the cursor inside the window.
func (l *choiceList) scroll() {
	rows, p := l.rows(), max(0, l.pos())
	if p < l.top {
		l.top = p
	}
	if p >= l.top+rows {
		l.top = p - rows + 1
	}
	l.top = max(0, min(l.top, len(l.shown)-rows))
}

// rows is how many options the window shows: all of them when they fit,
// else the height less the two "more" lines (and the filter's line).
func (l *choiceList) rows() int {
	h := l.height
	if l.filtering {
		h--
	}
	if l.height <= 0 || len(l.shown) <= h {
		return len(l.shown)
	}
	return max(1, h-2)
}

// update moves the cursor, or, while filtering, edits the filter (arrows
// still move). It reports whether it took the key.
func (l *choiceList) update(msg tea.KeyMsg) bool {
	if l.filtering {
		switch msg.Type {
		case tea.KeyRunes, tea.KeySpace:
			l.filter += string(msg.Runes)
			l.refilter()
			return true
		case tea.KeyBackspace:
			if r := []rune(l.filter); len(r) > 0 {
				l.filter = string(r[:len(r)-1])
				l.refilter()
			}
			return true
		case tea.KeyEsc:
			l.filtering, l.filter = false, ""
			l.refilter()
			return true
		case tea.KeyUp, tea.KeyDown, tea.KeyCtrlP, tea.KeyCtrlN:
		default:
			return false
		}
	} else if key.Matches(msg, choiceFilter) {
		l.filtering = true
		l.scroll()
		return true
	}
	p, last := l.pos(), len(l.shown)-1
	switch {
	case last < 0:
		return key.Matches(msg, choiceUp, choiceDown, choiceTop, choiceEnd)
	case key.Matches(msg, choiceUp):
		p = max(0, p-1)
	case key.Matches(msg, choiceDown):
		p = min(last, p+1)
	case key.Matches(msg, choiceTop):
		p = 0
	case key.Matches(msg, choiceEnd):
		p = last
	default:
		return false
	}
	l.sel = l.shown[p]
	l.scroll()
	return true
}

func (l *choiceList) view(st Styles, w int) string {
	rows := l.rows()
	var lines []string
	if l.filtering {
		line := "/ " + l.filter + "▏"
		if len(l.shown) == 0 {
			line += "   no option matches — esc clears"
		}
		lines = append(lines, fit(line, w))
	}
	if l.top > 0 {
		lines = append(lines, st.Faint.Render(fmt.Sprintf("  ↑ %d more", l.top)))
	} else if rows < len(l.shown) {
		lines = append(lines, "")
	}
	for p := l.top; p < l.top+rows && p < len(l.shown); p++ {
		i := l.shown[p]
		label := model.CleanLine(l.labels[i])
		if i == l.current {
			label += "  (now)"
		}
		if i == l.sel {
			lines = append(lines, st.RowSel.Render(padRight(fit("› "+label, w), w)))
		} else {
			lines = append(lines, fit("  "+label, w))
		}
	}
	if below := len(l.shown) - l.top - rows; below > 0 {
		lines = append(lines, st.Faint.Render(fmt.Sprintf("  ↓ %d more", below)))
	}
	return strings.Join(lines, "\n")
}

// updateList is the overlay's Update while it shows a choiceList. While
// the list filters, esc clears the filter first; enter picks only an
// option that is shown.
func (o *formOverlay) updateList(msg tea.KeyMsg) (bool, tea.Cmd) {
	if o.list.update(msg) {
		return false, nil
	}
	switch {
	case key.Matches(msg, formCancel):
		return true, nil
	case key.Matches(msg, choicePick), key.Matches(msg, formSave):
		if len(o.list.shown) == 0 {
			return false, nil
		}
		return o.complete()
	}
	return false, nil
}

func (o *formOverlay) listView() string {
	return o.list.view(o.env.styles, max(10, o.width))
}

// listHeight is the room the list has under the title and above the
// question and messages.
func listHeight(h int) int { return max(3, h-3) }

func (o *formOverlay) listHelp() []key.Binding {
	return []key.Binding{choicePick, choiceMove, choiceFilter, formCancel}
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

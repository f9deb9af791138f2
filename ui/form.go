package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// formOverlay embeds a huh form in a screen. While it is open it gets
// every key: tab/enter move on, shift+tab back, ctrl+s saves from any
// field, esc cancels — asking first when something was typed, so nothing
// is lost by a stray key.
type formOverlay struct {
	env      *env
	title    string
	form     *huh.Form
	submit   func() tea.Cmd // called once when the form completes
	dirty    func() bool    // whether anything was typed
	check    func() error   // validates the whole draft before ctrl+s saves
	err      string
	confirm  bool // asking "discard what you typed?"
	finished bool
	width    int
	height   int
}

var (
	formSave    = key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save"))
	formNext    = key.NewBinding(key.WithKeys("tab", "enter"), key.WithHelp("tab/enter", "next field"))
	formPrev    = key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous"))
	formCancel  = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	formDiscard = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "discard"))
	formKeep    = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "keep editing"))
)

// newFormOverlay wraps fields in a form with Rapport's theme and keys and
// returns the command that starts it.
func newFormOverlay(e *env, title string, groups []*huh.Group, submit func() tea.Cmd, dirty func() bool) (*formOverlay, tea.Cmd) {
	km := huh.NewDefaultKeyMap()
	km.Quit = key.NewBinding(key.WithKeys("ctrl+c"))
	f := huh.NewForm(groups...).
		WithTheme(formTheme()).
		WithKeyMap(km).
		WithShowHelp(false).
		WithShowErrors(true)
	f.SubmitCmd, f.CancelCmd = nil, nil
	o := &formOverlay{env: e, title: title, form: f, submit: submit, dirty: dirty}
	return o, f.Init()
}

// formTheme is huh's base theme: it follows the terminal's colours and
// degrades to plain text without them.
func formTheme() *huh.Theme {
	t := huh.ThemeBase()
	t.Focused.Title = t.Focused.Title.Bold(true)
	return t
}

func (o *formOverlay) SetSize(w, h int) {
	o.width, o.height = w, h
	o.form = o.form.WithWidth(max(20, w-2)).WithHeight(max(3, h-3))
}

// Update feeds a message to the form; done reports that it closed
// (saved or cancelled) and the screen should drop it.
func (o *formOverlay) Update(msg tea.Msg) (done bool, cmd tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		if o.confirm {
			switch {
			case key.Matches(km, formDiscard):
				return true, nil
			case key.Matches(km, formKeep):
				o.confirm = false
			}
			return false, nil
		}
		switch {
		case key.Matches(km, formCancel):
			if o.dirty != nil && o.dirty() {
				o.confirm = true
				return false, nil
			}
			return true, nil
		case key.Matches(km, formSave):
			if o.check != nil {
				if err := o.check(); err != nil {
					o.err = strings.TrimPrefix(err.Error(), "invalid value: ")
					return false, nil
				}
			}
			return o.complete()
		}
		o.err = ""
	}
	m, cmd := o.form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		o.form = f
	}
	switch o.form.State {
	case huh.StateCompleted:
		return o.complete()
	case huh.StateAborted:
		return true, nil
	}
	return false, cmd
}

func (o *formOverlay) complete() (bool, tea.Cmd) {
	if o.finished {
		return true, nil
	}
	o.finished = true
	return true, o.submit()
}

func (o *formOverlay) ShortHelp() []key.Binding {
	if o.confirm {
		return []key.Binding{formDiscard, formKeep}
	}
	return []key.Binding{formNext, formPrev, formSave, formCancel}
}

func (o *formOverlay) View() string {
	st := o.env.styles
	var b strings.Builder
	b.WriteString(st.Title.Render(o.title))
	b.WriteString("\n\n")
	b.WriteString(o.form.View())
	if o.err != "" {
		b.WriteString("\n")
		b.WriteString(st.Bad.Render(o.err))
	}
	if o.confirm {
		b.WriteString("\n")
		b.WriteString(st.Bad.Render("Discard what you typed? y discards, n keeps editing"))
	}
	return lipgloss.NewStyle().MaxWidth(o.width).Render(b.String())
}

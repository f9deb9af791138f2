package ui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// formOverlay embeds a huh form in a screen. While it is open it gets
// every key: tab/enter move on, shift+tab back, ctrl+s saves from any
// field, esc cancels — asking first when something was typed, so nothing
// is lost by a stray key.
type formOverlay struct {
	env    *env
	title  string
	form   *huh.Form
	submit func() tea.Cmd // called once when the form completes
	dirty  func() bool    // whether anything was typed
	check  func() error   // validates the whole draft before ctrl+s saves
	// fieldOf names the field (its title) an error is about, so the
	// message shows beside it; "" shows it under the form only.
	fieldOf func(error) string
	// ask, when set, may return a question the agent must answer y to
	// before the draft is sent ("new plan 'entreprise'?", "due is in
	// the past"); asking is the question on screen.
	ask      func() []string
	asking   string
	answered map[string]bool      // questions already answered y
	hints    []fieldHint          // shown beside the focused field
	fields   map[string]huh.Field // by title: a refusal moves the focus to its field
	known    []knownInput         // inputs offering values from the store
	list     *choiceList          // a one-question list instead of huh fields
	last     huh.Field            // enter here saves (huh's own completion would end the form for good)
	err      string
	errAt    string // title of the field err is about
	confirm  bool   // asking "discard what you typed?"
	saving   bool   // the draft went to the store; waiting for its answer
	done     bool   // saved (or closed): a second ctrl+s does nothing
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
	if o.list != nil {
		o.list.setHeight(listHeight(h))
		return
	}
	o.form = o.form.WithWidth(max(20, w-2)).WithHeight(max(3, h-3))
}

// Update feeds a message to the form; done reports that it closed
// (saved or cancelled) and the screen should drop it.
func (o *formOverlay) Update(msg tea.Msg) (done bool, cmd tea.Cmd) {
	if km, ok := msg.(tea.KeyMsg); ok {
		if o.saving {
			return false, nil // the answer comes as formSavedMsg
		}
		if o.asking != "" {
			switch {
			case key.Matches(km, choiceYes):
				if o.answered == nil {
					o.answered = map[string]bool{}
				}
				o.answered[o.asking] = true
				o.asking = ""
				return o.complete()
			case key.Matches(km, choiceNo):
				o.asking = ""
			}
			return false, nil
		}
		if o.confirm {
			switch {
			case key.Matches(km, formDiscard):
				return true, nil
			case key.Matches(km, formKeep):
				o.confirm = false
			}
			return false, nil
		}
		if o.list != nil {
			return o.updateList(km)
		}
		switch {
		case key.Matches(km, formCancel):
			if o.dirty != nil && o.dirty() {
				o.confirm = true
				return false, nil
			}
			return true, nil
		case key.Matches(km, formSave):
			return o.complete()
		case key.Matches(km, formNext) && o.last != nil && o.form.GetFocusedField() == o.last:
			// huh would complete the form here, and a completed huh form
			// draws nothing even if the save is then refused
			return o.complete()
		}
	}
	if sm, ok := msg.(formSavedMsg); ok && sm.form == o {
		return o.saved(sm)
	}
	if vm, ok := msg.(valuesMsg); ok {
		o.takeValues(vm)
		return false, nil
	}
	if o.list != nil {
		return false, nil
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

// complete checks the draft and sends it. The form stays open until the
// store answers: a refusal (a bad value, a duplicate, a stale version)
// leaves the agent's typing where it was, with the reason beside the
// field it is about.
func (o *formOverlay) complete() (bool, tea.Cmd) {
	if o.saving || o.done {
		return o.done, nil
	}
	o.form.State = huh.StateNormal // enter on the last field completes huh's form; keep it usable
	if o.check != nil {
		if err := o.check(); err != nil {
			o.showError(err)
			return false, nil
		}
	}
	if o.ask != nil {
		for _, q := range o.ask() {
			if q != "" && !o.answered[q] {
				o.asking, o.err, o.errAt = q, "", ""
				return false, nil
			}
		}
	}
	return o.send()
}

// send hands the draft to the store.
func (o *formOverlay) send() (bool, tea.Cmd) {
	cmd := o.submit()
	if cmd == nil {
		o.done = true
		return true, nil
	}
	o.saving, o.err, o.errAt = true, "", ""
	return false, func() tea.Msg { return formSavedMsg{form: o, inner: cmd()} }
}

// formSavedMsg carries the store's answer to a form's save back to the
// form, which closes on success and passes the answer on.
type formSavedMsg struct {
	form  *formOverlay
	inner tea.Msg
}

// formRefusal is a save result that may say the store refused it.
type formRefusal interface{ refused() error }

func (o *formOverlay) saved(msg formSavedMsg) (bool, tea.Cmd) {
	o.saving = false
	answer := msg.inner
	if sm, ok := answer.(screenMsg); ok { // addressed to the screen that opened the form
		answer = sm.msg
	}
	if r, ok := answer.(formRefusal); ok {
		if err := r.refused(); err != nil {
			o.showError(err)
			return false, nil
		}
	}
	o.done = true
	inner := msg.inner
	if inner == nil {
		return true, nil
	}
	return true, func() tea.Msg { return inner }
}

func (o *formOverlay) showError(err error) {
	o.err = "not saved: " + strings.TrimPrefix(errText(err), "invalid value: ")
	o.errAt = ""
	if o.fieldOf != nil {
		o.errAt = o.fieldOf(err)
	}
	o.focus(o.errAt)
}

// named registers fields by their titles, for focus.
func (o *formOverlay) named(fields map[string]huh.Field) { o.fields = fields }

// focus moves the form's focus to the field titled title, so that a
// refused field scrolled out of a small terminal comes into view.
func (o *formOverlay) focus(title string) {
	var target huh.Field
	for t, f := range o.fields {
		if title != "" && strings.TrimSpace(t) == strings.TrimSpace(title) {
			target = f
		}
	}
	if target == nil || o.form.GetFocusedField() == target {
		return
	}
	for i := 0; i < 40; i++ { // up to the first field…
		o.form.PrevField()
	}
	for i := 0; i < 40 && o.form.GetFocusedField() != target; i++ { // …then down to the one refused
		o.form.NextField()
	}
	o.form.GetFocusedField().Focus()
}

func (o *formOverlay) ShortHelp() []key.Binding {
	switch {
	case o.asking != "":
		return []key.Binding{choiceYes, choiceNo}
	case o.confirm:
		return []key.Binding{formDiscard, formKeep}
	case o.list != nil:
		return o.listHelp()
	}
	return []key.Binding{formNext, formPrev, formSave, formCancel}
}

func (o *formOverlay) View() string {
	st := o.env.styles
	var b strings.Builder
	b.WriteString(st.Title.Render(o.title))
	b.WriteString("\n\n")
	if o.list != nil {
		b.WriteString(o.listView())
	} else {
		b.WriteString(o.withFieldError(o.form.View()))
	}
	switch {
	case o.saving:
		b.WriteString("\n" + st.Faint.Render("saving…"))
	case o.err != "":
		b.WriteString("\n" + st.Bad.Render(o.err))
	}
	if o.confirm {
		b.WriteString("\n")
		b.WriteString(st.Bad.Render("Discard what you typed? y discards, n keeps editing"))
	}
	if o.asking != "" {
		b.WriteString("\n" + st.Warn.Render(o.asking+" y/n"))
	}
	return lipgloss.NewStyle().MaxWidth(o.width).Render(b.String())
}

// withFieldError puts the refusal beside the field it is about: on the
// field's line when it fits, else on the line under it.
func (o *formOverlay) withFieldError(view string) string {
	if o.saving {
		return view
	}
	if o.err != "" && o.errAt != "" {
		return o.beside(view, o.errAt, strings.TrimPrefix(o.err, "not saved: "), o.env.styles.Bad)
	}
	focused := o.form.GetFocusedField()
	for _, h := range o.hints {
		if h.field == focused {
			if text := h.text(); text != "" {
				return o.beside(view, h.title, text, o.env.styles.Faint)
			}
		}
	}
	return view
}

// beside writes msg after the line of the field titled title, or under it
// when it does not fit.
func (o *formOverlay) beside(view, title, msg string, style lipgloss.Style) string {
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		if !strings.Contains(ansi.Strip(l), title) {
			continue
		}
		line := strings.TrimRight(l, " ")
		mark := style.Render("← " + msg)
		if lipgloss.Width(line)+2+lipgloss.Width(mark) <= o.width {
			lines[i] = line + "  " + mark
		} else {
			lines = append(lines[:i+1], append([]string{style.Render(fit("  ↳ "+msg, max(10, o.width)))}, lines[i+1:]...)...)
		}
		return strings.Join(lines, "\n")
	}
	return view
}

// fieldByWord names the form field an error is about from the words in
// its message: each pair is a word to look for and the field's title.
func fieldByWord(pairs ...string) func(error) string {
	return func(err error) string {
		var fe fieldError
		if errors.As(err, &fe) {
			return fe.field
		}
		s := strings.ToLower(err.Error())
		for i := 0; i+1 < len(pairs); i += 2 {
			if strings.Contains(s, pairs[i]) {
				return pairs[i+1]
			}
		}
		return ""
	}
}

// fieldError is a refusal that knows its field.
type fieldError struct{ field, msg string }

func (e fieldError) Error() string { return e.msg }

// formSaved hands a save's answer to the form that sent it, wherever it
// is on the stack; when that form is gone the answer still reaches the
// screens.
func (m *Model) formSaved(msg formSavedMsg) tea.Cmd {
	if m.env.layers.find(msg.form) {
		return m.env.layers.update(msg.form, msg)
	}
	inner := msg.inner
	return func() tea.Msg { return inner }
}

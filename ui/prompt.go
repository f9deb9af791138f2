package ui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// prompt is a one-line question at the bottom of a list screen ("reassign
// to:", "tags:"). enter answers, esc closes; an answer the screen refuses
// keeps the prompt open with the reason beside it.
type prompt struct {
	env    *env
	input  textinput.Model
	err    string
	answer func(v string) (tea.Cmd, error)
	// asking is a question the answer raised (confirmFirst): y runs
	// then, n goes back to the typed value.
	asking string
	then   func() tea.Cmd
	known  *knownValues // values offered as the agent types (tab takes one)
	// waits: the answer's write reports back through settle, and the
	// prompt keeps the typed text until it is saved; sending is that wait.
	waits, sending bool
}

func newPrompt(e *env) prompt {
	in := lineInput(e, "", "", 500)
	return prompt{env: e, input: in}
}

func (p *prompt) active() bool { return p.answer != nil }

func (p *prompt) open(label, placeholder string, answer func(string) (tea.Cmd, error)) tea.Cmd {
	p.input.Prompt = label
	p.input.Placeholder = placeholder
	p.input.SetValue("")
	p.err, p.answer, p.known = "", answer, nil
	p.input.ShowSuggestions = false
	p.input.SetSuggestions(nil)
	return p.input.Focus()
}

// offer makes the open prompt complete k's values.
func (p *prompt) offer(k *knownValues) {
	p.known = k
	p.input.ShowSuggestions = true
	p.input.SetSuggestions(k.vals)
}

// takeValues adds values from the store to what the prompt offers.
func (p *prompt) takeValues(msg valuesMsg) {
	if p.known == nil || msg.err != nil || p.known.field != msg.field {
		return
	}
	p.known.add(msg.vals)
	p.input.SetSuggestions(p.known.vals)
}

// openWaiting is open for an answer that writes: the prompt stays open,
// with the text, until settle says the write was saved.
func (p *prompt) openWaiting(label, placeholder string, answer func(string) (tea.Cmd, error)) tea.Cmd {
	cmd := p.open(label, placeholder, answer)
	p.waits = true
	return cmd
}

// settle ends a waiting prompt's write: closed when saved, kept with the
// reason beside the text when refused.
func (p *prompt) settle(err error) {
	if !p.sending {
		return
	}
	p.sending = false
	if err != nil {
		p.err = "not saved: " + strings.TrimPrefix(errText(err), "invalid value: ")
		return
	}
	p.close()
}

// sent closes the prompt once its answer is on its way, or, for a
// waiting one, holds it until settle.
func (p *prompt) sent(cmd tea.Cmd) tea.Cmd {
	if p.waits && cmd != nil {
		p.sending, p.asking, p.then = true, "", nil
		return cmd
	}
	p.close()
	return cmd
}

func (p *prompt) close() {
	p.waits, p.sending = false, false
	p.answer, p.err, p.asking, p.then = nil, "", "", nil
	p.input.Blur()
}

func (p *prompt) Update(msg tea.KeyMsg) tea.Cmd {
	k := p.env.keys
	if p.sending {
		return nil // waiting for the store's answer
	}
	if p.asking != "" {
		switch {
		case key.Matches(msg, choiceYes):
			return p.sent(p.then())
		case key.Matches(msg, choiceNo):
			p.asking, p.then = "", nil
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.InputCancel):
		p.close()
		return nil
	case key.Matches(msg, k.InputDone):
		cmd, err := p.answer(strings.TrimSpace(p.input.Value()))
		var ask confirmFirst
		if errors.As(err, &ask) {
			p.asking, p.then, p.err = ask.question, ask.then, ""
			return nil
		}
		if err != nil {
			p.err = strings.TrimPrefix(err.Error(), "invalid value: ")
			return nil
		}
		return p.sent(cmd)
	}
	p.err = ""
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

func (p *prompt) View(w int) string {
	if p.asking != "" {
		return padRight(fit(p.env.styles.Warn.Render(p.asking+" y/n"), w), w)
	}
	side := ""
	switch {
	case p.err != "":
		side = p.env.styles.Bad.Render(p.err)
	case p.known != nil:
		if h := p.known.hint(p.input.Value()); h != "" {
			side = p.env.styles.Faint.Render(h + " (tab completes)")
		}
	}
	p.input.Width = max(10, w-lipgloss.Width(p.input.Prompt)-lipgloss.Width(side)-8)
	if side != "" && p.input.Width < 20 { // narrow: the input keeps its room, the hint is cut
		p.input.Width = max(10, min(w/2, w-lipgloss.Width(p.input.Prompt)-4))
	}
	line := p.input.View()
	if side != "" {
		line += "  " + side
	}
	return padRight(fit(line, w), w)
}

func (p *prompt) ShortHelp() []key.Binding {
	if p.asking != "" {
		return []key.Binding{choiceYes, choiceNo}
	}
	return []key.Binding{p.env.keys.WhereDone, p.env.keys.WhereCancel}
}

package ui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
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
}

func newPrompt(e *env) prompt {
	in := textinput.New()
	in.PromptStyle = e.styles.Prompt
	in.CharLimit = 500
	in.Cursor.SetMode(cursor.CursorStatic)
	return prompt{env: e, input: in}
}

func (p *prompt) active() bool { return p.answer != nil }

func (p *prompt) open(label, placeholder string, answer func(string) (tea.Cmd, error)) tea.Cmd {
	p.input.Prompt = label
	p.input.Placeholder = placeholder
	p.input.SetValue("")
	p.err, p.answer = "", answer
	return p.input.Focus()
}

func (p *prompt) close() {
	p.answer, p.err, p.asking, p.then = nil, "", "", nil
	p.input.Blur()
}

func (p *prompt) Update(msg tea.KeyMsg) tea.Cmd {
	k := p.env.keys
	if p.asking != "" {
		switch {
		case key.Matches(msg, choiceYes):
			then := p.then
			p.close()
			return then()
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
		p.close()
		return cmd
	}
	p.err = ""
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

func (p *prompt) View(w int) string {
	p.input.Width = max(10, w-lipgloss.Width(p.input.Prompt)-lipgloss.Width(p.err)-4)
	if p.asking != "" {
		return padRight(fit(p.env.styles.Warn.Render(p.asking+" y/n"), w), w)
	}
	line := p.input.View()
	if p.err != "" {
		line += "  " + p.env.styles.Bad.Render(p.err)
	}
	return padRight(fit(line, w), w)
}

func (p *prompt) ShortHelp() []key.Binding {
	if p.asking != "" {
		return []key.Binding{choiceYes, choiceNo}
	}
	return []key.Binding{p.env.keys.WhereDone, p.env.keys.WhereCancel}
}

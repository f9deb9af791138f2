package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
)

// lineInput is a one-line text field as every screen has it: the theme's
// prompt style and a cursor that does not blink (no timer redrawing an
// idle screen, nor an SSH session). An empty prompt keeps textinput's
// until the owner sets one on opening; limit 0 takes any length.
func lineInput(e *env, prompt, placeholder string, limit int) textinput.Model {
	in := textinput.New()
	if prompt != "" {
		in.Prompt = prompt
	}
	in.Placeholder = placeholder
	in.PromptStyle = e.styles.Prompt
	in.CharLimit = limit
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}

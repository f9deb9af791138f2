package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// palette is the command palette (`:` or ctrl+k): every action of the
// screen in view and the tabs, found by typing part of its name, run
// with enter — for the keys nobody remembers.
type palette struct {
	env     *env
	input   textinput.Model
	all     []key.Binding
	matches []key.Binding
	sel     int
}

func newPalette(e *env, bindings []key.Binding) (*palette, tea.Cmd) {
	in := lineInput(e, ": ", "", 0)
	p := &palette{env: e, input: in}
	seen := map[string]bool{}
	var examples []string
	for _, b := range bindings {
		h := b.Help()
		if !b.Enabled() || h.Desc == "" || len(b.Keys()) == 0 || seen[h.Desc] {
			continue
		}
		seen[h.Desc] = true
		p.all = append(p.all, b)
		if !paletteMotion[h.Desc] && len(examples) < 4 {
			examples = append(examples, h.Desc)
		}
	}
	// The examples are this screen's own actions, so each finds itself.
	in.Placeholder = "type an action: " + strings.Join(examples, ", ") + "…"
	p.input = in
	p.filter()
	return p, p.input.Focus()
}

// paletteMotion are the movement keys, which make poor examples.
var paletteMotion = map[string]bool{"up": true, "down": true, "page up": true, "page down": true, "top": true,
	"bottom": true, "scroll up": true, "scroll down": true, "open": true, "clear/back": true, "search": true, "back": true}

// paletteAliases are the words people type for an action whose help says
// it otherwise: "resolve" finds the status action.
var paletteAliases = map[string]string{
	"status":                         "resolve close reopen pending",
	"category":                       "classify categorize",
	"tags":                           "tag label",
	"follow up":                      "follow-up promise remind",
	"follow-up":                      "follow up promise remind",
	"export CSV":                     "download save",
	"log feedback":                   "add feedback complaint",
	"new customer":                   "add create",
	"done":                           "close complete finish",
	"snooze until…":                  "postpone later",
	"lifecycle":                      "stage",
	"undo":                           "revert",
	"recall segment":                 "campaign",
	"demand ranking":                 "requests",
	"segment filter":                 "where",
	"filter category:/tag:/channel:": "filter",
}

func (p *palette) filter() {
	words := strings.Fields(strings.ToLower(p.input.Value()))
	p.matches = p.matches[:0]
	for _, b := range p.all {
		text := strings.ToLower(b.Help().Desc + " " + b.Help().Key + " " + paletteAliases[b.Help().Desc])
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(text, w)
		}
		if ok {
			p.matches = append(p.matches, b)
		}
	}
	p.sel = min(p.sel, max(0, len(p.matches)-1))
}

// Update returns done when the palette closed, and the key to replay
// when an action was chosen.
func (p *palette) Update(msg tea.KeyMsg) (done bool, run *tea.KeyMsg) {
	switch msg.Type {
	case tea.KeyEsc:
		return true, nil
	case tea.KeyEnter:
		if p.sel < len(p.matches) {
			k := keyMsgFor(p.matches[p.sel].Keys()[0])
			return true, &k
		}
		return false, nil
	case tea.KeyUp, tea.KeyCtrlP:
		p.sel = max(0, p.sel-1)
		return false, nil
	case tea.KeyDown, tea.KeyCtrlN:
		p.sel = min(max(0, len(p.matches)-1), p.sel+1)
		return false, nil
	}
	p.input, _ = p.input.Update(msg)
	p.filter()
	return false, nil
}

func (p *palette) View(w, h int) string {
	st := p.env.styles
	lines := []string{st.Title.Render("Command palette"), "", fit(p.input.View(), w), ""}
	for i, b := range p.matches {
		if len(lines) >= h {
			break
		}
		line := cell(b.Help().Desc, 34) + " " + st.Faint.Render(b.Help().Key)
		if i == p.sel {
			lines = append(lines, st.RowSel.Render(padRight(fit("› "+line, w), w)))
		} else {
			lines = append(lines, fit("  "+line, w))
		}
	}
	if len(p.matches) == 0 {
		lines = append(lines, st.Faint.Render("  no action matches"))
	}
	return strings.Join(lines, "\n")
}

// keyMsgFor turns a binding's key name back into the message a terminal
// would send, so a chosen action runs exactly as its key does.
func keyMsgFor(k string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace, "space": tea.KeySpace,
	}
	if t, ok := named[k]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: t, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	if c, ok := strings.CutPrefix(k, "ctrl+"); ok && len(c) == 1 && c[0] >= 'a' && c[0] <= 'z' {
		return tea.KeyMsg{Type: tea.KeyCtrlA + tea.KeyType(c[0]-'a')}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

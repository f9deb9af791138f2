package ui

import (
	"fmt"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
)

// Completion for fields where a list belongs (plan, agent, channel): the
// values in use come from the store by a Cmd, are offered as the agent
// types (ctrl+e in a form, tab in a prompt takes the suggestion), and a
// value not among them asks "new plan 'entreprise'?" before it is saved.

// valuesMsg carries the values in use for a field.
type valuesMsg struct {
	field string
	vals  []string
	err   error
}

func loadValues(e *env, fields ...string) tea.Cmd {
	cmds := make([]tea.Cmd, len(fields))
	for i, f := range fields {
		st, ctx, field := e.store, e.ctx, f
		cmds[i] = func() tea.Msg {
			vals, err := st.Values(ctx, field)
			return valuesMsg{field: field, vals: vals, err: err}
		}
	}
	return tea.Batch(cmds...)
}

// knownValues are a field's values: built-in ones and those in use.
type knownValues struct {
	field string
	vals  []string
}

func newKnown(field string, builtin ...string) *knownValues {
	k := &knownValues{field: field}
	k.add(builtin)
	return k
}

func (k *knownValues) add(vals []string) {
	seen := map[string]bool{}
	for _, v := range k.vals {
		seen[strings.ToLower(v)] = true
	}
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" && !seen[strings.ToLower(v)] {
			seen[strings.ToLower(v)] = true
			k.vals = append(k.vals, v)
		}
	}
	sort.Strings(k.vals)
}

// canonical is the known spelling of v ("Pro" → "pro"), or "" when v is new.
func (k *knownValues) canonical(v string) string {
	v = strings.TrimSpace(v)
	for _, x := range k.vals {
		if strings.EqualFold(x, v) {
			return x
		}
	}
	return ""
}

// matching are the known values that start with (or else contain) what
// was typed.
func (k *knownValues) matching(typed string) []string {
	typed = strings.ToLower(strings.TrimSpace(typed))
	var pre, sub []string
	for _, v := range k.vals {
		lv := strings.ToLower(v)
		switch {
		case strings.HasPrefix(lv, typed):
			pre = append(pre, v)
		case strings.Contains(lv, typed):
			sub = append(sub, v)
		}
	}
	return append(pre, sub...)
}

// hint words the matches for beside the field: "known: free · pro · …".
func (k *knownValues) hint(typed string) string {
	m := k.matching(typed)
	if strings.TrimSpace(typed) != "" && len(m) == 1 && strings.EqualFold(m[0], strings.TrimSpace(typed)) {
		return ""
	}
	if len(m) == 0 {
		if strings.TrimSpace(typed) == "" {
			return ""
		}
		return "new " + k.field + " — known: " + shortList(k.vals, 6)
	}
	return "known: " + shortList(m, 6)
}

// newQuestion asks about a value not in use yet; "" for a known or empty one.
func (k *knownValues) newQuestion(v string) string {
	v = strings.TrimSpace(v)
	if v == "" || k.canonical(v) != "" {
		return ""
	}
	q := fmt.Sprintf("New %s '%s'?", k.field, v)
	if m := k.matching(v[:min(len(v), 2)]); len(m) > 0 {
		q += " (in use: " + shortList(m, 4) + ")"
	}
	return q
}

func shortList(vals []string, n int) string {
	if len(vals) <= n {
		return strings.Join(vals, " · ")
	}
	return strings.Join(vals[:n], " · ") + fmt.Sprintf(" · +%d", len(vals)-n)
}

// completeInput makes a form input offer k's values: suggestions as it is
// typed (ctrl+e takes one), the matches beside it while it has the focus,
// and values arriving from the store added as they come.
func (o *formOverlay) completeInput(in *huh.Input, title string, k *knownValues, value *string) {
	in.Suggestions(k.vals)
	o.hints = append(o.hints, fieldHint{field: in, title: title, text: func() string { return k.hint(*value) }})
	o.known = append(o.known, knownInput{in: in, k: k})
}

type fieldHint struct {
	field huh.Field
	title string
	text  func() string
}

type knownInput struct {
	in *huh.Input
	k  *knownValues
}

// takeValues adds values from the store to the inputs that offer them.
func (o *formOverlay) takeValues(msg valuesMsg) {
	if msg.err != nil {
		return
	}
	for _, ki := range o.known {
		if ki.k.field == msg.field || (msg.field == "agent" && ki.k.field == "assignee") {
			ki.k.add(msg.vals)
			ki.in.Suggestions(ki.k.vals)
		}
	}
}

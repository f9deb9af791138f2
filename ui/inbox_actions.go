package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// The Inbox's actions: classify the selection (or the item under the
// cursor) with c/t/s/p in one transaction (u undoes each, from the
// agent's undo stack), log feedback for any customer with a, promise a follow-up on an item
// with U.

// bulkDoneMsg reports a bulk edit; u undoes it from the agent's undo
// stack (undo.go), like any other write.
type bulkDoneMsg struct {
	what string
	res  model.BulkResult
	err  error
}

// targets are the items an action applies to.
func (s *inboxScreen) targets() []model.Feedback {
	if s.picked.len() > 0 {
		return s.picked.items()
	}
	if f, ok := s.selected(); ok {
		return []model.Feedback{f}
	}
	return nil
}

// classify applies a patch to the targets in one transaction.
func (s *inboxScreen) classify(what string, p model.FeedbackPatch) tea.Cmd {
	fs := s.targets()
	if len(fs) == 0 || p.Empty() {
		return nil
	}
	ed := s.env.store
	ids := make([]int64, len(fs))
	for i, f := range fs {
		ids[i] = f.ID
	}
	s.picked.clear()
	ctx, agent := s.env.ctx, s.env.agent
	return to(s.sid, func() tea.Msg {
		res, err := ed.SetFeedback(ctx, agent, ids, p, 0)
		return bulkDoneMsg{what: what, res: res, err: err}
	})
}

func (s *inboxScreen) bulkDone(msg bulkDoneMsg) tea.Cmd {
	status := statusMsg{}
	switch {
	case msg.err != nil:
		status = statusMsg{text: "not changed: " + errText(msg.err), err: true}
	default:
		status.text = fmt.Sprintf("%s: %d changed", msg.what, msg.res.Changed)
		if msg.res.Unchanged > 0 {
			status.text += fmt.Sprintf(", %d already so", msg.res.Unchanged)
		}
		if msg.res.Changed > 0 {
			status.text += " · u undoes"
		}
	}
	cmd := s.stay(s.reload)
	return tea.Batch(cmd, func() tea.Msg { return status }, func() tea.Msg { return refreshStatsMsg{} })
}

// choose opens a one-question list: every value shown, the targets'
// current one selected.
func (s *inboxScreen) choose(title string, values []string, labels []string, current string, done func(string) tea.Cmd) tea.Cmd {
	n := len(s.targets())
	heading := fmt.Sprintf("%s · %d item", title, n)
	if n != 1 {
		heading += "s"
	}
	return s.open(newChoiceOverlay(s.env, heading, values, labels, current, done, nil), nil)
}

// currentOf is the value the targets share, or "" when they differ.
func (s *inboxScreen) currentOf(get func(model.Feedback) string) string {
	fs := s.targets()
	if len(fs) == 0 {
		return ""
	}
	v := get(fs[0])
	for _, f := range fs[1:] {
		if get(f) != v {
			return ""
		}
	}
	return v
}

func (s *inboxScreen) chooseStatus() tea.Cmd {
	vals := enumStrings(model.Statuses)
	cur := s.currentOf(func(f model.Feedback) string { return string(f.Status) })
	return s.choose("Status", vals, vals, cur, func(v string) tea.Cmd {
		st := model.Status(v)
		return s.classify("status "+v, model.FeedbackPatch{Status: &st})
	})
}

func (s *inboxScreen) choosePriority() tea.Cmd {
	vals := enumStrings(model.Priorities)
	cur := s.currentOf(func(f model.Feedback) string { return string(f.Priority) })
	return s.choose("Priority", vals, vals, cur, func(v string) tea.Cmd {
		p := model.Priority(v)
		return s.classify("priority "+v, model.FeedbackPatch{Priority: &p})
	})
}

// chooseCategory loads the taxonomy first; categoriesMsg opens the form.
func (s *inboxScreen) chooseCategory(msg categoriesMsg) tea.Cmd {
	vals := append([]string{""}, msg.paths...)
	labels := append([]string{"(none — clear)"}, msg.paths...)
	cur := s.currentOf(func(f model.Feedback) string { return f.Category })
	return s.choose("Category", vals, labels, cur, func(v string) tea.Cmd {
		what := "category " + v
		if v == "" {
			what = "category cleared"
		}
		return s.classify(what, model.FeedbackPatch{Category: &v})
	})
}

func (s *inboxScreen) editTags(v string) (tea.Cmd, error) {
	add, remove := parseTagEdits(v)
	if len(add)+len(remove) == 0 {
		return nil, errors.New("type +tag to add, -tag to remove")
	}
	return s.classify("tags "+v, model.FeedbackPatch{AddTags: add, RemoveTags: remove}), nil
}

func enumStrings[T ~string](all []T) []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = string(v)
	}
	return out
}

// logFor opens the log-feedback form for a customer picked in the Inbox.
func (s *inboxScreen) logFor(c model.Customer) tea.Cmd {
	s.pending = newFeedbackDraft(c.ID, c.Label())
	return loadCategories(s.env)
}

// followUpOn promises a follow-up tied to the item under the cursor.
func (s *inboxScreen) followUpOn() tea.Cmd {
	f, ok := s.selected()
	if !ok {
		return nil
	}
	id := f.ID
	d := newFollowUpDraft(f.CustomerID, f.CustomerLabel, &id, s.env.agent)
	return s.open(followUpForm(s.env, d))
}

type rulesMsg struct {
	rules []model.Rule
	err   error
}

// loadRules reads the keyword rules, for suggestions on the items shown.
func (s *inboxScreen) loadRules() tea.Cmd {
	rl, ctx := s.env.store, s.env.ctx
	return to(s.sid, func() tea.Msg {
		rs, err := rl.Rules(ctx)
		return rulesMsg{rules: rs, err: err}
	})
}

// suggestion is what the rules would fill in on f.
func (s *inboxScreen) suggestion(f model.Feedback) (model.Suggestion, bool) {
	if len(s.rules) == 0 {
		return model.Suggestion{}, false
	}
	return model.Suggest(s.rules, f)
}

// acceptSuggestion applies what the keyword rules suggest for the item
// under the cursor (or each selected item): items with the same
// suggestion are changed together, and u undoes all of it.
func (s *inboxScreen) acceptSuggestion() tea.Cmd {
	type group struct {
		patch model.FeedbackPatch
		ids   []int64
		what  string
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, f := range s.targets() {
		sg, ok := s.suggestion(f)
		if !ok {
			continue
		}
		k := fmt.Sprint(sg.Category, sg.Kind, sg.Priority, sg.Tags)
		g := byKey[k]
		if g == nil {
			g = &group{patch: sg.Patch(), what: suggestionText(sg)}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.ids = append(g.ids, f.ID)
	}
	if len(groups) == 0 {
		return func() tea.Msg { return statusMsg{text: "no rule suggests anything here"} }
	}
	ed := s.env.store
	s.picked.clear()
	ctx, agent := model.OneAction(s.env.ctx), s.env.agent // the groups are one action for u
	return to(s.sid, func() tea.Msg {
		var total model.BulkResult
		for _, g := range groups {
			res, err := ed.SetFeedback(ctx, agent, g.ids, g.patch, 0)
			if err != nil {
				return bulkDoneMsg{what: "rule suggestion", err: err}
			}
			total.Changed += res.Changed
			total.Unchanged += res.Unchanged
		}
		what := "rule suggestion accepted"
		if len(groups) == 1 {
			what = groups[0].what
		}
		return bulkDoneMsg{what: what, res: total}
	})
}

// suggestionText words a suggestion: "Billing/Refund · complaint · #refund".
func suggestionText(sg model.Suggestion) string {
	var parts []string
	if sg.Category != "" {
		parts = append(parts, sg.Category)
	}
	if sg.Kind != "" {
		parts = append(parts, string(sg.Kind))
	}
	if sg.Priority != "" {
		parts = append(parts, string(sg.Priority))
	}
	for _, t := range sg.Tags {
		parts = append(parts, "#"+t)
	}
	return strings.Join(parts, " · ")
}

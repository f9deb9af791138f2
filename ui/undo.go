package ui

import (
	"errors"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// Undo and redo over the agent's own actions. Every write the TUI makes is
// recorded by the store as an action (env.ctx carries model.RecordActions);
// u (where the screen has no u of its own) or ctrl+z undoes the newest one
// not undone, ctrl+y redoes the last undone, and A lists them all. The
// stack lives in the database, so it is the same on every screen and
// after a restart.

// undoneMsg reports an undo or redo.
type undoneMsg struct {
	action model.Action
	redo   bool
	err    error
}

// stackKey reports whether a key is the global undo, redo or activity key
// on the screen in view: screens with a u of their own (the profile's
// follow-up, the import's reset) keep it, and the activity view works its
// rows itself.
func (m *Model) stackKey(f screen, msg tea.KeyMsg) bool {
	if _, ok := f.(*activityScreen); ok {
		return key.Matches(msg, m.env.keys.Global.Activity)
	}
	if msg.String() != "u" {
		return true
	}
	switch f.(type) {
	case *customersScreen, *inboxScreen, *followUpsScreen, *insightsScreen:
		return true
	}
	return false
}

func (m *Model) stackAction(msg tea.KeyMsg) tea.Cmd {
	g := m.env.keys.Global
	switch {
	case key.Matches(msg, g.Activity):
		m.activity = newActivityScreen(m.env, m.openedID())
		return tea.Batch(m.activity.SetSize(m.bodySize()), m.activity.reload())
	case key.Matches(msg, g.Redo):
		return stepCmd(m.env, 0, true)
	}
	return stepCmd(m.env, 0, false)
}

// stepCmd undoes (or redoes) action id, or the top of the stack with 0.
func stepCmd(e *env, id int64, redo bool) tea.Cmd {
	st, ctx, agent := e.store, e.ctx, e.agent
	return func() tea.Msg {
		var a model.Action
		var err error
		if redo {
			a, err = st.Redo(ctx, agent, id)
		} else {
			a, err = st.Undo(ctx, agent, id)
		}
		return undoneMsg{action: a, redo: redo, err: err}
	}
}

// undone words the step in the status bar and re-reads everything that
// may show what it changed.
func (m *Model) undone(msg undoneMsg) tea.Cmd {
	if msg.err != nil {
		var ue *model.UndoError
		if errors.As(msg.err, &ue) {
			m.say(ue.Reason, ue.Reason != "nothing to undo" && ue.Reason != "nothing to redo")
		} else {
			m.say("not undone: "+errText(msg.err), true)
		}
		return nil
	}
	verb, hint := "undone", " · ctrl+y redoes"
	if msg.redo {
		verb, hint = "redone", ""
	}
	m.setStatus(statusMsg{text: fmt.Sprintf("%s: %s%s", verb, actionText(msg.action), hint), kind: statusStep})
	f := m.focused()
	// The screen in view re-reads keeping its cursor, Insights its
	// figures the undo changed; the others read again as they were.
	cmds := []tea.Cmd{m.loadStats(), m.refreshFocused(), m.insights.stale(f == m.insights)}
	if f != m.profile {
		cmds = append(cmds, m.reloadProfile(0))
	}
	if f != m.inbox {
		cmds = append(cmds, m.inbox.reread(true))
	}
	if f != m.customers {
		cmds = append(cmds, m.customers.refresh())
	}
	if f != m.followUps {
		cmds = append(cmds, m.followUps.reread(true))
	}
	return tea.Batch(cmds...)
}

// actionText words an action in one line: "classify status → resolved
// (2 items)", "snooze due → … · 王芳".
func actionText(a model.Action) string {
	s := a.Kind
	if a.Summary != "" {
		s += " " + a.Summary
	}
	if a.Items > 1 {
		s += fmt.Sprintf(" (%d items)", a.Items)
	}
	if a.Label != "" {
		s += " · " + a.Label
	}
	return model.CleanLine(s)
}

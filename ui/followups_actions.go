package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// Bulk actions on the queue: each applies to the selected follow-ups, or
// to the one under the cursor when nothing is selected.

// targets are the open follow-ups an action applies to.
func (s *followUpsScreen) targets() []model.FollowUp {
	if s.picked.len() > 0 {
		return s.picked.items()
	}
	if f, ok := s.selected(); ok && f.Status == model.FollowUpOpen {
		return []model.FollowUp{f}
	}
	return nil
}

// apply runs fn on every target in one Cmd and reports how many changed;
// the selection is cleared once the action is on its way.
func (s *followUpsScreen) apply(what string, fn func(model.FollowUp) error) tea.Cmd {
	fs := s.targets()
	if len(fs) == 0 {
		return nil
	}
	s.picked.clear()
	return to(s.sid, func() tea.Msg {
		done := 0
		for _, f := range fs {
			if err := fn(f); err != nil {
				return followUpWrittenMsg{err: fmt.Errorf("%d of %d %s; then: %w", done, len(fs), what, err)}
			}
			done++
		}
		if len(fs) == 1 {
			return followUpWrittenMsg{text: fmt.Sprintf("follow-up %d for %s %s", fs[0].ID, model.CleanLine(fs[0].CustomerLabel), what)}
		}
		return followUpWrittenMsg{text: fmt.Sprintf("%d follow-ups %s", done, what)}
	})
}

// done closes the targets; an outcome note lands on each customer's
// timeline.
func (s *followUpsScreen) done(outcome string) tea.Cmd {
	st, ctx, agent := s.env.store, model.OneAction(s.env.ctx), s.env.agent // one action for u
	return s.apply("done", func(f model.FollowUp) error {
		if err := st.FollowUpDone(ctx, agent, f.ID); err != nil {
			return err
		}
		if outcome == "" {
			return nil
		}
		_, err := st.AddNote(ctx, agent, model.Note{CustomerID: f.CustomerID,
			Body: "outcome of “" + model.CleanLine(f.Note) + "”: " + outcome})
		return err
	})
}

// snooze moves each target d from now, or from its due time when later.
func (s *followUpsScreen) snooze(d time.Duration) tea.Cmd {
	now, st, ctx, agent := s.env.now(), s.env.store, model.OneAction(s.env.ctx), s.env.agent // one action for u
	return s.apply("snoozed", func(f model.FollowUp) error {
		base := now
		if f.Due.After(now) {
			base = f.Due
		}
		return st.SnoozeFollowUp(ctx, agent, f.ID, base.Add(d))
	})
}

func (s *followUpsScreen) snoozeUntil(v string) (tea.Cmd, error) {
	until, err := model.ParseWhen(v, s.env.now(), time.Local)
	if err != nil {
		return nil, err
	}
	st, ctx, agent, now := s.env.store, model.OneAction(s.env.ctx), s.env.agent, s.env.now() // one action for u
	run := func() tea.Cmd {
		return s.apply("snoozed to "+whenText(until, now), func(f model.FollowUp) error {
			return st.SnoozeFollowUp(ctx, agent, f.ID, until)
		})
	}
	if q := pastQuestion("Snooze to", until, now); q != "" {
		return nil, confirmFirst{question: q, then: run}
	}
	return run(), nil
}

func (s *followUpsScreen) reassign(v string) (tea.Cmd, error) {
	to := strings.TrimSpace(v)
	if to == "" {
		return nil, errors.New("type the agent's name")
	}
	k := s.prompt.known
	if k != nil && k.canonical(to) != "" {
		to = k.canonical(to)
	}
	st, ctx, agent := s.env.store, model.OneAction(s.env.ctx), s.env.agent // one action for u
	run := func() tea.Cmd {
		return s.apply("reassigned to "+model.CleanLine(to), func(f model.FollowUp) error {
			return st.ReassignFollowUp(ctx, agent, f.ID, to)
		})
	}
	if k != nil {
		if q := k.newQuestion(to); q != "" {
			return nil, confirmFirst{question: q, then: run}
		}
	}
	return run(), nil
}

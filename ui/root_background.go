package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// The background work the root model keeps going: reminders, the integrity
// check, the change feed (or the poll without one), the refresh of the
// screen in view, and the status bar's figures.

func (m *Model) remindLater() tea.Cmd {
	if m.opts.PollEvery <= 0 {
		return nil
	}
	return tea.Tick(time.Minute, func(time.Time) tea.Msg { return remindMsg{} })
}

// checkedMsg carries the result of the start-up integrity check.
type checkedMsg struct {
	problems []string
	err      error
}

// checkIntegrity runs SQLite's quick check in the background when polling
// is on (a real session, not a test).
func (m *Model) checkIntegrity() tea.Cmd {
	if m.opts.PollEvery <= 0 || m.opts.Served { // the server checks once, not each session
		return nil
	}
	st, ctx := m.env.store, m.env.ctx
	return func() tea.Msg {
		p, err := st.QuickCheck(ctx)
		return checkedMsg{problems: p, err: err}
	}
}

// pollMsg and changesMsg drive the live refresh: every PollEvery the root
// asks the store whether anyone else committed, and refreshes the screen
// in view when they did.
type (
	pollMsg    struct{}
	changesMsg struct {
		changed  bool
		byOthers int
		last     int64
		err      error
	}
)

func (m *Model) checkChanges() tea.Cmd {
	if m.opts.Feed != nil {
		return m.waitChange()
	}
	if m.opts.PollEvery <= 0 {
		return nil
	}
	return m.changesCmd()
}

// waitChange waits on the session's own subscription to the change feed
// (Options.Feed): another session's write arrives at once, another
// process's within the store's poll. It ends when the session does.
func (m *Model) waitChange() tea.Cmd {
	feed, ctx, agent := m.opts.Feed, m.env.ctx, m.env.agent
	// The first change after a quiet spell refreshes at once; changes
	// arriving faster than refreshMinGap merge into one refresh, so a busy
	// team costs each session at most one refresh a second (20 sessions
	// writing 33 notes a second between them: p50 key-to-frame 161 ms at a
	// 250 ms gap, 30 ms at 1 s).
	hold := time.Until(m.refreshedAt.Add(refreshMinGap))
	return func() tea.Msg {
		if hold > 0 {
			select {
			case <-time.After(hold):
			case <-ctx.Done():
				return nil
			}
		}
		ev, err := feed.Next(ctx)
		if err != nil {
			return nil // closed: the session is ending
		}
		return changesMsg{changed: true, byOthers: ev.ByOthers(agent), last: ev.LastAudit}
	}
}

func (m *Model) changesCmd() tea.Cmd {
	st, ctx, agent, since := m.env.store, m.env.ctx, m.env.agent, m.lastAudit
	return func() tea.Msg {
		changed, n, last, err := st.Changes(ctx, agent, since)
		return changesMsg{changed: changed, byOthers: n, last: last, err: err}
	}
}

// refreshMinGap is the least time between two refreshes by the feed.
const refreshMinGap = time.Second

func (m *Model) schedulePoll() tea.Cmd {
	if m.opts.Feed != nil {
		return m.waitChange()
	}
	if m.opts.PollEvery <= 0 {
		return nil
	}
	return tea.Tick(m.opts.PollEvery, func(time.Time) tea.Msg { return pollMsg{} })
}

func (m *Model) loadStats() tea.Cmd {
	st, ctx, agent := m.env.store, m.env.ctx, m.env.agent
	return func() tea.Msg {
		s, err := st.Stats(ctx, agent)
		return statsMsg{stats: s, err: err}
	}
}

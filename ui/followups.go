package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// followUpsScreen is the queue of promises: overdue, today, upcoming and
// done, the agent's own or everyone's. Each section is a window onto the
// followups table; x marks done, z/Z snooze.
type followUpsScreen struct {
	sid           screenID // where its answers are addressed (route.go)
	env           *env
	width, height int

	state    model.FollowUpState
	mine     bool
	assignee string // @: one agent's queue (overrides mine)
	counts   map[model.FollowUpState]int

	showCampaigns bool
	campaigns     []model.CampaignProgress
	campErr       error

	picked selection[model.FollowUp]
	prompt prompt
	chosen bool // the agent picked the section (←/→): it stays, empty or not

	window[model.FollowUp]
}

type followUpsCountsMsg struct {
	gen    int
	counts map[model.FollowUpState]int
	err    error
}

// followUpWrittenMsg reports a write on a follow-up.
type followUpWrittenMsg struct {
	text string
	err  error
}

func newFollowUpsScreen(e *env) *followUpsScreen {
	return &followUpsScreen{sid: followUpsID, env: e, state: model.StateOverdue, mine: true, window: newWindow[model.FollowUp](), prompt: newPrompt(e)}
}

func (s *followUpsScreen) pageSize() int { return max(1, s.height-2) }

func (s *followUpsScreen) SetSize(w, h int) tea.Cmd {
	old := s.pageSize()
	s.width, s.height = w, h
	if s.gen == 0 {
		return nil // loads when first shown
	}
	return s.refit(old, s.pageSize(), s.fetch)
}

// Shown loads the queue on the first visit and refreshes it after.
func (s *followUpsScreen) Shown() tea.Cmd { return s.reload() }

func (s *followUpsScreen) query(state model.FollowUpState) model.FollowUpQuery {
	now := s.env.now()
	local := now.In(time.Local)
	dayEnd := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, time.Local)
	q := model.FollowUpQuery{State: state, Now: now, DayEnd: dayEnd}
	switch {
	case s.assignee != "":
		q.Assignee = s.assignee
	case s.mine:
		q.Assignee = s.env.agent
	}
	return q
}

func (s *followUpsScreen) reload() tea.Cmd {
	s.gen++
	s.qgen++
	s.totalKnown, s.err, s.sel = false, nil, 0
	return tea.Batch(s.fetch(opFirst, s.pageSize()), s.count())
}

func (s *followUpsScreen) fetch(op pageOp, k int) tea.Cmd {
	q := s.query(s.state)
	q.Limit = k
	q.After, q.Before, q.Last = s.pageCursor(op)
	s.loading = true
	gen, st, ctx := s.gen, s.env.store, s.env.ctx
	return to(s.sid, func() tea.Msg {
		page, err := st.FollowUpPage(ctx, q)
		return pageMsg[model.FollowUp]{gen: gen, op: op, rows: page.Rows, cursors: page.Cursors, more: page.HasMore, err: err}
	})
}

// count asks for the size of every section, for the section bar.
func (s *followUpsScreen) count() tea.Cmd {
	qs := map[model.FollowUpState]model.FollowUpQuery{}
	for _, st := range model.FollowUpStates {
		qs[st] = s.query(st)
	}
	gen, st, ctx := s.qgen, s.env.store, s.env.ctx
	return to(s.sid, func() tea.Msg {
		counts := map[model.FollowUpState]int{}
		for state, q := range qs {
			n, err := st.CountFollowUps(ctx, q)
			if err != nil {
				return followUpsCountsMsg{gen: gen, err: err}
			}
			counts[state] = n
		}
		return followUpsCountsMsg{gen: gen, counts: counts}
	})
}

// firstDue is where the queue goes while its section is empty and the
// agent has not picked one: the first of overdue, today and upcoming that
// holds a follow-up (overdue when none does). A day with nothing overdue
// opens on today's promises, not on an empty list, and the last one done
// leads on to the next.
func firstDue(counts map[model.FollowUpState]int) model.FollowUpState {
	for _, state := range []model.FollowUpState{model.StateOverdue, model.StateToday, model.StateUpcoming} {
		if counts[state] > 0 {
			return state
		}
	}
	return model.StateOverdue
}

func (s *followUpsScreen) Capturing() bool { return s.prompt.active() }

func (s *followUpsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pageMsg[model.FollowUp]:
		s.take(msg, s.pageSize())
	case followUpsCountsMsg:
		if msg.gen == s.qgen && msg.err == nil {
			s.counts = msg.counts
			s.setTotal(msg.counts[s.state], false)
			if state := firstDue(msg.counts); !s.chosen && state != s.state && msg.counts[s.state] == 0 {
				s.state = state
				return s.reload()
			}
		}
	case followUpWrittenMsg:
		s.prompt.settle(msg.err)
		cmd := s.stay(s.reload)
		status := statusMsg{text: msg.text}
		if msg.err != nil {
			status = statusMsg{text: errText(msg.err), err: true}
		}
		return tea.Batch(cmd, func() tea.Msg { return status }, func() tea.Msg { return refreshStatsMsg{} })
	case campaignsMsg:
		s.campaigns, s.campErr = msg.list, msg.err
	case valuesMsg:
		s.prompt.takeValues(msg)
	case tea.KeyMsg:
		if s.prompt.active() {
			return s.prompt.Update(msg)
		}
		if key.Matches(msg, s.env.keys.FollowUps.Campaigns) {
			s.showCampaigns = !s.showCampaigns
			if s.showCampaigns {
				return s.loadCampaigns()
			}
			return nil
		}
		if s.showCampaigns {
			if key.Matches(msg, s.env.keys.Customers.Refresh) {
				return s.loadCampaigns()
			}
			if key.Matches(msg, s.env.keys.List.Back) {
				s.showCampaigns = false
			}
			return nil
		}
		return s.updateKeys(msg)
	}
	return nil
}

func (s *followUpsScreen) updateKeys(msg tea.KeyMsg) tea.Cmd {
	k := s.env.keys
	if cmd, ok := s.navigate(msg, k.List, s.pageSize(), s.fetch); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.FollowUps.NextSection):
		s.chosen = true
		s.state = stepState(s.state, 1)
		return s.reload()
	case key.Matches(msg, k.FollowUps.PrevSection):
		s.chosen = true
		s.state = stepState(s.state, -1)
		return s.reload()
	case key.Matches(msg, k.FollowUps.Mine):
		s.mine, s.assignee = !s.mine, ""
		return s.reload()
	case key.Matches(msg, k.FollowUps.Assignee):
		cmd := s.prompt.open("assignee: ", "an agent's name (empty: everyone's)", func(v string) (tea.Cmd, error) {
			s.assignee, s.mine = v, false
			return s.reload(), nil
		})
		s.prompt.offer(newKnown("agent", s.env.agent))
		return tea.Batch(cmd, loadValues(s.env, "agent"))
	case key.Matches(msg, k.FollowUps.Done):
		return s.done("")
	case key.Matches(msg, k.FollowUps.DoneNote):
		return s.prompt.openWaiting("outcome: ", "what happened (lands on the timeline)", func(v string) (tea.Cmd, error) {
			return s.done(v), nil
		})
	case key.Matches(msg, k.FollowUps.Snooze):
		return s.snooze(24 * time.Hour)
	case key.Matches(msg, k.FollowUps.SnoozeWeek):
		return s.snooze(7 * 24 * time.Hour)
	case key.Matches(msg, k.FollowUps.SnoozeUntil):
		return s.prompt.openWaiting("snooze until: ", "friday, +3d, 2026-12-01 10:00", s.snoozeUntil)
	case key.Matches(msg, k.FollowUps.Reassign):
		cmd := s.prompt.openWaiting("reassign to: ", "agent name", s.reassign)
		s.prompt.offer(newKnown("agent", s.env.agent))
		return tea.Batch(cmd, loadValues(s.env, "agent"))
	case key.Matches(msg, k.Select.Toggle):
		if f, ok := s.selected(); ok && f.Status == model.FollowUpOpen {
			s.picked.toggle(f.ID, f)
			s.navigate(tea.KeyMsg{Type: tea.KeyDown}, k.List, s.pageSize(), s.fetch)
		}
	case key.Matches(msg, k.Select.All):
		var ids []int64
		var rows []model.FollowUp
		for _, f := range s.rows {
			if f.Status == model.FollowUpOpen {
				ids, rows = append(ids, f.ID), append(rows, f)
			}
		}
		s.picked.pickAll(ids, rows)
	case key.Matches(msg, k.List.Back) && s.picked.len() > 0:
		s.picked.clear()
	case key.Matches(msg, k.Customers.Refresh):
		return s.reload()
	case key.Matches(msg, k.List.Open):
		if f, ok := s.selected(); ok {
			return func() tea.Msg { return openProfileMsg{id: f.CustomerID} }
		}
	}
	return nil
}

func stepState(st model.FollowUpState, d int) model.FollowUpState {
	all := model.FollowUpStates
	for i, x := range all {
		if x == st {
			return all[(i+d+len(all))%len(all)]
		}
	}
	return all[0]
}

func (s *followUpsScreen) ShortHelp() []key.Binding {
	k := s.env.keys
	if s.prompt.active() {
		return s.prompt.ShortHelp()
	}
	return []key.Binding{k.List.Down, k.FollowUps.NextSection, k.Select.Toggle, k.FollowUps.Done, k.FollowUps.Snooze,
		k.FollowUps.Reassign, k.FollowUps.Mine, k.List.Open}
}

func (s *followUpsScreen) FullHelp() [][]key.Binding {
	k := s.env.keys
	return [][]key.Binding{
		{k.List.Down, k.List.Up, k.List.PageDown, k.List.PageUp, k.List.Top, k.List.Bottom},
		{k.FollowUps.NextSection, k.FollowUps.PrevSection, k.FollowUps.Mine, k.FollowUps.Assignee, k.List.Open},
		{k.FollowUps.Done, k.FollowUps.DoneNote, k.FollowUps.Snooze, k.FollowUps.SnoozeWeek, k.FollowUps.SnoozeUntil, k.FollowUps.Reassign},
		{k.Select.Toggle, k.Select.All, k.List.Back, k.Customers.Refresh, k.FollowUps.Campaigns},
	}
}

func (s *followUpsScreen) View() string {
	if s.showCampaigns {
		return s.campaignsView()
	}
	st := s.env.styles
	var b strings.Builder
	var secs []string
	for _, state := range model.FollowUpStates {
		label := string(state)
		if s.counts != nil {
			label += fmt.Sprintf(" %s", thousands(s.counts[state]))
		}
		switch {
		case state == s.state:
			secs = append(secs, st.TabActive.Padding(0).Render(label))
		case state == model.StateOverdue && s.counts[state] > 0:
			secs = append(secs, st.Warn.Render(label))
		default:
			secs = append(secs, st.Faint.Render(label))
		}
	}
	who := "mine (" + model.CleanLine(s.env.agent) + ")"
	switch {
	case s.assignee != "":
		who = model.CleanLine(s.assignee) + "'s"
	case !s.mine:
		who = "everyone's"
	}
	left := strings.Join(secs, st.Faint.Render(" · ")) + "  " + st.Label.Render(who)
	pos := st.Faint.Render(s.position("none"))
	if n := s.picked.len(); n > 0 {
		pos = st.Accent.Render(thousands(n)+" selected") + st.Faint.Render(" · ") + pos
	}
	if room := s.width - lipgloss.Width(pos) - 1; room >= 10 {
		b.WriteString(padRight(left, room) + " " + pos)
	} else {
		b.WriteString(padRight(left, s.width))
	}
	b.WriteByte('\n')
	nameW := max(10, min(24, (s.width-40)/3))
	noteW := max(1, s.width-2-17-(dueWordsW+1)-nameW-12-4)
	b.WriteString(st.Header.Render(padRight("  "+cell("Due", 17)+" "+cell("", dueWordsW)+" "+cell("Customer", nameW)+" "+
		cell("Assignee", 12)+" "+cell("Note", noteW), s.width)))
	now := s.env.now()
	for i := 0; i < s.pageSize(); i++ {
		b.WriteByte('\n')
		if i >= len(s.rows) {
			if i == 0 {
				switch {
				case s.err != nil:
					b.WriteString(st.Bad.Render(fit("  "+errText(s.err), s.width)))
				case s.loading:
					b.WriteString(st.Faint.Render("  loading…"))
				default:
					b.WriteString(st.Faint.Render(fit("  nothing "+string(s.state)+" — ←/→ other sections, m everyone's", s.width)))
				}
			}
			continue
		}
		f := &s.rows[i]
		rel := dueWords(f, now)
		mark := " "
		if s.picked.has(f.ID) {
			mark = "●"
		}
		line := mark + cell(f.Due.In(time.Local).Format("2006-01-02 15:04"), 17) + " " + cell(rel, dueWordsW) + " " +
			cell(f.CustomerLabel, nameW) + " " + cell(f.Assignee, 12) + " " + cell(f.Note, noteW)
		switch {
		case i == s.sel:
			b.WriteString(st.RowSel.Render(padRight("›"+line, s.width)))
		case f.Status == model.FollowUpOpen && f.Due.Before(now):
			b.WriteString(" " + st.Bad.Render(padRight(line, s.width-1)))
		default:
			b.WriteString(padRight(" "+line, s.width))
		}
	}
	out := b.String()
	if s.prompt.active() {
		out = out[:strings.LastIndex(out, "\n")+1] + s.prompt.View(s.width)
	}
	return out
}

// dueWords says "3 d overdue", "due in 2 h" or "done 1 d ago".
// dueWordsW fits dueWords' longest: "59 min overdue", "due in 59 min".
const dueWordsW = 14

func dueWords(f *model.FollowUp, now time.Time) string {
	switch {
	case f.Status == model.FollowUpDone && f.DoneAt != nil:
		return "done " + ago(*f.DoneAt, now)
	case f.Due.Before(now):
		return span(now.Sub(f.Due)) + " overdue"
	default:
		return "due in " + span(f.Due.Sub(now))
	}
}

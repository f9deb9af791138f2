package ui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/rapportcrm/rapport/model"
)

// Recall (召回) from the Customers screen: with a segment filter on, R
// creates a follow-up for every customer it shows — one campaign, due
// when chosen, for one agent or round-robin over several. The form says
// how many customers it will touch; the run reports progress in the
// status bar and can be repeated safely (members with an open follow-up
// in the campaign are skipped).

type recallDraft struct {
	where     string
	count     string // "1,284" or "1,000+", for the confirmation
	Campaign  string
	Quick     string
	Typed     string
	Assignees string
	Note      string
	Confirm   bool
}

type (
	recallProgressMsg struct {
		done, total int
		next        tea.Cmd
	}
	recallDoneMsg struct {
		campaign string
		res      model.RecallResult
		err      error
	}
)

func (c *customersScreen) startRecall() tea.Cmd {
	if c.where == "" {
		return func() tea.Msg {
			return statusMsg{text: "recall works on a segment: filter with w first (e.g. last_contact_days > 90 and ltv > 1000)"}
		}
	}
	count := "these"
	if c.totalKnown {
		count = thousands(c.total)
		if c.totalCapped {
			count += "+"
		}
	}
	now := c.env.now().In(time.Local)
	d := &recallDraft{where: c.where, count: count, Campaign: "recall " + now.Format("2006-01-02"),
		Quick: "+3d", Assignees: c.env.agent, Confirm: true}
	return c.open(recallForm(c.env, d))
}

func recallForm(e *env, d *recallDraft) (*formOverlay, tea.Cmd) {
	now := e.now()
	opts := quickOptions(now)
	fd := &followUpDraft{Quick: d.Quick}
	due := func() (time.Time, error) {
		fd.Quick, fd.Typed = d.Quick, d.Typed
		return fd.due(e.now())
	}
	fields := []huh.Field{
		huh.NewNote().Title(fmt.Sprintf("Create follow-ups for the %s customers of  %s", d.count, model.CleanLine(d.where))),
		huh.NewInput().Title("Campaign").Value(&d.Campaign).Inline(true).CharLimit(100),
		selectShowingAll("Due", opts, &d.Quick),
		huh.NewInput().Title("or type").Value(&d.Typed).Inline(true).Placeholder("2026-12-01 10:00, friday"),
		huh.NewInput().Title("Agents").Value(&d.Assignees).Inline(true).
			Placeholder("li.na, emma — several share the customers round-robin"),
		huh.NewInput().Title("Note").Value(&d.Note).Inline(true).CharLimit(500).Placeholder("what to talk about"),
		huh.NewConfirm().Title(fmt.Sprintf("Create up to %s follow-ups?", d.count)).Value(&d.Confirm).
			Affirmative("Create").Negative("Cancel"),
	}
	submit := func() tea.Cmd {
		if !d.Confirm {
			return nil
		}
		when, err := due()
		if err != nil {
			return func() tea.Msg { return recallDoneMsg{err: err} }
		}
		req := model.RecallRequest{Where: d.where, Due: when, Note: strings.TrimSpace(d.Note),
			Campaign: strings.TrimSpace(d.Campaign)}
		for _, a := range strings.Split(d.Assignees, ",") {
			if a = strings.TrimSpace(a); a != "" {
				req.Assignees = append(req.Assignees, a)
			}
		}
		return runRecall(e, req)
	}
	o, cmd := newFormOverlay(e, "Recall campaign", []*huh.Group{huh.NewGroup(fields...)}, submit, nil)
	o.last = fields[len(fields)-1]
	o.check = func() error {
		if strings.TrimSpace(d.Campaign) == "" {
			return fmt.Errorf("name the campaign: running it again then creates nothing twice")
		}
		_, err := due()
		return err
	}
	return o, cmd
}

// runRecall runs the recall in the background and reports progress
// through a channel the program reads one message at a time.
func runRecall(e *env, req model.RecallRequest) tea.Cmd {
	ch := make(chan tea.Msg, 1)
	st, ctx, agent := e.store, model.WithoutActions(e.ctx), e.agent // a campaign is not one action to undo
	go func() {
		res, err := st.Recall(ctx, agent, req, func(done, total int) {
			select { // drop updates while the screen is still drawing the last
			case ch <- recallProgressMsg{done: done, total: total}:
			default:
			}
		})
		ch <- recallDoneMsg{campaign: req.Campaign, res: res, err: err}
		close(ch)
	}()
	var wait tea.Cmd
	wait = func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		if p, ok := msg.(recallProgressMsg); ok {
			p.next = wait
			return p
		}
		return msg
	}
	return wait
}

func (m *Model) recallProgress(msg recallProgressMsg) tea.Cmd {
	m.recalling = true
	if msg.total > 0 {
		m.say(fmt.Sprintf("recall %s %3.0f%%  %s of %s customers…", meter(msg.done, msg.total, 20),
			100*float64(msg.done)/float64(msg.total), thousands(msg.done), thousands(msg.total)), false)
	}
	return msg.next
}

// meter draws done of total as a bar of width cells in plain characters,
// which the status bar keeps (it strips colours and escapes).
func meter(done, total, width int) string {
	n := 0
	if total > 0 {
		n = min(width, max(0, (done*width+total/2)/total))
	}
	return strings.Repeat("█", n) + strings.Repeat("░", width-n)
}

func (m *Model) recallDone(msg recallDoneMsg) tea.Cmd {
	m.recalling = false
	if msg.err != nil {
		m.say("recall: "+errText(msg.err), true)
		return nil
	}
	m.say(fmt.Sprintf("campaign %s: %s follow-ups created, %s already had one", model.CleanLine(msg.campaign),
		thousands(msg.res.Created), thousands(msg.res.Skipped)), false)
	return tea.Batch(m.loadStats(), m.customers.refresh(), m.followUps.reread(false))
}

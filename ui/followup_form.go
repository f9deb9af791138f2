package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/rapportcrm/rapport/model"
)

// followUpDraft is what the promise form edits: when (a quick choice or a
// typed date), who, and what was promised.
type followUpDraft struct {
	customerID   int64
	customerName string
	feedbackID   *int64
	Quick        string // one of quickDue's keys, or "" to use Typed
	Typed        string
	Assignee     string
	Note         string
}

// quickDue are the choices most promises need, worded as ParseWhen reads
// them; "" means "type a date".
var quickDue = []struct{ label, when string }{
	{"tomorrow", "tomorrow"},
	{"today 17:00", "today"},
	{"in 2 hours", "+2h"},
	{"in 3 days", "+3d"},
	{"next Monday", "next monday"},
	{"in a week", "+1w"},
	{"type a date…", ""},
}

func newFollowUpDraft(id int64, name string, feedbackID *int64, agent string) *followUpDraft {
	return &followUpDraft{customerID: id, customerName: name, feedbackID: feedbackID, Quick: "tomorrow", Assignee: agent}
}

func (d *followUpDraft) dirty() bool { return strings.TrimSpace(d.Typed+d.Note) != "" }

// due resolves the choice against now, in the local zone.
func (d *followUpDraft) due(now time.Time) (time.Time, error) {
	when := d.Quick
	if strings.TrimSpace(d.Typed) != "" {
		when = d.Typed
	}
	if when == "" {
		return time.Time{}, errTypeADate
	}
	return model.ParseWhen(when, now, time.Local)
}

var errTypeADate = whenError("type a date: 2026-11-25 14:00, +2h, tomorrow, friday")

type whenError string

func (e whenError) Error() string { return string(e) }

// followUpAddedMsg reports a saved promise.
type followUpAddedMsg struct {
	followUp model.FollowUp
	err      error
}

func (m followUpAddedMsg) refused() error { return m.err }

// quickOptions are the quick choices still ahead of now, each with the
// time it stands for: "today 17:00" is not offered at 18:59.
func quickOptions(now time.Time) []huh.Option[string] {
	opts := make([]huh.Option[string], 0, len(quickDue))
	for _, q := range quickDue {
		label := q.label
		if q.when != "" {
			t, err := model.ParseWhen(q.when, now, time.Local)
			if err != nil || !t.After(now) {
				continue
			}
			label += "  " + whenText(t, now)
		}
		opts = append(opts, huh.NewOption(label, q.when))
	}
	return opts
}

func followUpForm(e *env, d *followUpDraft) (*formOverlay, tea.Cmd) {
	now := e.now()
	opts := quickOptions(now)
	checkTyped := func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := model.ParseWhen(s, e.now(), time.Local)
		if err != nil {
			return whenError(strings.TrimPrefix(err.Error(), model.ErrInvalid.Error()+": "))
		}
		return nil
	}
	assignee := huh.NewInput().Title("Assignee").Value(&d.Assignee).Inline(true)
	typed := huh.NewInput().Title("or type").Value(&d.Typed).Validate(checkTyped).Inline(true).
		Placeholder("2026-11-25 14:00, +2h, friday — overrides the choice")
	promise := huh.NewInput().Title("Promise").Value(&d.Note).Inline(true).CharLimit(2000).
		Placeholder("call back about the refund")
	fields := []huh.Field{
		selectShowingAll("Due", opts, &d.Quick),
		typed,
		assignee,
		promise,
	}
	st, ctx, agent := e.store, e.ctx, e.agent
	submit := func() tea.Cmd {
		due, err := d.due(e.now())
		if err != nil {
			return func() tea.Msg { return followUpAddedMsg{err: err} }
		}
		f := model.FollowUp{CustomerID: d.customerID, FeedbackID: d.feedbackID, Due: due,
			Assignee: strings.TrimSpace(d.Assignee), Note: strings.TrimSpace(d.Note)}
		return func() tea.Msg {
			saved, err := st.AddFollowUp(ctx, agent, f)
			return followUpAddedMsg{followUp: saved, err: err}
		}
	}
	title := "Follow up · " + model.CleanLine(d.customerName)
	o, cmd := newFormOverlay(e, title, []*huh.Group{huh.NewGroup(fields...)}, submit, d.dirty)
	o.last = fields[len(fields)-1]
	o.check = func() error { _, err := d.due(e.now()); return err }
	o.named(map[string]huh.Field{"or type": typed, "Assignee": assignee, "Promise": promise})
	agents := newKnown("agent", e.agent)
	o.completeInput(assignee, "Assignee", agents, &d.Assignee)
	o.ask = func() []string {
		if c := agents.canonical(d.Assignee); c != "" {
			d.Assignee = c
		}
		var qs []string
		if due, err := d.due(e.now()); err == nil {
			qs = append(qs, pastQuestion("Due", due, e.now()))
		}
		return append(qs, agents.newQuestion(d.Assignee))
	}
	cmd = tea.Batch(cmd, loadValues(e, "agent"))
	o.fieldOf = fieldByWord("assignee", "Assignee", "type a date", "or type", "as a date", "or type", "due", "or type", "note", "Promise")
	return o, cmd
}

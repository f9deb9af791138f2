package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/rapportcrm/rapport/model"
)

// feedbackDraft is what the log-feedback form edits. The defaults make
// the common case — a phone call, typed in as it happens — the text plus
// ctrl+s.
type feedbackDraft struct {
	customerID   int64
	customerName string
	Text         string
	Subject      string
	Channel      string
	Kind         string
	CSAT         string
	NPS          string
	Category     string
	Priority     string
	Tags         string
}

// feedbackChannels are offered in the form; imports may bring others.
var feedbackChannels = []string{"phone", "chat", "email", "wechat", "web", "app", "social", "survey", "in-person"}

func newFeedbackDraft(id int64, name string) *feedbackDraft {
	return &feedbackDraft{customerID: id, customerName: name, Channel: "phone",
		Kind: string(model.KindFeedback), Priority: string(model.PriorityNormal)}
}

func (d *feedbackDraft) dirty() bool {
	return strings.TrimSpace(d.Text+d.Subject+d.CSAT+d.NPS+d.Tags) != ""
}

// parseScore reads an optional score in [lo, hi].
func parseScore(s, name string, lo, hi int) (*int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < lo || v > hi {
		return nil, fmt.Errorf("%s is a whole number from %d to %d, or empty", name, lo, hi)
	}
	return &v, nil
}

func validCSAT(s string) error { _, err := parseScore(s, "CSAT", 1, 5); return err }
func validNPS(s string) error  { _, err := parseScore(s, "NPS", 0, 10); return err }

// feedback turns the draft into what the store takes, or says what is
// missing.
func (d *feedbackDraft) feedback() (model.Feedback, error) {
	csat, err := parseScore(d.CSAT, "CSAT", 1, 5)
	if err != nil {
		return model.Feedback{}, err
	}
	nps, err := parseScore(d.NPS, "NPS", 0, 10)
	if err != nil {
		return model.Feedback{}, err
	}
	f := model.Feedback{CustomerID: d.customerID, Channel: d.Channel, Kind: model.Kind(d.Kind),
		Subject: strings.TrimSpace(d.Subject), Body: strings.TrimSpace(d.Text), CSAT: csat, NPS: nps,
		Category: d.Category, Priority: model.Priority(d.Priority), Status: model.StatusOpen, Source: "manual"}
	for _, t := range strings.FieldsFunc(d.Tags, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		f.Tags = append(f.Tags, strings.TrimPrefix(t, "#"))
	}
	if f.Body == "" && f.Subject == "" && csat == nil && nps == nil {
		return f, errors.New("type what the customer said, or give a score")
	}
	return f, f.Validate()
}

// feedbackLoggedMsg reports a saved feedback item.
type feedbackLoggedMsg struct {
	feedback model.Feedback
	err      error
}

// feedbackForm builds the form for d; categories are the paths offered.
func feedbackForm(e *env, d *feedbackDraft, categories []string) (*formOverlay, tea.Cmd) {
	opts := func(vals []string) []huh.Option[string] {
		out := make([]huh.Option[string], len(vals))
		for i, v := range vals {
			out[i] = huh.NewOption(v, v)
		}
		return out
	}
	kinds := make([]string, len(model.Kinds))
	for i, k := range model.Kinds {
		kinds[i] = string(k)
	}
	prios := make([]string, len(model.Priorities))
	for i, p := range model.Priorities {
		prios[i] = string(p)
	}
	cats := append([]huh.Option[string]{huh.NewOption("(none)", "")}, opts(categories)...)
	channel := huh.NewInput().Title("Channel").Value(&d.Channel).Inline(true).CharLimit(40)
	kind := huh.NewSelect[string]().Title("Kind").Value(&d.Kind).Options(opts(kinds)...).Inline(true)
	category := huh.NewSelect[string]().Title("Category").Value(&d.Category).Options(cats...).Inline(true)
	priority := huh.NewSelect[string]().Title("Priority").Value(&d.Priority).Options(opts(prios)...).Inline(true)
	text := huh.NewText().Title("What did they say?").Value(&d.Text).Lines(4).CharLimit(20000).
		Placeholder("type the call, chat or email — ctrl+j for a new line")
	csat := huh.NewInput().Title("CSAT 1–5").Value(&d.CSAT).Validate(validCSAT).Inline(true).CharLimit(2)
	nps := huh.NewInput().Title("NPS 0–10").Value(&d.NPS).Validate(validNPS).Inline(true).CharLimit(2)
	fields := []huh.Field{
		text,
		kind,
		channel,
		csat,
		nps,
		huh.NewInput().Title("Subject").Value(&d.Subject).Inline(true).CharLimit(300).Placeholder("optional"),
		category,
		priority,
		huh.NewInput().Title("Tags").Value(&d.Tags).Inline(true).Placeholder("space or comma separated"),
	}
	st, ctx, agent := e.store, e.ctx, e.agent
	submit := func() tea.Cmd {
		f, err := d.feedback()
		if err != nil {
			return func() tea.Msg { return feedbackLoggedMsg{err: err} }
		}
		return func() tea.Msg {
			saved, err := st.AddFeedback(ctx, agent, f)
			return feedbackLoggedMsg{feedback: saved, err: err}
		}
	}
	o, cmd := newFormOverlay(e, "Log feedback · "+model.CleanLine(d.customerName), []*huh.Group{huh.NewGroup(fields...)}, submit, d.dirty)
	o.last = fields[len(fields)-1]
	o.hintOptions(kind, "Kind", kinds, &d.Kind)
	o.hintOptions(category, "Category", append([]string{"(none)"}, categories...), &d.Category)
	o.hintOptions(priority, "Priority", prios, &d.Priority)
	o.named(map[string]huh.Field{"What did they say?": text, "CSAT 1–5": csat, "NPS 0–10": nps, "Channel": channel,
		"Kind": kind, "Category": category, "Priority": priority})
	channels := newKnown("channel", feedbackChannels...)
	o.completeInput(channel, "Channel", channels, &d.Channel)
	o.check = func() error {
		if c := channels.canonical(d.Channel); c != "" {
			d.Channel = c
		}
		if strings.TrimSpace(d.Channel) == "" {
			return fieldError{"Channel", "channel: phone, email, wechat… (ctrl+e completes)"}
		}
		_, err := d.feedback()
		return err
	}
	o.ask = func() []string { return []string{channels.newQuestion(d.Channel)} }
	cmd = tea.Batch(cmd, loadValues(e, "channel"))
	o.fieldOf = fieldByWord("csat", "CSAT 1–5", "nps", "NPS 0–10", "what the customer said", "What did they say?",
		"channel", "Channel", "tag", "Tags", "subject", "Subject", "category", "Category")
	return o, cmd
}

func (m feedbackLoggedMsg) refused() error { return m.err }

// categoriesMsg carries the taxonomy for a form that offers it.
type categoriesMsg struct {
	paths []string
	err   error
}

func loadCategories(e *env) tea.Cmd {
	st, ctx := e.store, e.ctx
	return func() tea.Msg {
		cs, err := st.Categories(ctx)
		paths := make([]string, 0, len(cs))
		for _, c := range cs {
			if strings.Contains(c.Path, "/") {
				paths = append(paths, c.Path)
			}
		}
		return categoriesMsg{paths: paths, err: err}
	}
}

package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// profileScreen is one customer's 用户画像: attributes, tags, value,
// satisfaction history and the timeline, in a scrollable view.
type profileScreen struct {
	sid screenID // where its answers are addressed (route.go)
	env *env
	id  int64

	width, height int
	vp            viewport.Model

	// A one-line prompt at the bottom for n (note) and t (tags).
	input   textinput.Model
	asking  string // "", "note", "tags"
	inputEr string
	sending bool // the prompt's answer went to the store; it stays open until the store answers

	// A refused save (its form, log feedback, follow-up or edit, is on
	// the overlay stack while open).
	pending       *feedbackDraft // waiting for the categories to open the form
	conflict      *conflict      // on the overlay stack while shown, as conflictLayer
	conflictLayer *sheet
	merge         *mergeFlow // M: merge another customer into this one (merge.go)

	customer *model.Customer
	timeline []model.TimelineEntry
	tsel     int // the timeline entry under the cursor (profile_timeline.go)
	tlTop    int // the content line of the timeline's header
	scores   []model.ScorePoint
	loading  bool
	err      error
}

type profileMsg struct {
	id       int64
	customer model.Customer
	timeline []model.TimelineEntry
	scores   []model.ScorePoint
	err      error
}

type closeProfileMsg struct{}

// noteLimit is the most a note prompt takes: a pasted e-mail thread of
// tens of thousands of characters is kept whole; beyond it the prompt says
// it cut the text before anything is saved.
const noteLimit = 100_000

// timelineLimit bounds how much history a profile loads at once.
const timelineLimit = 500

// newProfileScreen opens customer id's profile as screen sid.
func newProfileScreen(e *env, sid screenID, id int64) *profileScreen {
	in := lineInput(e, "", "", noteLimit)
	return &profileScreen{sid: sid, env: e, id: id, vp: viewport.New(0, 0), loading: true, input: in}
}

// profileWrittenMsg reports a write made from the profile.
type profileWrittenMsg struct {
	id   int64
	text string
	err  error
	// prompt is the prompt that sent the write ("note", "tags"): it
	// closes when the write is saved and keeps the text when refused.
	prompt string
}

func (p *profileScreen) load() tea.Cmd {
	st, ctx, id := p.env.store, p.env.ctx, p.id
	return to(p.sid, func() tea.Msg {
		c, err := st.Customer(ctx, id)
		if err != nil {
			return profileMsg{id: id, err: err}
		}
		tl, err := st.Timeline(ctx, id, timelineLimit)
		if err != nil {
			return profileMsg{id: id, err: err}
		}
		sc, err := st.ScoreHistory(ctx, id, 60)
		return profileMsg{id: id, customer: c, timeline: tl, scores: sc, err: err}
	})
}

func (p *profileScreen) SetSize(w, h int) tea.Cmd {
	p.width, p.height = w, h
	p.input.Width = max(10, w-30)
	p.layoutViewport()
	p.render()
	return nil
}

// layoutViewport leaves the bottom line to the prompt while one is open.
func (p *profileScreen) layoutViewport() {
	h := p.height
	if p.asking != "" {
		h--
	}
	p.vp.Width, p.vp.Height = p.width, max(1, h)
}

func (p *profileScreen) Capturing() bool {
	return p.asking != ""
}

func (p *profileScreen) ask(what, prompt, placeholder string) tea.Cmd {
	p.asking = what
	p.input.Prompt = prompt
	p.setInputError("")
	p.input.Placeholder = placeholder
	p.input.SetValue("")
	p.layoutViewport()
	return p.input.Focus()
}

func (p *profileScreen) closePrompt() {
	p.asking, p.inputEr, p.sending = "", "", false
	p.input.Blur()
	p.layoutViewport()
}

// updatePrompt handles typing into the note or follow-up prompt.
func (p *profileScreen) updatePrompt(msg tea.KeyMsg) tea.Cmd {
	k := p.env.keys
	if p.sending {
		return nil // waiting for the store's answer
	}
	switch {
	case key.Matches(msg, k.InputCancel):
		p.closePrompt()
		return nil
	case key.Matches(msg, k.InputDone):
		v := strings.TrimSpace(p.input.Value())
		st, ctx, agent, id := p.env.store, p.env.ctx, p.env.agent, p.id
		switch p.asking {
		case "note":
			if v == "" {
				p.setInputError("a note needs some text")
				return nil
			}
			p.sending = true
			return to(p.sid, func() tea.Msg {
				_, err := st.AddNote(ctx, agent, model.Note{CustomerID: id, Body: v})
				return profileWrittenMsg{id: id, text: "note added", err: err, prompt: "note"}
			})
		case "tags":
			add, remove := parseTagEdits(v)
			if len(add)+len(remove) == 0 {
				p.setInputError("type +tag to add, -tag to remove")
				return nil
			}
			p.sending = true
			return to(p.sid, func() tea.Msg {
				// No version named: tag edits merge with others' (adding
				// A here and B elsewhere keeps both).
				_, err := st.UpdateCustomer(ctx, agent, id, model.CustomerPatch{AddTags: add, RemoveTags: remove}, 0)
				return profileWrittenMsg{id: id, text: "tags " + v, err: err, prompt: "tags"}
			})
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	p.setInputError("")
	if utf8.RuneCountInString(p.input.Value()) >= noteLimit {
		p.setInputError(fmt.Sprintf("a note holds %s characters at most: the rest was cut", thousands(noteLimit)))
	}
	return cmd
}

// setInputError shows why the typed value was refused, narrowing the
// input so the reason fits beside it.
func (p *profileScreen) setInputError(e string) {
	p.inputEr = e
	p.input.Width = max(10, p.width-30)
	if e != "" {
		p.input.Width = max(10, p.width-lipgloss.Width(e)-lipgloss.Width(p.input.Prompt)-4)
	}
}

// chooseLifecycle offers the seven stages with the customer's own
// selected; a change is confirmed first and names the version shown: if
// someone changed the customer meanwhile, the write is refused and the
// status bar says by whom.
func (p *profileScreen) chooseLifecycle() tea.Cmd {
	if p.customer == nil {
		return nil
	}
	c := *p.customer
	vals := enumStrings(model.Lifecycles)
	st, ctx, agent := p.env.store, p.env.ctx, p.env.agent
	submit := func(v string) tea.Cmd {
		next := model.Lifecycle(v)
		if next == c.Lifecycle {
			return func() tea.Msg { return statusMsg{text: "lifecycle unchanged (" + v + ")"} }
		}
		return to(p.sid, func() tea.Msg {
			_, err := st.UpdateCustomer(ctx, agent, c.ID, model.CustomerPatch{Lifecycle: &next}, c.Version)
			return profileWrittenMsg{id: c.ID, text: "lifecycle " + string(c.Lifecycle) + " → " + v, err: err}
		})
	}
	confirm := func(v string) string {
		if model.Lifecycle(v) == c.Lifecycle {
			return ""
		}
		return "Move " + model.CleanLine(c.Label()) + " from " + string(c.Lifecycle) + " to " + v + "?"
	}
	o := newChoiceOverlay(p.env, "Lifecycle · "+model.CleanLine(c.Label()), vals, vals, string(c.Lifecycle), submit, confirm)
	return p.open(o, nil)
}

func (p *profileScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, ok := p.updateMerge(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case profileMsg:
		if msg.id != p.id {
			return nil
		}
		p.loading = false
		p.err = msg.err
		if msg.err != nil {
			p.render()
			return nil
		}
		c := msg.customer
		p.customer, p.timeline, p.scores = &c, msg.timeline, msg.scores
		p.tsel = min(p.tsel, max(0, len(p.timeline)-1))
		p.render()
		// The Customers list shows the row as read now.
		return sendTo(customersID, customerReadMsg{customer: c})
	case profileWrittenMsg:
		if msg.id != p.id {
			return nil
		}
		if msg.prompt != "" && msg.prompt == p.asking && p.sending {
			p.sending = false
			if msg.err != nil {
				p.setInputError("not saved: " + strings.TrimPrefix(errText(msg.err), "invalid value: "))
				return nil
			}
			p.closePrompt()
		}
		status := statusMsg{text: msg.text}
		if msg.err != nil {
			status = statusMsg{text: errText(msg.err), err: true}
			if errors.Is(msg.err, model.ErrStale) {
				status.text += " — ctrl+r shows the current version"
			}
		}
		return tea.Batch(func() tea.Msg { return status }, p.load(), func() tea.Msg { return refreshStatsMsg{} })
	case categoriesMsg:
		return p.openFeedbackForm(msg)
	case customerSavedMsg:
		return p.saved(msg)
	case reopenEditMsg:
		return p.reopenEdit(msg)
	case tea.KeyMsg:
		if p.asking != "" {
			return p.updatePrompt(msg)
		}
		if cmd, ok := p.timelineKeys(msg); ok {
			return cmd
		}
		k := p.env.keys.Profile
		switch {
		case key.Matches(msg, k.Feedback):
			return p.startFeedback()
		case key.Matches(msg, k.FollowUp):
			return p.startFollowUp()
		case key.Matches(msg, k.Edit):
			return p.startEdit()
		case key.Matches(msg, k.Tags):
			return p.ask("tags", "tags: ", "+vip -trial (add with +, remove with -)")
		case key.Matches(msg, k.Note):
			return p.ask("note", "note: ", "what happened, what they said")
		case key.Matches(msg, k.Lifecycle):
			return p.chooseLifecycle()
		case key.Matches(msg, k.Back):
			return func() tea.Msg { return closeProfileMsg{} }
		case key.Matches(msg, k.Refresh):
			p.loading = true
			return p.load()
		}
	}
	return nil
}

func (p *profileScreen) View() string {
	if p.asking == "" {
		return p.vp.View()
	}
	line := p.input.View()
	if p.inputEr != "" {
		line += "  " + p.env.styles.Bad.Render(p.inputEr)
	}
	return p.vp.View() + "\n" + padRight(fit(line, p.width), p.width)
}

func (p *profileScreen) ShortHelp() []key.Binding {
	switch {
	case p.asking != "":
		return []key.Binding{p.env.keys.WhereDone, p.env.keys.WhereCancel}
	}
	k := p.env.keys.Profile
	return []key.Binding{timelineOpen, k.Feedback, k.Note, k.FollowUp, k.Tags, k.Edit, k.Lifecycle, k.Back}
}

func (p *profileScreen) FullHelp() [][]key.Binding {
	k := p.env.keys.Profile
	return [][]key.Binding{{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom, timelineOpen},
		{k.Feedback, k.Note, k.FollowUp, k.Tags, k.Edit, k.Lifecycle}, {mergeStart, k.Back, k.Refresh}}
}

// render lays the profile out for the current width into the viewport.
// It runs on load and resize only, never per frame.
func (p *profileScreen) render() {
	st := p.env.styles
	if p.width <= 0 {
		return
	}
	var content string
	switch {
	case p.err != nil:
		content = st.Bad.Render(fit("  "+errText(p.err), p.width))
	case p.customer == nil:
		content = st.Faint.Render("  loading…")
	default:
		content = p.layout()
	}
	y := p.vp.YOffset
	p.vp.SetContent(content)
	p.vp.SetYOffset(y)
}

func (p *profileScreen) layout() string {
	w := p.width
	header := p.header(w)
	attrs := p.attributes()
	sat := p.satisfaction()
	switch {
	case w >= 110:
		// Like a helpdesk's user page: who they are on the left, what
		// happened on the right, so the timeline starts above the fold.
		lw := 48
		left := lipgloss.NewStyle().Width(lw).Render(attrs + "\n\n" + sat)
		right := p.timelineView(w - lw - 2)
		p.tlTop = strings.Count(header, "\n") + 2
		return header + "\n\n" + lipgloss.JoinHorizontal(lipgloss.Top, left, "  ", right)
	case w >= 90:
		lw := min(48, w/2)
		left := lipgloss.NewStyle().Width(lw).Render(attrs)
		right := lipgloss.NewStyle().Width(w - lw - 2).Render(sat)
		above := header + "\n\n" + lipgloss.JoinHorizontal(lipgloss.Top, left, "  ", right) + "\n\n"
		p.tlTop = strings.Count(above, "\n")
		return above + p.timelineView(w)
	default:
		above := header + "\n\n" + attrs + "\n\n" + sat + "\n\n"
		p.tlTop = strings.Count(above, "\n")
		return above + p.timelineView(w)
	}
}

func (p *profileScreen) header(w int) string {
	st := p.env.styles
	c := p.customer
	parts := []string{st.Title.Render(model.CleanLine(c.Label()))}
	if c.Company != "" {
		parts = append(parts, model.CleanLine(c.Company))
	}
	parts = append(parts, st.Accent.Render(string(c.Lifecycle)))
	if c.LTV > 0 {
		parts = append(parts, "LTV "+money(c.LTV))
	}
	line := strings.Join(parts, st.Faint.Render(" · "))
	if len(c.Warnings) > 0 {
		line += "  " + st.Warn.Render("⚠ "+model.CleanLine(strings.Join(c.Warnings, ", ")))
	}
	out := fit(line, w)
	if len(c.Tags) > 0 {
		tags := make([]string, len(c.Tags))
		for i, t := range c.Tags {
			tags[i] = st.Tag.Render("#" + model.CleanLine(t))
		}
		out += "\n" + fit(strings.Join(tags, " "), w)
	}
	return out
}

func (p *profileScreen) attributes() string {
	st := p.env.styles
	c := p.customer
	now := p.env.now()
	rows := [][2]string{
		{"email", c.Email}, {"phone", c.Phone}, {"company", c.Company},
		{"plan", c.Plan}, {"region", joinNonEmpty(" / ", c.Region, c.City)},
		{"language", c.Language}, {"gender", c.Gender},
		{"lifecycle", string(c.Lifecycle)}, {"value (LTV)", fmt.Sprintf("%.2f", c.LTV)},
		{"customer since", c.CreatedAt.In(time.Local).Format("2006-01-02") + " (" + ago(c.CreatedAt, now) + ")"},
	}
	rows = append(rows, attrRows(c.Attrs, 12)...) // imported columns, cleaned and cut
	var b strings.Builder
	b.WriteString(st.Header.Render("Profile"))
	for _, r := range rows {
		if r[1] == "" {
			continue
		}
		b.WriteString("\n" + st.Label.Render(cell(r[0], 15)) + " " + model.CleanLine(r[1]))
	}
	return b.String()
}

func (p *profileScreen) satisfaction() string {
	st := p.env.styles
	c := p.customer
	now := p.env.now()
	csat := st.Faint.Render("no answers")
	if c.CSATAvg != nil {
		csat = scoreStyle(st, *c.CSATAvg, 3, 4).Render(fmt.Sprintf("%.2f", *c.CSATAvg)) +
			st.Faint.Render(" / 5 from "+plural(c.CSATN, "answer"))
	}
	nps := st.Faint.Render("no answers")
	if c.NPSLast != nil {
		nps = scoreStyle(st, float64(*c.NPSLast), 6, 9).Render(fmt.Sprint(*c.NPSLast)) + st.Faint.Render(" (last answer)")
	}
	var csatVals, npsVals []*float64
	for _, s := range p.scores {
		if s.CSAT != nil {
			v := float64(*s.CSAT)
			csatVals = append(csatVals, &v)
		}
		if s.NPS != nil {
			v := float64(*s.NPS)
			npsVals = append(npsVals, &v)
		}
	}
	last := "never"
	if c.LastContactAt != nil {
		last = c.LastContactAt.In(time.Local).Format("2006-01-02 15:04") + " (" + ago(*c.LastContactAt, now) + ")"
	}
	lines := []string{
		st.Header.Render("Satisfaction"),
		st.Label.Render(cell("CSAT", 15)) + " " + csat,
		st.Label.Render(cell("  trend", 15)) + " " + st.Accent.Render(sparkline(csatVals, 1, 5)),
		st.Label.Render(cell("NPS", 15)) + " " + nps,
		st.Label.Render(cell("  trend", 15)) + " " + st.Accent.Render(sparkline(npsVals, 0, 10)),
		st.Label.Render(cell("feedback", 15)) + " " + fmt.Sprint(c.FeedbackN),
		st.Label.Render(cell("open complaints", 15)) + " " + countStyled(st, c.ComplaintsOpen),
		st.Label.Render(cell("open follow-ups", 15)) + " " + countStyled(st, c.FollowupsOpen),
		st.Label.Render(cell("last contact", 15)) + " " + last,
	}
	return strings.Join(lines, "\n")
}

func scoreStyle(st Styles, v, bad, good float64) lipgloss.Style {
	switch {
	case v <= bad:
		return st.Bad
	case v >= good:
		return st.Good
	}
	return st.Value
}

func typeStyle(st Styles, t string) lipgloss.Style {
	switch t {
	case "feedback":
		return st.Accent
	case "followup":
		return st.Warn
	case "note":
		return st.Tag
	}
	return st.Faint
}

func countStyled(st Styles, n int) string {
	if n == 0 {
		return st.Faint.Render("0")
	}
	return st.Warn.Render(fmt.Sprint(n))
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

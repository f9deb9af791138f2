package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// itemScreen is the item view: what the customer said, in full. For a
// feedback item it shows the text wrapped to the width, the scores, the
// classification, the imported attributes, the follow-ups promised on it
// and its history; the Inbox's own actions (c, t, s, p, U) work on it,
// and n notes it. From a profile's timeline it also shows a note or a
// follow-up in full. It opens over the screen it came from; esc returns.
type itemScreen struct {
	sid screenID // where its answers are addressed (route.go)
	env *env
	typ string // feedback | note | followup
	id  int64

	width, height int
	vp            viewport.Model

	detail  *model.FeedbackDetail
	other   *model.TimelineItem
	loading bool
	err     error

	// acts is an Inbox holding only this item: its choosers, prompt and
	// forms classify it exactly as they classify a row of the Inbox.
	acts *inboxScreen
	note prompt // n: a note on the item
}

type (
	// openItemMsg opens the item view: typ is feedback, note or followup.
	openItemMsg struct {
		typ string
		id  int64
	}
	closeItemMsg    struct{}
	itemCustomerMsg struct{ id int64 } // o: leave the item for the customer's profile
	itemLoadedMsg   struct {
		typ    string
		id     int64
		detail model.FeedbackDetail
		other  model.TimelineItem
		err    error
	}
	// itemChangedMsg says a write from the item view changed it: the
	// lists that show it read it again.
	itemChangedMsg struct{}
	// itemNotedMsg reports a note written from the item view.
	itemNotedMsg struct {
		id  int64
		err error
	}
)

// itemStore is what the item view needs from the store.
type itemStore interface {
	FeedbackDetail(ctx context.Context, id int64) (model.FeedbackDetail, error)
	TimelineItem(ctx context.Context, typ string, id int64) (model.TimelineItem, error)
	AddFeedbackNote(ctx context.Context, agent string, feedbackID int64, body string) (model.Note, error)
}

// itemOpenCustomer opens the customer of an item (Inbox and item view).
var itemOpenCustomer = key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open customer"))

// newItemScreen opens an item as screen sid; its one-row Inbox answers
// to the same id.
func newItemScreen(e *env, sid screenID, typ string, id int64) *itemScreen {
	v := &itemScreen{sid: sid, env: e, typ: typ, id: id, vp: viewport.New(0, 0), loading: true,
		acts: newInboxScreen(e), note: newPrompt(e)}
	v.acts.sid = sid
	v.note.input.CharLimit = 0 // a note may be long; the store keeps all of it
	return v
}

func (v *itemScreen) load() tea.Cmd {
	st, ctx, typ, id := v.env.store, v.env.ctx, v.typ, v.id
	return to(v.sid, func() tea.Msg {
		if typ == "feedback" {
			d, err := st.FeedbackDetail(ctx, id)
			return itemLoadedMsg{typ: typ, id: id, detail: d, err: err}
		}
		it, err := st.TimelineItem(ctx, typ, id)
		return itemLoadedMsg{typ: typ, id: id, other: it, err: err}
	})
}

func (v *itemScreen) SetSize(w, h int) tea.Cmd {
	v.width, v.height = w, h
	v.acts.width, v.acts.height = w, h
	v.render()
	return nil
}

func (v *itemScreen) Capturing() bool { return v.note.active() || v.acts.Capturing() }

// feedback is the item's feedback, when it is one and has loaded.
func (v *itemScreen) feedback() (model.Feedback, bool) {
	if v.detail == nil {
		return model.Feedback{}, false
	}
	return v.detail.Feedback, true
}

func (v *itemScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case itemLoadedMsg:
		if msg.typ != v.typ || msg.id != v.id {
			return nil
		}
		v.loading, v.err = false, msg.err
		if msg.err == nil {
			if v.typ == "feedback" {
				d := msg.detail
				v.detail = &d
				v.acts.rows, v.acts.sel = []model.Feedback{d.Feedback}, 0
			} else {
				o := msg.other
				v.other = &o
			}
		}
		v.render()
		return nil
	case bulkDoneMsg:
		status := statusMsg{text: fmt.Sprintf("%s: %d changed", msg.what, msg.res.Changed)}
		if msg.res.Unchanged > 0 {
			status.text += fmt.Sprintf(", %d already so", msg.res.Unchanged)
		}
		if msg.err != nil {
			status = statusMsg{text: "not changed: " + errText(msg.err), err: true}
		}
		return tea.Batch(func() tea.Msg { return status }, v.load(),
			func() tea.Msg { return refreshStatsMsg{} }, func() tea.Msg { return itemChangedMsg{} })
	case itemNotedMsg:
		if msg.err != nil {
			return func() tea.Msg { return statusMsg{text: "note not saved: " + errText(msg.err), err: true} }
		}
		return tea.Batch(func() tea.Msg { return statusMsg{text: "note added"} }, v.load(),
			func() tea.Msg { return itemChangedMsg{} })
	case tea.KeyMsg:
		switch {
		case v.note.active():
			return v.note.Update(msg)
		case v.acts.Capturing():
			return v.acts.Update(msg)
		}
		return v.keys(msg)
	}
	// The choosers' own messages: the categories for c, the form's
	// focus and validation.
	return v.acts.Update(msg)
}

func (v *itemScreen) keys(msg tea.KeyMsg) tea.Cmd {
	k := v.env.keys
	switch {
	case key.Matches(msg, k.Profile.Back):
		return func() tea.Msg { return closeItemMsg{} }
	case key.Matches(msg, k.Profile.Down):
		v.vp.ScrollDown(1)
	case key.Matches(msg, k.Profile.Up):
		v.vp.ScrollUp(1)
	case key.Matches(msg, k.Profile.PageDown):
		v.vp.HalfPageDown()
	case key.Matches(msg, k.Profile.PageUp):
		v.vp.HalfPageUp()
	case key.Matches(msg, k.Profile.Top):
		v.vp.GotoTop()
	case key.Matches(msg, k.Profile.Bottom):
		v.vp.GotoBottom()
	case key.Matches(msg, k.Profile.Refresh):
		return v.load()
	case key.Matches(msg, itemOpenCustomer):
		if id := v.customerID(); id > 0 {
			return func() tea.Msg { return itemCustomerMsg{id: id} }
		}
	}
	if _, ok := v.feedback(); !ok {
		return nil
	}
	// The Inbox's actions, on this item.
	switch {
	case key.Matches(msg, k.Inbox.SetStatus):
		return v.acts.chooseStatus()
	case key.Matches(msg, k.Inbox.SetPriority):
		return v.acts.choosePriority()
	case key.Matches(msg, k.Inbox.SetCategory):
		v.acts.wantCats = true
		return loadCategories(v.env)
	case key.Matches(msg, k.Inbox.SetTags):
		return v.acts.prompt.open("tags: ", "+billing -spam (add with +, remove with -)", v.acts.editTags)
	case key.Matches(msg, k.Inbox.FollowUp):
		return v.acts.followUpOn()
	case key.Matches(msg, k.Profile.Note):
		return v.note.open("note: ", "what they said, what was done", v.addNote)
	}
	return nil
}

// addNote writes the note on the item: the customer's note and a line of
// the item's history.
func (v *itemScreen) addNote(text string) (tea.Cmd, error) {
	if text == "" {
		return nil, fmt.Errorf("a note needs some text")
	}
	st, ctx, agent, id := v.env.store, v.env.ctx, v.env.agent, v.id
	return to(v.sid, func() tea.Msg {
		_, err := st.AddFeedbackNote(ctx, agent, id, text)
		return itemNotedMsg{id: id, err: err}
	}), nil
}

func (v *itemScreen) customerID() int64 {
	switch {
	case v.detail != nil:
		return v.detail.Feedback.CustomerID
	case v.other != nil && v.other.Note != nil:
		return v.other.Note.CustomerID
	case v.other != nil && v.other.FollowUp != nil:
		return v.other.FollowUp.CustomerID
	}
	return 0
}

func (v *itemScreen) View() string {
	h := v.height - 1
	var bottom string
	switch {
	case v.note.active():
		bottom = v.note.View(v.width)
	case v.acts.prompt.active():
		bottom = v.acts.prompt.View(v.width)
	}
	if bottom != "" {
		h--
	}
	v.vp.Height = max(1, h)
	out := v.titleBar() + "\n" + v.vp.View()
	if bottom != "" {
		out += "\n" + bottom
	}
	return out
}

// titleBar names the item and says where the view is scrolled to.
func (v *itemScreen) titleBar() string {
	st := v.env.styles
	name := map[string]string{"feedback": "Feedback", "note": "Note", "followup": "Follow-up"}[v.typ]
	left := st.Title.Render(fmt.Sprintf("%s #%d", name, v.id))
	if f, ok := v.feedback(); ok {
		left += st.Faint.Render(" · ") + model.CleanLine(f.CustomerLabel)
	}
	pos := ""
	if total := v.vp.TotalLineCount(); total > v.vp.Height {
		pos = st.Faint.Render(fmt.Sprintf("lines %d–%d of %d", v.vp.YOffset+1, min(total, v.vp.YOffset+v.vp.Height), total))
	}
	room := v.width - lipgloss.Width(pos) - 1
	if pos == "" || room < 10 {
		return padRight(left, v.width)
	}
	return padRight(left, room) + " " + pos
}

func (v *itemScreen) ShortHelp() []key.Binding {
	k := v.env.keys
	switch {
	case v.note.active():
		return v.note.ShortHelp()
	case v.acts.prompt.active():
		return v.acts.prompt.ShortHelp()
	case v.typ != "feedback":
		return []key.Binding{k.Profile.Down, k.Profile.Up, itemOpenCustomer, k.Profile.Back}
	}
	return []key.Binding{k.Inbox.SetCategory, k.Inbox.SetStatus, k.Inbox.SetPriority, k.Inbox.SetTags,
		k.Inbox.FollowUp, k.Profile.Note, itemOpenCustomer, k.Profile.Back}
}

func (v *itemScreen) FullHelp() [][]key.Binding {
	k := v.env.keys
	groups := [][]key.Binding{{k.Profile.Down, k.Profile.Up, k.Profile.PageDown, k.Profile.PageUp, k.Profile.Top, k.Profile.Bottom}}
	if v.typ == "feedback" {
		groups = append(groups, []key.Binding{k.Inbox.SetCategory, k.Inbox.SetStatus, k.Inbox.SetPriority,
			k.Inbox.SetTags, k.Inbox.FollowUp, k.Profile.Note})
	}
	return append(groups, []key.Binding{itemOpenCustomer, k.Profile.Refresh, k.Profile.Back})
}

// render lays the item out for the width into the viewport; it runs on
// load and resize, never per frame.
func (v *itemScreen) render() {
	if v.width <= 0 {
		return
	}
	st := v.env.styles
	var content string
	switch {
	case v.err != nil:
		content = st.Bad.Render(fit("  "+errText(v.err), v.width))
	case v.detail != nil:
		content = v.feedbackView(v.width)
	case v.other != nil:
		content = v.otherView(v.width)
	default:
		content = st.Faint.Render("  loading…")
	}
	y := v.vp.YOffset
	v.vp.Width = v.width
	v.vp.SetContent(content)
	v.vp.SetYOffset(y)
}

func (v *itemScreen) feedbackView(w int) string {
	st := v.env.styles
	d := v.detail
	f := d.Feedback
	now := v.env.now()
	var b []string
	subject := f.Subject
	if strings.TrimSpace(subject) == "" {
		subject = "(no subject)"
	}
	for _, l := range wrapText(subject, w) {
		b = append(b, st.Title.Render(l))
	}

	csat := st.Faint.Render("–")
	if f.CSAT != nil {
		csat = scoreStyle(st, float64(*f.CSAT), 3, 4).Render(fmt.Sprintf("%d / 5", *f.CSAT))
	}
	if raw := strings.TrimSpace(f.CSATRaw); raw != "" && (f.CSAT == nil || raw != strconv.Itoa(*f.CSAT)) {
		csat += st.Faint.Render(" (answered “" + model.CleanLine(raw) + "”)")
	}
	nps := st.Faint.Render("–")
	if f.NPS != nil {
		nps = scoreStyle(st, float64(*f.NPS), 6, 9).Render(fmt.Sprintf("%d / 10", *f.NPS))
	}
	category := st.Faint.Render("unclassified")
	if f.Category != "" {
		category = model.CleanLine(f.Category)
	}
	tags := st.Faint.Render("–")
	if len(f.Tags) > 0 {
		ts := make([]string, len(f.Tags))
		for i, t := range f.Tags {
			ts[i] = st.Tag.Render("#" + model.CleanLine(t))
		}
		tags = strings.Join(ts, " ")
	}
	resolved := st.Faint.Render("–")
	if f.ResolvedAt != nil {
		resolved = stamp(*f.ResolvedAt, now)
	}
	source := f.Source
	if f.ExternalID != "" {
		source += " #" + f.ExternalID
	}
	rows := [][2]string{
		{"customer", model.CleanLine(f.CustomerLabel)},
		{"CSAT", csat}, {"NPS", nps},
		{"category", category}, {"tags", tags},
		{"status", string(f.Status)}, {"priority", string(f.Priority)},
		{"kind", string(f.Kind)}, {"channel", orDash(model.CleanLine(f.Channel))},
		{"agent", orDash(model.CleanLine(f.Agent))},
		{"created", stamp(f.CreatedAt, now)}, {"resolved", resolved},
		{"source", model.CleanLine(source)},
	}
	// What they said comes first, under a one-line summary; the details
	// follow.
	meta := []string{model.CleanLine(f.CustomerLabel), string(f.Kind), string(f.Status), string(f.Priority)}
	if f.Channel != "" {
		meta = append(meta, model.CleanLine(f.Channel))
	}
	if f.CSAT != nil {
		meta = append(meta, fmt.Sprintf("CSAT %d", *f.CSAT))
	}
	if f.NPS != nil {
		meta = append(meta, fmt.Sprintf("NPS %d", *f.NPS))
	}
	b = append(b, fit(st.Faint.Render(strings.Join(meta, " · ")), w), "", st.Header.Render("What they said"))
	if strings.TrimSpace(f.Body) == "" {
		b = append(b, st.Faint.Render("  (no text)"))
	} else {
		b = append(b, wrapText(f.Body, w)...)
	}
	b = append(b, "", st.Header.Render("Details"))
	for _, r := range rows {
		b = append(b, fit(st.Label.Render(cell(r[0], 10))+" "+r[1], w))
	}

	if len(f.Attrs) > 0 {
		b = append(b, "", st.Header.Render(fmt.Sprintf("Attributes (%d)", len(f.Attrs))))
		b = append(b, attrBlock(st, f.Attrs, w)...)
	}

	b = append(b, "", st.Header.Render(fmt.Sprintf("Follow-ups (%d)", len(d.FollowUps))))
	if len(d.FollowUps) == 0 {
		b = append(b, st.Faint.Render(fit("  none — U promises one", w)))
	}
	for _, u := range d.FollowUps {
		b = append(b, followUpLines(st, u, now, w)...)
	}
	b = append(b, "", st.Header.Render(fmt.Sprintf("History (%d)", len(d.History))))
	b = append(b, historyLines(st, d.History, now, w)...)
	return strings.Join(b, "\n")
}

func (v *itemScreen) otherView(w int) string {
	st := v.env.styles
	it := v.other
	now := v.env.now()
	var b []string
	switch {
	case it.Note != nil:
		n := it.Note
		b = append(b, fit(st.Label.Render(cell("by", 10))+" "+orDash(model.CleanLine(n.Agent)), w),
			fit(st.Label.Render(cell("written", 10))+" "+stamp(n.CreatedAt, now), w), "")
		b = append(b, wrapText(n.Body, w)...)
	case it.FollowUp != nil:
		u := it.FollowUp
		done := st.Faint.Render("–")
		if u.DoneAt != nil {
			done = stamp(*u.DoneAt, now)
		}
		rows := [][2]string{
			{"customer", model.CleanLine(u.CustomerLabel)}, {"due", stamp(u.Due, now)},
			{"status", string(u.Status)}, {"assignee", orDash(model.CleanLine(u.Assignee))},
			{"made by", orDash(model.CleanLine(u.CreatedBy))}, {"made", stamp(u.CreatedAt, now)},
			{"done", done},
		}
		if u.Campaign != "" {
			rows = append(rows, [2]string{"campaign", model.CleanLine(u.Campaign)})
		}
		if u.FeedbackID != nil {
			rows = append(rows, [2]string{"on item", fmt.Sprintf("feedback #%d", *u.FeedbackID)})
		}
		for _, r := range rows {
			b = append(b, fit(st.Label.Render(cell(r[0], 10))+" "+r[1], w))
		}
		b = append(b, "")
		if strings.TrimSpace(u.Note) == "" {
			b = append(b, st.Faint.Render("  (no note)"))
		} else {
			b = append(b, wrapText(u.Note, w)...)
		}
	}
	b = append(b, "", st.Header.Render(fmt.Sprintf("History (%d)", len(it.History))))
	b = append(b, historyLines(st, it.History, now, w)...)
	return strings.Join(b, "\n")
}

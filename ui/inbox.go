package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// inboxScreen lists feedback newest first, filtered by status and kind,
// with a preview of the selected item. It is a window onto the feedback
// table, like the Customers screen.
type inboxScreen struct {
	sid           screenID // where its answers are addressed (route.go)
	env           *env
	width, height int

	status model.Status // "" = any
	kind   model.Kind   // "" = any
	filter inboxFilter  // F: category:, tag:, channel:, agent: and words

	searchIn  textinput.Model
	searching bool

	picked   selection[model.Feedback]
	prompt   prompt
	picker   *customerPicker  // a: whose feedback to log (on the overlay stack while open)
	cats     *categoryManager // C: the taxonomy (on the overlay stack while open)
	pending  *feedbackDraft   // waiting for categories to open the form
	wantCats bool             // c is waiting for categories to open its chooser
	rules    []model.Rule     // keyword rules, for suggestions

	// Saved views (inbox_views.go): the V list, the views it shows, and
	// the view applied last with its filters.
	views      *listPicker
	savedViews []model.SavedView
	view       string
	viewAt     model.ViewFilters

	window[model.Feedback]
}

// inboxDefaultStatus is the Inbox's own filter: open items (unclassified
// first); esc comes back to it.
const inboxDefaultStatus = model.StatusOpen

// inboxCountCap keeps counting five million items cheap: "1–20 of 100,000+".
const inboxCountCap = 100000

func newInboxScreen(e *env) *inboxScreen {
	in := lineInput(e, "/ ", "words in subject or text (Chinese too)", 200)
	return &inboxScreen{sid: inboxID, env: e, status: inboxDefaultStatus, window: newWindow[model.Feedback](),
		searchIn: in, prompt: newPrompt(e)}
}

// previewHeight is how many lines the preview of the selected item takes.
func (s *inboxScreen) previewHeight() int {
	if s.height < 16 {
		return 0
	}
	return min(8, s.height/3)
}

func (s *inboxScreen) pageSize() int { return max(1, s.height-2-s.previewHeight()) }

func (s *inboxScreen) SetSize(w, h int) tea.Cmd {
	old := s.pageSize()
	s.width, s.height = w, h
	if len(s.rows) == 0 && !s.loading && s.gen == 0 {
		return nil // loads when first shown
	}
	return s.refit(old, s.pageSize(), s.fetch)
}

// Shown is called when the tab comes into view: the first visit loads.
func (s *inboxScreen) Shown() tea.Cmd {
	if s.gen == 0 {
		return tea.Batch(s.reload(), s.loadRules())
	}
	return s.loadRules()
}

func (s *inboxScreen) query() model.FeedbackQuery {
	q := model.FeedbackQuery{Status: s.status, Kind: s.kind}
	s.filter.apply(&q)
	// Triage order (open and unclassified first) while nothing narrower
	// was asked for.
	q.Triage = s.status == model.StatusOpen && s.filter.empty()
	return q
}

func (s *inboxScreen) reload() tea.Cmd {
	s.gen++
	s.qgen++
	s.totalKnown, s.err, s.sel = false, nil, 0
	return tea.Batch(s.fetch(opFirst, s.pageSize()), s.count())
}

func (s *inboxScreen) fetch(op pageOp, k int) tea.Cmd {
	q := s.query()
	q.Limit = k
	q.After, q.Before, q.Last = s.pageCursor(op)
	s.loading = true
	gen, st, ctx := s.gen, s.env.store, s.env.ctx
	return to(s.sid, func() tea.Msg {
		page, err := st.FeedbackPage(ctx, q)
		return pageMsg[model.Feedback]{gen: gen, op: op, rows: page.Rows, cursors: page.Cursors, more: page.HasMore, err: err}
	})
}

func (s *inboxScreen) count() tea.Cmd {
	q, gen, st, ctx := s.query(), s.qgen, s.env.store, s.env.ctx
	return to(s.sid, func() tea.Msg {
		n, capped, err := st.CountFeedback(ctx, q, inboxCountCap)
		return countMsg[model.Feedback]{gen: gen, n: n, capped: capped, err: err}
	})
}

func (s *inboxScreen) Capturing() bool {
	return s.searching || s.prompt.active()
}

func (s *inboxScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pageMsg[model.Feedback]:
		s.take(msg, s.pageSize())
	case countMsg[model.Feedback]:
		s.takeCount(msg)
	case bulkDoneMsg:
		s.prompt.settle(msg.err)
		return s.bulkDone(msg)
	case rulesMsg:
		if msg.err == nil {
			s.rules = msg.rules
		}
	case pickedMsg:
		return s.logFor(msg.customer)
	case viewListMsg, viewSavedMsg, viewDeletedMsg:
		return s.updateViews(msg)
	case categoryChangedMsg: // the manager closed before the store answered
		return msg.report()
	case categoriesMsg:
		if s.pending != nil {
			d := s.pending
			s.pending = nil
			o, init := feedbackForm(s.env, d, msg.paths)
			return s.open(o, init)
		}
		if s.wantCats {
			s.wantCats = false
			return s.chooseCategory(msg)
		}
	case tea.KeyMsg:
		switch {
		case s.prompt.active():
			return s.prompt.Update(msg)
		case s.searching:
			return s.updateSearch(msg)
		}
		return s.updateKeys(msg)
	}
	return nil
}

// open puts a form on the overlay stack over this screen (or over the
// item view whose one-row Inbox this is).
func (s *inboxScreen) open(o *formOverlay, init tea.Cmd) tea.Cmd {
	s.env.layers.push(s.sid, o)
	return init
}

// form is the form open over the screen, or nil.
func (s *inboxScreen) form() *formOverlay { return s.env.layers.formOf(s.sid) }

// updateSearch filters as the agent types, like the Customers search.
func (s *inboxScreen) updateSearch(msg tea.KeyMsg) tea.Cmd {
	k := s.env.keys
	switch {
	case key.Matches(msg, k.InputDone):
		s.searching = false
		s.searchIn.Blur()
		return nil
	case key.Matches(msg, k.InputCancel):
		s.searching = false
		s.searchIn.Blur()
		s.searchIn.SetValue("")
		if s.filter.search != "" {
			s.filter.search = ""
			return s.reload()
		}
		return nil
	}
	var cmd tea.Cmd
	s.searchIn, cmd = s.searchIn.Update(msg)
	if v := strings.TrimSpace(s.searchIn.Value()); v != s.filter.search {
		s.filter.search = v
		return tea.Batch(cmd, s.reload())
	}
	return cmd
}

func (s *inboxScreen) updateKeys(msg tea.KeyMsg) tea.Cmd {
	k := s.env.keys
	if cmd, ok := s.navigate(msg, k.List, s.pageSize(), s.fetch); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Inbox.Status):
		s.status = cycle(model.Statuses, s.status)
		return s.reload()
	case key.Matches(msg, k.Inbox.Kind):
		s.kind = cycle(model.Kinds, s.kind)
		return s.reload()
	case key.Matches(msg, k.List.Search):
		s.searching = true
		s.searchIn.SetValue(s.filter.search)
		s.searchIn.CursorEnd()
		return s.searchIn.Focus()
	case key.Matches(msg, k.Inbox.Filter):
		cmd := s.prompt.open("filter: ", "category:Billing tag:vip channel:email agent:li.na", func(v string) (tea.Cmd, error) {
			f, err := parseInboxFilter(v)
			if err != nil {
				return nil, err
			}
			f.search = s.filter.search
			s.filter = f
			return s.reload(), nil
		})
		s.prompt.input.SetValue(s.filter.String())
		s.prompt.input.CursorEnd()
		return cmd
	case key.Matches(msg, k.Select.Toggle):
		if f, ok := s.selected(); ok {
			s.picked.toggle(f.ID, f)
			s.navigate(tea.KeyMsg{Type: tea.KeyDown}, k.List, s.pageSize(), s.fetch)
		}
	case key.Matches(msg, k.Select.All):
		ids := make([]int64, len(s.rows))
		for i, f := range s.rows {
			ids[i] = f.ID
		}
		s.picked.pickAll(ids, s.rows)
	case key.Matches(msg, k.Inbox.SetStatus):
		return s.chooseStatus()
	case key.Matches(msg, k.Inbox.SetPriority):
		return s.choosePriority()
	case key.Matches(msg, k.Inbox.SetCategory):
		if len(s.targets()) > 0 {
			s.wantCats = true
			return loadCategories(s.env)
		}
	case key.Matches(msg, k.Inbox.SetTags):
		if len(s.targets()) > 0 {
			return s.prompt.openWaiting("tags: ", "+billing -spam (add with +, remove with -)", s.editTags)
		}
	case key.Matches(msg, k.Inbox.Accept):
		return s.acceptSuggestion()
	case key.Matches(msg, k.Inbox.Add):
		return s.pickCustomer()
	case key.Matches(msg, k.Inbox.FollowUp):
		return s.followUpOn()
	case key.Matches(msg, k.Inbox.Categories):
		return s.manageCategories()
	case key.Matches(msg, viewPick):
		return s.pickView()
	case key.Matches(msg, viewSave):
		return s.saveView()
	case key.Matches(msg, k.List.Back):
		switch {
		case s.picked.len() > 0:
			s.picked.clear()
		case s.status != inboxDefaultStatus || s.kind != "" || !s.filter.empty():
			// back to what the Inbox opens with, not to "any"
			s.status, s.kind, s.filter = inboxDefaultStatus, "", inboxFilter{}
			s.searchIn.SetValue("")
			return tea.Batch(s.reload(), func() tea.Msg { return statusMsg{text: "Inbox filters back to the default: open"} })
		}
	case key.Matches(msg, k.Customers.Refresh):
		return s.reload()
	case key.Matches(msg, k.List.Open):
		if f, ok := s.selected(); ok {
			return func() tea.Msg { return openItemMsg{typ: "feedback", id: f.ID} }
		}
	case key.Matches(msg, itemOpenCustomer):
		if f, ok := s.selected(); ok {
			return func() tea.Msg { return openProfileMsg{id: f.CustomerID} }
		}
	}
	return nil
}

// cycle steps through "" (any) and each value in turn.
func cycle[T comparable](all []T, cur T) T {
	var zero T
	if cur == zero {
		return all[0]
	}
	for i, v := range all {
		if v == cur && i+1 < len(all) {
			return all[i+1]
		}
	}
	return zero
}

func (s *inboxScreen) ShortHelp() []key.Binding {
	k := s.env.keys
	switch {
	case s.prompt.active():
		return s.prompt.ShortHelp()
	case s.searching:
		return []key.Binding{k.InputDone, k.InputCancel}
	}
	return []key.Binding{k.Select.Toggle, k.Inbox.SetCategory, k.Inbox.SetTags, k.Inbox.SetStatus, k.Inbox.SetPriority,
		k.Inbox.Undo, k.Inbox.Accept, k.List.Search, k.Inbox.Add}
}

func (s *inboxScreen) FullHelp() [][]key.Binding {
	k := s.env.keys
	return [][]key.Binding{
		{k.List.Down, k.List.Up, k.List.PageDown, k.List.PageUp, k.List.Top, k.List.Bottom},
		{k.List.Search, k.Inbox.Status, k.Inbox.Kind, k.Inbox.Filter, k.List.Back, k.Customers.Refresh, viewPick, viewSave},
		{k.Select.Toggle, k.Select.All, k.Inbox.SetCategory, k.Inbox.SetTags, k.Inbox.SetStatus, k.Inbox.SetPriority},
		{k.Inbox.Undo, k.Inbox.Accept, k.Inbox.Add, k.Inbox.FollowUp, k.Inbox.Categories, k.List.Open, itemOpenCustomer},
	}
}

func (s *inboxScreen) View() string {
	switch {
	}
	st := s.env.styles
	var b strings.Builder
	filters := []string{st.Title.Render("Inbox")}
	if v := s.viewName(); v != "" {
		filters = append(filters, st.Accent.Render("view: "+model.CleanLine(v)))
	}
	filters = append(filters, st.Label.Render("status: ")+orAny(string(s.status)))
	filters = append(filters, st.Label.Render("kind: ")+orAny(string(s.kind)))
	if f := s.filter.String(); f != "" {
		filters = append(filters, st.Accent.Render(model.CleanLine(f)))
	}
	if s.filter.search != "" && !s.searching {
		filters = append(filters, st.Label.Render("/ ")+model.CleanLine(s.filter.search))
	}
	pos := st.Faint.Render(s.position("nothing here"))
	if n := s.picked.len(); n > 0 {
		pos = st.Accent.Render(thousands(n)+" selected") + st.Faint.Render(" · ") + pos
	}
	left := strings.Join(filters, "  ")
	room := s.width - lipgloss.Width(pos) - 1
	if room >= 10 {
		b.WriteString(padRight(left, room) + " " + pos)
	} else {
		b.WriteString(padRight(left, s.width))
	}
	b.WriteByte('\n')

	cols := inboxColumns(s.width)
	hdr := make([]string, len(cols))
	for i, c := range cols {
		hdr[i] = cell(c.title, c.width)
	}
	b.WriteString(st.Header.Render(padRight("  "+strings.Join(hdr, " "), s.width)))
	n := s.pageSize()
	now := s.env.now()
	for i := 0; i < n; i++ {
		b.WriteByte('\n')
		if i >= len(s.rows) {
			if i == 0 {
				switch {
				case s.err != nil:
					b.WriteString(st.Bad.Render(fit("  "+errText(s.err), s.width)))
				case s.loading:
					b.WriteString(st.Faint.Render("  loading…"))
				default:
					b.WriteString(st.Faint.Render(fit("  no feedback matches — esc shows everything", s.width)))
				}
			}
			continue
		}
		f := &s.rows[i]
		parts := make([]string, len(cols))
		for j, c := range cols {
			parts[j] = cell(c.value(f, now), c.width)
		}
		mark := " "
		if s.picked.has(f.ID) {
			mark = "●"
		}
		line := mark + strings.Join(parts, " ")
		if i == s.sel {
			b.WriteString(st.RowSel.Render(padRight("›"+line, s.width)))
		} else {
			b.WriteString(padRight(" "+line, s.width))
		}
	}
	if ph := s.previewHeight(); ph > 0 {
		b.WriteByte('\n')
		b.WriteString(s.preview(ph))
	}
	out := b.String()
	switch {
	case s.prompt.active():
		out = out[:strings.LastIndex(out, "\n")+1] + s.prompt.View(s.width)
	case s.searching:
		out = out[:strings.LastIndex(out, "\n")+1] + padRight(fit(s.searchIn.View(), s.width), s.width)
	}
	return out
}

// preview shows the selected item's subject, scores, tags and text.
func (s *inboxScreen) preview(h int) string {
	st := s.env.styles
	f, ok := s.selected()
	lines := []string{st.Faint.Render(strings.Repeat("─", s.width))}
	if ok {
		head := st.Title.Render(model.CleanLine(f.Subject))
		meta := []string{model.CleanLine(f.CustomerLabel), model.CleanLine(f.Channel), string(f.Kind), string(f.Status), string(f.Priority)}
		if f.Category != "" {
			meta = append(meta, model.CleanLine(f.Category))
		}
		for _, t := range f.Tags {
			meta = append(meta, st.Tag.Render("#"+model.CleanLine(t)))
		}
		lines = append(lines, fit(head, s.width), fit(st.Faint.Render(joinNonEmpty(" · ", meta...)), s.width))
		lines = append(lines, attrLines(st, f.Attrs, s.width, 2)...) // the ticket's imported columns
		if sg, ok := s.suggestion(f); ok {
			lines = append(lines, fit(st.Accent.Render("rule suggests: "+model.CleanLine(suggestionText(sg)))+st.Faint.Render("  — y accepts"), s.width))
		}
		for _, l := range strings.Split(model.CleanText(f.Body), "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, fit(l, s.width))
			}
		}
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

type inboxColumn struct {
	title string
	width int
	value func(f *model.Feedback, now time.Time) string
}

// inboxColumns fits the columns to the width: the subject takes what is
// left; narrow terminals lose the less important columns.
func inboxColumns(w int) []inboxColumn {
	score := func(v *int) string {
		if v == nil {
			return "–"
		}
		return fmt.Sprint(*v)
	}
	all := []inboxColumn{
		{"When", 10, func(f *model.Feedback, now time.Time) string { return ago(f.CreatedAt, now) }},
		{"Customer", 16, func(f *model.Feedback, _ time.Time) string { return f.CustomerLabel }},
		{"Kind", 9, func(f *model.Feedback, _ time.Time) string { return string(f.Kind) }},
		{"Status", 8, func(f *model.Feedback, _ time.Time) string { return string(f.Status) }},
		{"Channel", 7, func(f *model.Feedback, _ time.Time) string { return f.Channel }},
		{"Pri", 6, func(f *model.Feedback, _ time.Time) string { return string(f.Priority) }},
		{"CSAT", 4, func(f *model.Feedback, _ time.Time) string { return score(f.CSAT) }},
		{"NPS", 3, func(f *model.Feedback, _ time.Time) string { return score(f.NPS) }},
		{"Category", 16, func(f *model.Feedback, _ time.Time) string { return f.Category }},
	}
	subject := inboxColumn{"Subject", 0, func(f *model.Feedback, _ time.Time) string {
		if f.Subject != "" {
			return f.Subject
		}
		return f.Body
	}}
	// drop from the right until the subject gets at least 16 cells
	for len(all) > 2 {
		used := 2
		for _, c := range all {
			used += c.width + 1
		}
		if w-used >= 16 {
			subject.width = w - used
			break
		}
		all = all[:len(all)-1]
	}
	if subject.width == 0 {
		subject.width = max(1, w-2-(all[0].width+1)-(all[1].width+1))
	}
	// A wide terminal widens the customer, category and channel columns
	// to their usual longest values; the subject keeps the rest (and the
	// most).
	grow := map[string]int{"Customer": 10, "Category": 12, "Channel": 2}
	for i := range all {
		if g := min(grow[all[i].title], subject.width-72); g > 0 {
			all[i].width += g
			subject.width -= g
		}
	}
	return append(all, subject)
}

func orAny(s string) string {
	if s == "" {
		return "any"
	}
	return s
}

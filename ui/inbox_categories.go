package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// categoryManager is the taxonomy view of the Inbox (C): the two-level
// categories, parents with their children indented under them; a adds
// ("Parent/Child" or "Parent"), d removes after a confirmation naming
// it, esc goes back. The store refuses a category still in use, and the
// reason shows here.
type categoryManager struct {
	env     *env
	rows    []model.Category // parents, each followed by its children
	sel     int
	loading bool
	err     string
	prompt  prompt
	confirm *model.Category // waiting for y
}

// categoryListMsg carries the taxonomy to the manager.
type categoryListMsg struct {
	cats []model.Category
	path string // the category to put the cursor on
	err  error
}

// categoryChangedMsg reports an add or remove.
type categoryChangedMsg struct {
	text string
	path string // the category to put the cursor on
	err  error
}

var (
	catAdd    = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add"))
	catRemove = key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d", "remove"))
	catYes    = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "remove"))
	catNo     = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "keep"))
	catMove   = key.NewBinding(key.WithKeys("up", "down", "k", "j"), key.WithHelp("↑/↓", "move"))
	catClose  = key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back"))
)

func newCategoryManager(e *env) (*categoryManager, tea.Cmd) {
	m := &categoryManager{env: e, prompt: newPrompt(e), loading: true}
	return m, m.load("")
}

func (m *categoryManager) load(path string) tea.Cmd {
	st, ctx := m.env.store, m.env.ctx
	return func() tea.Msg {
		cs, err := st.Categories(ctx)
		return categoryListMsg{cats: cs, path: path, err: err}
	}
}

// take orders the taxonomy as a tree and keeps the cursor on path.
func (m *categoryManager) take(msg categoryListMsg) {
	m.loading = false
	if msg.err != nil {
		m.err = errText(msg.err)
		return
	}
	m.rows = taxonomyOrder(msg.cats)
	m.sel = min(m.sel, max(0, len(m.rows)-1))
	for i, c := range m.rows {
		if msg.path != "" && strings.EqualFold(c.Path, msg.path) {
			m.sel = i
		}
	}
}

// taxonomyOrder puts each parent before its children, both by name.
func taxonomyOrder(cs []model.Category) []model.Category {
	children := map[int64][]model.Category{}
	var parents []model.Category
	for _, c := range cs {
		if c.ParentID == nil {
			parents = append(parents, c)
		} else {
			children[*c.ParentID] = append(children[*c.ParentID], c)
		}
	}
	byName := func(a []model.Category) {
		slices.SortFunc(a, func(x, y model.Category) int {
			return strings.Compare(strings.ToLower(x.Path), strings.ToLower(y.Path))
		})
	}
	byName(parents)
	out := make([]model.Category, 0, len(cs))
	for _, p := range parents {
		out = append(out, p)
		kids := children[p.ID]
		byName(kids)
		out = append(out, kids...)
	}
	return out
}

// Update handles a key; done reports that the view closed.
func (m *categoryManager) Update(msg tea.KeyMsg) (done bool, cmd tea.Cmd) {
	switch {
	case m.prompt.active():
		return false, m.prompt.Update(msg)
	case m.confirm != nil:
		c := m.confirm
		switch {
		case key.Matches(msg, catYes):
			m.confirm = nil
			return false, m.remove(c.Path)
		case key.Matches(msg, catNo):
			m.confirm = nil
		}
		return false, nil
	}
	m.err = ""
	switch {
	case key.Matches(msg, catClose):
		return true, nil
	case key.Matches(msg, catMove):
		if s := msg.String(); s == "up" || s == "k" {
			m.sel = max(0, m.sel-1)
		} else {
			m.sel = min(max(0, len(m.rows)-1), m.sel+1)
		}
	case key.Matches(msg, catAdd):
		placeholder := "Billing/Chargeback, or a new top level"
		if m.sel < len(m.rows) {
			parent, _, _ := strings.Cut(m.rows[m.sel].Path, "/")
			placeholder = parent + "/… (or a new top level)"
		}
		return false, m.prompt.open("new category: ", placeholder, func(v string) (tea.Cmd, error) {
			if _, err := model.SplitCategoryPath(v); err != nil {
				return nil, err
			}
			return m.add(v), nil
		})
	case key.Matches(msg, catRemove):
		if m.sel < len(m.rows) {
			c := m.rows[m.sel]
			m.confirm = &c
		}
	}
	return false, nil
}

func (m *categoryManager) add(path string) tea.Cmd {
	st, ctx, agent := m.env.store, m.env.ctx, m.env.agent
	return func() tea.Msg {
		c, err := st.AddCategory(ctx, agent, path)
		return categoryChangedMsg{text: "category " + c.Path + " added", path: c.Path, err: err}
	}
}

func (m *categoryManager) remove(path string) tea.Cmd {
	st, ctx, agent := m.env.store, m.env.ctx, m.env.agent
	return func() tea.Msg {
		err := st.RemoveCategory(ctx, agent, path)
		return categoryChangedMsg{text: "category " + path + " removed", err: err}
	}
}

// changed shows the outcome and reloads the taxonomy.
func (m *categoryManager) changed(msg categoryChangedMsg) tea.Cmd {
	if msg.err != nil {
		m.err = strings.TrimPrefix(errText(msg.err), "conflicts with an existing record: ")
		return nil
	}
	return tea.Batch(func() tea.Msg { return statusMsg{text: msg.text} }, m.load(msg.path))
}

// report puts an outcome in the status bar when the view closed before
// the store answered, so an add or a refusal is never lost.
func (msg categoryChangedMsg) report() tea.Cmd {
	text, bad := msg.text, false
	if msg.err != nil {
		text, bad = errText(msg.err), true
	}
	return func() tea.Msg { return statusMsg{text: text, err: bad} }
}

func (m *categoryManager) View(w, h int) string {
	st := m.env.styles
	var b strings.Builder
	b.WriteString(padRight(st.Title.Render("Categories")+st.Faint.Render(" · "+thousands(len(m.rows))+" · a add · d remove · esc back"), w))
	rows := max(1, h-2) // the title above, the prompt or message line below
	top := 0
	if m.sel >= rows {
		top = m.sel - rows + 1
	}
	for i := top; i < top+rows; i++ {
		b.WriteByte('\n')
		if i >= len(m.rows) {
			if i == 0 {
				if m.loading {
					b.WriteString(st.Faint.Render("  loading…"))
				} else {
					b.WriteString(st.Faint.Render("  no categories yet — a adds one"))
				}
			}
			continue
		}
		c := m.rows[i]
		name := model.CleanLine(c.Name)
		if c.ParentID != nil {
			name = "    " + name
		} else {
			name = "  " + st.Label.Render(name)
		}
		if i == m.sel {
			b.WriteString(st.RowSel.Render(padRight(fit("›"+name[1:], w), w)))
		} else {
			b.WriteString(padRight(fit(name, w), w))
		}
	}
	b.WriteByte('\n')
	switch {
	case m.prompt.active():
		b.WriteString(m.prompt.View(w))
	case m.confirm != nil:
		what := "Remove " + model.CleanLine(m.confirm.Path)
		if m.confirm.ParentID == nil {
			what += " and its subcategories"
		}
		b.WriteString(padRight(fit(st.Bad.Render(what+"?")+"  y remove · n keep", w), w))
	case m.err != "":
		b.WriteString(padRight(fit(st.Bad.Render(model.CleanLine(m.err)), w), w))
	default:
		b.WriteString(strings.Repeat(" ", w))
	}
	return b.String()
}

func (m *categoryManager) ShortHelp() []key.Binding {
	switch {
	case m.prompt.active():
		return m.prompt.ShortHelp()
	case m.confirm != nil:
		return []key.Binding{catYes, catNo}
	}
	return []key.Binding{catMove, catAdd, catRemove, catClose}
}

// manageCategories opens the taxonomy manager on the overlay stack; it
// takes the keys and its own answers while open.
func (s *inboxScreen) manageCategories() tea.Cmd {
	m, cmd := newCategoryManager(s.env)
	s.cats = m
	s.env.layers.push(s.sid, &sheet{update: func(msg tea.Msg) (bool, tea.Cmd) {
		switch msg := msg.(type) {
		case tea.KeyMsg:
			return m.Update(msg)
		case categoryListMsg:
			m.take(msg)
		case categoryChangedMsg:
			return false, m.changed(msg)
		}
		return false, nil
	}, view: m.View, help: m.ShortHelp, closed: func() { s.cats = nil }})
	return cmd
}

package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// customersScreen is a window onto the customers table: it holds only the
// rows on screen, pages by cursor (keyset) and keeps the total from a count.
type customersScreen struct {
	sid screenID // where its answers are addressed (route.go)
	env *env

	width, height int

	input     textinput.Model
	searching bool // the search input has the focus

	whereInput textinput.Model
	editWhere  bool  // the segment-expression input has the focus
	whereErr   error // the live parse error of what is typed

	// The query the rows answer.
	search    string
	where     string // segment expression, e.g. csat_avg < 3 and plan = pro
	sort      model.CustomerSort
	desc      bool
	lifecycle model.Lifecycle

	dups *duplicatesView // D: likely duplicates (duplicates.go)
	segs *listPicker     // W: the saved segments (segments_ui.go)

	window[model.Customer]
}

// searchCountCap keeps counting a broad search cheap: "1,000+ matches".
const searchCountCap = 1000

func newCustomersScreen(e *env) *customersScreen {
	in := lineInput(e, "/ ", "name, email, phone or company", 200)
	w := lineInput(e, "where ", "csat_avg < 3 and last_contact_days > 30", 500)
	return &customersScreen{sid: customersID, env: e, input: in, whereInput: w, sort: model.SortName, window: newWindow[model.Customer]()}
}

func (c *customersScreen) pageSize() int { return max(1, c.height-2) }

// SetSize fits the window to the new height, fetching rows to fill it.
func (c *customersScreen) SetSize(w, h int) tea.Cmd {
	old := c.pageSize()
	c.width, c.height = w, h
	c.input.Width = max(10, w-26) // leaves room for the position
	c.whereInput.Width = max(10, w-30)
	if len(c.rows) == 0 && !c.loading {
		return c.reload()
	}
	return c.refit(old, c.pageSize(), c.fetch)
}

func (c *customersScreen) query() model.CustomerQuery {
	return model.CustomerQuery{Search: c.search, Where: c.where, Lifecycle: c.lifecycle, Sort: c.sort, Desc: c.desc}
}

// reload starts over from the first page of a (possibly new) query.
func (c *customersScreen) reload() tea.Cmd {
	c.gen++
	c.qgen++
	c.totalKnown = false
	c.err = nil
	c.sel = 0
	return tea.Batch(c.fetch(opFirst, c.pageSize()), c.count())
}

func (c *customersScreen) fetch(op pageOp, k int) tea.Cmd {
	q := c.query()
	q.Limit = k
	q.After, q.Before, q.Last = c.pageCursor(op)
	if op == opSame {
		// Rows after a cursor just before the first row: (key, id∓1) sorts
		// immediately before (key, id) and no row lies between them.
		if len(c.cursors) > 0 {
			cur := c.cursors[0]
			if c.desc && c.search == "" {
				cur.ID++
			} else {
				cur.ID--
			}
			q.After = &cur
		}
	}
	c.loading = true
	gen, st, ctx := c.gen, c.env.store, c.env.ctx
	return to(c.sid, func() tea.Msg {
		page, err := st.ListCustomers(ctx, q)
		return pageMsg[model.Customer]{gen: gen, op: op, rows: page.Rows, cursors: page.Cursors, more: page.HasMore, err: err}
	})
}

func (c *customersScreen) count() tea.Cmd {
	q := c.query()
	limit := 0
	if q.Search != "" {
		limit = searchCountCap
	}
	gen, st, ctx := c.qgen, c.env.store, c.env.ctx
	return to(c.sid, func() tea.Msg {
		n, capped, err := st.CountCustomers(ctx, q, limit)
		return countMsg[model.Customer]{gen: gen, n: n, capped: capped, err: err}
	})
}

// Capturing reports whether typed keys belong to the search input.
func (c *customersScreen) Capturing() bool {
	return c.searching || c.editWhere
}

func (c *customersScreen) Update(msg tea.Msg) tea.Cmd {
	if cmd, ok := c.updateDuplicates(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case pageMsg[model.Customer]:
		c.take(msg, c.pageSize())
		return nil
	case countMsg[model.Customer]:
		c.takeCount(msg)
		return nil
	case customerSavedMsg:
		return c.saved(msg)
	case customerReadMsg:
		c.replace(msg.customer)
		return nil
	case segmentSavedMsg, segmentListMsg, whereCheckedMsg:
		return c.updateSegments(msg)
	case tea.KeyMsg:
		if c.editWhere {
			return c.updateWhere(msg)
		}
		if c.searching {
			return c.updateSearch(msg)
		}
		return c.updateKeys(msg)
	}
	return nil
}

func (c *customersScreen) updateSearch(msg tea.KeyMsg) tea.Cmd {
	k := c.env.keys
	switch {
	case key.Matches(msg, k.InputDone):
		c.searching = false
		c.input.Blur()
		return nil
	case key.Matches(msg, k.InputCancel):
		c.searching = false
		c.input.Blur()
		c.input.SetValue("")
		if c.search != "" {
			c.search = ""
			return c.reload()
		}
		return nil
	case msg.Type == tea.KeyDown || msg.Type == tea.KeyUp:
		// arrows move the selection while the search stays open
		return c.updateKeys(msg)
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	if v := strings.TrimSpace(c.input.Value()); v != c.search {
		c.search = v
		return tea.Batch(cmd, c.reload())
	}
	return cmd
}

// updateWhere edits the segment expression, parsing it as it is typed;
// enter applies it only when it parses.
func (c *customersScreen) updateWhere(msg tea.KeyMsg) tea.Cmd {
	k := c.env.keys
	switch {
	case key.Matches(msg, k.InputDone):
		v := strings.TrimSpace(c.whereInput.Value())
		if v != "" {
			x, err := model.ParseSegment(v)
			if err != nil {
				c.whereErr = err
				return nil
			}
			if model.HasSegmentRef(x) && v != c.where {
				return c.checkWhere(v) // the store knows the saved segments
			}
		}
		c.editWhere = false
		c.whereInput.Blur()
		if v != c.where {
			c.where = v
			return c.reload()
		}
		return nil
	case key.Matches(msg, k.InputCancel):
		c.editWhere, c.whereErr = false, nil
		c.whereInput.Blur()
		return nil
	case key.Matches(msg, whereSave):
		return c.saveSegment()
	}
	var cmd tea.Cmd
	c.whereInput, cmd = c.whereInput.Update(msg)
	c.whereErr = nil
	if v := strings.TrimSpace(c.whereInput.Value()); v != "" {
		_, c.whereErr = model.ParseSegment(v)
	}
	return cmd
}

func (c *customersScreen) updateKeys(msg tea.KeyMsg) tea.Cmd {
	k := c.env.keys
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && msg.Runes[0] == '/' {
		// "/" and the term arrived together (fast typing, paste, an IME)
		c.searching = true
		c.input.SetValue(string(msg.Runes[1:]))
		c.input.CursorEnd()
		c.search = strings.TrimSpace(c.input.Value())
		return tea.Batch(c.input.Focus(), c.reload())
	}
	if cmd, ok := c.navigate(msg, k.List, c.pageSize(), c.fetch); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.List.Search):
		c.searching = true
		c.input.SetValue(c.search)
		c.input.CursorEnd()
		return c.input.Focus()
	case key.Matches(msg, k.Customers.Where):
		c.editWhere, c.whereErr = true, nil
		c.whereInput.SetValue(c.where)
		c.whereInput.CursorEnd()
		return c.whereInput.Focus()
	case key.Matches(msg, k.List.Back):
		if c.search != "" || c.lifecycle != "" || c.where != "" {
			c.search, c.lifecycle, c.where = "", "", ""
			c.input.SetValue("")
			return c.reload()
		}
	case key.Matches(msg, k.List.Open):
		if cu, ok := c.selected(); ok {
			return func() tea.Msg { return openProfileMsg{id: cu.ID} }
		}
	case key.Matches(msg, k.Customers.Sort):
		c.sort = nextSort(c.sort)
		c.desc = defaultDesc(c.sort)
		return c.reload()
	case key.Matches(msg, k.Customers.SortDir):
		c.desc = !c.desc
		return c.reload()
	case key.Matches(msg, k.Customers.Lifecycle):
		c.lifecycle = cycle(model.Lifecycles, c.lifecycle)
		return c.reload()
	case key.Matches(msg, k.Customers.Refresh):
		return c.refresh()
	case key.Matches(msg, k.Customers.New):
		return c.open(customerForm(c.env, newCustomerDraft(nil)))
	case key.Matches(msg, k.Customers.Recall):
		return c.startRecall()
	case key.Matches(msg, segmentPick):
		return c.pickSegment()
	}
	return nil
}

// filter shows the customers matching a segment expression (from an
// Insights drill-down), replacing search and filters.
func (c *customersScreen) filter(where string) tea.Cmd {
	c.search, c.lifecycle, c.where = "", "", where
	c.searching, c.editWhere = false, false
	c.input.SetValue("")
	return c.reload()
}

// refresh re-reads the rows on screen (after a change by this or another
// agent) without moving the window.
func (c *customersScreen) refresh() tea.Cmd {
	if len(c.cursors) == 0 || (c.offset == 0 && !c.moreBefore) {
		sel := c.sel
		c.gen++
		c.totalKnown = false
		cmd := tea.Batch(c.fetch(opFirst, c.pageSize()), c.count())
		c.sel = sel
		return cmd
	}
	c.gen++
	return tea.Batch(c.fetch(opSame, c.pageSize()), c.count())
}

// replace swaps in a fresher copy of a customer shown in the window.
// customerReadMsg tells the list a customer as a profile read it.
type customerReadMsg struct{ customer model.Customer }

func (c *customersScreen) replace(cu model.Customer) {
	for i := range c.rows {
		if c.rows[i].ID == cu.ID {
			c.rows[i] = cu
		}
	}
}

func nextSort(s model.CustomerSort) model.CustomerSort {
	for i, x := range model.CustomerSorts {
		if x == s {
			return model.CustomerSorts[(i+1)%len(model.CustomerSorts)]
		}
	}
	return model.SortName
}

// defaultDesc: numbers and dates read best largest/newest first.
func defaultDesc(s model.CustomerSort) bool {
	switch s {
	case model.SortLastContact, model.SortFollowupsOpen, model.SortLTV:
		return true
	}
	return false
}

// ShortHelp is the footer line for this screen.
func (c *customersScreen) ShortHelp() []key.Binding {
	k := c.env.keys
	if c.editWhere {
		return []key.Binding{k.WhereDone, whereSave, k.WhereCancel}
	}
	if c.searching {
		return []key.Binding{k.InputDone, k.InputCancel, k.List.Down}
	}
	if c.where != "" {
		return []key.Binding{k.List.Down, k.List.Open, k.Customers.Recall, k.List.Search, k.Customers.Where, k.Customers.Sort, k.List.Back}
	}
	return []key.Binding{k.List.Down, k.List.Up, k.List.Open, k.List.Search, k.Customers.Where, k.Customers.Sort, k.Customers.Lifecycle}
}

// FullHelp is the `?` page for this screen.
func (c *customersScreen) FullHelp() [][]key.Binding {
	k := c.env.keys
	return [][]key.Binding{
		{k.List.Down, k.List.Up, k.List.PageDown, k.List.PageUp, k.List.Top, k.List.Bottom},
		{k.List.Open, k.List.Search, k.List.Back, k.Customers.Refresh, k.Customers.New, dupStart},
		{k.Customers.Where, segmentPick, k.Customers.Sort, k.Customers.SortDir, k.Customers.Lifecycle, k.Customers.Recall},
	}
}

// lastContact words the last contact relative to now.
func lastContact(t *time.Time, now time.Time) string {
	if t == nil {
		return "never"
	}
	return ago(*t, now)
}

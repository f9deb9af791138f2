package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// column is one column of the customers table. Columns are dropped, lowest
// priority first, when the terminal is too narrow for all of them.
type column struct {
	title    string
	sort     model.CustomerSort // "" when the column cannot be sorted
	width    int                // fixed width; 0 = shares the leftover space
	weight   int                // share of the leftover space
	priority int                // lower is dropped last
	right    bool
	value    func(c *model.Customer, e *env) string
}

var customerColumns = []column{
	{title: "Name", sort: model.SortName, weight: 5, priority: 0, value: func(c *model.Customer, _ *env) string { return c.Label() }},
	{title: "Company", sort: model.SortCompany, weight: 4, priority: 3, value: func(c *model.Customer, _ *env) string { return c.Company }},
	{title: "Plan", sort: model.SortPlan, width: 10, priority: 5, value: func(c *model.Customer, _ *env) string { return c.Plan }},
	{title: "Lifecycle", sort: model.SortLifecycle, width: 10, priority: 4, value: func(c *model.Customer, _ *env) string { return string(c.Lifecycle) }},
	{title: "CSAT", sort: model.SortCSAT, width: 9, priority: 1, right: true, value: func(c *model.Customer, _ *env) string { return csatCell(c) }},
	{title: "Last contact", sort: model.SortLastContact, width: 12, priority: 2, value: func(c *model.Customer, e *env) string { return lastContact(c.LastContactAt, e.now()) }},
	{title: "F/U", sort: model.SortFollowupsOpen, width: 4, priority: 6, right: true, value: func(c *model.Customer, _ *env) string { return clockCell(c.FollowupsOpen) }},
	{title: "LTV", sort: model.SortLTV, width: 7, priority: 7, right: true, value: func(c *model.Customer, _ *env) string { return money(c.LTV) }},
}

// minFlex is the narrowest a shared-width column may get before a
// lower-priority column is dropped to make room.
const minFlex = 10

func csatCell(c *model.Customer) string {
	if c.CSATAvg == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f (%d)", *c.CSATAvg, c.CSATN)
}

func countCell(n int) string {
	if n == 0 {
		return "·"
	}
	return fmt.Sprint(n)
}

// clockCell marks a customer someone promised to get back to: "◷ 2".
func clockCell(n int) string {
	if n == 0 {
		return "·"
	}
	return "◷ " + fmt.Sprint(n)
}

// layoutColumns picks the columns that fit in width w and their widths.
// One cell at the left holds the ⚠ marker; columns are separated by a space.
func layoutColumns(w int) ([]column, []int) {
	cols := append([]column{}, customerColumns...)
	for {
		fixed, weights := 2, 0 // marker and its gap
		for _, c := range cols {
			fixed += c.width + 1
			weights += c.weight
		}
		flex := w - fixed
		ok := true
		for _, c := range cols {
			if c.weight > 0 && flex*c.weight/max(1, weights) < minFlex {
				ok = false
			}
		}
		if ok || len(cols) == 1 {
			widths := make([]int, len(cols))
			left := flex
			lastFlex := -1
			for i, c := range cols {
				if c.weight > 0 {
					widths[i] = max(1, flex*c.weight/max(1, weights))
					left -= widths[i]
					lastFlex = i
				} else {
					widths[i] = c.width
				}
			}
			if lastFlex >= 0 && left > 0 {
				widths[0] += left // rounding leftovers go to the name
			}
			return cols, widths
		}
		// drop the column with the highest priority number
		worst := 0
		for i, c := range cols {
			if c.priority > cols[worst].priority {
				worst = i
			}
		}
		cols = append(cols[:worst], cols[worst+1:]...)
	}
}

// View draws the search/filter line, the header and the window of rows.
func (c *customersScreen) View() string {
	st := c.env.styles
	var b strings.Builder
	b.WriteString(c.topLine())
	b.WriteByte('\n')

	cols, widths := layoutColumns(c.width)
	if c.editWhere && c.whereErr != nil {
		// the parse error, pointing at its column under the input
		b.WriteString(c.whereErrLine())
		c.writeRows(&b, cols, widths)
		return b.String()
	}
	hdr := make([]string, 0, len(cols)+1)
	hdr = append(hdr, "  ")
	for i, col := range cols {
		title := col.title
		style := st.Header
		if col.sort != "" && col.sort == c.sort && c.search == "" {
			arrow := "↑"
			if c.desc {
				arrow = "↓"
			}
			title = sortTitle(title, arrow, widths[i])
			style = st.HeaderSort
		}
		if col.right {
			hdr = append(hdr, style.Render(cellRight(title, widths[i])))
		} else {
			hdr = append(hdr, style.Render(cell(title, widths[i])))
		}
	}
	b.WriteString(padRight(strings.Join(hdr, " "), c.width))
	c.writeRows(&b, cols, widths)
	return b.String()
}

func (c *customersScreen) whereErrLine() string {
	st := c.env.styles
	msg := c.whereErr.Error()
	var se *model.SegmentError
	pad := 0
	if errors.As(c.whereErr, &se) {
		pad = lipgloss.Width(c.whereInput.Prompt) + se.Pos - 1
	}
	if pad+2+lipgloss.Width(msg) > c.width {
		pad = 0
	}
	return st.Bad.Render(padRight(strings.Repeat(" ", pad)+"^ "+msg, c.width))
}

func (c *customersScreen) writeRows(b *strings.Builder, cols []column, widths []int) {
	n := c.pageSize()
	for i := 0; i < n; i++ {
		b.WriteByte('\n')
		if i >= len(c.rows) {
			if i == 0 {
				b.WriteString(c.emptyLine())
			}
			continue
		}
		b.WriteString(c.rowLine(i, cols, widths))
	}
}

func (c *customersScreen) rowLine(i int, cols []column, widths []int) string {
	st := c.env.styles
	cu := &c.rows[i]
	sel, warn := " ", " "
	if i == c.sel {
		sel = "›" // visible without colour too
	}
	atRisk := len(cu.Warnings) > 0 || cu.Lifecycle == model.LifecycleAtRisk
	if atRisk {
		warn = "⚠"
	}
	parts := make([]string, 0, len(cols))
	for j, col := range cols {
		v := col.value(cu, c.env)
		if col.right {
			parts = append(parts, cellRight(v, widths[j]))
		} else {
			parts = append(parts, cell(v, widths[j]))
		}
	}
	rest := " " + strings.Join(parts, " ")
	if i == c.sel {
		return st.RowSel.Render(padRight(sel+warn+rest, c.width))
	}
	if atRisk {
		warn = st.Warn.Render(warn)
	}
	return sel + warn + padRight(rest, c.width-2)
}

func (c *customersScreen) emptyLine() string {
	st := c.env.styles
	switch {
	case c.err != nil:
		return st.Bad.Render(fit("  "+c.err.Error(), c.width))
	case c.loading:
		return st.Faint.Render("  loading…")
	case c.search != "" || c.where != "" || c.lifecycle != "":
		return st.Faint.Render(fit("  no customer matches — esc clears the search and filters", c.width))
	default:
		return st.Faint.Render(fit("  no customers yet — import a CSV (tab 5) or run `rapport demo`", c.width))
	}
}

// topLine shows the search input or the active query, and the position.
func (c *customersScreen) topLine() string {
	st := c.env.styles
	pos := st.Faint.Render(c.position("no customers"))
	posW := lipgloss.Width(pos)
	left := ""
	switch {
	case c.editWhere:
		left = c.whereInput.View()
	case c.searching:
		left = c.input.View()
	default:
		var bits []string
		if c.search != "" {
			bits = append(bits, st.Prompt.Render("/ ")+model.CleanLine(c.search))
		}
		if c.lifecycle != "" {
			bits = append(bits, st.Label.Render("lifecycle: ")+string(c.lifecycle))
		}
		if c.where != "" {
			bits = append(bits, st.Label.Render("where ")+model.CleanLine(c.where))
		}
		if len(bits) == 0 {
			bits = append(bits, st.Title.Render("Customers"))
		}
		left = strings.Join(bits, "  ")
	}
	room := c.width - posW - 1
	if room < 10 {
		return padRight(left, c.width)
	}
	return padRight(left, room) + " " + pos
}

// sortTitle puts the sort arrow after a column title so that the arrow is
// never the part cut off: "Plan ↑", "Lifecycle↑", "Last conta…↓".
func sortTitle(title, arrow string, w int) string {
	tw, aw := lipgloss.Width(title), lipgloss.Width(arrow)
	switch {
	case tw+1+aw <= w:
		return title + " " + arrow
	case tw+aw <= w:
		return title + arrow
	}
	return fit(title, max(1, w-aw)) + arrow
}

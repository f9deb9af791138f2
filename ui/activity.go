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

// activityScreen lists the agent's own recent actions from the audit,
// newest first, a page at a time: when, what, whose record, what changed,
// and whether it was undone or redone. u undoes the action under the
// cursor (the store refuses, with the reason, one whose records changed
// since), ctrl+y redoes it, enter opens the customer it concerns.
type activityScreen struct {
	sid           screenID // where its answers are addressed (route.go)
	env           *env
	width, height int

	rows    []model.Action
	sel     int
	starts  []int64 // the page cursor ("older than") of each page walked through; the last is this page's
	more    bool
	gen     int
	loading bool
	err     error
}

type (
	activityPageMsg struct {
		gen  int
		page model.ActionPage
		err  error
	}
	closeActivityMsg struct{}
)

func newActivityScreen(e *env, sid screenID) *activityScreen {
	return &activityScreen{sid: sid, env: e, starts: []int64{0}, loading: true}
}

// pageSize leaves room for the title, the header and the detail line.
func (a *activityScreen) pageSize() int { return max(1, a.height-3) }

// reload reads the current page again (after an undo, or on opening).
func (a *activityScreen) reload() tea.Cmd {
	a.gen++
	a.loading = true
	st, ctx, agent, gen := a.env.store, a.env.ctx, a.env.agent, a.gen
	before, limit := a.starts[len(a.starts)-1], a.pageSize()
	return to(a.sid, func() tea.Msg {
		p, err := st.Activity(ctx, agent, before, limit)
		return activityPageMsg{gen: gen, page: p, err: err}
	})
}

func (a *activityScreen) SetSize(w, h int) tea.Cmd {
	grew := h > a.height && a.height > 0
	a.width, a.height = w, h
	if grew || len(a.rows) > a.pageSize() {
		return a.reload()
	}
	return nil
}

func (a *activityScreen) Capturing() bool { return false }

func (a *activityScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case activityPageMsg:
		if msg.gen != a.gen {
			return nil
		}
		a.loading, a.err = false, msg.err
		if msg.err == nil {
			a.rows, a.more = msg.page.Rows, msg.page.HasMore
			a.sel = min(a.sel, max(0, len(a.rows)-1))
		}
		return nil
	case tea.KeyMsg:
		return a.handleKey(msg)
	}
	return nil
}

func (a *activityScreen) handleKey(msg tea.KeyMsg) tea.Cmd {
	k := a.env.keys
	switch {
	case key.Matches(msg, k.List.Back):
		return func() tea.Msg { return closeActivityMsg{} }
	case key.Matches(msg, k.List.Down):
		if a.sel < len(a.rows)-1 {
			a.sel++
		} else if a.more {
			return a.nextPage()
		}
	case key.Matches(msg, k.List.Up):
		if a.sel > 0 {
			a.sel--
		} else if len(a.starts) > 1 {
			cmd := a.prevPage()
			a.sel = a.pageSize() - 1
			return cmd
		}
	case key.Matches(msg, k.List.PageDown):
		if a.more {
			return a.nextPage()
		}
		a.sel = max(0, len(a.rows)-1)
	case key.Matches(msg, k.List.PageUp):
		if len(a.starts) > 1 {
			return a.prevPage()
		}
		a.sel = 0
	case key.Matches(msg, k.List.Top):
		a.starts, a.sel = a.starts[:1], 0
		return a.reload()
	case key.Matches(msg, k.Global.Undo, k.Global.Redo):
		if act, ok := a.selected(); ok {
			return stepCmd(a.env, act.ID, key.Matches(msg, k.Global.Redo))
		}
	case key.Matches(msg, k.List.Open):
		if act, ok := a.selected(); ok && act.Customer > 0 {
			id := act.Customer
			return func() tea.Msg { return openProfileMsg{id: id} }
		}
	}
	return nil
}

func (a *activityScreen) nextPage() tea.Cmd {
	a.starts = append(a.starts, a.rows[len(a.rows)-1].ID)
	a.sel = 0
	return a.reload()
}

func (a *activityScreen) prevPage() tea.Cmd {
	a.starts = a.starts[:len(a.starts)-1]
	a.sel = 0
	return a.reload()
}

func (a *activityScreen) selected() (model.Action, bool) {
	if a.sel < 0 || a.sel >= len(a.rows) {
		return model.Action{}, false
	}
	return a.rows[a.sel], true
}

func (a *activityScreen) ShortHelp() []key.Binding {
	k := a.env.keys
	return []key.Binding{k.List.Down, k.List.Up, activityUndo, k.Global.Redo, activityOpen, k.List.PageDown, k.List.Back}
}

func (a *activityScreen) FullHelp() [][]key.Binding {
	k := a.env.keys
	return [][]key.Binding{
		{k.List.Down, k.List.Up, k.List.PageDown, k.List.PageUp, k.List.Top},
		{activityUndo, k.Global.Redo, activityOpen, k.List.Back},
	}
}

// The activity view's help words u and enter for its rows.
var (
	activityUndo = key.NewBinding(key.WithKeys("u", "ctrl+z"), key.WithHelp("u", "undo this action"))
	activityOpen = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open customer"))
)

// View draws the title, the header, one line per action and the detail
// of the action under the cursor.
func (a *activityScreen) View() string {
	st := a.env.styles
	w := a.width
	var b strings.Builder
	pos := ""
	if n := len(a.rows); n > 0 {
		first := (len(a.starts)-1)*a.pageSize() + 1
		pos = fmt.Sprintf("%d–%d", first, first+n-1)
		if a.more {
			pos += " of more"
		}
	}
	title := st.Title.Render("Activity") + st.Faint.Render(" · "+model.CleanLine(a.env.agent)+" · newest first")
	b.WriteString(padRight(title, w-lipgloss.Width(pos)) + st.Faint.Render(pos) + "\n")
	whenW, kindW, stateW := 11, 9, 7
	rest := max(10, w-2-whenW-kindW-stateW-4)
	recW := rest * 2 / 5
	whatW := rest - recW
	b.WriteString(st.Header.Render(padRight("  "+cell("When", whenW)+" "+cell("Action", kindW)+" "+cell("Record", recW)+" "+
		cell("What", whatW)+" "+cell("", stateW), w)) + "\n")
	switch {
	case a.err != nil:
		b.WriteString(st.Bad.Render(fit("cannot list the activity: "+model.CleanLine(errText(a.err)), w)) + "\n")
	case a.loading && len(a.rows) == 0:
		b.WriteString(st.Faint.Render("loading…") + "\n")
	case len(a.rows) == 0:
		b.WriteString(st.Faint.Render(fit("nothing yet: what you change here (classify, follow-ups, notes, edits) is listed, and u undoes it", w)) + "\n")
	}
	now := a.env.now()
	for i, act := range a.rows {
		mark, style := "  ", st.Row
		if i == a.sel {
			mark, style = "› ", st.RowSel
		}
		state := ""
		switch {
		case act.State == model.ActionUndone:
			state = "undone"
		case act.State == model.ActionRedone:
			state = "redone"
		case act.Reason != "":
			state = "kept"
		}
		line := mark + cell(whenOf(act.At, now), whenW) + " " + cell(act.Kind, kindW) + " " + cell(recordOf(act), recW) + " " +
			cell(act.Summary, whatW) + " " + cell(state, stateW)
		if act.State == model.ActionUndone {
			style = st.Faint
			if i == a.sel {
				style = st.RowSel
			}
		}
		b.WriteString(style.Render(padRight(line, w)) + "\n")
	}
	for i := len(a.rows); i < a.pageSize(); i++ {
		b.WriteString("\n")
	}
	if act, ok := a.selected(); ok {
		detail := actionText(act)
		if act.Reason != "" {
			b.WriteString(st.Faint.Render(fit(model.CleanLine(detail+" — not undone: "+act.Reason), w)))
		} else {
			b.WriteString(st.Faint.Render(fit(model.CleanLine(detail), w)))
		}
	}
	return b.String()
}

// whenOf is an action's time: "11-20 09:31" this year, the date before.
func whenOf(t, now time.Time) string {
	t = t.In(time.Local)
	if t.Year() != now.In(time.Local).Year() {
		return t.Format("2006-01-02")
	}
	return t.Format("01-02 15:04")
}

// recordOf names what an action changed: the customer (and subject), or
// how many records.
func recordOf(a model.Action) string {
	name := map[string]string{"followup": "follow-up", "feedback": "feedback", "customer": "customer", "note": "note"}[a.Entity]
	if name == "" {
		name = a.Entity
	}
	if a.Items > 1 {
		if name != "feedback" {
			name += "s"
		}
		return fmt.Sprintf("%d %s", a.Items, name)
	}
	if a.Label != "" {
		return a.Label
	}
	return fmt.Sprintf("%s %d", name, a.EntityID)
}

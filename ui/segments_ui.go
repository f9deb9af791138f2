package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/rapportcrm/rapport/model"
)

// Segments from the TUI: in the Customers `w` prompt ctrl+s saves what is
// typed as a named segment (optionally a churn warning line, whose members
// are flagged ⚠); `W` lists the saved segments with their expression and
// member count and applies the one picked as segment:"NAME".

// segmentStore is what saving and picking segments needs from the store.
type segmentStore interface {
	SaveSegment(ctx context.Context, agent, name, expr string, warn bool) (model.Segment, error)
	SegmentCount(ctx context.Context, name string) (int, error)
}

var (
	whereSave   = key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save as segment"))
	segmentPick = key.NewBinding(key.WithKeys("W"), key.WithHelp("W", "saved segments"))
)

type (
	segmentSavedMsg struct {
		expr string
		seg  model.Segment
		n    int
		err  error
	}
	segmentListMsg struct {
		items []pickItem
		err   error
	}
	// whereCheckedMsg says whether the segments an expression names exist
	// (and make no cycle).
	whereCheckedMsg struct {
		expr string
		err  error
	}
)

// checkWhere asks the store about an expression's segment references
// before applying it: an unknown name keeps the prompt open, pointing at it.
func (c *customersScreen) checkWhere(expr string) tea.Cmd {
	st, ctx := c.env.store, c.env.ctx
	return to(c.sid, func() tea.Msg {
		_, _, err := st.CountCustomers(ctx, model.CustomerQuery{Where: expr}, 1)
		return whereCheckedMsg{expr: expr, err: err}
	})
}

// segmentCountLimit: above this many saved segments the picker shows no
// member counts (each is a query).
const segmentCountLimit = 20

type segmentDraft struct {
	Name string
	Warn bool
}

// saveSegment asks a name for the expression being typed, and whether it
// is a churn warning line, then saves it.
func (c *customersScreen) saveSegment() tea.Cmd {
	expr := strings.TrimSpace(c.whereInput.Value())
	if expr == "" {
		c.whereErr = errors.New("type an expression first, then ctrl+s saves it as a segment")
		return nil
	}
	if _, err := model.ParseSegment(expr); err != nil {
		c.whereErr = err
		return nil
	}
	d := &segmentDraft{}
	name := huh.NewInput().Title("Segment name").Placeholder("churn warning, core users, 华东大客户").
		CharLimit(80).Value(&d.Name).Validate(func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("a segment needs a name")
		}
		return nil
	})
	warn := huh.NewConfirm().Title("Churn warning line?").
		Description("members are flagged ⚠ in lists and counted in Insights").
		Affirmative("yes").Negative("no").Value(&d.Warn)
	note := huh.NewNote().Title("Expression").Description(model.CleanLine(expr))
	st, ctx, agent := c.env.store, c.env.ctx, c.env.agent
	submit := func() tea.Cmd {
		nm, w := strings.TrimSpace(d.Name), d.Warn
		return to(c.sid, func() tea.Msg {
			g, err := st.SaveSegment(ctx, agent, nm, expr, w)
			if err != nil {
				return segmentSavedMsg{expr: expr, err: err}
			}
			n, err := st.SegmentCount(ctx, g.Name)
			return segmentSavedMsg{expr: expr, seg: g, n: n, err: err}
		})
	}
	return c.open(newFormOverlay(c.env, "Save segment", []*huh.Group{huh.NewGroup(note, name, warn)}, submit,
		func() bool { return strings.TrimSpace(d.Name) != "" }))
}

// pickSegment opens the list of saved segments.
func (c *customersScreen) pickSegment() tea.Cmd {
	c.segs = newListPicker(c.env, "Saved segments",
		"no saved segments yet — w, type an expression, ctrl+s saves it", false)
	segs := c.segs
	c.env.layers.push(c.sid, &sheet{update: c.updateSegPicker, view: segs.View, help: segs.ShortHelp,
		closed: func() { c.segs = nil }})
	st, ctx := c.env.store, c.env.ctx
	return to(c.sid, func() tea.Msg {
		segs, err := st.Segments(ctx)
		if err != nil {
			return segmentListMsg{err: err}
		}
		items := make([]pickItem, len(segs))
		for i, g := range segs {
			items[i] = pickItem{id: g.ID, name: g.Name, detail: g.Expression, warn: g.Warn}
			if g.CreatedBy != "" {
				items[i].note = "by " + g.CreatedBy
			}
			if len(segs) <= segmentCountLimit {
				if n, err := st.SegmentCount(ctx, g.Name); err == nil {
					items[i].note = joinNonEmpty(" · ", customersCount(n), items[i].note)
				} else {
					items[i].note = joinNonEmpty(" · ", "broken: "+errText(err), items[i].note)
				}
			}
		}
		return segmentListMsg{items: items}
	})
}

// updateSegments takes the answers of a save or of the list.
func (c *customersScreen) updateSegments(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case segmentListMsg:
		if c.segs != nil {
			c.segs.take(msg.items, msg.err)
		}
	case whereCheckedMsg:
		if !c.editWhere || strings.TrimSpace(c.whereInput.Value()) != msg.expr {
			return nil // typed on meanwhile
		}
		if msg.err != nil {
			c.whereErr = msg.err
			return nil
		}
		c.editWhere, c.whereErr = false, nil
		c.whereInput.Blur()
		c.where = msg.expr
		return c.reload()
	case segmentSavedMsg:
		if msg.err != nil {
			// The prompt stays open with what was typed; the reason shows
			// under it (at the column, for a reference that does not resolve).
			c.whereErr = msg.err
			return func() tea.Msg { return statusMsg{text: "segment not saved: " + errText(msg.err), err: true} }
		}
		c.editWhere, c.whereErr = false, nil
		c.whereInput.Blur()
		text := fmt.Sprintf("saved segment %q (%s)", msg.seg.Name, customersCount(msg.n))
		if msg.seg.Warn {
			text += " · churn warning line ⚠"
		}
		status := func() tea.Msg { return statusMsg{text: text} }
		if msg.expr != c.where {
			c.where = msg.expr
			return tea.Batch(status, c.reload())
		}
		return tea.Batch(status, c.refresh())
	}
	return nil
}

// updateSegPicker works the saved-segment list (on the overlay stack);
// a pick filters by it.
func (c *customersScreen) updateSegPicker(msg tea.Msg) (bool, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || c.segs == nil {
		return false, nil
	}
	done, pick, _ := c.segs.Update(km)
	if pick == nil {
		return done, nil
	}
	name := pick.name
	return done, tea.Batch(c.filter((&model.SegmentRefExpr{Name: name}).String()),
		func() tea.Msg { return statusMsg{text: "segment " + model.CleanLine(name)} })
}

// customersCount words a member count: "1 customer", "2,048 customers".
func customersCount(n int) string {
	if n == 1 {
		return "1 customer"
	}
	return thousands(n) + " customers"
}

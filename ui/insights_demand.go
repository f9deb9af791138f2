package ui

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// The demand view of Insights (D, 需求排序): categories or tags ranked by
// how many customers raised them, weighted by their value, over the
// period chosen with p. d switches category/tag, enter opens the
// feedback in the Inbox, e exports it for product managers.

type demandMsg struct {
	gen  int
	rows []model.DemandRow
	err  error
}

type demandState struct {
	on      bool
	byTag   bool
	rows    []model.DemandRow
	err     error
	loading bool
	started time.Time // when the running ranking was asked for
	gen     int
	sel     int
	top     int
	cancel  context.CancelFunc // stops the running ranking when a newer one starts
}

func (s *insightsScreen) loadDemand() tea.Cmd {
	d := &s.demand
	d.gen++
	d.loading, d.err, d.started = true, nil, s.env.now()
	q := model.DemandQuery{By: "category"}
	if d.byTag {
		q.By = "tag"
	}
	if back := insightPeriods[s.period].back; back > 0 {
		q.Since = s.env.now().Add(-back)
	}
	// A ranking reads every feedback row; a newer request interrupts
	// the older one instead of queueing behind it.
	if d.cancel != nil {
		d.cancel()
	}
	ctx, cancel := context.WithCancel(s.env.ctx)
	d.cancel = cancel
	gen, st := d.gen, s.env.store
	return tea.Batch(to(s.sid, s.spin.Tick), to(s.sid, func() tea.Msg {
		rows, err := st.Demand(ctx, q)
		return demandMsg{gen: gen, rows: rows, err: err}
	}))
}

func (s *insightsScreen) takeDemand(msg demandMsg) {
	d := &s.demand
	if msg.gen != d.gen {
		return
	}
	d.loading, d.err = false, msg.err
	if msg.err == nil {
		d.rows, d.sel, d.top = msg.rows, 0, 0
	}
}

func (s *insightsScreen) updateDemandKeys(msg tea.KeyMsg) tea.Cmd {
	k, d := s.env.keys, &s.demand
	n := len(d.rows)
	switch {
	case key.Matches(msg, k.List.Down):
		d.sel = min(d.sel+1, max(0, n-1))
	case key.Matches(msg, k.List.Up):
		d.sel = max(d.sel-1, 0)
	case key.Matches(msg, k.List.Top):
		d.sel = 0
	case key.Matches(msg, k.List.Bottom):
		d.sel = max(0, n-1)
	case key.Matches(msg, k.Insights.Dimension):
		d.byTag = !d.byTag
		d.rows = nil // not the old ranking under the new title
		return s.loadDemand()
	case key.Matches(msg, k.Insights.Period):
		// The satisfaction table was for the old period too: it is
		// computed again on the way back.
		s.period = (s.period + 1) % len(insightPeriods)
		d.rows = nil
		s.forgetSummary()
		return s.loadDemand()
	case key.Matches(msg, k.Customers.Refresh):
		return s.loadDemand()
	case key.Matches(msg, k.Insights.Export):
		return s.exportDemand()
	case key.Matches(msg, k.List.Open):
		if d.sel < n && d.rows[d.sel].Key != model.SummaryNone {
			var m drillInboxMsg
			if d.byTag {
				m.filter.tag = d.rows[d.sel].Key
			} else {
				m.filter.category = d.rows[d.sel].Key
			}
			return func() tea.Msg { return m }
		}
	case key.Matches(msg, k.Insights.Demand), key.Matches(msg, k.List.Back):
		d.on = false
		if s.sum == nil && !s.loading {
			return s.load()
		}
		return nil
	}
	rows := max(1, s.height-3)
	if d.sel < d.top {
		d.top = d.sel
	}
	if d.sel >= d.top+rows {
		d.top = d.sel - rows + 1
	}
	return nil
}

func (s *insightsScreen) demandView() string {
	st, d := s.env.styles, &s.demand
	by := "category"
	if d.byTag {
		by = "tag"
	}
	head := st.Title.Render("Demand") + "  " + st.Label.Render("by ") + by + "  " + st.Label.Render("period ") +
		insightPeriods[s.period].name + st.Faint.Render("  score = Σ customers (1 + log10(1 + LTV)), complaints ×1.5")
	if d.loading {
		head += "  " + s.spin.View()
		if w := s.env.now().Sub(d.started); w >= time.Second { // a ranking reads every feedback row
			head += st.Faint.Render(fmt.Sprintf(" %ds", int(w.Seconds())))
		}
	}
	lines := []string{fit(head, s.width)}
	keyW := max(12, min(32, s.width-60))
	lines = append(lines, st.Header.Render(padRight(" "+cell(strings.ToUpper(by[:1])+by[1:], keyW)+" "+cellRight("score", 9)+" "+
		cellRight("customers", 10)+" "+cellRight("feedback", 9)+" "+cellRight("compl.", 7)+" "+cellRight("LTV", 9), s.width)))
	if d.err != nil {
		lines = append(lines, st.Bad.Render(fit("  "+errText(d.err), s.width)))
	}
	rows := max(1, s.height-3)
	for i := d.top; i < min(len(d.rows), d.top+rows); i++ {
		r := d.rows[i]
		line := cell(r.Key, keyW) + " " + cellRight(fmt.Sprintf("%.1f", r.Score), 9) + " " + cellRight(count(r.CustomersN, 10), 10) +
			" " + cellRight(count(r.FeedbackN, 9), 9) + " " + cellRight(count(r.ComplaintsN, 7), 7) + " " + cellRight(money(r.LTVSum), 9)
		if i == d.sel {
			lines = append(lines, st.RowSel.Render(padRight("›"+line, s.width)))
		} else {
			lines = append(lines, padRight(" "+line, s.width))
		}
	}
	return strings.Join(lines, "\n")
}

func (s *insightsScreen) exportDemand() tea.Cmd {
	if cmd := servedExport(s.env, "demand", "demand.csv"); cmd != nil {
		return cmd
	}
	rows := s.demand.rows
	by := "category"
	if s.demand.byTag {
		by = "tag"
	}
	name := fmt.Sprintf("rapport-demand-%s-%s.csv", by, s.env.now().Format("20060102-150405"))
	return to(s.sid, func() tea.Msg {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return exportedMsg{err: err}
		}
		w := csv.NewWriter(f)
		w.Write([]string{by, "score", "customers_n", "feedback_n", "complaints_n", "ltv_sum"})
		for _, r := range rows {
			w.Write([]string{safeCell(model.CleanLine(r.Key)), fmt.Sprint(r.Score), fmt.Sprint(r.CustomersN), fmt.Sprint(r.FeedbackN),
				fmt.Sprint(r.ComplaintsN), fmt.Sprint(r.LTVSum)})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			f.Close()
			return exportedMsg{err: err}
		}
		return exportedMsg{path: name, err: f.Close()}
	})
}

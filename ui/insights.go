package ui

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// insightsScreen compares satisfaction across groups (分层): one row per
// plan, region, channel… or saved segment, with CSAT, the share satisfied
// and its 95% interval, NPS with its margin, complaints and a monthly
// trend. The overall row stays on top; groups that differ from it beyond
// their interval are marked ▲/▼, groups with too few answers are greyed.
type insightsScreen struct {
	sid           screenID // where its answers are addressed (route.go)
	env           *env
	width, height int

	dim     int    // index into insightDims
	period  int    // index into insightPeriods
	sortBy  string // an insightSorts entry; "" is the dimension's own (time, range or n)
	banded  bool   // the groups shown are an attribute's ranges (model.Bands)
	values  bool   // b: an attribute value by value, never in ranges
	sum     *model.Summary
	sel     int
	top     int // first group row shown
	loading bool
	started time.Time // when the running summary was asked for
	err     error
	gen     int
	cancel  context.CancelFunc // stops the running query when a newer one starts
	spin    spinner.Model
	// cache keeps each dimension and period's figures once computed, so
	// that cycling back with d or p is instant even when a summary took
	// seconds over millions of rows; any change to the data (seen by the
	// root's poll, or an import) empties it, and ctrl+r recomputes.
	cache map[insightsKey]model.Summary

	demand demandState // D: the demand ranking instead of satisfaction
	attr   attrDims    // a: group by a custom attribute (insights_attrs.go)
	skip   skipState   // dimensions that record nothing are passed over (insights_skip.go)
}

// insightDims are the groupings `d` cycles through: every dimension of
// model.SummaryDims, then "segments" (by saved segment).
var insightDims = append(slices.Clone(model.SummaryDimensions), "segments")

// customerDim reports whether a dimension can be drilled into as a
// Customers filter (a customer's own field).
func customerDim(dim string) bool {
	d, ok := model.LookupDim(dim)
	return ok && d.Of == model.OfCustomer
}

var insightPeriods = []struct {
	name string
	back time.Duration
}{{"all time", 0}, {"last 12 months", 365 * 24 * time.Hour}, {"last 90 days", 90 * 24 * time.Hour}, {"last 30 days", 30 * 24 * time.Hour}}

type insightsMsg struct {
	gen int
	key insightsKey
	sum model.Summary
	err error
}

// insightsKey names what a summary was computed for: a dimension of
// insightDims, or a custom attribute when attr is set.
type insightsKey struct {
	dim    int
	attr   string
	period int
	values bool // an attribute value by value, not in ranges
}

// drillMsg asks the root to show the Customers list filtered by where.
type drillMsg struct{ where string }

type exportedMsg struct {
	path string
	err  error
}

func newInsightsScreen(e *env) *insightsScreen {
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(e.styles.Accent))
	return &insightsScreen{sid: insightsID, env: e, spin: sp, attr: attrDims{at: -1}, skip: skipState{active: true}}
}

func (s *insightsScreen) SetSize(w, h int) tea.Cmd { s.width, s.height = w, h; return nil }

func (s *insightsScreen) Capturing() bool { return false }

// Shown loads the figures on the first visit.
func (s *insightsScreen) Shown() tea.Cmd {
	if s.sum == nil && !s.loading {
		return s.load()
	}
	return nil
}

// load shows the current dimension and period's figures, from the cache
// when they were computed since the data last changed.
func (s *insightsScreen) load() tea.Cmd {
	key := s.key()
	if sum, ok := s.cache[key]; ok {
		if s.cancel != nil {
			s.cancel()
		}
		s.gen++
		s.loading, s.err = false, nil
		s.show(sum)
		return s.afterShow(sum)
	}
	return s.compute()
}

// invalidate forgets the cached figures after the data changed (and the
// attribute names, which an import may have added to).
func (s *insightsScreen) invalidate() { clear(s.cache); s.attr.loaded = false }

// compute asks the store for the current dimension and period's figures.
func (s *insightsScreen) compute() tea.Cmd {
	key := s.key()
	s.gen++
	s.loading, s.err, s.started = true, nil, s.env.now()
	q := model.SummaryQuery{Trend: "month"}
	if d := s.dimension(); d == "segments" {
		q.Segments = true
	} else {
		q.By = d
		q.Bands = strings.HasPrefix(d, "attr.") && !s.values // ages by 20–29, dates by month
	}
	if back := insightPeriods[s.period].back; back > 0 {
		q.Since = s.env.now().Add(-back)
	}
	// A summary over millions of rows can take long; a newer request
	// (another dimension or period) interrupts the older one.
	if s.cancel != nil {
		s.cancel()
	}
	ctx, cancel := context.WithCancel(s.env.ctx)
	s.cancel = cancel
	gen, st := s.gen, s.env.store
	return tea.Batch(to(s.sid, s.spin.Tick), to(s.sid, func() tea.Msg {
		sum, err := st.Summary(ctx, q)
		return insightsMsg{gen: gen, key: key, sum: sum, err: err}
	}))
}

func (s *insightsScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case insightsMsg:
		if msg.gen != s.gen {
			return nil
		}
		s.loading, s.err = false, msg.err
		if msg.err == nil {
			s.show(msg.sum)
			sum := msg.sum
			if s.cache == nil {
				s.cache = map[insightsKey]model.Summary{}
			}
			s.cache[msg.key] = sum
			return s.afterShow(sum)
		}
		s.skip.active = false
	case demandMsg:
		s.takeDemand(msg)
	case attrKeysMsg:
		return s.takeAttrKeys(msg)
	case spinner.TickMsg:
		if s.loading || s.demand.loading {
			var cmd tea.Cmd
			s.spin, cmd = s.spin.Update(msg)
			return to(s.sid, cmd)
		}
	case exportedMsg:
		if msg.err != nil {
			return func() tea.Msg { return statusMsg{text: "export failed: " + msg.err.Error(), err: true} }
		}
		return func() tea.Msg { return statusMsg{text: "exported to " + msg.path} }
	case tea.KeyMsg:
		if s.demand.on {
			return s.updateDemandKeys(msg)
		}
		if key.Matches(msg, s.env.keys.Insights.Demand) {
			s.demand.on = true
			return s.loadDemand()
		}
		return s.updateKeys(msg)
	}
	return nil
}

func (s *insightsScreen) updateKeys(msg tea.KeyMsg) tea.Cmd {
	k := s.env.keys
	n := 0
	if s.sum != nil {
		n = len(s.sum.Groups)
	}
	switch {
	case key.Matches(msg, k.List.Down):
		s.sel = min(s.sel+1, max(0, n-1))
	case key.Matches(msg, k.List.Up):
		s.sel = max(s.sel-1, 0)
	case key.Matches(msg, k.List.PageDown):
		s.sel = min(s.sel+s.rowsShown(), max(0, n-1))
	case key.Matches(msg, k.List.PageUp):
		s.sel = max(s.sel-s.rowsShown(), 0)
	case key.Matches(msg, k.List.Top):
		s.sel = 0
	case key.Matches(msg, k.List.Bottom):
		s.sel = max(0, n-1)
	case key.Matches(msg, k.Insights.Dimension):
		// The groups on screen belong to the old dimension: they go, so
		// that a slow summary never shows under the new one's title.
		s.dim = (s.dim + 1) % len(insightDims)
		s.skip = skipState{active: true, first: s.dim}
		s.attr.at = -1
		s.sum = nil
		if s.sortBy == "time" {
			s.sortBy = "" // the new dimension's own order
		}
		return s.load()
	case key.Matches(msg, k.Insights.Attr):
		return s.nextAttr()
	case key.Matches(msg, k.Insights.Values):
		s.values = !s.values
		if !strings.HasPrefix(s.dimension(), "attr.") {
			return nil
		}
		s.sum = nil
		return s.load()
	case key.Matches(msg, k.Insights.Sort):
		s.nextSort()
		if s.sum != nil {
			sel := ""
			if s.sel < len(s.sum.Groups) {
				sel = s.sum.Groups[s.sel].Key
			}
			s.show(*s.sum)
			for i, g := range s.sum.Groups { // the cursor stays on its group
				if g.Key == sel {
					s.sel = i
				}
			}
		}
	case key.Matches(msg, k.Insights.Period):
		s.period = (s.period + 1) % len(insightPeriods)
		s.sum = nil
		return s.load()
	case key.Matches(msg, k.Customers.Refresh):
		s.invalidate()
		return s.compute()
	case key.Matches(msg, k.Insights.Export):
		return s.export()
	case key.Matches(msg, k.List.Open):
		return s.drill()
	}
	s.scroll()
	return nil
}

// forgetSummary drops the satisfaction figures, and any on their way, when
// the period changes behind them (in the demand view).
func (s *insightsScreen) forgetSummary() {
	if s.cancel != nil {
		s.cancel()
	}
	s.gen++
	s.sum, s.loading = nil, false
}

func (s *insightsScreen) rowsShown() int { return max(1, s.height-4) }

// scroll keeps the selected group visible.
func (s *insightsScreen) scroll() {
	n := s.rowsShown()
	if s.sel < s.top {
		s.top = s.sel
	}
	if s.sel >= s.top+n {
		s.top = s.sel - n + 1
	}
}

// drill opens the customers of the selected group.
func (s *insightsScreen) drill() tea.Cmd {
	if s.sum == nil || s.sel >= len(s.sum.Groups) {
		return nil
	}
	g := s.sum.Groups[s.sel]
	dim := s.dimension()
	value := g.Key
	if value == model.SummaryNone {
		value = ""
	}
	switch {
	case strings.HasPrefix(dim, "attr."):
		return s.drillAttr(value)
	case customerDim(dim):
		return func() tea.Msg { return drillMsg{where: fmt.Sprintf("%s = %s", dim, quoteExpr(value))} }
	case dim == "tag" && value != "":
		return func() tea.Msg { return drillMsg{where: "tag:" + value} }
	case dim == "segments":
		st, ctx := s.env.store, s.env.ctx
		return func() tea.Msg {
			segs, err := st.Segments(ctx)
			if err != nil {
				return statusMsg{text: errText(err), err: true}
			}
			for _, sg := range segs {
				if sg.Name == g.Key {
					return drillMsg{where: sg.Expression}
				}
			}
			return statusMsg{text: "segment " + g.Key + " is gone", err: true}
		}
	case dim == "channel" || dim == "category" || dim == "agent" || dim == "kind":
		// feedback dimensions open the Inbox on that group's feedback
		var d drillInboxMsg
		switch dim {
		case "channel":
			d.filter.channel = value
		case "category":
			d.filter.category = value
		case "agent":
			d.filter.agent = value
		case "kind":
			d.kind = model.Kind(value)
		}
		if value == "" {
			break
		}
		return func() tea.Msg { return d }
	}
	return func() tea.Msg {
		return statusMsg{text: "cannot open the " + dim + " group " + g.Key + ": drill into plan, region, lifecycle, tag, channel, kind, category, agent or a segment"}
	}
}

// drillInboxMsg asks the root to show the Inbox on one group's feedback.
type drillInboxMsg struct {
	filter inboxFilter
	kind   model.Kind
}

// quoteExpr writes a string literal of the segment language.
func quoteExpr(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// export writes what is shown to a CSV file in the working directory.
func (s *insightsScreen) export() tea.Cmd {
	if s.sum == nil {
		return nil
	}
	if cmd := servedExport(s.env, summaryCommand(insightDims[s.dim]), "summary.csv"); cmd != nil {
		return cmd
	}
	sum := *s.sum
	name := fmt.Sprintf("rapport-insights-%s-%s.csv", fileSafe(s.dimension()), s.env.now().Format("20060102-150405"))
	return to(s.sid, func() tea.Msg {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return exportedMsg{err: err}
		}
		w := csv.NewWriter(f)
		w.Write([]string{"group", "feedback_n", "customers_n", "csat_n", "csat_avg", "csat_sat_pct", "csat_ci_low", "csat_ci_high", "nps_n", "nps", "nps_moe", "complaints_n", "flag"})
		for _, g := range append([]model.GroupFigures{sum.Overall}, sum.Groups...) {
			w.Write([]string{safeCell(g.Key), fmt.Sprint(g.FeedbackN), fmt.Sprint(g.CustomersN), fmt.Sprint(g.CSATN),
				num(g.CSATAvg), num(g.CSATSatPct), num(g.CSATCILow), num(g.CSATCIHigh), fmt.Sprint(g.NPSN),
				num(g.NPS), num(g.NPSMoE), fmt.Sprint(g.ComplaintsN), g.Flag})
		}
		w.Flush()
		if err := w.Error(); err != nil {
			f.Close()
			return exportedMsg{err: err}
		}
		return exportedMsg{path: name, err: f.Close()}
	})
}

// safeCell keeps a spreadsheet from running a cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func num(v *float64) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%.4f", *v)
}

func (s *insightsScreen) ShortHelp() []key.Binding {
	k := s.env.keys
	return []key.Binding{k.List.Down, k.Insights.Dimension, k.Insights.Attr, k.Insights.Period, k.Insights.Sort, k.List.Open, k.Insights.Export, k.Insights.Demand}
}

func (s *insightsScreen) FullHelp() [][]key.Binding {
	k := s.env.keys
	return [][]key.Binding{
		{k.List.Down, k.List.Up, k.List.PageDown, k.List.PageUp, k.List.Top, k.List.Bottom},
		{k.Insights.Dimension, k.Insights.Attr, k.Insights.Values, k.Insights.Period, k.Insights.Sort, k.List.Open, k.Insights.Export, k.Insights.Demand, k.Customers.Refresh},
	}
}

func (s *insightsScreen) View() string {
	if s.demand.on {
		return s.demandView()
	}
	st := s.env.styles
	var b strings.Builder
	head := st.Title.Render("Insights") + "  " + st.Label.Render("by ") + s.dimensionTitle() +
		"  " + st.Label.Render("period ") + insightPeriods[s.period].name + "  " + st.Label.Render("sort ") + s.sortName()
	if s.loading {
		head += "  " + s.spin.View() + st.Faint.Render(" computing…")
		// Dimensions the aggregates do not keep read every feedback
		// row: on millions that takes seconds, so the wait is counted.
		if d := s.env.now().Sub(s.started); d >= time.Second {
			head += st.Faint.Render(fmt.Sprintf(" %ds", int(d.Seconds())))
		}
	}
	b.WriteString(padRight(head, s.width))
	b.WriteByte('\n')
	if s.err != nil {
		b.WriteString(st.Bad.Render(fit("  "+errText(s.err), s.width)))
		return b.String()
	}
	if s.sum == nil {
		return b.String()
	}
	keyW := max(10, min(24, s.width/5))
	trendW := max(0, min(12, s.width-keyW-75))
	hdr := "  " + cell("Group", keyW) + " " + cellRight("n", 8) + " " + cellRight("CSAT", 5) + " " +
		cellRight("satisfied", 9) + " " + cell(" 95% interval", 22) + " " + cellRight("NPS", 9) + " " + cellRight("compl.", 7)
	if trendW > 0 {
		hdr += " " + cell("trend", trendW)
	}
	b.WriteString(st.Header.Render(padRight(hdr, s.width)))
	b.WriteByte('\n')
	overall := s.sum.Overall
	overall.Flag = "" // the yardstick, not a group
	b.WriteString(st.Header.Render(padRight(" "+noMark(s.groupLine(overall, keyW, trendW)), s.width)))
	n := s.rowsShown()
	for i := s.top; i < s.top+n; i++ {
		b.WriteByte('\n')
		if i >= len(s.sum.Groups) {
			if i == 0 {
				b.WriteString(st.Faint.Render("  no feedback in this period"))
			}
			continue
		}
		g := s.sum.Groups[i]
		line := s.groupLine(g, keyW, trendW)
		switch {
		case i == s.sel: // the cursor has its own column: the ▲/▼ stays visible
			b.WriteString(st.RowSel.Render(padRight("›"+noMark(line), s.width)))
		case g.Flag == "small":
			b.WriteString(st.Faint.Render(padRight(" "+noMark(line), s.width)))
		case g.Flag == "below":
			b.WriteString(st.Bad.Render(padRight(" "+noMark(line), s.width)))
		case g.Flag == "above":
			b.WriteString(st.Good.Render(padRight(" "+noMark(line), s.width)))
		default:
			b.WriteString(padRight(" "+noMark(line), s.width))
		}
	}
	return b.String()
}

// noMark drops the NUL that separates a group line's flag from the rest.
func noMark(line string) string { return strings.Replace(line, "\x00", "", 1) }

// groupLine is one row of figures (flag, NUL, the rest); the interval is drawn as a bar on a
// 0–100% scale with the group's share marked.
func (s *insightsScreen) groupLine(g model.GroupFigures, keyW, trendW int) string {
	flag := " "
	switch g.Flag {
	case "above":
		flag = "▲"
	case "below":
		flag = "▼"
	case "small":
		flag = "·"
	}
	csat, sat, bar, nps := "–", "–", strings.Repeat(" ", 22), "–"
	if g.CSATAvg != nil {
		csat = fmt.Sprintf("%.2f", *g.CSATAvg)
	}
	if g.CSATSatPct != nil {
		sat = fmt.Sprintf("%.0f%%", *g.CSATSatPct)
		bar = " " + intervalBar(*g.CSATCILow, *g.CSATSatPct, *g.CSATCIHigh, 20) + " "
	}
	if g.NPS != nil {
		nps = fmt.Sprintf("%+.0f±%.0f", *g.NPS, *g.NPSMoE)
	}
	line := flag + "\x00" + cell(g.Key, keyW) + " " + cellRight(count(g.FeedbackN, 8), 8) + " " + cellRight(csat, 5) + " " +
		cellRight(sat, 9) + " " + bar + " " + cellRight(nps, 9) + " " + cellRight(count(g.ComplaintsN, 7), 7)
	if trendW > 0 {
		var vals []*float64
		for _, p := range g.Trend {
			vals = append(vals, p.CSATAvg)
		}
		if len(vals) > trendW {
			vals = vals[len(vals)-trendW:]
		}
		line += " " + sparkline(vals, 1, 5)
	}
	return line
}

// intervalBar draws [lo, hi] (percent) as ─ on a w-cell 0–100 scale, with
// ● at the point estimate.
func intervalBar(lo, p, hi float64, w int) string {
	pos := func(v float64) int { return max(0, min(w-1, int(v/100*float64(w-1)+0.5))) }
	cells := []rune(strings.Repeat("·", w))
	for i := pos(lo); i <= pos(hi); i++ {
		cells[i] = '─'
	}
	cells[pos(p)] = '●'
	return string(cells)
}

package storetest

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

const none = "(none)"

func orNone(s string) string {
	if s == "" {
		return none
	}
	return s
}

// keysOf is the groups a feedback item counts in for a dimension, as the
// contract states it (CONTRACT.md, summary).
func keysOf(dim string, f model.Feedback, c model.Customer) []string {
	switch dim {
	case "plan":
		return []string{orNone(c.Plan)}
	case "region":
		return []string{orNone(c.Region)}
	case "city":
		return []string{orNone(c.City)}
	case "lifecycle":
		return []string{orNone(string(c.Lifecycle))}
	case "language":
		return []string{orNone(c.Language)}
	case "tag":
		if len(c.Tags) == 0 {
			return []string{none}
		}
		return c.Tags
	case "channel":
		return []string{orNone(f.Channel)}
	case "kind":
		return []string{orNone(string(f.Kind))}
	case "category":
		return []string{orNone(f.Category)}
	case "agent":
		return []string{orNone(f.Agent)}
	case "source":
		return []string{orNone(f.Source)}
	case "month":
		return []string{f.CreatedAt.UTC().Format("2006-01")}
	case "week":
		y, w := f.CreatedAt.UTC().ISOWeek()
		return []string{fmt.Sprintf("%d-W%02d", y, w)}
	}
	if name, ok := strings.CutPrefix(dim, "attr."); ok {
		if v := f.Attrs[name]; v != "" {
			return []string{v}
		}
		return []string{orNone(c.Attrs[name])}
	}
	return []string{""}
}

// scanGroup tallies one group of the recomputation.
type scanGroup struct {
	tally      model.ScoreTally
	n, compl   int
	customers  map[int64]bool
	trend      map[string]*scanGroup
	trendOrder []string
}

func (g *scanGroup) add(f model.Feedback) {
	g.n++
	if g.customers == nil {
		g.customers = map[int64]bool{}
	}
	g.customers[f.CustomerID] = true
	if f.CSAT != nil {
		g.tally.AddCSAT(*f.CSAT)
	}
	if f.NPS != nil {
		g.tally.AddNPS(*f.NPS)
	}
	if f.Kind == model.KindComplaint {
		g.compl++
	}
}

func (g *scanGroup) figures(key string) model.GroupFigures {
	fig := model.Figures(key, g.tally)
	fig.FeedbackN, fig.CustomersN, fig.ComplaintsN = g.n, len(g.customers), g.compl
	return fig
}

// scanSummary recomputes a summary from the listed feedback: the rows
// pass keep, each counts once in each group of its dimension's keys.
func scanSummary(fb []model.Feedback, cust map[int64]model.Customer, dim string, keep func(model.Feedback) bool) (model.GroupFigures, map[string]model.GroupFigures, map[string][]model.TrendPoint) {
	var overall scanGroup
	groups := map[string]*scanGroup{}
	for _, f := range fb {
		if keep != nil && !keep(f) {
			continue
		}
		overall.add(f)
		if dim == "" {
			continue
		}
		for _, k := range keysOf(dim, f, cust[f.CustomerID]) {
			g := groups[k]
			if g == nil {
				g = &scanGroup{trend: map[string]*scanGroup{}}
				groups[k] = g
			}
			g.add(f)
			p := f.CreatedAt.UTC().Format("2006-01")
			if g.trend[p] == nil {
				g.trend[p] = &scanGroup{}
			}
			g.trend[p].add(f)
		}
	}
	all := overall.figures("")
	out := map[string]model.GroupFigures{}
	trends := map[string][]model.TrendPoint{}
	for k, g := range groups {
		fig := g.figures(k)
		fig.Flag = model.FlagGroup(fig, all)
		out[k] = fig
		var periods []string
		for p := range g.trend {
			periods = append(periods, p)
		}
		sort.Strings(periods)
		for _, p := range periods {
			nps, _ := g.trend[p].tally.NPS()
			trends[k] = append(trends[k], model.TrendPoint{Period: p, N: g.trend[p].n, CSATAvg: g.trend[p].tally.CSATAvg(), NPS: nps})
		}
	}
	return all, out, trends
}

func customersByID(t *testing.T, st model.Store) map[int64]model.Customer {
	out := map[int64]model.Customer{}
	for _, c := range allCustomers(t, st) {
		out[c.ID] = c
	}
	return out
}

// compareSummary checks a store's summary against the scan.
func compareSummary(t *testing.T, label string, got model.Summary, overall model.GroupFigures, groups map[string]model.GroupFigures) {
	t.Helper()
	overall.Key = got.Overall.Key
	overall.Flag = got.Overall.Flag
	if !sameFigures(got.Overall, overall) {
		t.Errorf("%s: overall %s, scan %s", label, show(got.Overall), show(overall))
	}
	if len(got.Groups) != len(groups) {
		t.Errorf("%s: %d groups, scan has %d", label, len(got.Groups), len(groups))
	}
	for i, g := range got.Groups {
		want, ok := groups[g.Key]
		if !ok {
			t.Errorf("%s: group %q is not in the scan", label, g.Key)
			continue
		}
		if !sameFigures(g, want) {
			t.Errorf("%s: group %s, scan %s", label, show(g), show(want))
		}
		if i > 0 && g.FeedbackN > got.Groups[i-1].FeedbackN {
			t.Errorf("%s: group %q (%d) after a smaller one (%d)", label, g.Key, g.FeedbackN, got.Groups[i-1].FeedbackN)
		}
	}
}

// checkSummaries compares the summary by every dimension (and attr.tier)
// with a scan over the listed feedback.
func checkSummaries(t *testing.T, st model.Store, when string) {
	t.Helper()
	fb, cust := allFeedback(t, st), customersByID(t, st)
	for _, dim := range append(append([]string{""}, model.SummaryDimensions...), "attr.tier") {
		got, err := st.Summary(ctx, model.SummaryQuery{By: dim})
		if err != nil {
			t.Errorf("%s: summary by %q: %v", when, dim, err)
			continue
		}
		overall, groups, _ := scanSummary(fb, cust, dim, nil)
		compareSummary(t, fmt.Sprintf("%s, by %q", when, dim), got, overall, groups)
	}
}

// testSummaries: every dimension (and attr.NAME), with a where, a date
// range and a monthly trend, equals a scan over the listed feedback; and
// stays equal after writes.
func testSummaries(t *testing.T, st model.Store) {
	fx := seed(t, st)
	check := func(when string) { checkSummaries(t, st, when) }
	check("after the seed")

	fb, cust := allFeedback(t, st), customersByID(t, st)
	since, until := base.Add(-40*24*time.Hour), base.Add(-5*24*time.Hour)
	for _, dim := range []string{"plan", "channel", "category"} {
		q := model.SummaryQuery{By: dim, Where: "plan != free", Since: since, Until: until, Trend: "month"}
		got := must(st.Summary(ctx, q))(t)
		overall, groups, trends := scanSummary(fb, cust, dim, func(f model.Feedback) bool {
			return cust[f.CustomerID].Plan != "free" && !f.CreatedAt.Before(since) && f.CreatedAt.Before(until)
		})
		label := fmt.Sprintf("by %s where plan != free, %s–%s", dim, since.Format("01-02"), until.Format("01-02"))
		compareSummary(t, label, got, overall, groups)
		for _, g := range got.Groups {
			want := trends[g.Key]
			if len(g.Trend) != len(want) {
				t.Errorf("%s: %q trend has %d points, scan %d", label, g.Key, len(g.Trend), len(want))
				continue
			}
			for i, p := range g.Trend {
				if p.Period != want[i].Period || p.N != want[i].N || !near(p.CSATAvg, want[i].CSATAvg) || !near(p.NPS, want[i].NPS) {
					t.Errorf("%s: %q trend point %+v, scan %+v", label, g.Key, p, want[i])
				}
			}
		}
	}

	// Writes of every kind keep the summaries equal to the scan.
	resolved, praise := model.StatusResolved, model.KindPraise
	cat := "Product/Bug"
	must(st.SetFeedback(ctx, "emma", feedbackIDs(fx.feedback[:9]), model.FeedbackPatch{Status: &resolved, Kind: &praise, Category: &cat}, 0))(t)
	plan, region := "enterprise", "华北"
	must(st.UpdateCustomer(ctx, "emma", fx.customers[2].ID, model.CustomerPatch{Plan: &plan, Region: &region, AddTags: []string{"new-tag"}}, 0))(t)
	addFeedback(t, st, "li.na", model.Feedback{CustomerID: fx.customers[5].ID, Body: "x", CSAT: ptr(5), NPS: ptr(10), Channel: "app"})
	check("after edits")
}

// segmentCases are expressions and the same filter written in Go.
var segmentCases = []struct {
	name, expr string
	keep       func(c model.Customer) bool
}{
	{"pro-happy", "plan = pro and csat_avg >= 3", func(c model.Customer) bool {
		return c.Plan == "pro" && c.CSATAvg != nil && *c.CSATAvg >= 3
	}},
	{"vip-or-churned", "tag:vip or lifecycle = churned", func(c model.Customer) bool {
		return hasTag(c, "vip") || c.Lifecycle == model.LifecycleChurned
	}},
	{"paying-plans", "plan in (pro, enterprise) and feedback_n >= 2", func(c model.Customer) bool {
		return (c.Plan == "pro" || c.Plan == "enterprise") && c.FeedbackN >= 2
	}},
	{"gold", "attr.tier = gold", func(c model.Customer) bool { return c.Attrs["tier"] == "gold" }},
	{"ltv-band", "ltv > 300 and ltv <= 800", func(c model.Customer) bool { return c.LTV > 300 && c.LTV <= 800 }},
	{"name-1x", "name ~ '客户1'", func(c model.Customer) bool { return strings.Contains(c.Name, "客户1") }},
	{"open-complaints", "complaints_open >= 1 or not (plan = free)", func(c model.Customer) bool {
		return c.ComplaintsOpen >= 1 || c.Plan != "free"
	}},
}

func hasTag(c model.Customer, tag string) bool {
	for _, t := range c.Tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}

// testSegments: each saved segment's members are the customers the same
// filter in Go keeps; counts, the segment summary and warnings agree; a
// bad expression is refused with its column and saves nothing.
func testSegments(t *testing.T, st model.Store) {
	seed(t, st)
	everyone := allCustomers(t, st)
	members := map[string][]int64{}
	for _, sc := range segmentCases {
		var want []int64
		for _, c := range everyone {
			if sc.keep(c) {
				want = append(want, c.ID)
			}
		}
		members[sc.name] = want
		if len(want) == 0 || len(want) == len(everyone) {
			t.Errorf("segment %s keeps %d of %d: the fixture does not test it", sc.name, len(want), len(everyone))
		}
		got := must(st.ListCustomers(ctx, model.CustomerQuery{Where: sc.expr, Limit: 1000}))(t)
		if !sameIDs(customerIDs(got.Rows), want) {
			t.Errorf("where %q = %v, want %v", sc.expr, sorted(customerIDs(got.Rows)), want)
		}
		seg := must(st.SaveSegment(ctx, "lead", sc.name, sc.expr, sc.name == "gold"))(t)
		if seg.Name != sc.name || seg.Expression != sc.expr {
			t.Errorf("saved %+v", seg)
		}
		if n, err := st.SegmentCount(ctx, sc.name); err != nil || n != len(want) {
			t.Errorf("SegmentCount(%s) = %d, %v, want %d", sc.name, n, err, len(want))
		}
	}
	if segs := must(st.Segments(ctx))(t); len(segs) != len(segmentCases) {
		t.Errorf("%d segments listed, want %d", len(segs), len(segmentCases))
	}
	// Saved segments are usable by name in an expression's place.
	got := must(st.Segment(ctx, "GOLD"))(t)
	if got.Expression != "attr.tier = gold" || !got.Warn {
		t.Errorf("Segment(GOLD) = %+v", got)
	}
	for _, c := range allCustomers(t, st) {
		in := false
		for _, id := range members["gold"] {
			in = in || id == c.ID
		}
		warned := false
		for _, w := range c.Warnings {
			warned = warned || w == "gold"
		}
		if in != warned {
			t.Errorf("customer %d: in gold %v, warned %v (%v)", c.ID, in, warned, c.Warnings)
		}
	}
	// The segment summary counts each member's feedback in its segment.
	fb := allFeedback(t, st)
	sum := must(st.Summary(ctx, model.SummaryQuery{Segments: true}))(t)
	for _, g := range sum.Groups {
		in := map[int64]bool{}
		for _, id := range members[g.Key] {
			in[id] = true
		}
		n := 0
		for _, f := range fb {
			if in[f.CustomerID] {
				n++
			}
		}
		if g.FeedbackN != n {
			t.Errorf("segment summary %q: %d feedback, members have %d", g.Key, g.FeedbackN, n)
		}
	}
	_, err := st.SaveSegment(ctx, "lead", "broken", "plan = pro and (csat_avg >", false)
	var se *model.SegmentError
	if !errors.As(err, &se) || se.Pos == 0 {
		t.Errorf("bad expression: %v", err)
	}
	if _, err := st.ListCustomers(ctx, model.CustomerQuery{Where: "nosuchfield = 1"}); !errors.As(err, &se) {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := st.Segment(ctx, "broken"); !isErr(err, model.ErrNotFound) {
		t.Errorf("a refused segment was saved: %v", err)
	}
	if err := st.DeleteSegment(ctx, "lead", "ltv-band"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Segment(ctx, "ltv-band"); !isErr(err, model.ErrNotFound) {
		t.Errorf("deleted segment: %v", err)
	}
}

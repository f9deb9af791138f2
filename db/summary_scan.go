package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// summaryScan is a summary the aggregates cannot answer (a --where, a
// period, a dimension they do not keep, or saved segments), computed in
// one pass: customers one after another, and each one's feedback from
// feedback_by_customer, which holds every column a tally reads (migration
// 7). A customer's rows arrive together, so a group counts its distinct
// customers without sorting, and nothing groups millions of rows in a
// sort, which took over a minute on 5M feedback.
type summaryScan struct {
	d       dialect
	keySQL  string // the row's group, or "" for segments
	keyArgs []any
	join    string    // what keySQL needs beyond f and c
	segs    []scanSeg // segments mode: one membership column each
	trend   string    // "month", "week" or ""
	filter  summaryFilter
	weeks   map[string]string // day → ISO week, for periodOf
	bands   *model.Bands      // groups an attribute's values into ranges, or nil
}

// periodOf names the trend bucket of a stored time as periodExprs does in
// SQL (strftime('%Y-%m') and strftime('%G-W%V') of the UTC time), without
// calling strftime for each of millions of rows.
func (sc *summaryScan) periodOf(created string) string {
	if len(created) < 10 {
		return ""
	}
	if sc.trend == "month" {
		return created[:7]
	}
	day := created[:10]
	if w, ok := sc.weeks[day]; ok {
		return w
	}
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	y, n := t.ISOWeek()
	w := fmt.Sprintf("%04d-W%02d", y, n)
	if sc.weeks == nil {
		sc.weeks = map[string]string{}
	}
	sc.weeks[day] = w
	return w
}

type scanSeg struct {
	name, where string
	args        []any
}

// scanGroup is one group's running tally; last is the customer counted
// last, and lastFB the feedback, so that a customer counts once per group
// and a feedback once however many rows the joins give it.
type scanGroup struct {
	groupTally
	last, lastFB int64
	trend        map[string]*scanGroup
}

func (g *scanGroup) add(customer, fb int64, csat, nps sql.NullInt64, complaint bool) {
	if g.lastFB == fb && g.feedbackN > 0 {
		return
	}
	g.lastFB = fb
	if g.last != customer || g.feedbackN == 0 {
		g.customersN++
		g.last = customer
	}
	g.feedbackN++
	if csat.Valid {
		g.t.AddCSAT(int(csat.Int64))
	}
	if nps.Valid {
		g.t.AddNPS(int(nps.Int64))
	}
	if complaint {
		g.complaint++
	}
}

// count tallies a row in the group and, with a period, in its trend.
func (g *scanGroup) count(period string, customer, fb int64, csat, nps sql.NullInt64, complaint bool) {
	g.add(customer, fb, csat, nps, complaint)
	if period == "" {
		return
	}
	if g.trend == nil {
		g.trend = map[string]*scanGroup{}
	}
	p := g.trend[period]
	if p == nil {
		p = &scanGroup{}
		g.trend[period] = p
	}
	p.add(customer, fb, csat, nps, complaint)
}

// points lists the trend oldest period first.
func (g *scanGroup) points() []model.TrendPoint {
	if g.trend == nil {
		return nil
	}
	periods := make([]string, 0, len(g.trend))
	for p := range g.trend {
		periods = append(periods, p)
	}
	sort.Strings(periods)
	out := make([]model.TrendPoint, 0, len(periods))
	for _, p := range periods {
		t := g.trend[p]
		nps, _ := t.t.NPS()
		out = append(out, model.TrendPoint{Period: p, N: t.feedbackN, CSATAvg: t.t.CSATAvg(), NPS: nps})
	}
	return out
}

// run returns the overall tally and the groups' (segments in their
// order, dimension groups in no particular order).
func (sc *summaryScan) run(ctx context.Context, tx querier) (overall *scanGroup, groups []*scanGroup, err error) {
	cols := "c.id, f.id, f.csat, f.nps, f.kind = 'complaint'"
	var args []any
	if sc.trend != "" {
		cols += ", f.created_at"
	}
	if sc.keySQL != "" {
		cols += ", " + sc.keySQL
		args = append(args, sc.keyArgs...)
	}
	for _, s := range sc.segs {
		cols += ", coalesce((" + s.where + "), " + sc.d.no() + ")" // NULL: not a member, as in a WHERE
		args = append(args, s.args...)
	}
	args = append(args, sc.filter.args...)
	// CROSS JOIN keeps customers outside, so each one's rows come together.
	query := "SELECT " + cols + " FROM customers c " + sc.d.orderedJoin() + " feedback f" + sc.d.indexedBy("feedback_by_customer") + " ON f.customer_id = c.id" +
		sc.join + sc.filter.sql()
	if sc.d.pg {
		// PostgreSQL joins as it sees fit: ask for each customer's rows
		// together, and each feedback's (one per tag) together inside them,
		// or the overall tally counts an item once per tag.
		query += " ORDER BY c.id, f.id"
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()

	overall = &scanGroup{}
	overall.key = SummaryAll
	byKey := map[string]*scanGroup{}
	segGroups := make([]*scanGroup, len(sc.segs))
	for i, s := range sc.segs {
		segGroups[i] = &scanGroup{}
		segGroups[i].key = s.name
	}
	var (
		customer, fb int64
		csat, nps    sql.NullInt64
		complaint    bool
		created, key string
		member       = make([]bool, len(sc.segs))
	)
	dest := []any{&customer, &fb, &csat, &nps, &complaint}
	if sc.trend != "" {
		dest = append(dest, &created)
	}
	if sc.keySQL != "" {
		dest = append(dest, &key)
	}
	for i := range member {
		dest = append(dest, &member[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		period := ""
		if sc.trend != "" {
			period = sc.periodOf(created)
		}
		overall.count(period, customer, fb, csat, nps, complaint)
		if sc.keySQL != "" {
			if sc.bands != nil {
				key = sc.bands.Of(key)
			}
			g := byKey[key]
			if g == nil {
				g = &scanGroup{}
				g.key = key
				byKey[key] = g
			}
			g.count(period, customer, fb, csat, nps, complaint)
		}
		for i, in := range member {
			if in {
				segGroups[i].count(period, customer, fb, csat, nps, complaint)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	groups = segGroups
	for _, g := range byKey {
		groups = append(groups, g)
	}
	return overall, groups, nil
}

package facts

import (
	"fmt"
	"slices"
	"sort"

	"github.com/rapportcrm/rapport/model"
)

// Query is one summary over a snapshot.
type Query struct {
	By   string // a model.SummaryDims name, "" for the overall figures only, or attr.NAME with Attr
	Attr *Attr  // the attribute's column when By is attr.NAME
	// Bands groups the attribute's values into ranges when they are
	// numbers or dates (Attr.Bands); otherwise each value is a group.
	Bands bool
	Trend string // "month", "week" or ""
	// Where keeps the feedback of these customers only; nil keeps all.
	Where Members
	// Segments groups by saved segment instead of By, in this order.
	Segments []Segment
	// SinceDay and UntilDay bound the feedback's day (YYYY-MM-DD, both
	// included, "" for no bound); Drop holds the feedback ids on those two
	// days whose time falls outside the bounds.
	SinceDay, UntilDay string
	Drop               map[uint32]bool
}

// Segment is a saved segment's members.
type Segment struct {
	Name    string
	Members Members
}

// Summarize tallies the feedback q covers, overall and per group, with
// each group's distinct customers and, with a trend, its points. The rules
// are model.ScoreTally's; flags and order are the caller's (model.Summary's
// Finish).
func (s *Snapshot) Summarize(q Query) (overall model.GroupFigures, groups []model.GroupFigures, err error) {
	k, err := s.keyer(q, &s.part, 0)
	if err != nil {
		return overall, nil, err
	}
	lo, hi := 0, len(s.days)
	dropA, dropB := -1, -1
	if q.SinceDay != "" {
		lo = sort.SearchStrings(s.days, q.SinceDay)
		if lo < len(s.days) && s.days[lo] == q.SinceDay {
			dropA = lo
		}
	}
	if q.UntilDay != "" {
		hi = sort.SearchStrings(s.days, q.UntilDay)
		if hi < len(s.days) && s.days[hi] == q.UntilDay {
			dropB = hi
			hi++
		}
	}
	if len(q.Drop) == 0 {
		dropA, dropB = -1, -1
	}
	var points []uint32 // day → trend point
	switch q.Trend {
	case "month":
		points = s.perDay[monthPoint]
	case "week":
		points = s.perDay[weekPoint]
	case "":
	default:
		return overall, nil, fmt.Errorf("%w: trend must be week or month, not %q", model.ErrInvalid, q.Trend)
	}
	t := newTally(k.groups, s.periods.len(), points != nil)
	var keys []uint32
	for pi, p := range [2]*part{&s.part, s.delta} {
		if p == nil {
			continue
		}
		rowBase, dm := 0, s.dayMap
		if pi == 1 {
			rowBase, dm = len(s.fbID), nil
		}
		k, err := s.keyer(q, p, rowBase)
		if err != nil {
			return overall, nil, err
		}
		for ci := range p.custIDs {
			from, to := p.rowOff[ci], p.rowOff[ci+1]
			place := ci
			if pi == 1 {
				place = int(s.dplace[ci])
			} else if s.masked != nil && s.masked.has(ci) {
				continue
			}
			if from == to || (q.Where != nil && !q.Where.has(place)) {
				continue
			}
			keys = k.ofCustomer(ci, place, keys[:0])
			c := int32(place)
			for r := from; r < to; r++ {
				d := int(p.day[r])
				if dm != nil {
					d = int(dm[d])
				}
				if d < lo || d >= hi || ((d == dropA || d == dropB) && q.Drop[p.fbID[r]]) {
					continue
				}
				pt := noPeriod
				if points != nil {
					pt = points[d]
				}
				csat, nps, compl := p.csat[r], p.nps[r], p.fbCols[k.kind].at(int(r)) == s.compl
				t.add(-1, pt, c, csat, nps, compl)
				if k.perRow != nil {
					t.add(int(k.perRow(place, int(r), d)), pt, c, csat, nps, compl)
					continue
				}
				for _, g := range keys {
					t.add(int(g), pt, c, csat, nps, compl)
				}
			}
		}
	}
	periodOrder := s.periodOrder()
	overall = t.figures(model.SummaryAll, -1, periodOrder, s.periods.names)
	for g := range k.groups {
		if k.names == nil || t.groups[g].fb > 0 {
			name := ""
			if k.names != nil {
				name = k.names[g]
			} else {
				name = q.Segments[g].Name
			}
			groups = append(groups, t.figures(name, g, periodOrder, s.periods.names))
		}
	}
	return overall, groups, nil
}

// periodOrder lists the period codes by name (months and weeks sort as
// text).
func (s *Snapshot) periodOrder() []uint32 {
	out := make([]uint32, s.periods.len())
	for i := range out {
		out[i] = uint32(i)
	}
	slices.SortFunc(out, func(a, b uint32) int { return compareStrings(s.periods.names[a], s.periods.names[b]) })
	return out
}

// keyer names the groups a customer's feedback falls in: the same for
// all of a customer's rows (ofCustomer, given the customer's index in its
// part and its place), or per row (perRow, given the place, the row in the
// part and its day).
type keyer struct {
	groups     int
	names      []string // nil for segments
	kind       int      // the kind column, for complaints
	ofCustomer func(ci, place int, keys []uint32) []uint32
	perRow     func(place, r, day int) uint32
}

// keyer answers for the rows of part p, whose rows count from rowBase in
// the snapshot's numbering of rows (an Attr's).
func (s *Snapshot) keyer(q Query, p *part, rowBase int) (keyer, error) {
	k := keyer{ofCustomer: func(int, int, []uint32) []uint32 { return nil }}
	k.kind = slices.Index(FeedbackDims(), "kind")
	if len(q.Segments) > 0 || q.Segments != nil {
		k.groups = len(q.Segments)
		k.ofCustomer = func(_, place int, keys []uint32) []uint32 {
			for i, sg := range q.Segments {
				if sg.Members.has(place) {
					keys = append(keys, uint32(i))
				}
			}
			return keys
		}
		return k, nil
	}
	if q.Attr != nil {
		a := q.Attr
		k.groups, k.names = a.dict.len(), a.dict.names
		k.perRow = func(place, r, _ int) uint32 {
			if a.has != nil && a.has.has(place) {
				if v, ok := a.over[uint32(rowBase+r)]; ok {
					return v
				}
			}
			return a.cust.at(place)
		}
		if q.Bands && a.banded() {
			k.groups, k.names = len(a.bandName), a.bandName
			code := k.perRow
			k.perRow = func(place, r, d int) uint32 { return a.bandOf[code(place, r, d)] }
		}
		return k, nil
	}
	if q.By == "" {
		return k, nil
	}
	dim, ok := model.LookupDim(q.By)
	if !ok {
		return k, fmt.Errorf("%w: cannot summarise by %q", model.ErrInvalid, q.By)
	}
	switch dim.Of {
	case model.OfCustomer:
		i := slices.Index(CustomerDims(), dim.Name)
		col := &p.custCols[i]
		k.groups, k.names = s.custDict[i].len(), s.custDict[i].names
		k.ofCustomer = func(ci, _ int, keys []uint32) []uint32 { return append(keys, col.at(ci)) }
	case model.OfFeedback:
		i := slices.Index(FeedbackDims(), dim.Name)
		col := &p.fbCols[i]
		k.groups, k.names = s.fbDict[i].len(), s.fbDict[i].names
		k.perRow = func(_, r, _ int) uint32 { return col.at(r) }
	case model.OfTags:
		k.groups, k.names = s.tagDict.len(), s.tagDict.names
		k.ofCustomer = func(ci, _ int, keys []uint32) []uint32 {
			from, to := p.tagOff[ci], p.tagOff[ci+1]
			if from == to {
				return append(keys, s.tagNone)
			}
			for j := from; j < to; j++ {
				keys = append(keys, p.tagCode.at(int(j)))
			}
			return keys
		}
	case model.OfPeriod:
		col := s.perDay[monthGroup]
		if dim.Name == "week" {
			col = s.perDay[weekGroup]
		}
		k.groups, k.names = s.periods.len(), s.periods.names
		k.perRow = func(_, _, d int) uint32 { return col[d] }
	}
	return k, nil
}

// acc is one group's running tally; last is the customer counted last
// (a customer's rows come together, so this counts distinct customers).
type acc struct {
	fb, cust, compl int
	last            int32
	t               model.ScoreTally
}

func (a *acc) add(c int32, csat, nps int8, compl bool) {
	if a.last != c {
		a.cust++
		a.last = c
	}
	a.fb++
	a.t.AddCSAT(int(csat))
	a.t.AddNPS(int(nps))
	if compl {
		a.compl++
	}
}

// point is a group's tally over one period.
type point struct {
	n int
	t model.ScoreTally
}

type tally struct {
	overall acc
	groups  []acc
	nper    int
	trend   bool
	dense   [][]point           // group+1 → period → point, when small enough
	sparse  map[[2]int32]*point // (group+1, period) otherwise
}

func newTally(groups, periods int, trend bool) *tally {
	t := &tally{groups: make([]acc, groups), nper: periods, trend: trend}
	t.overall.last = -1
	for i := range t.groups {
		t.groups[i].last = -1
	}
	if trend {
		if (groups+1)*periods <= 1<<20 {
			t.dense = make([][]point, groups+1)
		} else {
			t.sparse = map[[2]int32]*point{}
		}
	}
	return t
}

// add counts a row in group g (-1: overall) and its period p.
func (t *tally) add(g int, p uint32, c int32, csat, nps int8, compl bool) {
	a := &t.overall
	if g >= 0 {
		a = &t.groups[g]
	}
	a.add(c, csat, nps, compl)
	if p == noPeriod {
		return
	}
	var pt *point
	if t.dense != nil {
		row := t.dense[g+1]
		if row == nil {
			row = make([]point, t.nper)
			t.dense[g+1] = row
		}
		pt = &row[p]
	} else {
		key := [2]int32{int32(g + 1), int32(p)}
		if pt = t.sparse[key]; pt == nil {
			pt = &point{}
			t.sparse[key] = pt
		}
	}
	pt.n++
	pt.t.AddCSAT(int(csat))
	pt.t.AddNPS(int(nps))
}

func (t *tally) figures(key string, g int, order []uint32, names []string) model.GroupFigures {
	a := &t.overall
	if g >= 0 {
		a = &t.groups[g]
	}
	f := model.Figures(key, a.t)
	f.FeedbackN, f.CustomersN, f.ComplaintsN = a.fb, a.cust, a.compl
	f.Trend = []model.TrendPoint{}
	if !t.trend {
		return f
	}
	for _, p := range order {
		var pt *point
		if t.dense != nil {
			if row := t.dense[g+1]; row != nil {
				pt = &row[p]
			}
		} else {
			pt = t.sparse[[2]int32{int32(g + 1), int32(p)}]
		}
		if pt == nil || pt.n == 0 {
			continue
		}
		nps, _ := pt.t.NPS()
		f.Trend = append(f.Trend, model.TrendPoint{Period: names[p], N: pt.n, CSATAvg: pt.t.CSATAvg(), NPS: nps})
	}
	return f
}

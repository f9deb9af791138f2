package db

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/facts"
	"github.com/rapportcrm/rapport/model"
)

// The members of a --where or a saved segment, for a summary from the
// Insights snapshot. Asking the database for them all took most of a
// view's time when a condition names an attribute: `ltv >= 1000 and
// attr.signup_source = "app_store"` read every customer's attributes
// (1.07–1.28 s at 1M customers). Here an expression over what the
// snapshot holds — customer dimensions (plan, region, city, lifecycle,
// language), tags, attributes — is answered from it; in one that also
// names other fields (ltv, csat_avg, a name…) the attribute conditions
// are, and the rest is asked of the database in as few statements as its
// shape allows (members); the sets are combined in memory (not is the
// complement, since every compiled condition is two-valued).
//
// Which values a condition keeps is still the database's call: the
// condition, compiled as for the customers table, runs over a small table
// of the column's distinct values (an attribute's value inside a JSON
// object of its own), so =, ~, a number read from text, case folding and
// PostgreSQL's collation mean exactly what they mean in the SQL path. An
// attribute condition also holds for a customer when one of its feedback
// has the attribute so (attrEither): that part is one statement over the
// feedback that has attributes at all (the feedback_with_attrs index).
// The snapshot cannot tell an empty dimension value from "(none)", nor
// decode some customers' attributes (attrPairs): a condition that would
// tell such values apart, or a column of many such customers, is asked
// of the database whole.

// attrSide says which attributes an attribute condition reads when
// compiled: both the customer's and its feedback's (what the segment
// language means), or one of them.
type attrSide int

const (
	attrBoth attrSide = iota
	attrOwn
	attrFeedback
)

// factsWhere answers expressions for one snapshot inside one read
// transaction.
type factsWhere struct {
	ctx  context.Context
	tx   querier
	d    dialect
	snap *facts.Snapshot
	now  time.Time
	held map[string]bool // attribute name → the snapshot holds it

	fromSnap, fromSQL int // conditions answered from the snapshot; statements asking the database for members
}

func (s *Store) newFactsWhere(ctx context.Context, tx querier, snap *facts.Snapshot) *factsWhere {
	return &factsWhere{ctx: ctx, tx: tx, d: s.d, snap: snap, now: s.now(), held: map[string]bool{}}
}

// members is the customers e selects. The snapshot answers e whole when
// it holds every field e names. Otherwise it answers the attribute
// conditions (the costly ones in SQL, which reads every customer's
// attributes), and the other conditions of a chain go with the
// conditions the database must answer, which they narrow through its
// indexes: `lifecycle = paying and last_contact_days > 90` stays one
// statement.
func (w *factsWhere) members(e model.SegmentExpr) (facts.Members, error) {
	all, attr := w.answers(e)
	if !all && !attr {
		return w.sqlMembers(e)
	}
	switch x := e.(type) {
	case *model.AndExpr, *model.OrExpr:
		_, and := x.(*model.AndExpr)
		parts := chain(e, and)
		mixed := slices.ContainsFunc(parts, func(p model.SegmentExpr) bool {
			all, attr := w.answers(p)
			return !all && !attr
		})
		var m facts.Members
		var rest model.SegmentExpr // the conditions the database answers, in one statement
		for _, p := range parts {
			if all, attr := w.answers(p); !attr && (mixed || !all) {
				rest = joinExpr(rest, p, and)
				continue
			}
			pm, err := w.members(p)
			if err != nil {
				return nil, err
			}
			m = combine(m, pm, and)
		}
		if rest != nil {
			pm, err := w.sqlMembers(rest)
			if err != nil {
				return nil, err
			}
			m = combine(m, pm, and)
		}
		return m, nil
	case *model.NotExpr:
		m, err := w.members(x.X)
		if err != nil {
			return nil, err
		}
		all := w.snap.AllMembers()
		all.AndNot(m)
		return all, nil
	case *model.TagExpr:
		m, _ := w.snap.TagMembers(x.Name)
		w.fromSnap++
		return m, nil
	case *model.CompareExpr:
		return w.field(e, x.Field)
	case *model.InExpr:
		if x.Not { // not (field in …): customers without the attribute too
			return w.members(&model.NotExpr{X: &model.InExpr{Field: x.Field, Values: x.Values}})
		}
		return w.field(e, x.Field)
	}
	return w.sqlMembers(e)
}

// answers reports whether the snapshot holds every field e names (all),
// and whether e has an attribute condition the snapshot answers (attr).
func (w *factsWhere) answers(e model.SegmentExpr) (all, attr bool) {
	both := func(l, r model.SegmentExpr) (bool, bool) {
		a1, t1 := w.answers(l)
		a2, t2 := w.answers(r)
		return a1 && a2, t1 || t2
	}
	switch x := e.(type) {
	case *model.AndExpr:
		return both(x.L, x.R)
	case *model.OrExpr:
		return both(x.L, x.R)
	case *model.NotExpr:
		return w.answers(x.X)
	case *model.TagExpr:
		return x.Name != "" && x.Name != model.SummaryNone, false
	case *model.CompareExpr:
		return w.holds(x.Field), x.Field.IsAttr() && w.holds(x.Field)
	case *model.InExpr:
		ok := len(x.Values) > 0 && w.holds(x.Field)
		return ok, ok && x.Field.IsAttr()
	}
	return false, false
}

// holds reports whether the snapshot holds field f.
func (w *factsWhere) holds(f model.Field) bool {
	if f.IsAttr() {
		ok, seen := w.held[f.Attr]
		if !seen {
			_, ok = w.snap.AttrValues(f.Attr)
			w.held[f.Attr] = ok
		}
		return ok
	}
	return textColumns[f.Name] != "" && slices.Contains(facts.CustomerDims(), f.Name)
}

// chain flattens a chain of one operator: a and (b and c) → a, b, c.
func chain(e model.SegmentExpr, and bool) []model.SegmentExpr {
	switch x := e.(type) {
	case *model.AndExpr:
		if and {
			return append(chain(x.L, and), chain(x.R, and)...)
		}
	case *model.OrExpr:
		if !and {
			return append(chain(x.L, and), chain(x.R, and)...)
		}
	}
	return []model.SegmentExpr{e}
}

func joinExpr(l, r model.SegmentExpr, and bool) model.SegmentExpr {
	switch {
	case l == nil:
		return r
	case and:
		return &model.AndExpr{L: l, R: r}
	}
	return &model.OrExpr{L: l, R: r}
}

func combine(m, o facts.Members, and bool) facts.Members {
	switch {
	case m == nil:
		return o
	case and:
		m.And(o)
	default:
		m.Or(o)
	}
	return m
}

// compile compiles e for the customers table c (attribute conditions
// reading side's attributes; the feedback's are fa's).
func (w *factsWhere) compile(e model.SegmentExpr, side attrSide) (string, []any, error) {
	c := &segCompiler{now: w.now.UTC(), d: w.d, side: side}
	var b strings.Builder
	if err := c.expr(&b, e); err != nil {
		return "", nil, err
	}
	return b.String(), c.args, nil
}

// sqlMembers asks the database which customers e selects.
func (w *factsWhere) sqlMembers(e model.SegmentExpr) (facts.Members, error) {
	where, args, err := w.compile(e, attrBoth)
	if err != nil {
		return nil, err
	}
	w.fromSQL++
	ids, err := customerIDs(w.ctx, w.tx, where, args)
	if err != nil {
		return nil, err
	}
	return w.snap.Members(ids), nil
}

// field answers a condition (e) on field f, which the snapshot holds.
func (w *factsWhere) field(e model.SegmentExpr, f model.Field) (facts.Members, error) {
	if f.IsAttr() {
		return w.attr(e, f.Attr)
	}
	vals, _ := w.snap.DimValues(f.Name)
	// The code of none stands for "" and "(none)": both are asked, and
	// the database answers when the condition tells them apart.
	none := slices.Index(vals, model.SummaryNone)
	asked := vals
	if none >= 0 {
		asked = append(slices.Clip(vals), "")
	}
	for _, v := range asked {
		if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 { // not the same text through JSON
			return w.sqlMembers(e)
		}
	}
	keep, err := w.kept(e, f.Name, asked)
	if err != nil {
		return nil, err
	}
	if none >= 0 && keep[none] != keep[len(vals)] {
		return w.sqlMembers(e)
	}
	w.fromSnap++
	return w.snap.DimMembers(f.Name, keep[:len(vals)]), nil
}

// attr answers a condition (e) on attribute name: from the values the
// snapshot holds, the customers it could not decode and the feedback's
// own attributes asked of the database.
func (w *factsWhere) attr(e model.SegmentExpr, name string) (facts.Members, error) {
	vals, _ := w.snap.AttrValues(name)
	var keep []bool
	if len(vals) > 0 {
		// each value as a customer's attrs holding it alone (names and
		// values the snapshot holds need no escaping: attrPairs)
		objs := make([]string, len(vals))
		for i, v := range vals {
			objs[i] = `{"` + name + `":"` + v + `"}`
		}
		var err error
		if keep, err = w.kept(e, "attrs", objs); err != nil {
			return nil, err
		}
	}
	m, odd := w.snap.AttrMembers(name, keep)
	if len(odd) > factsOddMax {
		return w.sqlMembers(e)
	}
	own, args, err := w.compile(e, attrOwn)
	if err != nil {
		return nil, err
	}
	for chunk := range slices.Chunk(odd, factsIDChunk) {
		in, ids := idList(chunk)
		got, err := queryColumn[int64](w.ctx, w.tx, "SELECT c.id FROM customers c WHERE c.id IN "+in+" AND ("+own+")",
			append(ids, args...)...)
		if err != nil {
			return nil, err
		}
		m.Or(w.snap.Members(got))
	}
	fb, args, err := w.compile(e, attrFeedback)
	if err != nil {
		return nil, err
	}
	got, err := queryColumn[int64](w.ctx, w.tx, "SELECT DISTINCT fa.customer_id FROM feedback fa WHERE fa.attrs <> '{}' AND ("+fb+")", args...)
	if err != nil {
		return nil, err
	}
	m.Or(w.snap.Members(got))
	w.fromSnap++
	return m, nil
}

// kept runs condition e over a table of values in column col of c (the
// same column the condition reads on customers) and says which it keeps.
func (w *factsWhere) kept(e model.SegmentExpr, col string, values []string) ([]bool, error) {
	where, args, err := w.compile(e, attrOwn)
	if err != nil {
		return nil, err
	}
	list, err := json.Marshal(values)
	if err != nil {
		return nil, err
	}
	table := "(SELECT key AS k, value AS " + col + " FROM json_each(?)) AS c"
	if w.d.pg {
		table = "(SELECT ord - 1 AS k, value COLLATE \"C\" AS " + col +
			" FROM json_array_elements_text(CAST(? AS json)) WITH ORDINALITY AS e(value, ord)) AS c"
	}
	ks, err := queryColumn[int64](w.ctx, w.tx, "SELECT c.k FROM "+table+" WHERE "+where, append([]any{string(list)}, args...)...)
	if err != nil {
		return nil, err
	}
	keep := make([]bool, len(values))
	for _, k := range ks {
		if k >= 0 && int(k) < len(keep) {
			keep[k] = true
		}
	}
	return keep, nil
}

// savedSegment is a saved segment's name and its expression, expanded.
type savedSegment struct {
	name string
	expr model.SegmentExpr
}

// savedSegments parses every saved segment, leaving out those that no
// longer compile, as segmentFilters does.
func (s *Store) savedSegments(ctx context.Context, tx querier) ([]savedSegment, error) {
	segs, err := segmentsWhere(ctx, tx, "")
	if err != nil {
		return nil, err
	}
	var out []savedSegment
	now := s.now()
	for _, sg := range segs {
		expr, err := expandSegmentText(ctx, tx, sg.Expression)
		if err != nil {
			continue
		}
		e, err := model.ParseSegment(expr)
		if err != nil {
			continue
		}
		if _, _, err := compileSegmentFor(s.d, e, now); err != nil {
			continue
		}
		out = append(out, savedSegment{name: sg.Name, expr: e})
	}
	return out, nil
}

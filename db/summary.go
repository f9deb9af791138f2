package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// SummaryAll is the key of the overall figures.
const SummaryAll = model.SummaryAll

// weekExpr names a feedback's ISO week, 2026-W47 (UTC).
const weekExpr = "strftime('%G-W%V', f.created_at)"

// weekExprPG is weekExpr on PostgreSQL.
const weekExprPG = `to_char(CAST(f.created_at AS timestamp), 'IYYY-"W"IW')`

// periodExprs are the trend buckets (summaryScan.periodOf computes the
// same in Go).
var periodExprs = map[string]string{"month": "substr(f.created_at, 1, 7)", "week": weekExpr}

type groupTally struct {
	key                              string
	feedbackN, customersN, complaint int
	t                                model.ScoreTally
}

func (g groupTally) figures() model.GroupFigures {
	f := model.Figures(g.key, g.t)
	f.FeedbackN, f.CustomersN, f.ComplaintsN = g.feedbackN, g.customersN, g.complaint
	f.Trend = []model.TrendPoint{}
	return f
}

// summaryFilter is the feedback a summary covers.
type summaryFilter struct {
	where []string
	args  []any
}

func (f summaryFilter) sql() string {
	if len(f.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.where, " AND ")
}

// Summary computes satisfaction figures over feedback: overall, and per
// group of the dimension q.By (or per saved segment with q.Segments), each
// flagged against the overall figures, largest group first.
func (s *Store) Summary(ctx context.Context, q model.SummaryQuery) (model.Summary, error) {
	by := strings.TrimSpace(q.By)
	var key struct{ expr, join string }
	var keyArgs []any
	attrName := "" // set when grouping by attr.NAME
	switch {
	case q.Segments:
		if by != "" {
			return model.Summary{}, fmt.Errorf("%w: group by dimension or by segment, not both", model.ErrInvalid)
		}
		by = "segment"
	case strings.HasPrefix(by, "attr."):
		name := strings.TrimPrefix(by, "attr.")
		if name == "" {
			return model.Summary{}, fmt.Errorf("%w: attr. needs an attribute name", model.ErrInvalid)
		}
		// A feedback's own attribute (a ticket export's column) names its
		// group; without one, its customer's does.
		key.expr = "coalesce(nullif(CAST(json_extract(f.attrs, ?) AS TEXT), ''), json_extract(c.attrs, ?))"
		keyArgs = []any{attrPath(name), attrPath(name)}
		attrName = name
	case by != "":
		k, ok := summaryKeys[by]
		if !ok {
			return model.Summary{}, fmt.Errorf("%w: cannot summarise by %q (one of %s, attr.NAME)",
				model.ErrInvalid, by, strings.Join(model.SummaryDimensions, ", "))
		}
		key = k
		if by == "week" && s.d.pg {
			key.expr = weekExprPG
		}
	}
	if _, ok := periodExprs[q.Trend]; q.Trend != "" && !ok {
		return model.Summary{}, fmt.Errorf("%w: trend must be week or month, not %q", model.ErrInvalid, q.Trend)
	}
	now := s.now()
	var filter summaryFilter
	var whereExpr model.SegmentExpr // the --where, parsed
	if !q.Since.IsZero() {
		filter.where = append(filter.where, "f.created_at >= ?")
		filter.args = append(filter.args, fmtTime(q.Since))
	}
	if !q.Until.IsZero() {
		filter.where = append(filter.where, "f.created_at < ?")
		filter.args = append(filter.args, fmtTime(q.Until))
	}
	if strings.TrimSpace(q.Where) != "" {
		where, err := s.expandWhere(ctx, q.Where)
		if err != nil {
			return model.Summary{}, err
		}
		e, err := model.ParseSegment(where)
		if err != nil {
			return model.Summary{}, err
		}
		w, args, err := compileSegmentFor(s.d, e, now)
		if err != nil {
			return model.Summary{}, err
		}
		filter.where = append(filter.where, "("+w+")")
		filter.args = append(filter.args, args...)
		whereExpr = e
	}
	// The snapshot answers, unless the aggregates can and the snapshot
	// would first have to be (re)loaded: a one-shot `summary --by plan`
	// stays a millisecond, and a write does not make the next such view
	// wait for a reload.
	fromAgg := aggAnswers(q) && !s.exactSummaries && s.aggCurrent(ctx)
	if s.pinned == nil && !s.exactSummaries && !(fromAgg && !s.factsCurrent(ctx)) {
		out, err := s.summaryFromFacts(ctx, q, by, attrName, whereExpr)
		if err == nil {
			return out, nil
		}
		if !errors.Is(err, errFactsUnfit) {
			return model.Summary{}, fmt.Errorf("summary: %w", err)
		}
	}
	out := model.Summary{By: by, Groups: []model.GroupFigures{}}
	if fromAgg {
		err := s.read(ctx, func(tx *sql.Tx) error {
			overall, groups, trend, err := summaryFromAgg(ctx, tx, by, q.Trend)
			if err != nil {
				return err
			}
			out.Overall = overall.figures()
			if tr := trend[SummaryAll]; tr != nil {
				out.Overall.Trend = tr
			}
			for _, g := range groups {
				fig := g.figures()
				fig.Flag = model.FlagGroup(fig, out.Overall)
				if tr := trend[g.key]; tr != nil {
					fig.Trend = tr
				}
				out.Groups = append(out.Groups, fig)
			}
			return nil
		})
		if err != nil {
			return model.Summary{}, fmt.Errorf("summary: %w", err)
		}
		return finishSummary(out), nil
	}
	sc := summaryScan{trend: q.Trend, filter: filter, d: s.d}
	err := s.read(ctx, func(tx *sql.Tx) error {
		switch {
		case q.Segments:
			segs, err := s.segmentFilters(ctx, tx)
			if err != nil {
				return err
			}
			sc.segs = segs
		case key.expr != "":
			if attrName != "" {
				// Reading each feedback's attrs leaves the covering index
				// for the rows themselves; when no feedback has the
				// attribute, the customer's alone names the group.
				some, err := feedbackHasAttr(ctx, tx, attrName)
				if err != nil {
					return err
				}
				if !some {
					key.expr, keyArgs = "json_extract(c.attrs, ?)", []any{attrPath(attrName)}
				}
			}
			sc.keySQL = "coalesce(nullif(CAST(" + key.expr + " AS TEXT), ''), '" + model.SummaryNone + "')"
			if attrName != "" && q.Bands {
				values, err := attrValues(ctx, tx, attrName)
				if err != nil {
					return err
				}
				sc.bands = model.NewBands(values)
				out.Banded = sc.bands != nil
			}
			sc.keyArgs, sc.join = keyArgs, key.join
		}
		overall, groups, err := sc.run(ctx, tx)
		if err != nil {
			return err
		}
		out.Overall = overall.figures()
		if tr := overall.points(); tr != nil {
			out.Overall.Trend = tr
		}
		for _, g := range groups {
			fig := g.figures()
			fig.Flag = model.FlagGroup(fig, out.Overall)
			if tr := g.points(); tr != nil {
				fig.Trend = tr
			}
			out.Groups = append(out.Groups, fig)
		}
		return nil
	})
	if err != nil {
		return model.Summary{}, fmt.Errorf("summary: %w", err)
	}
	return finishSummary(out), nil
}

// attrValues lists the values attribute name has on customers and on
// feedback (the snapshot's Attr.banding reads the same), for its ranges.
func attrValues(ctx context.Context, tx querier, name string) ([]string, error) {
	return queryColumn[string](ctx, tx,
		"SELECT DISTINCT CAST(json_extract(attrs, ?) AS TEXT) FROM customers WHERE json_extract(attrs, ?) IS NOT NULL"+
			" UNION SELECT DISTINCT CAST(json_extract(attrs, ?) AS TEXT) FROM feedback WHERE attrs <> '{}' AND json_extract(attrs, ?) IS NOT NULL",
		attrPath(name), attrPath(name), attrPath(name), attrPath(name))
}

// finishSummary flags the overall row and orders the groups, largest
// first.
func finishSummary(out model.Summary) model.Summary {
	out.Overall.Flag = model.FlagGroup(out.Overall, out.Overall)
	sort.SliceStable(out.Groups, func(i, j int) bool {
		a, b := out.Groups[i], out.Groups[j]
		if a.FeedbackN != b.FeedbackN {
			return a.FeedbackN > b.FeedbackN
		}
		return a.Key < b.Key
	})
	return out
}

package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// SummaryAll is the key of the overall figures.
const SummaryAll = "(all)"

// summaryKeys maps each dimension to the expression that names a
// feedback's group; joins adds what it needs beyond feedback f and its
// customer c.
var summaryKeys = map[string]struct{ expr, join string }{
	"plan":      {expr: "c.plan"},
	"region":    {expr: "c.region"},
	"city":      {expr: "c.city"},
	"lifecycle": {expr: "c.lifecycle"},
	"language":  {expr: "c.language"},
	"channel":   {expr: "f.channel"},
	"kind":      {expr: "f.kind"},
	"agent":     {expr: "f.agent"},
	"source":    {expr: "f.source"},
	"category":  {expr: "cat.path", join: " LEFT JOIN categories cat ON cat.id = f.category_id"},
	// a feedback counts once in each of its customer's tags
	"tag":   {expr: "tg.name", join: " LEFT JOIN customer_tags ctg ON ctg.customer_id = c.id LEFT JOIN tags tg ON tg.id = ctg.tag_id"},
	"month": {expr: "strftime('%Y-%m', f.created_at)"},
	"week":  {expr: weekExpr},
}

// weekExpr names a feedback's ISO week, 2026-W47 (UTC).
const weekExpr = "strftime('%G-W%V', f.created_at)"

// periodExprs are the trend buckets.
var periodExprs = map[string]string{"month": "strftime('%Y-%m', f.created_at)", "week": weekExpr}

// tallyCols computes a ScoreTally and the row counts of a group, in the
// order scanTally reads them.
const tallyCols = `count(*), count(DISTINCT f.customer_id), count(f.csat), coalesce(sum(f.csat), 0),
	coalesce(sum(f.csat >= 4), 0), count(f.nps), coalesce(sum(f.nps >= 9), 0), coalesce(sum(f.nps <= 6), 0),
	coalesce(sum(f.kind = 'complaint'), 0)`

type groupTally struct {
	key                              string
	feedbackN, customersN, complaint int
	t                                model.ScoreTally
}

func scanTally(r rowScanner, extra ...any) (groupTally, error) {
	var g groupTally
	dest := append(extra, &g.feedbackN, &g.customersN, &g.t.CSATN, &g.t.CSATSum, &g.t.CSATSat,
		&g.t.NPSN, &g.t.Promoters, &g.t.Detractors, &g.complaint)
	err := r.Scan(dest...)
	return g, err
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
		key.expr = "json_extract(c.attrs, ?)"
		keyArgs = []any{attrPath(name)}
	case by != "":
		k, ok := summaryKeys[by]
		if !ok {
			return model.Summary{}, fmt.Errorf("%w: cannot summarise by %q (one of %s, attr.NAME)",
				model.ErrInvalid, by, strings.Join(model.SummaryDimensions, ", "))
		}
		key = k
	}
	period := ""
	if q.Trend != "" {
		p, ok := periodExprs[q.Trend]
		if !ok {
			return model.Summary{}, fmt.Errorf("%w: trend must be week or month, not %q", model.ErrInvalid, q.Trend)
		}
		period = p
	}
	now := s.now()
	var filter summaryFilter
	if !q.Since.IsZero() {
		filter.where = append(filter.where, "f.created_at >= ?")
		filter.args = append(filter.args, fmtTime(q.Since))
	}
	if !q.Until.IsZero() {
		filter.where = append(filter.where, "f.created_at < ?")
		filter.args = append(filter.args, fmtTime(q.Until))
	}
	if strings.TrimSpace(q.Where) != "" {
		e, err := model.ParseSegment(q.Where)
		if err != nil {
			return model.Summary{}, err
		}
		w, args, err := compileSegment(e, now)
		if err != nil {
			return model.Summary{}, err
		}
		filter.where = append(filter.where, "("+w+")")
		filter.args = append(filter.args, args...)
	}
	const from = " FROM feedback f JOIN customers c ON c.id = f.customer_id"

	out := model.Summary{By: by, Groups: []model.GroupFigures{}}
	if aggAnswers(q) && !s.exactSummaries {
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
	err := s.read(ctx, func(tx *sql.Tx) error {
		// Overall.
		g, err := scanTally(tx.QueryRowContext(ctx, "SELECT "+tallyCols+from+filter.sql(), filter.args...))
		if err != nil {
			return err
		}
		g.key = SummaryAll
		out.Overall = g.figures()
		if period != "" {
			tr, err := trends(ctx, tx, "?", []any{SummaryAll}, from, filter, period)
			if err != nil {
				return err
			}
			if t := tr[SummaryAll]; t != nil {
				out.Overall.Trend = t
			}
		}

		var groups []groupTally
		trend := map[string][]model.TrendPoint{}
		switch {
		case q.Segments:
			segs, err := segmentsWhere(ctx, tx, "")
			if err != nil {
				return err
			}
			for _, sg := range segs {
				e, err := model.ParseSegment(sg.Expression)
				if err != nil {
					continue
				}
				w, args, err := compileSegment(e, now)
				if err != nil {
					continue
				}
				f := summaryFilter{where: append(append([]string{}, filter.where...), "("+w+")"),
					args: append(append([]any{}, filter.args...), args...)}
				g, err := scanTally(tx.QueryRowContext(ctx, "SELECT "+tallyCols+from+f.sql(), f.args...))
				if err != nil {
					return err
				}
				g.key = sg.Name
				groups = append(groups, g)
				if period != "" {
					tr, err := trends(ctx, tx, "?", []any{sg.Name}, from, f, period)
					if err != nil {
						return err
					}
					trend[sg.Name] = tr[sg.Name]
				}
			}
		case key.expr != "":
			keySQL := "coalesce(nullif(CAST(" + key.expr + " AS TEXT), ''), '" + model.SummaryNone + "')"
			fromJoin := from + key.join
			args := append(append([]any{}, keyArgs...), filter.args...)
			rows, err := tx.QueryContext(ctx, "SELECT "+keySQL+", "+tallyCols+fromJoin+filter.sql()+" GROUP BY 1", args...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var k string
				g, err := scanTally(rows, &k)
				if err != nil {
					rows.Close()
					return err
				}
				g.key = k
				groups = append(groups, g)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if period != "" {
				if trend, err = trends(ctx, tx, keySQL, keyArgs, fromJoin, filter, period); err != nil {
					return err
				}
			}
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

// trends computes per-period points for each group keyed by keySQL (whose
// own arguments are keyArgs), oldest period first.
func trends(ctx context.Context, tx querier, keySQL string, keyArgs []any, from string, filter summaryFilter,
	period string) (map[string][]model.TrendPoint, error) {
	args := append(append([]any{}, keyArgs...), filter.args...)
	rows, err := tx.QueryContext(ctx, "SELECT "+keySQL+", "+period+", "+tallyCols+from+filter.sql()+
		" GROUP BY 1, 2 ORDER BY 1, 2", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]model.TrendPoint{}
	for rows.Next() {
		var k string
		var p sql.NullString
		g, err := scanTally(rows, &k, &p)
		if err != nil {
			return nil, err
		}
		nps, _ := g.t.NPS()
		out[k] = append(out[k], model.TrendPoint{Period: p.String, N: g.feedbackN, CSATAvg: g.t.CSATAvg(), NPS: nps})
	}
	return out, rows.Err()
}

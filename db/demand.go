package db

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// Demand ranks categories or tags by the documented score (see
// model.DemandRow). Categories are one pass over every customer's feedback
// (demandByCategory); tags, on far fewer rows, are grouped by tag and
// customer in SQL, then one row per tag.
func (s *Store) Demand(ctx context.Context, q model.DemandQuery) ([]model.DemandRow, error) {
	if q.By != "" && q.By != "category" && q.By != "tag" {
		return nil, fmt.Errorf("%w: demand by %q: use category or tag", model.ErrInvalid, q.By)
	}
	where, args := "1 = 1", []any{}
	if !q.Since.IsZero() {
		where += " AND f.created_at >= ?"
		args = append(args, fmtTime(q.Since))
	}
	if q.Kind != "" {
		k, err := model.ParseKind(string(q.Kind))
		if err != nil {
			return nil, err
		}
		where += " AND f.kind = ?"
		args = append(args, string(k))
	}
	if q.By != "tag" {
		return s.demandByCategory(ctx, q, where, args)
	}
	limit := ""
	if q.Limit > 0 {
		limit = fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	query := `WITH per AS (
			SELECT t.name AS key, f.customer_id AS cid, count(*) AS n,
				count(*) FILTER (WHERE f.kind = 'complaint') AS complaints
			FROM feedback f JOIN feedback_tags ft ON ft.feedback_id = f.id JOIN tags t ON t.id = ft.tag_id
			WHERE ` + where + ` GROUP BY 1, 2)
		SELECT per.key, sum(per.n), sum(per.complaints), count(*), sum(c.ltv),
			sum((1 + log10(1 + ` + s.d.greatest("c.ltv", "0") + `)) * CASE WHEN per.complaints > 0 THEN 1.5 ELSE 1 END) AS score
		FROM per JOIN customers c ON c.id = per.cid
		GROUP BY per.key ORDER BY score DESC, per.key` + limit
	out := []model.DemandRow{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r model.DemandRow
			if err := rows.Scan(&r.Key, &r.FeedbackN, &r.ComplaintsN, &r.CustomersN, &r.LTVSum, &r.Score); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// demandByCategory streams each customer's feedback from the covering
// feedback_by_customer index, customers one after another, and folds each
// customer's categories into the totals as their rows end. Grouping by
// category and customer in SQL sorts every feedback row first: about 25 s
// on 5M rows, where this is one pass.
func (s *Store) demandByCategory(ctx context.Context, q model.DemandQuery, where string, args []any) ([]model.DemandRow, error) {
	type cell struct{ n, complaints int }
	totals := map[int64]*model.DemandRow{} // by category id, 0 for none
	per := map[int64]*cell{}
	var ltv float64
	fold := func() {
		weight := 1 + math.Log10(1+max(ltv, 0))
		for cat, c := range per {
			t := totals[cat]
			if t == nil {
				t = &model.DemandRow{}
				totals[cat] = t
			}
			t.FeedbackN += c.n
			t.ComplaintsN += c.complaints
			t.CustomersN++
			t.LTVSum += ltv
			if c.complaints > 0 {
				t.Score += weight * 1.5
			} else {
				t.Score += weight
			}
		}
		clear(per)
	}
	paths := map[int64]string{}
	order := ""
	if s.d.pg { // fold counts a customer once only if its rows come together
		order = " ORDER BY c.id"
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.ltv, coalesce(f.category_id, 0), f.kind = 'complaint'
			FROM customers c`+s.d.indexedBy("customers_by_ltv")+` `+s.d.orderedJoin()+` feedback f`+s.d.indexedBy("feedback_by_customer")+`
				ON f.customer_id = c.id
			WHERE `+where+order, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		last := int64(-1)
		for rows.Next() {
			var id, cat int64
			var l float64
			var complaint bool
			if err := rows.Scan(&id, &l, &cat, &complaint); err != nil {
				return err
			}
			if id != last {
				fold()
				last, ltv = id, l
			}
			c := per[cat]
			if c == nil {
				c = &cell{}
				per[cat] = c
			}
			c.n++
			if complaint {
				c.complaints++
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		fold()
		crows, err := tx.QueryContext(ctx, "SELECT id, path FROM categories")
		if err != nil {
			return err
		}
		defer crows.Close()
		for crows.Next() {
			var id int64
			var path string
			if err := crows.Scan(&id, &path); err != nil {
				return err
			}
			paths[id] = path
		}
		return crows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := make([]model.DemandRow, 0, len(totals))
	for cat, t := range totals {
		t.Key = model.SummaryNone
		if p, ok := paths[cat]; ok {
			t.Key = p
		}
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b model.DemandRow) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}

package db

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rapportcrm/rapport/model"
)

// Demand ranks categories or tags by the documented score (see
// model.DemandRow): one pass over the feedback grouped by key and
// customer, then one row per key.
func (s *Store) Demand(ctx context.Context, q model.DemandQuery) ([]model.DemandRow, error) {
	var from, key string
	switch q.By {
	case "", "category":
		key = "coalesce(cat.path, '" + model.SummaryNone + "')"
		from = "feedback f LEFT JOIN categories cat ON cat.id = f.category_id"
	case "tag":
		key = "t.name"
		from = "feedback f JOIN feedback_tags ft ON ft.feedback_id = f.id JOIN tags t ON t.id = ft.tag_id"
	default:
		return nil, fmt.Errorf("%w: demand by %q: use category or tag", model.ErrInvalid, q.By)
	}
	where, args := "1", []any{}
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
	limit := ""
	if q.Limit > 0 {
		limit = fmt.Sprintf(" LIMIT %d", q.Limit)
	}
	query := `WITH per AS (
			SELECT ` + key + ` AS key, f.customer_id AS cid, count(*) AS n,
				sum(f.kind = 'complaint') AS complaints
			FROM ` + from + ` WHERE ` + where + ` GROUP BY 1, 2)
		SELECT per.key, sum(per.n), sum(per.complaints), count(*), sum(c.ltv),
			sum((1 + log10(1 + max(c.ltv, 0))) * CASE WHEN per.complaints > 0 THEN 1.5 ELSE 1 END) AS score
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

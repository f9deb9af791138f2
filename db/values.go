package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// ValueFields are the fields Values lists.
var ValueFields = []string{"plan", "agent", "channel"}

// valuesLimit bounds a list of values: completion offers the common ones,
// a free-text column gone wild does not flood the form.
const valuesLimit = 500

// distinctByIndex lists a column's distinct values by stepping through an
// index that starts with it (one seek per value, not one row per record),
// so a million customers with three plans cost three seeks.
func distinctByIndex(table, col string) string {
	return fmt.Sprintf(`WITH RECURSIVE v(x) AS (
		SELECT (SELECT min(%[2]s) FROM %[1]s WHERE %[2]s > '')
		UNION ALL
		SELECT (SELECT min(%[2]s) FROM %[1]s WHERE %[2]s > v.x) FROM v WHERE v.x IS NOT NULL
	) SELECT x FROM v WHERE x IS NOT NULL LIMIT %[3]d`, table, col, valuesLimit)
}

// Values lists the values in use for a field the forms offer with
// completion: plan (customers), agent (feedback agents and follow-up
// assignees) and channel (feedback), sorted, without empties.
func (s *Store) Values(ctx context.Context, field string) ([]string, error) {
	var queries []string
	switch field {
	case "plan":
		queries = []string{distinctByIndex("customers", "plan")}
	case "agent":
		queries = []string{distinctByIndex("followups", "assignee"), distinctByIndex("feedback", "agent")}
	case "channel":
		// The summary aggregates hold one row per channel in use;
		// PostgreSQL, which keeps none, steps through feedback_by_channel.
		queries = []string{`SELECT key FROM summary_agg WHERE dim = 'channel' AND month = '' AND fb_n > 0 AND key <> ''`}
		if s.d.pg {
			queries = []string{distinctByIndex("feedback", "channel")}
		}
	default:
		return nil, fmt.Errorf("%w: no list of values for %q (one of %s)", model.ErrInvalid, field, strings.Join(ValueFields, ", "))
	}
	seen := map[string]bool{}
	out := []string{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		for _, q := range queries {
			rows, err := tx.QueryContext(ctx, q)
			if err != nil {
				return err
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					return err
				}
				if v = strings.TrimSpace(v); v != "" && !seen[v] {
					seen[v] = true
					out = append(out, v)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("values of %s: %w", field, translate(err))
	}
	sort.Strings(out)
	return out, nil
}

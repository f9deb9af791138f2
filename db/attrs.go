package db

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"

	"github.com/rapportcrm/rapport/model"
)

// maxAttrKeys bounds the attribute names AttrKeys lists: a Jira export
// brings hundreds of custom fields, and a menu longer than this is no menu.
const maxAttrKeys = 500

// AttrKeys lists the names of the custom attributes present in the
// database, at either level (customer attrs and feedback attrs, see
// migration 10), sorted, each with the level it was found at; a name used
// at both levels says so. Insights offers them as attr.NAME dimensions.
func (s *Store) AttrKeys(ctx context.Context) ([]model.AttrKey, error) {
	var out []model.AttrKey
	err := s.read(ctx, func(tx *sql.Tx) error {
		levels := map[string]string{}
		for _, q := range []struct{ level, sql string }{
			{model.AttrCustomer, `SELECT DISTINCT j.key FROM customers c, ` + s.d.jsonMembers("c.attrs") + ` j
				WHERE c.attrs <> '{}' AND j.type <> 'null' LIMIT ` + strconv.Itoa(maxAttrKeys)},
			{model.AttrFeedback, `SELECT DISTINCT j.key FROM feedback f, ` + s.d.jsonMembers("f.attrs") + ` j
				WHERE f.attrs <> '{}' AND j.type <> 'null' LIMIT ` + strconv.Itoa(maxAttrKeys)},
		} {
			rows, err := tx.QueryContext(ctx, q.sql)
			if err != nil {
				return err
			}
			for rows.Next() {
				var k string
				if err := rows.Scan(&k); err != nil {
					rows.Close()
					return err
				}
				if k == "" {
					continue
				}
				switch levels[k] {
				case "":
					levels[k] = q.level
				case q.level:
				default:
					levels[k] = model.AttrBoth
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		for k, l := range levels {
			out = append(out, model.AttrKey{Name: k, Level: l})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if len(out) > maxAttrKeys {
		out = out[:maxAttrKeys]
	}
	return out, err
}

// feedbackHasAttr says whether any feedback item has the attribute, reading
// only the feedback that has attributes at all (migration 10's partial
// index, which SQLite picks for "attrs <> '{}'"; not named with INDEXED
// BY, as a first load drops it for a while).
func feedbackHasAttr(ctx context.Context, q querier, name string) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM feedback
		WHERE attrs <> '{}' AND json_extract(attrs, ?) IS NOT NULL LIMIT 1`, attrPath(name)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// sortedKeys lists a map's keys in order, so that a query's text and
// arguments do not depend on map order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

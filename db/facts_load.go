package db

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/facts"
)

// The loader of the Insights snapshot (package facts): one streaming read
// of customers, their tags and the feedback, in portable SQL, so that
// every store that speaks it can fill the same snapshot.

// loadFacts reads the snapshot inside one read transaction.
func loadFacts(ctx context.Context, q querier) (*facts.Snapshot, error) {
	b := facts.NewBuilder()
	paths, err := categoryPaths(ctx, q)
	if err != nil {
		return nil, err
	}
	ccols := facts.CustomerDims()
	err = eachRow(ctx, q, "SELECT id, "+strings.Join(ccols, ", ")+" FROM customers ORDER BY id", nil,
		1+len(ccols), func(id int64, v [][]byte) error { return b.Customer(id, v) })
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id", nil,
		2, func(id int64, v [][]byte) error { b.Tag(id, v[0]); return nil })
	if err != nil {
		return nil, err
	}
	fcols := facts.FeedbackDims()
	exprs := make([]string, len(fcols))
	catAt := -1
	for i, c := range fcols {
		exprs[i] = c
		if c == "category" {
			exprs[i], catAt = "category_id", i
		}
	}
	const fixed = 5 // id, customer_id, created_at, csat, nps
	var f facts.Feedback
	err = eachRow(ctx, q, "SELECT id, customer_id, created_at, csat, nps, "+strings.Join(exprs, ", ")+" FROM feedback", nil,
		fixed+len(fcols), func(id int64, v [][]byte) error {
			f.ID = id
			f.Customer, _ = strconv.ParseInt(string(v[0]), 10, 64)
			f.Created = v[1]
			f.CSAT, f.NPS = rawInt(v[2]), rawInt(v[3])
			f.Values = v[4:]
			if catAt >= 0 && f.Values[catAt] != nil {
				f.Values[catAt] = paths[string(f.Values[catAt])]
			}
			return b.Feedback(f)
		})
	if err != nil {
		return nil, err
	}
	return b.Build()
}

// loadFactsAttr reads one attribute's column for a snapshot: the
// customers' values and the feedback's own (the scan's
// coalesce(nullif(feedback's, ”), customer's)).
func loadFactsAttr(ctx context.Context, q querier, snap *facts.Snapshot, name string) (*facts.Attr, error) {
	ab := snap.NewAttr()
	path := attrPath(name)
	err := eachRow(ctx, q, "SELECT id, CAST(json_extract(attrs, ?) AS TEXT) FROM customers WHERE attrs <> '{}'",
		[]any{path}, 2, func(id int64, v [][]byte) error { ab.Customer(id, v[0]); return nil })
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, "SELECT id, customer_id, CAST(json_extract(attrs, ?) AS TEXT) FROM feedback WHERE attrs <> '{}'",
		[]any{path}, 3, func(id int64, v [][]byte) error {
			c, _ := strconv.ParseInt(string(v[0]), 10, 64)
			ab.Feedback(id, c, v[1])
			return nil
		})
	if err != nil {
		return nil, err
	}
	return ab.Build(), nil
}

// categoryPaths maps each category id (as text) to its path.
func categoryPaths(ctx context.Context, q querier) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := eachRow(ctx, q, "SELECT id, path FROM categories", nil, 2, func(id int64, v [][]byte) error {
		out[strconv.FormatInt(id, 10)] = append([]byte(nil), v[0]...)
		return nil
	})
	return out, err
}

// eachRow streams a query whose first column is an integer id and whose
// n-1 others are read as raw bytes (nil for NULL), valid during fn only.
func eachRow(ctx context.Context, q querier, query string, args []any, n int, fn func(id int64, v [][]byte) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var id int64
	raw := make([]sql.RawBytes, n-1)
	vals := make([][]byte, n-1)
	dest := make([]any, n)
	dest[0] = &id
	for i := range raw {
		dest[i+1] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, r := range raw {
			vals[i] = r
		}
		if err := fn(id, vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rawInt reads a raw integer column, -1 for NULL.
func rawInt(b []byte) int {
	if b == nil {
		return -1
	}
	v, err := strconv.Atoi(string(b))
	if err != nil {
		return -1
	}
	return v
}

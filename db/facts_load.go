package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	var kv [][]byte
	err = eachRow(ctx, q, "SELECT id, "+strings.Join(ccols, ", ")+", attrs FROM customers ORDER BY id", nil,
		2+len(ccols), func(id int64, v [][]byte) error {
			if err := b.Customer(id, v[:len(ccols)]); err != nil {
				return err
			}
			var ok bool
			kv, ok = attrPairs(kv[:0], v[len(ccols)])
			b.CustomerAttrs(kv, !ok)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id", nil,
		2, func(id int64, v [][]byte) error { b.Tag(id, v[0]); return nil })
	if err != nil {
		return nil, err
	}
	err = newFeedbackFacts(paths).each(ctx, q, "", nil, func(f *facts.Feedback) error {
		if err := b.Feedback(*f); err != nil {
			return fmt.Errorf("%w: %v", errFactsUnfit, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	snap, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errFactsUnfit, err)
	}
	return snap, nil
}

// feedbackFacts reads feedback rows of the snapshot's shape
// (factsFeedbackQuery) into one facts.Feedback it reuses row after row:
// the full load, a refresh's customers and a bulk edit's rows.
type feedbackFacts struct {
	query  string
	texts  []string
	slot   []int
	paths  map[string][]byte
	f      facts.Feedback
	fields [][]byte
}

func newFeedbackFacts(paths map[string][]byte) *feedbackFacts {
	fcols := facts.FeedbackDims()
	r := &feedbackFacts{paths: paths}
	r.query, r.texts, r.slot = factsFeedbackQuery(fcols)
	r.f.Values = make([][]byte, len(fcols))
	return r
}

// each reads the rows where selects (" WHERE …", or "" for all) and
// hands each to fn; the row's bytes last until fn returns.
func (r *feedbackFacts) each(ctx context.Context, q querier, where string, args []any, fn func(f *facts.Feedback) error) error {
	return eachRow(ctx, q, r.query+where, args, 6, func(id int64, v [][]byte) error {
		var err error
		if r.fields, err = fillFeedback(&r.f, id, v, r.fields, r.texts, r.slot, r.paths); err != nil {
			return err
		}
		return fn(&r.f)
	})
}

// factsFeedbackQuery is the feedback read of the snapshot (a WHERE may
// follow). The text columns come packed in one value, the created time
// first: a row costs the driver one string instead of five, which is most
// of the load's time on millions of rows. slot maps each FeedbackDims
// entry to its field of the packed value (-1 for category).
func factsFeedbackQuery(fcols []string) (query string, texts []string, slot []int) {
	texts = []string{"created_at"}
	slot = make([]int, len(fcols))
	for i, c := range fcols {
		slot[i] = -1
		if d, _ := lookupStoreDim(c); !d.byID {
			slot[i] = len(texts)
			texts = append(texts, "coalesce("+c+", '')")
		}
	}
	query = "SELECT id, customer_id, csat, nps, category_id, " + strings.Join(texts, " || '"+factsSep+"' || ") + " FROM feedback"
	return query, texts, slot
}

// fillFeedback reads one row of factsFeedbackQuery into f, whose values
// stay valid until the next row.
func fillFeedback(f *facts.Feedback, id int64, v [][]byte, fields [][]byte, texts []string, slot []int, paths map[string][]byte) ([][]byte, error) {
	f.ID = id
	f.Customer, _ = strconv.ParseInt(string(v[0]), 10, 64)
	f.CSAT, f.NPS = rawInt(v[1]), rawInt(v[2])
	fields = splitPacked(fields[:0], v[4])
	if len(fields) != len(texts) {
		return fields, fmt.Errorf("%w: feedback %d: a text column holds the separator", errFactsUnfit, id)
	}
	f.Created = fields[0]
	for i, at := range slot {
		switch {
		case at >= 0:
			f.Values[i] = fields[at]
		case v[3] != nil:
			f.Values[i] = paths[string(v[3])]
		default:
			f.Values[i] = nil
		}
	}
	return fields, nil
}

// errFactsUnfit is data the snapshot cannot hold (a feedback id past
// 2³², more than 65,536 distinct days, a separator in a text column):
// Summary then scans, as before the snapshot.
var errFactsUnfit = errors.New("the Insights snapshot cannot hold this database")

// loadFactsAttr reads one attribute's column for a snapshot: the
// customers' values and the feedback's own (the scan's
// coalesce(nullif(feedback's, ”), customer's)). factsAttrColumn reads
// only what the snapshot does not hold.
func loadFactsAttr(ctx context.Context, q querier, snap *facts.Snapshot, name string) (*facts.Attr, error) {
	ab := snap.NewAttr()
	err := eachRow(ctx, q, "SELECT id, CAST(json_extract(attrs, ?) AS TEXT) FROM customers WHERE attrs <> '{}'",
		[]any{attrPath(name)}, 2, func(id int64, v [][]byte) error { ab.Customer(id, v[0]); return nil })
	if err != nil {
		return nil, err
	}
	if err := readFeedbackAttr(ctx, q, ab, name, "", nil); err != nil {
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

// factsSep separates the packed text columns (the unit separator, which
// sanitized text does not hold; a row that has it fails the load, and the
// summary falls back to the scan).
const factsSep = "\x1f"

// splitPacked splits a packed value at factsSep.
func splitPacked(out [][]byte, b []byte) [][]byte {
	for {
		i := bytes.IndexByte(b, factsSep[0])
		if i < 0 {
			return append(out, b)
		}
		out = append(out, b[:i])
		b = b[i+1:]
	}
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

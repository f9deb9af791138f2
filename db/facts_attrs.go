package db

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/facts"
)

// The attr.NAME columns of the Insights snapshot. The snapshot's one pass
// over the customers reads their attributes too and hands the snapshot
// the name/value pairs it can decode exactly as json_extract(attrs, name)
// reads them as text on both stores (a flat object of plain strings); a
// column is then built from memory, and only the customers marked odd and
// the feedback's own values (through the feedback_with_attrs index) are
// read from the database. An attribute with too many distinct values for
// the snapshot, or a database with many odd customers, is read as before:
// every customer's value, in one mapped read.

// factsOddMax is how many odd customers a column reads by id before a
// read of every customer is cheaper.
const factsOddMax = 20000

// attrPairs appends to kv the names and values of a customer's attrs
// text, in turn. ok is false when the text is not an object whose values
// are all plain strings (no escapes, valid UTF-8) with distinct, non-empty
// names: only the database then says what json_extract reads.
func attrPairs(kv [][]byte, b []byte) (_ [][]byte, ok bool) {
	start := len(kv)
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return kv, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return kv, skipSpace(b, i+1) == len(b)
	}
	for {
		var k, v []byte
		if k, i, ok = plainString(b, i); !ok || len(k) == 0 {
			return kv[:start], false
		}
		if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
			return kv[:start], false
		}
		if v, i, ok = plainString(b, skipSpace(b, i+1)); !ok {
			return kv[:start], false
		}
		for j := start; j < len(kv); j += 2 {
			if bytes.Equal(kv[j], k) {
				return kv[:start], false
			}
		}
		kv = append(kv, k, v)
		if i = skipSpace(b, i); i >= len(b) {
			return kv[:start], false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			if skipSpace(b, i+1) != len(b) {
				return kv[:start], false
			}
			return kv, true
		default:
			return kv[:start], false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// plainString reads a JSON string at b[i] that needs no decoding.
func plainString(b []byte, i int) (s []byte, next int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			s = b[i+1 : j]
			return s, j + 1, utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, j, false
		}
	}
	return nil, len(b), false
}

// factsAttrColumn builds attribute name's column for snap: from the
// pairs the snapshot holds when it can, else from every customer's value.
func (s *Store) factsAttrColumn(ctx context.Context, q querier, snap *facts.Snapshot, name string) (*facts.Attr, error) {
	ab, odd, ok := snap.AttrColumn(name)
	if !ok || len(odd) > factsOddMax {
		return loadFactsAttr(ctx, q, snap, name)
	}
	if err := readCustomerAttrOf(ctx, q, ab, name, odd); err != nil {
		return nil, err
	}
	if err := readFeedbackAttr(ctx, q, ab, name, "", nil); err != nil {
		return nil, err
	}
	return ab.Build(), nil
}

// readCustomerAttrOf reads attribute name of the given customers.
func readCustomerAttrOf(ctx context.Context, q querier, ab *facts.AttrBuilder, name string, ids []int64) error {
	path := attrPath(name)
	for chunk := range slices.Chunk(ids, factsIDChunk) {
		in, args := idList(chunk)
		err := eachRow(ctx, q, "SELECT id, CAST(json_extract(attrs, ?) AS TEXT) FROM customers WHERE id IN "+in,
			append([]any{path}, args...), 2, func(id int64, v [][]byte) error { ab.Customer(id, v[0]); return nil })
		if err != nil {
			return err
		}
	}
	return nil
}

// readFeedbackAttr reads the feedback's own values of attribute name
// (only the feedback that has attributes, through feedback_with_attrs):
// every feedback's, or with in and args ("(?, …)") those of the customers
// named.
func readFeedbackAttr(ctx context.Context, q querier, ab *facts.AttrBuilder, name, in string, args []any) error {
	query := "SELECT id, customer_id, CAST(json_extract(attrs, ?) AS TEXT) FROM feedback WHERE attrs <> '{}'"
	if in != "" {
		query += " AND customer_id IN " + in
	}
	return eachRow(ctx, q, query, append([]any{attrPath(name)}, args...), 3, func(id int64, v [][]byte) error {
		c, _ := strconv.ParseInt(string(v[0]), 10, 64)
		ab.Feedback(id, c, v[1])
		return nil
	})
}

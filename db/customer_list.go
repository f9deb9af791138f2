package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/model"
)

// sortExprs maps each sort to the expression its index is built on, so a
// page is a range scan of that index ending in id.
var sortExprs = map[model.CustomerSort]string{
	model.SortName:          "c.name",
	model.SortCompany:       "c.company",
	model.SortPlan:          "c.plan",
	model.SortLifecycle:     "c.lifecycle",
	model.SortCSAT:          "coalesce(c.csat_avg, -1)",
	model.SortLastContact:   "coalesce(c.last_contact_at, '')",
	model.SortFollowupsOpen: "c.followups_open",
	model.SortLTV:           "c.ltv",
	model.SortID:            "c.id",
}

const defaultPageSize = 50

// listPlan is a customer query turned into SQL pieces: where the rows come
// from, which conditions hold, and the key the rows are ordered by.
type listPlan struct {
	from    string // FROM clause
	where   []string
	args    []any
	key     string // ordering expression ("" when ordering by id alone)
	idCol   string // the id the order ends in
	keyKind byte   // 's' text, 'f' real, 'i' integer
}

// plan decides how a query runs. Search picks the index:
//   - 3+ characters: the trigram FTS index, in rowid order (streams, so a
//     broad term like "ang" stops after one page);
//   - 2 CJK characters (a full name such as 陈静): the CJK bigram index;
//   - 1–2 other characters: a name prefix on the name index, in name order.
//
// Without a search the chosen sort's index is used.
func plan(q model.CustomerQuery) listPlan {
	p := listPlan{from: "customers c", idCol: "c.id"}
	term := strings.TrimSpace(q.Search)
	n := utf8.RuneCountInString(term)
	switch {
	case term == "":
		p.key = sortExprs[q.Sort]
		if p.key == "" {
			p.key = sortExprs[model.SortName]
			q.Sort = model.SortName
		}
		if q.Sort == model.SortID {
			p.key = ""
		}
		p.keyKind = keyKinds[q.Sort]
	case n >= 3:
		if isPhoneLike(term) {
			term = model.PhoneDigits(term)
		}
		p.from = "customers_fts f JOIN customers c ON c.id = f.rowid"
		p.idCol = "f.rowid"
		p.where = append(p.where, "customers_fts MATCH ?")
		p.args = append(p.args, ftsString(term))
	case n == 2 && hasCJK(term):
		p.from = "customers_grams g JOIN customers c ON c.id = g.rowid"
		p.idCol = "g.rowid"
		p.where = append(p.where, "customers_grams MATCH ?")
		p.args = append(p.args, ftsString(term))
	default:
		lo := namePrefix(term)
		p.key, p.keyKind = "c.name", 's'
		p.where = append(p.where, "c.name >= ? AND c.name < ?")
		p.args = append(p.args, lo, lo+"\U0010FFFF")
	}
	if q.Lifecycle != "" {
		p.where = append(p.where, "c.lifecycle = ?")
		p.args = append(p.args, string(q.Lifecycle))
	}
	if q.Tag != "" {
		p.where = append(p.where, `EXISTS (SELECT 1 FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
			WHERE ct.customer_id = c.id AND t.name = ?)`)
		p.args = append(p.args, q.Tag)
	}
	return p
}

var keyKinds = map[model.CustomerSort]byte{
	model.SortName: 's', model.SortCompany: 's', model.SortPlan: 's', model.SortLifecycle: 's',
	model.SortCSAT: 'f', model.SortLastContact: 's', model.SortFollowupsOpen: 'i', model.SortLTV: 'f',
	model.SortID: 'i',
}

// namePrefix capitalises a lower-case Latin prefix, since names are
// stored as written ("jo" finds "John").
func namePrefix(term string) string {
	r, size := utf8.DecodeRuneInString(term)
	if unicode.IsLower(r) && term == strings.ToLower(term) {
		return string(unicode.ToUpper(r)) + term[size:]
	}
	return term
}

// ftsString quotes a term as one FTS5 string, so that operators and
// punctuation in it are data.
func ftsString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ListCustomers returns one page of customers in list order. Pages are
// found by cursor (keyset), so any page costs the same.
func (s *Store) ListCustomers(ctx context.Context, q model.CustomerQuery) (model.CustomerPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultPageSize
	}
	p := plan(q)
	desc := q.Desc && q.Search == ""
	// Reverse the scan for the rows before a cursor and for the last page.
	reverse := q.Before != nil || q.Last
	scanDesc := desc != reverse

	where := append([]string{}, p.where...)
	args := append([]any{}, p.args...)
	cur := q.After
	if q.Before != nil {
		cur = q.Before
	}
	if cur != nil && !q.Last {
		cmp := ">"
		if scanDesc {
			cmp = "<"
		}
		if p.key == "" {
			where = append(where, p.idCol+" "+cmp+" ?")
			args = append(args, cur.ID)
		} else {
			where = append(where, fmt.Sprintf("(%s, %s) %s (?, ?)", p.key, p.idCol, cmp))
			args = append(args, cur.Key, cur.ID)
		}
	}
	dir := "ASC"
	if scanDesc {
		dir = "DESC"
	}
	order := p.idCol + " " + dir
	if p.key != "" {
		order = p.key + " " + dir + ", " + order
	}
	keySel := p.idCol
	if p.key != "" {
		keySel = p.key
	}
	query := "SELECT " + customerCols + ", " + keySel + " FROM " + p.from
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY " + order + " LIMIT ?"
	args = append(args, limit+1)
	if q.Offset > 0 && cur == nil && !q.Last {
		query += " OFFSET ?"
		args = append(args, q.Offset)
	}

	var page model.CustomerPage
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var key any
			c, err := scanCustomer(rows, &key)
			if err != nil {
				return err
			}
			page.Rows = append(page.Rows, c)
			page.Cursors = append(page.Cursors, model.Cursor{Key: normKey(key, p.keyKind), ID: c.ID})
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(page.Rows) > limit {
			page.Rows, page.Cursors, page.HasMore = page.Rows[:limit], page.Cursors[:limit], true
		}
		ids := make([]int64, len(page.Rows))
		for i, c := range page.Rows {
			ids[i] = c.ID
		}
		tags, err := tagsOf(ctx, tx, ids)
		if err != nil {
			return err
		}
		for i := range page.Rows {
			if t := tags[page.Rows[i].ID]; t != nil {
				page.Rows[i].Tags = t
			}
		}
		return nil
	})
	if err != nil {
		return model.CustomerPage{}, fmt.Errorf("list customers: %w", err)
	}
	if reverse {
		for i, j := 0, len(page.Rows)-1; i < j; i, j = i+1, j-1 {
			page.Rows[i], page.Rows[j] = page.Rows[j], page.Rows[i]
			page.Cursors[i], page.Cursors[j] = page.Cursors[j], page.Cursors[i]
		}
	}
	return page, nil
}

// normKey gives cursor keys one Go type per sort, whatever the driver
// returned, so they bind back with the same SQLite type.
func normKey(v any, kind byte) any {
	switch kind {
	case 'f':
		switch x := v.(type) {
		case int64:
			return float64(x)
		case float64:
			return x
		}
	case 'i':
		switch x := v.(type) {
		case float64:
			return int64(x)
		case int64:
			return x
		}
	case 's':
		switch x := v.(type) {
		case []byte:
			return string(x)
		case string:
			return x
		}
	}
	return v
}

// CountCustomers counts the customers a query matches. With max > 0 it
// stops counting after max (capped = true), which keeps a broad search
// over a million rows cheap.
func (s *Store) CountCustomers(ctx context.Context, q model.CustomerQuery, max int) (int, bool, error) {
	p := plan(q)
	query := "SELECT 1 FROM " + p.from
	if len(p.where) > 0 {
		query += " WHERE " + strings.Join(p.where, " AND ")
	}
	args := p.args
	if max > 0 {
		query += " LIMIT ?"
		args = append(append([]any{}, args...), max+1)
	}
	var n int
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM ("+query+")", args...).Scan(&n)
	})
	if err != nil {
		return 0, false, fmt.Errorf("count customers: %w", err)
	}
	if max > 0 && n > max {
		return max, true, nil
	}
	return n, false, nil
}

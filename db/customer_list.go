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
	model.SortCSAT:          "coalesce(c.csat_avg, 9)",
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

	dir := "ASC"
	cmp := ">"
	if scanDesc {
		dir, cmp = "DESC", "<"
	}
	keySel := p.idCol
	if p.key != "" {
		keySel = p.key
	}
	cur := q.After
	if q.Before != nil {
		cur = q.Before
	}
	if q.Last {
		cur = nil
	}
	// One scan in index order, or two after a cursor on a sort key: the
	// rest of the cursor's key (key = k AND id > i), then the keys beyond
	// it (key > k). SQLite serves a row-value (key, id) > (k, i) by seeking
	// to key >= k and filtering, which on a key shared by 300,000 rows
	// (plan = 'free') reads them all; the two ranges are each one seek.
	type scan struct {
		where []string
		args  []any
		order string
	}
	var scans []scan
	switch {
	case cur == nil:
		order := p.idCol + " " + dir
		if p.key != "" {
			order = p.key + " " + dir + ", " + order
		}
		scans = []scan{{order: order}}
	case p.key == "":
		scans = []scan{{where: []string{p.idCol + " " + cmp + " ?"}, args: []any{cur.ID}, order: p.idCol + " " + dir}}
	default:
		scans = []scan{
			{where: []string{p.key + " = ?", p.idCol + " " + cmp + " ?"}, args: []any{cur.Key, cur.ID}, order: p.idCol + " " + dir},
			{where: []string{p.key + " " + cmp + " ?"}, args: []any{cur.Key}, order: p.key + " " + dir + ", " + p.idCol + " " + dir},
		}
	}

	var page model.CustomerPage
	err := s.read(ctx, func(tx *sql.Tx) error {
		for _, sc := range scans {
			want := limit + 1 - len(page.Rows)
			if want <= 0 {
				break
			}
			where := append(append([]string{}, p.where...), sc.where...)
			args := append(append([]any{}, p.args...), sc.args...)
			query := "SELECT " + customerCols + ", " + keySel + " FROM " + p.from
			if len(where) > 0 {
				query += " WHERE " + strings.Join(where, " AND ")
			}
			query += " ORDER BY " + sc.order + " LIMIT ?"
			args = append(args, want)
			if q.Offset > 0 && cur == nil && !q.Last {
				query += " OFFSET ?"
				args = append(args, q.Offset)
			}
			if err := scanPage(ctx, tx, &page, p.keyKind, query, args); err != nil {
				return err
			}
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

func scanPage(ctx context.Context, tx *sql.Tx, page *model.CustomerPage, kind byte, query string, args []any) error {
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
		page.Cursors = append(page.Cursors, model.Cursor{Key: normKey(key, kind), ID: c.ID})
	}
	return rows.Err()
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

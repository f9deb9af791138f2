package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/model"
)

// sortExprs maps each sort to the expression its index is built on, so a
// page is a range scan of that index ending in id.
var sortExprs = map[model.CustomerSort]string{
	model.SortName:          nameKey,
	model.SortCompany:       "c.company",
	model.SortPlan:          "c.plan",
	model.SortLifecycle:     "c.lifecycle",
	model.SortCSAT:          "coalesce(c.csat_avg, 9)",
	model.SortLastContact:   "coalesce(c.last_contact_at, '')",
	model.SortFollowupsOpen: "fc.open",
	model.SortLTV:           "c.ltv",
	model.SortID:            "c.id",
}

// nameLabel is what the Name column shows — the name, else the e-mail,
// else the phone.
const nameLabel = "(CASE WHEN c.name <> '' THEN c.name WHEN c.email <> '' THEN c.email ELSE c.phone END)"

// nameKey is what the name sort and its index order by (migrations 17 and
// pg 8; the index matches this expression only when written the same
// way): the label with ASCII letters in lower case, so "adam@…" sorts
// beside "Adam" and a two-letter search finds both. Both stores' lower()
// fold ASCII only (SQLite's built-in, PostgreSQL's under COLLATE "C").
const nameKey = "lower" + nameLabel

// sortIndexes names the index each sort is read from. List queries name
// it with INDEXED BY: left to itself, SQLite serves a filter such as
// lifecycle = 'paying' from that column's index and sorts the 200,000
// matches (0.3–0.8 s on the 1M demo); read in sort order and filtered, a
// page stops after its 51st match.
var sortIndexes = map[model.CustomerSort]string{
	model.SortName:          "customers_by_name",
	model.SortCompany:       "customers_by_company",
	model.SortPlan:          "customers_by_plan",
	model.SortLifecycle:     "customers_by_lifecycle",
	model.SortCSAT:          "customers_by_csat",
	model.SortLastContact:   "customers_by_contact",
	model.SortFollowupsOpen: "",
	model.SortLTV:           "customers_by_ltv",
	model.SortID:            "",
}

// tagSortMax is the largest tag whose members a page sorts outright. A
// page of a small tag found by scanning the sort index and testing each
// row reads about 51/share rows: all million of them for a tag on 50
// customers (2.5 s); sorting 5,000 members costs about 15 ms.
var tagSortMax = 5000

const defaultPageSize = 50

// listPlan is a customer query turned into SQL pieces: where the rows come
// from, which conditions hold, and the key the rows are ordered by.
type listPlan struct {
	from    string // FROM clause
	index   string // index a list page is read from ("" lets SQLite choose)
	where   []string
	args    []any
	key     string // ordering expression ("" when ordering by id alone)
	idCol   string // the id the order ends in
	keyKind byte   // 's' text, 'f' real, 'i' integer
	// tag is a tag filter that driveByTag can turn into the table the rows
	// come from; its EXISTS test is the last of where and args.
	tag   string
	byTag bool
	// counts: the rows are ordered by their open follow-ups, which
	// followup_counts fc holds (joined on joinCounts).
	counts bool
	d      dialect
}

// joinCounts joins a customer to its open follow-up count.
const joinCounts = "fc.customer_id = c.id"

// source is the FROM clause of a list page, with its index named. Sorted
// by open follow-ups, a page is a range of followup_counts_by_open, each
// row joined to its customer; read from a tag, the tag's members are
// joined to their counts and sorted.
func (p listPlan) source() string {
	switch {
	case p.counts && p.byTag:
		return p.from + " CROSS JOIN followup_counts fc"
	case p.counts:
		return "followup_counts fc" + p.d.indexedBy("followup_counts_by_open") + " CROSS JOIN " + p.from
	}
	return p.from + p.d.indexedBy(p.index)
}

// driveByTag reads the rows from the tag's index (tag_id, customer_id)
// instead of testing every customer for the tag: in id order a page is a
// range of that index; in another order the tag's members are sorted.
func (p *listPlan) driveByTag() {
	p.where = append([]string{"tf.name = ?", "ctf.tag_id = tf.id", "c.id = ctf.customer_id"}, p.where[:len(p.where)-1]...)
	p.args = append([]any{p.tag}, p.args[:len(p.args)-1]...)
	// CROSS JOIN fixes the join order: from a key shared by 600,000 rows
	// (plan = 'free') SQLite would otherwise test each for the tag.
	p.from = "tags tf CROSS JOIN customer_tags ctf CROSS JOIN customers c"
	p.index = ""
	if p.key == "" {
		p.idCol = "ctf.customer_id"
	}
	p.byTag = true
}

// plan decides how a query runs. Search picks the index:
//   - 3+ characters: the trigram FTS index, in rowid order (streams, so a
//     broad term like "ang" stops after one page);
//   - 2 CJK characters (a full name such as 陈静): the CJK bigram index;
//   - 1–2 other characters: a name prefix on the name index, in name order.
//
// Without a search the chosen sort's index is used.
func plan(q model.CustomerQuery, now time.Time) (listPlan, error) {
	return planFor(dialect{}, q, now)
}

// planFor is plan in the store's dialect.
func planFor(d dialect, q model.CustomerQuery, now time.Time) (listPlan, error) {
	p := listPlan{from: "customers c", idCol: "c.id", d: d}
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
		p.index = sortIndexes[q.Sort]
		if q.Sort == model.SortFollowupsOpen {
			p.counts, p.idCol = true, "fc.customer_id"
		}
	case n >= 3 && d.pg:
		if isPhoneLike(term) {
			term = model.PhoneDigits(term)
		}
		p.pgCustomerSearch(term, n)
	case n == 2 && hasCJK(term) && d.pg:
		p.pgCustomerSearch(term, n)
	case n >= 3:
		if isPhoneLike(term) {
			term = model.PhoneDigits(term)
		}
		p.from = "customers_fts f JOIN customers c ON c.id = f.rowid"
		p.idCol = "f.rowid"
		p.where = append(p.where, "customers_fts MATCH ?")
		if foldsByRule(term) { // fold_search.go
			p.args = append(p.args, strings.Join(ftsFoldedPieces(term), " AND "))
			p.where = append(p.where, `(instr(rapport_fold(c.name), ?) > 0 OR instr(rapport_fold(c.email), ?) > 0 OR
				instr(rapport_fold(c.phone_digits), ?) > 0 OR instr(rapport_fold(c.company), ?) > 0)`)
			f := foldText(term)
			p.args = append(p.args, f, f, f, f)
			break
		}
		p.args = append(p.args, ftsString(term))
		if foldsOntoASCII(term, ftsFoldsOntoASCII) { // fold_ascii.go
			p.where = append(p.where, `(c.name LIKE ? ESCAPE '\' OR c.email LIKE ? ESCAPE '\' OR c.phone_digits LIKE ? ESCAPE '\' OR c.company LIKE ? ESCAPE '\')`)
			pat := containsPattern(term)
			p.args = append(p.args, pat, pat, pat, pat)
		}
	case n == 2 && hasCJK(term):
		p.from = "customers_grams g JOIN customers c ON c.id = g.rowid"
		p.idCol = "g.rowid"
		p.where = append(p.where, "customers_grams MATCH ?")
		p.args = append(p.args, ftsString(term))
	default:
		lo := asciiLower(term)
		p.key, p.keyKind, p.index = nameKey, 's', "customers_by_name"
		p.where = append(p.where, nameKey+" >= ? AND "+nameKey+" < ?")
		p.args = append(p.args, lo, lo+"\U0010FFFF")
	}
	if q.Lifecycle != "" {
		p.where = append(p.where, "c.lifecycle = ?")
		p.args = append(p.args, string(q.Lifecycle))
	}
	if strings.TrimSpace(q.Where) != "" {
		e, err := model.ParseSegment(q.Where)
		if err != nil {
			return p, err
		}
		where, args, err := compileSegmentFor(d, e, now)
		if err != nil {
			return p, err
		}
		p.where = append(p.where, "("+where+")")
		p.args = append(p.args, args...)
	}
	if q.Tag != "" {
		p.where = append(p.where, `EXISTS (SELECT 1 FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
			WHERE ct.customer_id = c.id AND t.name = ?)`)
		p.args = append(p.args, q.Tag)
		if p.from == "customers c" {
			p.tag = q.Tag
			if p.key == "" {
				p.driveByTag()
			}
		}
	}
	return p, nil
}

// tagIsSmall reports whether a tag has at most tagSortMax customers.
func tagIsSmall(ctx context.Context, q querier, tag string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM customer_tags ct
		JOIN tags t ON t.id = ct.tag_id WHERE t.name = ? LIMIT ?) AS tagged`, tag, tagSortMax+1).Scan(&n)
	return n <= tagSortMax, err
}

var keyKinds = map[model.CustomerSort]byte{
	model.SortName: 's', model.SortCompany: 's', model.SortPlan: 's', model.SortLifecycle: 's',
	model.SortCSAT: 'f', model.SortLastContact: 's', model.SortFollowupsOpen: 'i', model.SortLTV: 'f',
	model.SortID: 'i',
}

// asciiLower lowers ASCII letters only, as the stores' lower() does.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
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
	now := s.now()
	var err error
	if q.Where, err = s.expandWhere(ctx, q.Where); err != nil {
		return model.CustomerPage{}, err
	}
	p, err := planFor(s.d, q, now)
	if err != nil {
		return model.CustomerPage{}, err
	}
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
	var scans []keysetScan
	switch {
	case p.key != "":
		scans = keysetScans(p.key, p.idCol, cur, scanDesc)
	case cur == nil:
		scans = []keysetScan{{order: p.idCol + " " + dir}}
	default:
		scans = []keysetScan{{where: []string{p.idCol + " " + cmp + " ?"}, args: []any{cur.ID}, order: p.idCol + " " + dir}}
	}

	var page model.CustomerPage
	err = s.read(ctx, func(tx *sql.Tx) error {
		if p.tag != "" && !p.byTag {
			// Only where the rows come from changes: key and id stay.
			small, err := tagIsSmall(ctx, tx, p.tag)
			if err != nil {
				return err
			}
			if small {
				p.driveByTag()
			}
		}
		for _, sc := range scans {
			want := limit + 1 - len(page.Rows)
			if want <= 0 {
				break
			}
			where := append(append([]string{}, p.where...), sc.where...)
			if p.counts {
				where = append(where, joinCounts)
			}
			args := append(append([]any{}, p.args...), sc.args...)
			query := "SELECT " + customerCols + ", " + keySel + " FROM " + p.source() + whereSQL(where) +
				" ORDER BY " + sc.order + " LIMIT ?"
			args = append(args, want)
			if q.Offset > 0 && cur == nil && !q.Last {
				if s.d.pg {
					query, args = pgOffsetPageQuery(p, keySel, where, sc.order, args, q.Offset)
				} else {
					query += " OFFSET ?"
					args = append(args, q.Offset)
				}
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
		warnings, err := warningsOf(ctx, s.d, tx, now, ids)
		if err != nil {
			return err
		}
		for i := range page.Rows {
			if t := tags[page.Rows[i].ID]; t != nil {
				page.Rows[i].Tags = t
			}
			if w := warnings[page.Rows[i].ID]; w != nil {
				page.Rows[i].Warnings = w
			}
		}
		return nil
	})
	if err != nil {
		return model.CustomerPage{}, fmt.Errorf("list customers: %w", err)
	}
	if reverse {
		reversePage(page.Rows, page.Cursors)
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
	var err error
	if q.Where, err = s.expandWhere(ctx, q.Where); err != nil {
		return 0, false, err
	}
	p, err := planFor(s.d, q, s.now())
	if err != nil {
		return 0, false, err
	}
	// Order does not matter here: a tag's members are counted from its
	// index, and SQLite picks the index for the other filters, except
	// that a name prefix must stay a range of the name index.
	if p.tag != "" && !p.byTag {
		p.driveByTag()
	}
	from := p.from
	if p.index == "customers_by_name" && q.Search != "" {
		from = p.source()
	}
	query := "SELECT 1 FROM " + from
	if len(p.where) > 0 {
		query += " WHERE " + strings.Join(p.where, " AND ")
	}
	args := p.args
	if max > 0 {
		query += " LIMIT ?"
		args = append(append([]any{}, args...), max+1)
	}
	var n int
	err = s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM ("+query+") AS page", args...).Scan(&n)
	})
	if err != nil {
		return 0, false, fmt.Errorf("count customers: %w", err)
	}
	if max > 0 && n > max {
		return max, true, nil
	}
	return n, false, nil
}

// whereSQL is " WHERE a AND b", or "" without conditions.
func whereSQL(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

// pgOffsetPageQuery is the page of LIMIT rows (the last of args) after
// skipping offset, on PostgreSQL: there the skipped rows would each
// compute the whole select list (the open follow-ups' subquery: 500,000
// look-ups for --offset 500000), so the offset is taken over the ids
// alone and the page's columns are read for its rows only.
func pgOffsetPageQuery(p listPlan, keySel string, where []string, order string, args []any, offset int) (string, []any) {
	ids := "SELECT " + p.idCol + " FROM " + p.source() + whereSQL(where) + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	outer := append([]string{p.idCol + " IN (" + ids + ")"}, where...)
	query := "SELECT " + customerCols + ", " + keySel + " FROM " + p.source() + whereSQL(outer) + " ORDER BY " + order
	conds := args[:len(args)-1] // the where's arguments, without the limit
	all := append(append(append([]any{}, args...), offset), conds...)
	return query, all
}

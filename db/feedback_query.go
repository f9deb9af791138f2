package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// feedbackPlan is how one feedback query runs: what it reads first, its
// conditions on f, and which order its pages follow.
type feedbackPlan struct {
	d     dialect
	from  string // "feedback f", or a search index joined to it
	where []string
	args  []any
	// byID: a search streams its index in rowid order, so its pages go by
	// id, newest entered first (the customer search does the same).
	byID bool
	// triage: open items without a category first (model.FeedbackQuery.Triage).
	triage bool
	// noUntriaged: the filters exclude that first group, so it is skipped.
	noUntriaged bool
}

// feedbackTagSmall: a tag on at most this many items is read through its
// own index and the items sorted; a larger one is tested item by item
// along the list order, where it soon fills a page.
var feedbackTagSmall = 5000

// planFeedback turns a query's filters into a plan. It looks up the
// category and the size of the tag, so it runs inside the read.
func planFeedback(ctx context.Context, q querier, fq model.FeedbackQuery) (feedbackPlan, error) {
	return planFeedbackFor(ctx, dialect{}, q, fq)
}

// planFeedbackFor is planFeedback in the store's dialect.
func planFeedbackFor(ctx context.Context, d dialect, q querier, fq model.FeedbackQuery) (feedbackPlan, error) {
	p := feedbackPlan{from: "feedback f", triage: fq.Triage, d: d}
	add := func(cond string, args ...any) {
		p.where = append(p.where, cond)
		p.args = append(p.args, args...)
	}
	if strings.TrimSpace(fq.Search) != "" {
		fs := planSearch(fq.Search)
		if d.pg {
			fs = planSearchPG(fq.Search)
		}
		where, args := fs.conditions()
		p.from, p.where, p.args = fs.from(), where, args
		p.byID = fs.table != "" || fs.indexed
	}
	if fq.CustomerID > 0 {
		add("f.customer_id = ?", fq.CustomerID)
	}
	if fq.Status != "" {
		// A known status is written as a literal, so that the partial
		// index of open, unclassified items can serve it.
		if slices.Contains(model.Statuses, fq.Status) {
			add("f.status = '" + string(fq.Status) + "'")
		} else {
			add("f.status = ?", string(fq.Status))
		}
		p.noUntriaged = fq.Status != model.StatusOpen
	}
	if fq.Kind != "" {
		add("f.kind = ?", string(fq.Kind))
	}
	if ch := strings.ToLower(strings.TrimSpace(fq.Channel)); ch != "" {
		add("f.channel = ?", ch)
	}
	if fq.Agent != "" {
		add("f.agent = ?", fq.Agent)
	}
	if fq.Category != "" {
		ids, err := categoryFamily(ctx, q, fq.Category)
		if err != nil {
			return p, err
		}
		switch len(ids) {
		case 0:
			add("1 = 0") // no such category: nothing matches
		case 1:
			add("f.category_id = ?", ids[0])
		default:
			// A parent with children: several ranges of the category
			// index cannot be read in list order, so the list order's
			// index is scanned and each item tested (+ keeps SQLite from
			// sorting a whole parent's items instead).
			add("+f.category_id IN ("+placeholders(len(ids))+")", anySlice(ids)...)
		}
		p.noUntriaged = true
	}
	for _, k := range sortedKeys(fq.Attrs) {
		add(`coalesce(coalesce(nullif(CAST(json_extract(f.attrs, ?) AS TEXT), ''),
			(SELECT CAST(json_extract(ac.attrs, ?) AS TEXT) FROM customers ac WHERE ac.id = f.customer_id)) = ?, 0)`,
			attrPath(k), attrPath(k), fq.Attrs[k])
	}
	if fq.Tag != "" {
		var n int
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM feedback_tags ft JOIN tags t ON t.id = ft.tag_id
			WHERE t.name = ? LIMIT ?) AS tagged`, fq.Tag, feedbackTagSmall+1).Scan(&n)
		if err != nil {
			return p, err
		}
		if n <= feedbackTagSmall && !p.byID {
			add(`f.id IN (SELECT ft.feedback_id FROM feedback_tags ft JOIN tags t ON t.id = ft.tag_id WHERE t.name = ?)`, fq.Tag)
		} else {
			add(`EXISTS (SELECT 1 FROM feedback_tags ft JOIN tags t ON t.id = ft.tag_id
				WHERE ft.feedback_id = f.id AND t.name = ?)`, fq.Tag)
		}
	}
	return p, nil
}

// categoryFamily is the id of the category at path and of its children;
// none when there is no such category.
func categoryFamily(ctx context.Context, q querier, path string) ([]int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM categories WHERE path = ?", strings.TrimSpace(path)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	children, err := queryColumn[int64](ctx, q, "SELECT id FROM categories WHERE parent_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	return append([]int64{id}, children...), nil
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// selectFrom is the page query's SELECT … FROM: the plan's tables first
// (CROSS JOIN keeps SQLite from starting anywhere else), then the
// customer and the category of each row.
func (p feedbackPlan) selectFrom() string {
	return "SELECT " + feedbackCols + " FROM " + p.from +
		" " + p.d.orderedJoin() + " customers c ON c.id = f.customer_id LEFT JOIN categories cat ON cat.id = f.category_id"
}

// The two groups of the triage order. The untriaged group's conditions
// are literals, so that its partial index (feedback_unclassified) serves it.
const (
	untriagedCond = "f.status = 'open' AND f.category_id IS NULL"
	triagedCond   = "(f.status <> 'open' OR f.category_id IS NOT NULL)"
)

// scans plans the index ranges of one page (see keysetScans). forward is
// list order (newest first).
//   - By id: one range of ids.
//   - Newest first: (created_at, id) ranges.
//   - Triage: the untriaged group's ranges, then the rest's; a cursor's
//     key starts with its group ("u" or "t") before the created_at.
func (p feedbackPlan) scans(cur *model.Cursor, forward bool) []keysetScan {
	if p.byID {
		dir, cmp := "DESC", "<"
		if !forward {
			dir, cmp = "ASC", ">"
		}
		sc := keysetScan{order: "s.rowid " + dir}
		if cur != nil {
			sc.where, sc.args = []string{"s.rowid " + cmp + " ?"}, []any{cur.ID}
		}
		return []keysetScan{sc}
	}
	if !p.triage {
		return keysetScans("f.created_at", "f.id", cur, forward)
	}
	groups := []struct {
		name, cond string
	}{{"u", untriagedCond}, {"t", triagedCond}}
	if p.noUntriaged {
		groups = groups[1:]
	}
	if !forward {
		slices.Reverse(groups)
	}
	var out []keysetScan
	started := cur == nil
	for _, g := range groups {
		var gc *model.Cursor
		if !started {
			key, _ := cur.Key.(string)
			if !strings.HasPrefix(key, g.name) {
				continue
			}
			started = true
			gc = &model.Cursor{Key: key[len(g.name):], ID: cur.ID}
		}
		for _, sc := range keysetScans("f.created_at", "f.id", gc, forward) {
			sc.where = append([]string{g.cond}, sc.where...)
			out = append(out, sc)
		}
	}
	return out
}

// cursor is a row's place in the plan's order.
func (p feedbackPlan) cursor(f model.Feedback) model.Cursor {
	switch {
	case p.byID:
		return model.Cursor{Key: f.ID, ID: f.ID}
	case p.triage:
		g := "t"
		if f.Status == model.StatusOpen && f.CategoryID == nil {
			g = "u"
		}
		return model.Cursor{Key: g + fmtTime(f.CreatedAt), ID: f.ID}
	}
	return model.Cursor{Key: fmtTime(f.CreatedAt), ID: f.ID}
}

// orderBy is the whole order, for offset paging (the CLI's --offset).
func (p feedbackPlan) orderBy() string {
	switch {
	case p.byID:
		return "s.rowid DESC"
	case p.triage:
		return "(" + untriagedCond + ") DESC, f.created_at DESC, f.id DESC"
	}
	return "f.created_at DESC, f.id DESC"
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// feedbackEditor writes classification changes to many items inside one
// transaction: apply queues each item's row, tags, audit entry and undo
// record, and finish writes each kind in one set-based statement
// (editBatch) and brings the aggregates and the derived figures of the
// customers whose items changed up to date.
type feedbackEditor struct {
	ctx    context.Context
	d      dialect
	tx     *sql.Tx
	agent  string
	now    time.Time
	action string // audit action: "update", "undo", "rules"
	// undoable: record an action to undo (SetFeedback); actionID is
	// created with the first changed item.
	undoable bool
	actionID int64
	items    int

	batch     *editBatch     // the writes, queued for finish
	agg       *bulkAgg       // bulk edits: the aggregates in memory
	aggTx     *stmtCache     // the aggregates' statements, prepared once
	customers map[int64]bool // small edits: customers whose figures change
	catPaths  map[int64]string
	tagNames  map[int64]string
}

// bulkEditMin is how many items make an edit a bulk one: from there the
// aggregates are kept in memory (bulkAgg); below it the triggers keep them,
// which costs less for a few items.
const bulkEditMin = 20

// newFeedbackEditor starts an edit of n items.
func newFeedbackEditor(ctx context.Context, d dialect, tx *sql.Tx, agent string, now time.Time, n int) (*feedbackEditor, error) {
	e := &feedbackEditor{ctx: ctx, d: d, tx: tx, agent: agent, now: now, action: "update", batch: &editBatch{},
		catPaths: map[int64]string{}, tagNames: map[int64]string{}, customers: map[int64]bool{}}
	if n < bulkEditMin {
		return e, nil
	}
	e.aggTx = newStmtCache(tx)
	agg, err := beginBulkAgg(ctx, d, e.aggTx)
	if err != nil {
		e.close()
		return nil, err
	}
	e.agg = agg
	return e, nil
}

func (e *feedbackEditor) close() {
	if e.aggTx != nil {
		e.aggTx.close()
	}
}

// resolve turns a checked patch's category path and tag names into ids,
// creating tags on first use. A category must exist unless create is set.
func (e *feedbackEditor) resolve(p model.FeedbackPatch, create bool) (resolvedPatch, error) {
	rp := resolvedPatch{}
	if p.Status != nil {
		rp.status = ptr(string(*p.Status))
	}
	if p.Priority != nil {
		rp.priority = ptr(string(*p.Priority))
	}
	if p.Kind != nil {
		rp.kind = ptr(string(*p.Kind))
	}
	if p.Category != nil {
		var c sql.NullInt64
		if *p.Category != "" {
			id, err := e.categoryID(*p.Category, create)
			if err != nil {
				return rp, err
			}
			c = sql.NullInt64{Int64: id, Valid: true}
		}
		rp.category = &c
	}
	for _, t := range p.AddTags {
		id, err := tagID(e.ctx, e.tx, t)
		if err != nil {
			return rp, err
		}
		rp.addTags = append(rp.addTags, id)
	}
	for _, t := range p.RemoveTags {
		var id int64
		err := e.tx.QueryRowContext(e.ctx, "SELECT id FROM tags WHERE name = ?", t).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue // no item has it
		}
		if err != nil {
			return rp, err
		}
		rp.removeTags = append(rp.removeTags, id)
	}
	return rp, nil
}

func ptr[T any](v T) *T { return &v }

// categoryID finds a category by path (any case).
func (e *feedbackEditor) categoryID(path string, create bool) (int64, error) {
	if create {
		return categoryID(e.ctx, e.tx, path)
	}
	var id int64
	err := e.tx.QueryRowContext(e.ctx, "SELECT id FROM categories WHERE path = ?", path).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("%w: unknown category %q (see 'rapport categories')", model.ErrInvalid, path)
	}
	return id, err
}

// load reads the items' classification, in the order of ids; a missing
// id fails the whole edit.
func (e *feedbackEditor) load(ids []int64) ([]*feedbackState, error) {
	byID := make(map[int64]*feedbackState, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := anySlice(ids[start:min(start+500, len(ids))])
		in := placeholders(len(chunk))
		rows, err := e.tx.QueryContext(e.ctx, `SELECT id, customer_id, status, priority, kind, category_id, resolved_at, version,
			created_at, channel, csat, nps FROM feedback WHERE id IN (`+in+`)`, chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			st := &feedbackState{}
			if err := rows.Scan(&st.id, &st.customer, &st.status, &st.priority, &st.kind, &st.category, &st.resolved, &st.version,
				&st.createdAt, &st.channel, &st.csat, &st.nps); err != nil {
				rows.Close()
				return nil, err
			}
			byID[st.id] = st
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows, err = e.tx.QueryContext(e.ctx, `SELECT feedback_id, tag_id FROM feedback_tags WHERE feedback_id IN (`+in+`) ORDER BY 1, 2`, chunk...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, tag int64
			if err := rows.Scan(&id, &tag); err != nil {
				rows.Close()
				return nil, err
			}
			byID[id].tags = append(byID[id].tags, tag)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]*feedbackState, len(ids))
	for i, id := range ids {
		if out[i] = byID[id]; out[i] == nil {
			return nil, fmt.Errorf("feedback %d: %w", id, model.ErrNotFound)
		}
	}
	return out, nil
}

// apply writes the patch to one item if it changes anything, reporting
// whether it did. record keeps what it held before for undo.
func (e *feedbackEditor) apply(st *feedbackState, p resolvedPatch, record bool) (bool, error) {
	var b feedbackBefore
	ch := map[string][2]any{}
	status, priority, kind, cat, resolved := st.status, st.priority, st.kind, st.category, st.resolved
	if p.status != nil && *p.status != status {
		b.Status, status = ptr(status), *p.status
		ch["status"] = [2]any{st.status, status}
	}
	if p.priority != nil && *p.priority != priority {
		b.Priority, priority = ptr(priority), *p.priority
		ch["priority"] = [2]any{st.priority, priority}
	}
	if p.kind != nil && *p.kind != kind {
		b.Kind, kind = ptr(kind), *p.kind
		ch["kind"] = [2]any{st.kind, kind}
	}
	if p.category != nil && *p.category != cat {
		b.Category, cat = ptr(cat.Int64), *p.category
		oldPath, err := e.categoryPath(st.category)
		if err != nil {
			return false, err
		}
		newPath, err := e.categoryPath(cat)
		if err != nil {
			return false, err
		}
		ch["category"] = [2]any{oldPath, newPath}
	}
	switch {
	case p.resolved != nil:
		resolved = sql.NullString{String: *p.resolved, Valid: *p.resolved != ""}
	case status != st.status && (status == "resolved" || status == "closed"):
		if !resolved.Valid {
			resolved = sql.NullString{String: fmtTime(e.now), Valid: true}
		}
	case status != st.status:
		resolved = sql.NullString{}
	}
	if resolved != st.resolved {
		b.Resolved = ptr(st.resolved.String)
		ch["resolved_at"] = [2]any{nullStr(st.resolved), nullStr(resolved)}
	}
	for _, t := range p.addTags {
		if !slices.Contains(st.tags, t) && !slices.Contains(b.TagsAdded, t) {
			b.TagsAdded = append(b.TagsAdded, t)
		}
	}
	for _, t := range p.removeTags {
		if slices.Contains(st.tags, t) && !slices.Contains(b.TagsRemoved, t) {
			b.TagsRemoved = append(b.TagsRemoved, t)
		}
	}
	if len(b.TagsAdded) > 0 || len(b.TagsRemoved) > 0 {
		next := slices.DeleteFunc(slices.Clone(st.tags), func(t int64) bool { return slices.Contains(b.TagsRemoved, t) })
		next = append(next, b.TagsAdded...)
		oldNames, err := e.tagList(st.tags)
		if err != nil {
			return false, err
		}
		newNames, err := e.tagList(next)
		if err != nil {
			return false, err
		}
		ch["tags"] = [2]any{oldNames, newNames}
	}
	if len(ch) == 0 {
		return false, nil
	}
	if e.agg != nil {
		e.agg.change(st, status, kind, cat)
	} else if status != st.status || kind != st.kind {
		e.customers[st.customer] = true
	}
	version := st.version + 1 // read in this transaction, so nobody else changed it
	q := e.batch
	for i, changed := range [len(editColumns)]bool{status != st.status, priority != st.priority, kind != st.kind,
		cat != st.category, resolved != st.resolved} {
		q.set[i] = q.set[i] || changed
	}
	return true, e.queue(st, b, ch, record, version, []any{st.id, status, priority, kind, nullInt(cat), nullStr(resolved), version})
}

// queue keeps one item's writes for flushBatch.
func (e *feedbackEditor) queue(st *feedbackState, b feedbackBefore, ch map[string][2]any, record bool, version int64, update []any) error {
	q := e.batch
	q.updates = append(q.updates, update)
	for _, t := range b.TagsAdded {
		q.addTags = append(q.addTags, []any{st.id, t})
	}
	for _, t := range b.TagsRemoved {
		q.delTags = append(q.delTags, []any{st.id, t})
	}
	changes, err := changesJSON(ch)
	if err != nil {
		return err
	}
	q.audits = append(q.audits, []any{st.id, rawJSON(changes)})
	if !record {
		return nil
	}
	if err := e.startAction(); err != nil {
		return err
	}
	before, err := json.Marshal(b)
	if err != nil {
		return err
	}
	e.items++
	q.undos = append(q.undos, []any{st.id, version, rawJSON(before)})
	return nil
}

// startAction creates the undoable action with its first item.
func (e *feedbackEditor) startAction() error {
	if e.actionID != 0 {
		return nil
	}
	res, err := insertReturningID(e.ctx, e.tx, "INSERT INTO feedback_actions(at, agent) VALUES (?, ?)", fmtTime(e.now), e.agent)
	if err != nil {
		return err
	}
	e.actionID, err = res.LastInsertId()
	return err
}

// finish puts the changed customers back into the aggregates with their
// figures (bulkAgg; for a small edit the triggers did, and their figures
// are refreshed here) and closes the action, forgetting the oldest ones
// beyond keptActions.
func (e *feedbackEditor) finish() error {
	if e.agg != nil {
		// counted against the rows as they were, before the queued writes
		if err := e.agg.applyChanges(e.ctx, e.aggTx); err != nil {
			return err
		}
	}
	if err := e.flushBatch(); err != nil {
		return err
	}
	if e.agg != nil {
		if err := e.agg.finish(e.ctx, e.aggTx); err != nil {
			return err
		}
	} else {
		ids := make([]int64, 0, len(e.customers))
		for id := range e.customers {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		if err := refreshDerived(e.ctx, e.tx, ids...); err != nil {
			return err
		}
	}
	if e.actionID == 0 {
		return nil
	}
	if _, err := e.tx.ExecContext(e.ctx, "UPDATE feedback_actions SET items = ? WHERE id = ?", e.items, e.actionID); err != nil {
		return err
	}
	_, err := e.tx.ExecContext(e.ctx, `DELETE FROM feedback_actions WHERE id <= ?`, e.actionID-keptActions)
	return err
}

func (e *feedbackEditor) categoryPath(c sql.NullInt64) (any, error) {
	if !c.Valid {
		return nil, nil
	}
	if p, ok := e.catPaths[c.Int64]; ok {
		return p, nil
	}
	var p string
	if err := e.tx.QueryRowContext(e.ctx, "SELECT path FROM categories WHERE id = ?", c.Int64).Scan(&p); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	e.catPaths[c.Int64] = p
	return p, nil
}

// tagList names tag ids, sorted, for the audit.
func (e *feedbackEditor) tagList(ids []int64) ([]string, error) {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		name, ok := e.tagNames[id]
		if !ok {
			if err := e.tx.QueryRowContext(e.ctx, "SELECT name FROM tags WHERE id = ?", id).Scan(&name); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
			e.tagNames[id] = name
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out, nil
}

func nullStr(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}

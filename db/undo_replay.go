package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// What an action is, for the activity view, and which recorded changes an
// undo can replay. Logged feedback and new customers are refused: the
// feedback is what a customer said and stays on record (close it, or fix
// its fields), and a new customer is edited or merged, not deleted.

var undoFields = map[string][]string{
	"feedback/update": {"status", "priority", "kind", "category", "tags", "resolved_at"},
	"feedback/rules":  {"status", "priority", "kind", "category", "tags", "resolved_at"},
	"followup/update": {"due_at", "assignee", "status"},
	"customer/update": {"name", "email", "phone", "company", "plan", "region", "city", "language", "gender",
		"lifecycle", "ltv", "attrs", "tags"},
	"followup/create": nil,
	"note/create":     nil,
}

// replayers is the hook for other recorded writes to take part in undo and
// redo: a store file registers, for its audit "entity/action" (a merge's
// "customer/merge", say), the function that puts one recorded row back
// (undo) or does it again (redo) inside tx through that write's own path,
// keeping the figures. Rows of a kind neither registered nor built in
// below are kept, with a reason.
var replayers = map[string]func(s *Store, ctx context.Context, tx *sql.Tx, agent string, row auditRow, redo bool) error{}

// undoReason says why a recorded change cannot be undone, or "".
func undoReason(r auditRow) string {
	if _, ok := replayers[r.entity+"/"+r.action]; ok {
		return ""
	}
	switch r.entity + "/" + r.action {
	case "feedback/create":
		return "logged feedback stays on the customer's record; change its status or fields instead"
	case "customer/create":
		return "a new customer is not deleted by undo; edit it, or merge it into the right one"
	}
	fields, ok := undoFields[r.entity+"/"+r.action]
	if !ok {
		return fmt.Sprintf("%s %s is not undone from the TUI", entityName(r.entity), r.action)
	}
	if fields == nil {
		return ""
	}
	for f := range r.changes {
		if !slices.Contains(fields, f) {
			return fmt.Sprintf("a change of %s's %s is not undone from the TUI", entityName(r.entity), f)
		}
	}
	return ""
}

// replay writes the old (undo) or new (redo) values of an action's rows
// through the write paths that made them, inside tx. Undo goes backwards.
func (s *Store) replay(ctx context.Context, tx *sql.Tx, agent string, rows []auditRow, redo bool, deleted []rowSnapshot, ev *actionEvent) error {
	side := 0
	if redo {
		side = 1
	} else {
		rows = slices.Clone(rows)
		slices.Reverse(rows)
	}
	in := context.WithValue(ctx, txKey{}, tx) // the public write paths run in this transaction
	var fb []auditRow
	for _, r := range rows {
		var err error
		switch r.entity + "/" + r.action {
		case "feedback/update", "feedback/rules":
			fb = append(fb, r)
		case "followup/update":
			err = s.replayFollowUp(in, tx, agent, r, side)
		case "customer/update":
			_, err = s.UpdateCustomer(in, agent, r.entityID, customerPatch(r.changes, side), 0)
		case "followup/create", "note/create":
			table := versioned[r.entity]
			if redo {
				err = s.restoreRow(ctx, tx, agent, r.entity, table, r.entityID, deleted)
			} else {
				var snap rowSnapshot
				snap, err = s.removeRow(ctx, tx, agent, r.entity, table, r.entityID)
				ev.Deleted = append(ev.Deleted, snap)
			}
		default:
			if fn, ok := replayers[r.entity+"/"+r.action]; ok {
				err = fn(s, in, tx, agent, r, redo)
			} else {
				err = &model.UndoError{Reason: undoReason(r)}
			}
		}
		if err != nil {
			return err
		}
	}
	if len(fb) > 0 {
		return s.replayFeedback(ctx, tx, agent, fb, side)
	}
	return nil
}

// replayFeedback puts the recorded classification back with the feedback
// editor, which keeps the aggregates and the customers' figures. An item
// changed twice in one action gets the net change once; items go in id
// order, as SetFeedback writes them.
func (s *Store) replayFeedback(ctx context.Context, tx *sql.Tx, agent string, rows []auditRow, side int) error {
	net := map[int64]map[string][2]any{}
	var ids []int64
	for _, r := range rows { // in replay order: the first seen holds the value now stored
		m := net[r.entityID]
		if m == nil {
			m = map[string][2]any{}
			net[r.entityID] = m
			ids = append(ids, r.entityID)
		}
		for f, v := range r.changes {
			if cur, seen := m[f]; seen {
				cur[side] = v[side]
				v = cur
			}
			m[f] = v
		}
	}
	slices.Sort(ids)
	e, err := newFeedbackEditor(ctx, s.d, tx, agent, s.now(), len(ids))
	if err != nil {
		return err
	}
	defer e.close()
	e.action = []string{"undo", "redo"}[side]
	states, err := e.load(ids)
	if err != nil {
		return err
	}
	for _, st := range states {
		rp, err := e.patchFrom(net[st.id], side)
		if err != nil {
			return err
		}
		if _, err := e.apply(st, rp, false); err != nil {
			return err
		}
	}
	return e.finish()
}

// patchFrom is the edit that sets one side of recorded changes.
func (e *feedbackEditor) patchFrom(ch map[string][2]any, side int) (resolvedPatch, error) {
	var rp resolvedPatch
	for f, dst := range map[string]**string{"status": &rp.status, "priority": &rp.priority, "kind": &rp.kind} {
		if v, ok := ch[f]; ok {
			*dst = ptr(text(v[side]))
		}
	}
	if v, ok := ch["category"]; ok {
		c := sql.NullInt64{}
		if path := text(v[side]); path != "" {
			id, err := e.categoryID(path, false)
			if err != nil {
				return rp, &model.UndoError{Reason: fmt.Sprintf("the category %s was removed since", path)}
			}
			c = sql.NullInt64{Int64: id, Valid: true}
		}
		rp.category = &c
	}
	if v, ok := ch["tags"]; ok {
		want, other := strs(v[side]), strs(v[1-side])
		for _, t := range want {
			if !slices.Contains(other, t) {
				id, err := tagID(e.ctx, e.tx, t)
				if err != nil {
					return rp, err
				}
				rp.addTags = append(rp.addTags, id)
			}
		}
		for _, t := range other {
			if slices.Contains(want, t) {
				continue
			}
			var id int64
			err := e.tx.QueryRowContext(e.ctx, "SELECT id FROM tags WHERE name = ?", t).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return rp, err
			}
			rp.removeTags = append(rp.removeTags, id)
		}
	}
	if v, ok := ch["resolved_at"]; ok {
		rp.resolved = ptr(text(v[side]))
	}
	return rp, nil
}

// replayFollowUp sets a follow-up's recorded fields with the queue's own
// write paths (snooze, reassign, done) or reopens it.
func (s *Store) replayFollowUp(ctx context.Context, tx *sql.Tx, agent string, r auditRow, side int) error {
	fields := make([]string, 0, len(r.changes))
	for f := range r.changes {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		v := text(r.changes[f][side])
		var err error
		switch f {
		case "status":
			if v == string(model.FollowUpDone) {
				err = s.FollowUpDone(ctx, agent, r.entityID)
			} else {
				err = s.reopenFollowUp(ctx, tx, agent, r.entityID)
			}
		case "assignee":
			err = s.ReassignFollowUp(ctx, agent, r.entityID, v)
		case "due_at":
			err = s.SnoozeFollowUp(ctx, agent, r.entityID, parseTime(v))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// reopenFollowUp is the way back from done, which no screen offers.
func (s *Store) reopenFollowUp(ctx context.Context, tx *sql.Tx, agent string, id int64) error {
	var customer int64
	var status string
	if err := tx.QueryRowContext(ctx, "SELECT customer_id, status FROM followups WHERE id = ?", id).Scan(&customer, &status); err != nil {
		return fmt.Errorf("follow-up %d: %w", id, translate(err))
	}
	if status == string(model.FollowUpOpen) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE followups SET status = 'open', done_at = NULL, updated_at = ?,
		version = version + 1 WHERE id = ?`, fmtTime(s.now()), id); err != nil {
		return err
	}
	if err := refreshDerived(ctx, tx, customer); err != nil {
		return err
	}
	return writeAudit(ctx, tx, s.now(), agent, "followup", id, "update", map[string][2]any{"status": {"done", "open"}})
}

// customerPatch is the edit that sets one side of recorded customer changes.
func customerPatch(ch map[string][2]any, side int) model.CustomerPatch {
	var p model.CustomerPatch
	strField := map[string]**string{"name": &p.Name, "email": &p.Email, "phone": &p.Phone, "company": &p.Company,
		"plan": &p.Plan, "region": &p.Region, "city": &p.City, "language": &p.Language, "gender": &p.Gender}
	for f, v := range ch {
		if dst, ok := strField[f]; ok {
			*dst = ptr(text(v[side]))
			continue
		}
		switch f {
		case "lifecycle":
			p.Lifecycle = ptr(model.Lifecycle(text(v[side])))
		case "ltv":
			n, _ := v[side].(float64)
			p.LTV = &n
		case "attrs":
			want, _ := v[side].(map[string]any)
			other, _ := v[1-side].(map[string]any)
			p.SetAttrs = map[string]string{}
			for k, x := range want {
				p.SetAttrs[k] = text(x)
			}
			for k := range other {
				if _, ok := want[k]; !ok {
					p.SetAttrs[k] = ""
				}
			}
		case "tags":
			want, other := strs(v[side]), strs(v[1-side])
			for _, t := range want {
				if !slices.Contains(other, t) {
					p.AddTags = append(p.AddTags, t)
				}
			}
			for _, t := range other {
				if !slices.Contains(want, t) {
					p.RemoveTags = append(p.RemoveTags, t)
				}
			}
		}
	}
	return p
}

// rowSnapshot is a row an undo deleted (a note or follow-up it had
// created), kept in the undo's action row so a redo can put it back.
type rowSnapshot struct {
	Table string         `json:"table"`
	ID    int64          `json:"id"`
	Cols  map[string]any `json:"cols"`
}

var columnName = regexp.MustCompile(`^[a-z_]+$`)

// removeRow deletes a note or follow-up an action created, keeping it.
func (s *Store) removeRow(ctx context.Context, tx *sql.Tx, agent, entity, table string, id int64) (rowSnapshot, error) {
	snap := rowSnapshot{Table: table, ID: id, Cols: map[string]any{}}
	rows, err := tx.QueryContext(ctx, "SELECT * FROM "+table+" WHERE id = ?", id)
	if err != nil {
		return snap, err
	}
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return snap, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	found := rows.Next()
	if found {
		err = rows.Scan(ptrs...)
	}
	rows.Close()
	if err != nil {
		return snap, err
	}
	if !found {
		return snap, &model.UndoError{Reason: fmt.Sprintf("%s %d no longer exists", entityName(entity), id)}
	}
	for i, c := range cols {
		if b, ok := vals[i].([]byte); ok {
			vals[i] = string(b)
		}
		snap.Cols[c] = vals[i]
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE id = ?", id); err != nil {
		return snap, err
	}
	customer, _ := snap.Cols["customer_id"].(int64)
	if table == "followups" {
		if err := refreshDerived(ctx, tx, customer); err != nil {
			return snap, err
		}
	}
	return snap, writeAudit(ctx, tx, s.now(), agent, entity, id, "delete", map[string][2]any{"customer_id": {customer, nil}})
}

// restoreRow puts back a row removeRow deleted, with its id.
func (s *Store) restoreRow(ctx context.Context, tx *sql.Tx, agent, entity, table string, id int64, deleted []rowSnapshot) error {
	i := slices.IndexFunc(deleted, func(d rowSnapshot) bool { return d.Table == table && d.ID == id })
	if i < 0 {
		return &model.UndoError{Reason: fmt.Sprintf("the removed %s %d was not kept", entityName(entity), id)}
	}
	snap := deleted[i]
	if _, ok, err := currentVersion(ctx, tx, entity, id); err != nil || ok {
		if err == nil {
			err = &model.UndoError{Reason: fmt.Sprintf("%s %d is in use by a newer record", entityName(entity), id)}
		}
		return err
	}
	cols := make([]string, 0, len(snap.Cols))
	for c := range snap.Cols {
		if !columnName.MatchString(c) {
			return fmt.Errorf("undo record of %s %d: bad column %q", entity, id, c)
		}
		cols = append(cols, c)
	}
	sort.Strings(cols)
	args := make([]any, len(cols))
	for i, c := range cols {
		args[i] = jsonValue(snap.Cols[c])
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+"("+strings.Join(cols, ", ")+") VALUES ("+placeholders(len(cols))+")", args...); err != nil {
		return err
	}
	customer, _ := args[slices.Index(cols, "customer_id")].(int64)
	if table == "followups" {
		if err := refreshDerived(ctx, tx, customer); err != nil {
			return err
		}
	}
	return writeAudit(ctx, tx, s.now(), agent, entity, id, "create", map[string][2]any{"customer_id": {nil, customer}})
}

// jsonValue turns a decoded snapshot value back into what SQLite stored.
func jsonValue(v any) any {
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i
		}
		f, _ := n.Float64()
		return f
	}
	return v
}

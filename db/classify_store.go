package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// keptActions is how many bulk actions stay undoable; older ones are
// forgotten as new ones are made.
const keptActions = 200

// SetFeedback applies one patch to many feedback items in one transaction:
// each item that changes gets a new version and an audit entry of its
// fields' old and new values; tags are added and removed, never replaced,
// so two agents tagging at once both keep their tag. Resolving or closing
// stamps resolved_at; reopening clears it. With ifVersion > 0 (one id
// only) the write is refused with a *model.StaleError when the item
// changed since that version. The result's UndoID undoes the whole action
// (see UndoBulk).
func (s *Store) SetFeedback(ctx context.Context, agent string, ids []int64, p model.FeedbackPatch, ifVersion int64) (model.BulkResult, error) {
	ctx = requires(ctx, model.RoleAgent, "classify feedback")
	if err := checkPatch(&p); err != nil {
		return model.BulkResult{}, err
	}
	// In id order, each write walks the table and the audit and undo
	// indexes forward instead of jumping about them.
	ids = uniqueIDs(ids)
	slices.Sort(ids)
	if len(ids) == 0 {
		return model.BulkResult{}, fmt.Errorf("%w: no feedback selected", model.ErrInvalid)
	}
	if ifVersion > 0 && len(ids) != 1 {
		return model.BulkResult{}, fmt.Errorf("%w: a version can be named for one item only", model.ErrInvalid)
	}
	var res model.BulkResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		e, err := newFeedbackEditor(ctx, s.d, tx, agent, s.now(), len(ids))
		if err != nil {
			return err
		}
		defer e.close()
		rp, err := e.resolve(p, false)
		if err != nil {
			return err
		}
		states, err := e.load(ids)
		if err != nil {
			return err
		}
		if ifVersion > 0 && states[0].version != ifVersion {
			return &model.StaleError{Entity: "feedback", ID: ids[0], Want: ifVersion, Have: states[0].version,
				ByAgent: lastAgent(ctx, tx, "feedback", ids[0])}
		}
		for _, st := range states {
			changed, err := e.apply(st, rp, true)
			if err != nil {
				return err
			}
			if changed {
				res.Changed++
			} else {
				res.Unchanged++
			}
		}
		res.UndoID = e.actionID
		return e.finish()
	})
	if err != nil {
		return model.BulkResult{}, err
	}
	return res, nil
}

// checkPatch refuses values the domain does not allow, before anything is
// written, and tidies tags and the category path.
func checkPatch(p *model.FeedbackPatch) error {
	if p.Empty() {
		return fmt.Errorf("%w: nothing to change", model.ErrInvalid)
	}
	if p.Status != nil {
		v, err := model.ParseStatus(string(*p.Status))
		if err != nil {
			return err
		}
		p.Status = &v
	}
	if p.Priority != nil {
		v, err := model.ParsePriority(string(*p.Priority))
		if err != nil {
			return err
		}
		p.Priority = &v
	}
	if p.Kind != nil {
		v, err := model.ParseKind(string(*p.Kind))
		if err != nil {
			return err
		}
		p.Kind = &v
	}
	if p.Category != nil {
		path := strings.TrimSpace(*p.Category)
		if path != "" {
			parts, err := model.SplitCategoryPath(path)
			if err != nil {
				return err
			}
			path = strings.Join(parts, "/")
		}
		p.Category = &path
	}
	for _, list := range [][]string{p.AddTags, p.RemoveTags} {
		for i, t := range list {
			list[i] = strings.TrimSpace(t)
			if err := model.ValidateTag(list[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func uniqueIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// UndoBulk puts back what the bulk action undoID changed, item by item,
// as a new change (new version, audit entry "undo"). Items changed again
// since the action, by anyone, are left as they are and not counted. It
// returns how many items were restored; an action can be undone once.
func (s *Store) UndoBulk(ctx context.Context, agent string, undoID int64) (int, error) {
	ctx = requires(ctx, model.RoleAgent, "undo a classification")
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		var undone sql.NullString
		err := tx.QueryRowContext(ctx, "SELECT undone_at FROM feedback_actions WHERE id = ?", undoID).Scan(&undone)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("bulk action %d (too old, or never made): %w", undoID, model.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if undone.Valid {
			return fmt.Errorf("bulk action %d was already undone: %w", undoID, model.ErrConflict)
		}
		type item struct {
			id, version int64
			before      string
		}
		var items []item
		rows, err := tx.QueryContext(ctx, `SELECT i.feedback_id, i.before FROM feedback_action_items i
			JOIN feedback f ON f.id = i.feedback_id AND f.version = i.version
			WHERE i.action_id = ? ORDER BY i.feedback_id`, undoID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var it item
			if err := rows.Scan(&it.id, &it.before); err != nil {
				rows.Close()
				return err
			}
			items = append(items, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		e, err := newFeedbackEditor(ctx, s.d, tx, agent, s.now(), len(items))
		if err != nil {
			return err
		}
		defer e.close()
		e.action = "undo"
		ids := make([]int64, len(items))
		for i, it := range items {
			ids[i] = it.id
		}
		states, err := e.load(ids)
		if err != nil {
			return err
		}
		for i, st := range states {
			var b feedbackBefore
			if err := json.Unmarshal([]byte(items[i].before), &b); err != nil {
				return fmt.Errorf("undo record of feedback %d: %w", st.id, err)
			}
			changed, err := e.apply(st, b.patch(), false)
			if err != nil {
				return err
			}
			if changed {
				n++
			}
		}
		if err := e.finish(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE feedback_actions SET undone_at = ? WHERE id = ?", fmtTime(s.now()), undoID)
		return err
	})
	return n, err
}

// feedbackBefore is what an item held before a bulk action changed it:
// only the fields that changed are set.
type feedbackBefore struct {
	Status      *string `json:"status,omitempty"`
	Priority    *string `json:"priority,omitempty"`
	Kind        *string `json:"kind,omitempty"`
	Category    *int64  `json:"category_id,omitempty"` // 0: none
	Resolved    *string `json:"resolved_at,omitempty"` // "": none
	TagsAdded   []int64 `json:"tags_added,omitempty"`
	TagsRemoved []int64 `json:"tags_removed,omitempty"`
}

// patch is the edit that restores b.
func (b feedbackBefore) patch() resolvedPatch {
	rp := resolvedPatch{status: b.Status, priority: b.Priority, kind: b.Kind,
		addTags: b.TagsRemoved, removeTags: b.TagsAdded, resolved: b.Resolved}
	if b.Category != nil {
		c := sql.NullInt64{Int64: *b.Category, Valid: *b.Category != 0}
		rp.category = &c
	}
	return rp
}

// resolvedPatch is a patch with the category and tags turned into ids.
// resolved, when set, is written as is (undo); otherwise a status change
// decides it.
type resolvedPatch struct {
	status, priority, kind *string
	category               *sql.NullInt64
	addTags, removeTags    []int64
	resolved               *string
}

// feedbackState is an item's classification as stored.
type feedbackState struct {
	id, customer           int64
	status, priority, kind string
	category               sql.NullInt64
	createdAt, channel     string        // for the aggregates (bulkAgg.change)
	csat, nps              sql.NullInt64 // idem
	resolved               sql.NullString
	version                int64
	tags                   []int64 // sorted
}

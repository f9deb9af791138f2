package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// The item view's reads: one feedback item with its follow-ups and its
// history, and the full text of a note or follow-up from a timeline; and
// its one write of its own, a note on a feedback item.

// itemHistoryLimit bounds the history an item view shows.
const itemHistoryLimit = 200

// FeedbackDetail returns a feedback item with its tags and attributes,
// the follow-ups promised on it (newest first) and its audit history.
func (s *Store) FeedbackDetail(ctx context.Context, id int64) (model.FeedbackDetail, error) {
	var d model.FeedbackDetail
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		if d.Feedback, err = getFeedback(ctx, tx, id); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+followUpCols+
			" FROM followups u JOIN customers c ON c.id = u.customer_id WHERE u.feedback_id = ? ORDER BY u.created_at DESC, u.id DESC", id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFollowUp(rows)
			if err != nil {
				return err
			}
			d.FollowUps = append(d.FollowUps, f)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		d.History, err = itemHistory(ctx, tx, "feedback", id)
		return err
	})
	if d.FollowUps == nil {
		d.FollowUps = []model.FollowUp{}
	}
	return d, err
}

// TimelineItem returns the note or follow-up behind a timeline line, in
// full, with its history.
func (s *Store) TimelineItem(ctx context.Context, typ string, id int64) (model.TimelineItem, error) {
	it := model.TimelineItem{Type: typ, ID: id}
	err := s.read(ctx, func(tx *sql.Tx) error {
		switch typ {
		case "note":
			var n model.Note
			var at string
			err := tx.QueryRowContext(ctx, "SELECT id, customer_id, agent, body, created_at FROM notes WHERE id = ?", id).
				Scan(&n.ID, &n.CustomerID, &n.Agent, &n.Body, &at)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("note %d: %w", id, model.ErrNotFound)
			}
			if err != nil {
				return err
			}
			n.CreatedAt = parseTime(at)
			it.Note = &n
		case "followup":
			f, err := scanFollowUp(tx.QueryRowContext(ctx, "SELECT "+followUpCols+
				" FROM followups u JOIN customers c ON c.id = u.customer_id WHERE u.id = ?", id))
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("follow-up %d: %w", id, model.ErrNotFound)
			}
			if err != nil {
				return err
			}
			it.FollowUp = &f
		default:
			return fmt.Errorf("%w: no item view for %q", model.ErrInvalid, typ)
		}
		var err error
		it.History, err = itemHistory(ctx, tx, typ, id)
		return err
	})
	return it, err
}

// itemHistory words an entity's audit rows, newest first.
func itemHistory(ctx context.Context, tx *sql.Tx, entity string, id int64) ([]model.ItemChange, error) {
	rows, err := tx.QueryContext(ctx, `SELECT at, agent, action, changes FROM audit
		WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT ?`, entity, id, itemHistoryLimit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []model.ItemChange{}
	for rows.Next() {
		var c model.ItemChange
		var at, changes string
		if err := rows.Scan(&at, &c.Agent, &c.Action, &changes); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		switch c.Action {
		case "create":
			c.Summary = "created"
		case "note":
			c.Summary = "note: " + noteText(changes)
		default:
			c.Summary = describeChanges(localTimes(changes))
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil || entity != "followup" || len(out) >= itemHistoryLimit {
		return out, err
	}
	// A recalled follow-up's creation is in its batch's row: the oldest.
	rc, ok, err := findRecallCreation(ctx, tx, id)
	if ok {
		out = append(out, model.ItemChange{At: parseTime(rc.at), Agent: rc.agent, Action: "create", Summary: "created"})
	}
	return out, err
}

// localTimes rewrites the RFC 3339 times in an audit change set as local
// "2006-01-02 15:04", the way the item view shows every other time.
func localTimes(changes string) string {
	var m map[string][2]any
	if json.Unmarshal([]byte(changes), &m) != nil {
		return changes
	}
	for k, v := range m {
		for i, x := range v {
			if s, ok := x.(string); ok {
				if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
					v[i] = t.In(time.Local).Format("2006-01-02 15:04")
				}
			}
		}
		m[k] = v
	}
	out, err := json.Marshal(m)
	if err != nil {
		return changes
	}
	return string(out)
}

// noteText is the text of a note recorded on an item's history.
func noteText(changes string) string {
	var m map[string][2]any
	if json.Unmarshal([]byte(changes), &m) != nil {
		return ""
	}
	s, _ := m["note"][1].(string)
	return s
}

// AddFeedbackNote writes a note about a feedback item: it is the
// customer's note (on the profile's timeline) and a line of the item's
// history, in one transaction.
func (s *Store) AddFeedbackNote(ctx context.Context, agent string, feedbackID int64, body string) (model.Note, error) {
	ctx = requires(ctx, model.RoleAgent, "add notes")
	var n model.Note
	err := s.write(ctx, func(tx *sql.Tx) error {
		f, err := getFeedback(ctx, tx, feedbackID)
		if err != nil {
			return err
		}
		n = model.Note{CustomerID: f.CustomerID, Agent: agent, Body: body, CreatedAt: s.now()}
		if err := n.Validate(); err != nil {
			return err
		}
		res, err := insertReturningID(ctx, tx, "INSERT INTO notes(customer_id, agent, body, created_at) VALUES (?,?,?,?)",
			n.CustomerID, agent, n.Body, fmtTime(n.CreatedAt))
		if err != nil {
			return err
		}
		if n.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := writeAudit(ctx, tx, n.CreatedAt, agent, "note", n.ID, "create",
			map[string][2]any{"customer_id": {nil, n.CustomerID}, "feedback_id": {nil, feedbackID}, "body": {nil, n.Body}}); err != nil {
			return err
		}
		return writeAudit(ctx, tx, n.CreatedAt, agent, "feedback", feedbackID, "note",
			map[string][2]any{"note": {nil, n.Body}})
	})
	if err != nil {
		return model.Note{}, err
	}
	return n, nil
}

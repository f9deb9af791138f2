package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// Timeline is a customer's history, newest first: feedback, notes,
// follow-ups (made and done) and changes to the profile.
func (s *Store) Timeline(ctx context.Context, customerID int64, limit int) ([]model.TimelineEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []model.TimelineEntry
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := getCustomer(ctx, tx, customerID); err != nil {
			return err
		}
		// Each source is read newest first up to the limit; the merge below
		// keeps the newest `limit` of all of them.
		fb, err := tx.QueryContext(ctx, `SELECT id, created_at, agent, kind, channel, subject, body, csat, nps, status
			FROM feedback WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, customerID, limit)
		if err != nil {
			return err
		}
		for fb.Next() {
			var e model.TimelineEntry
			var at, kind, channel, subject, body, status string
			var csat, nps sql.NullInt64
			if err := fb.Scan(&e.ID, &at, &e.Agent, &kind, &channel, &subject, &body, &csat, &nps, &status); err != nil {
				fb.Close()
				return err
			}
			e.At, e.Type = parseTime(at), "feedback"
			text := subject
			if text == "" {
				text = firstLine(body)
			}
			e.Summary = fmt.Sprintf("[%s/%s, %s] %s", kind, orDash(channel), status, text)
			e.CSAT, e.NPS = intPtr(csat), intPtr(nps)
			out = append(out, e)
		}
		fb.Close()
		if err := fb.Err(); err != nil {
			return err
		}

		notes, err := tx.QueryContext(ctx, `SELECT id, created_at, agent, body FROM notes
			WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, customerID, limit)
		if err != nil {
			return err
		}
		for notes.Next() {
			var e model.TimelineEntry
			var at, body string
			if err := notes.Scan(&e.ID, &at, &e.Agent, &body); err != nil {
				notes.Close()
				return err
			}
			e.At, e.Type, e.Summary = parseTime(at), "note", firstLine(body)
			out = append(out, e)
		}
		notes.Close()
		if err := notes.Err(); err != nil {
			return err
		}

		// Who closed a follow-up is the agent of its audited open → done
		// change (the assignee need not be the one who did it); follow-ups
		// closed without an audit row (imported) fall back to the assignee.
		fu, err := tx.QueryContext(ctx, `SELECT id, created_at, created_by, assignee, due_at, note, status, done_at,
				coalesce((SELECT a.agent FROM audit a WHERE a.entity = 'followup' AND a.entity_id = followups.id
					AND instr(a.changes, '"status":["open","done"]') > 0 ORDER BY a.id DESC LIMIT 1), assignee)
			FROM followups WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, customerID, limit)
		if err != nil {
			return err
		}
		for fu.Next() {
			var id int64
			var at, by, assignee, due, note, status, doneBy string
			var done sql.NullString
			if err := fu.Scan(&id, &at, &by, &assignee, &due, &note, &status, &done, &doneBy); err != nil {
				fu.Close()
				return err
			}
			dueT := parseTime(due).In(time.Local).Format("2006-01-02 15:04")
			summary := fmt.Sprintf("follow-up due %s for %s", dueT, assignee)
			if note != "" {
				summary += ": " + firstLine(note)
			}
			out = append(out, model.TimelineEntry{At: parseTime(at), Type: "followup", ID: id, Agent: by, Summary: summary})
			if t := parseTimeNull(done); t != nil {
				out = append(out, model.TimelineEntry{At: *t, Type: "followup", ID: id, Agent: doneBy,
					Summary: "follow-up done" + noteSuffix(note)})
			}
		}
		fu.Close()
		if err := fu.Err(); err != nil {
			return err
		}

		ch, err := tx.QueryContext(ctx, `SELECT id, at, agent, changes, action FROM audit
			WHERE entity = 'customer' AND entity_id = ? AND action IN ('update', 'undo', 'redo', 'merge', 'unmerge') ORDER BY id DESC LIMIT ?`, customerID, limit)
		if err != nil {
			return err
		}
		defer ch.Close()
		for ch.Next() {
			var e model.TimelineEntry
			var at, changes, action string
			if err := ch.Scan(&e.ID, &at, &e.Agent, &changes, &action); err != nil {
				return err
			}
			e.At, e.Type, e.Summary = parseTime(at), "change", describeChanges(changes)
			if action == "merge" || action == "unmerge" {
				e.Summary = describeMerge(action, changes) // merge.go
			}
			out = append(out, e)
		}
		return ch.Err()
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].ID > out[j].ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	if out == nil {
		out = []model.TimelineEntry{}
	}
	return out, nil
}

// describeChanges words an audit change set: "lifecycle: new → paying".
func describeChanges(js string) string {
	var m map[string][2]any
	if json.Unmarshal([]byte(js), &m) != nil || len(m) == 0 {
		return "changed"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %s → %s", k, showValue(m[k][0]), showValue(m[k][1]))
	}
	return strings.Join(parts, "; ")
}

func showValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "–"
	case string:
		return x
	case []any:
		s := make([]string, len(x))
		for i, e := range x {
			s[i] = fmt.Sprint(e)
		}
		return "[" + strings.Join(s, ", ") + "]"
	default:
		return fmt.Sprint(x)
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func noteSuffix(note string) string {
	if note == "" {
		return ""
	}
	return ": " + firstLine(note)
}

// ScoreHistory returns the customer's last `limit` CSAT/NPS answers,
// oldest first, for sparklines.
func (s *Store) ScoreHistory(ctx context.Context, customerID int64, limit int) ([]model.ScorePoint, error) {
	if limit <= 0 {
		limit = 60
	}
	var out []model.ScorePoint
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT created_at, csat, nps FROM feedback
			WHERE customer_id = ? AND (csat IS NOT NULL OR nps IS NOT NULL)
			ORDER BY created_at DESC, id DESC LIMIT ?`, customerID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var at string
			var csat, nps sql.NullInt64
			if err := rows.Scan(&at, &csat, &nps); err != nil {
				return err
			}
			out = append(out, model.ScorePoint{At: parseTime(at), CSAT: intPtr(csat), NPS: intPtr(nps)})
		}
		return rows.Err()
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

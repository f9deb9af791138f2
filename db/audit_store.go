package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one recorded change.
type AuditEntry struct {
	At       time.Time
	Agent    string
	Entity   string
	EntityID int64
	Action   string
	Changes  map[string][2]any // field -> [old, new]
}

// AuditQuery filters the audit log; zero fields do not filter.
type AuditQuery struct {
	Entity string
	ID     int64
	Agent  string
	Since  time.Time
	Limit  int
}

// Audit lists recorded changes, newest first.
func (s *Store) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	var where []string
	var args []any
	if q.Entity != "" {
		where, args = append(where, "entity = ?"), append(args, q.Entity)
	}
	if q.ID > 0 {
		where, args = append(where, "entity_id = ?"), append(args, q.ID)
	}
	if q.Agent != "" {
		where, args = append(where, "agent = ?"), append(args, q.Agent)
	}
	if !q.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, fmtTime(q.Since))
	}
	query := "SELECT at, agent, entity, entity_id, action, changes FROM audit"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC"
	if q.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, q.Limit)
	}
	out := []AuditEntry{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e AuditEntry
			var at, changes string
			if err := rows.Scan(&at, &e.Agent, &e.Entity, &e.EntityID, &e.Action, &changes); err != nil {
				return err
			}
			e.At = parseTime(at)
			e.Changes = map[string][2]any{}
			if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
				e.Changes = map[string][2]any{}
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return out, nil
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// AuditEntry is one recorded change (declared in model, with the contract).
type AuditEntry = model.AuditEntry

// AuditQuery filters the audit log; zero fields do not filter.
type AuditQuery = model.AuditQuery

// Audit lists recorded changes, newest first. A follow-up made by a
// recall has its creation in its batch's row (recall_audit.go): asked for
// by id, it is listed as its own entry; the follow-up entity lists the
// batch rows with the follow-ups.
func (s *Store) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	var where []string
	var args []any
	switch {
	case q.Entity == "followup" && q.ID <= 0:
		where, args = append(where, "entity IN (?, ?)"), append(args, q.Entity, recallAuditEntity)
	case q.Entity != "":
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
	query := "SELECT id, at, agent, entity, entity_id, action, changes FROM audit"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC"
	if q.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, q.Limit)
	}
	out := []AuditEntry{}
	var ids []int64
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e AuditEntry
			var id int64
			var at, changes string
			if err := rows.Scan(&id, &at, &e.Agent, &e.Entity, &e.EntityID, &e.Action, &changes); err != nil {
				return err
			}
			e.At = parseTime(at)
			e.Changes = map[string][2]any{}
			if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
				e.Changes = map[string][2]any{}
			}
			if e.Entity == recallAuditEntity {
				e.Changes = recallBatchSummary(e.Changes)
			}
			out, ids = append(out, e), append(ids, id)
		}
		if err := rows.Err(); err != nil || q.Entity != "followup" || q.ID <= 0 {
			return err
		}
		rc, ok, err := findRecallCreation(ctx, tx, q.ID)
		if err != nil || !ok || (q.Agent != "" && rc.agent != q.Agent) || (!q.Since.IsZero() && rc.at < fmtTime(q.Since)) {
			return err
		}
		out = withRecallCreation(out, ids, rc, AuditEntry{At: parseTime(rc.at), Agent: rc.agent, Entity: "followup",
			EntityID: q.ID, Action: "create", Changes: rc.changes})
		if q.Limit > 0 && len(out) > q.Limit {
			out = out[:q.Limit]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return out, nil
}

// staleChanges lists the field changes of the last n updates of a record:
// every versioned write records one audit row, so they are what happened
// since the version a refused write named.
func staleChanges(ctx context.Context, q querier, entity string, id int64, n int64) []model.Change {
	if n <= 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT at, agent, changes FROM audit
		WHERE entity = ? AND entity_id = ? AND action <> 'create' ORDER BY id DESC LIMIT ?`, entity, id, n)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []model.Change
	for rows.Next() {
		var at, agent, js string
		if rows.Scan(&at, &agent, &js) != nil {
			return nil
		}
		var ch map[string][2]any
		if json.Unmarshal([]byte(js), &ch) != nil {
			continue
		}
		fields := make([]string, 0, len(ch))
		for f := range ch {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		t := parseTime(at)
		// newest first from the query; prepend to end oldest first
		batch := make([]model.Change, 0, len(fields))
		for _, f := range fields {
			batch = append(batch, model.Change{At: t, Agent: agent, Field: f,
				Old: changeText(ch[f][0]), New: changeText(ch[f][1])})
		}
		out = append(batch, out...)
	}
	return out
}

// changeText words one side of a recorded change for a person.
func changeText(v any) string {
	switch v := v.(type) {
	case nil:
		return "—"
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = changeText(x)
		}
		return strings.Join(parts, ", ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// checkUnchanged refuses an undo or redo when a record the action changed
// was changed since the action's latest event. The versions that event
// recorded answer at once when nothing was written since. Otherwise any
// change by another agent refuses it, naming them from the audit (unless
// that agent undid it again), and the agent's own later changes refuse it
// only while the fields the action changed no longer hold what it left:
// a later action of one's own, once undone, is no obstacle.
func checkUnchanged(ctx context.Context, q querier, agent, verb, what, label string, last eventRow, forward []auditRow, redo bool) error {
	left := 1 // an undo finds the new values, a redo the old ones
	if redo {
		left = 0
	}
	for _, r := range netLeft(forward, left) {
		if _, ok := versioned[r.entity]; !ok {
			continue // a registered replayer's own record: it checks what it needs
		}
		key := fmt.Sprintf("%s:%d", r.entity, r.entityID)
		want, recorded := last.ev.Versions[key]
		have, exists, err := currentVersion(ctx, q, r.entity, r.entityID)
		if err != nil {
			return err
		}
		if r.action == "create" && redo {
			continue // put back by the redo; restoreRow checks the id is free
		}
		if !exists {
			return &model.UndoError{Reason: fmt.Sprintf("cannot %s %s: %s no longer exists", verb, what, recordName(r, label))}
		}
		if recorded && have == want {
			continue
		}
		if by, err := otherChange(ctx, q, agent, r.entity, r.entityID, last.ev.Rows[1]); err != nil || by != "" {
			if err == nil {
				err = &model.UndoError{ByAgent: by, Reason: fmt.Sprintf("cannot %s %s: %s was changed since by %s",
					verb, what, recordName(r, label), by)}
			}
			return err
		}
		cur, err := currentFields(ctx, q, r.entity, r.entityID)
		if err != nil {
			return err
		}
		changes := r.changes
		if r.entity == "followup" && r.action == "create" { // and still open
			changes = map[string][2]any{"status": {nil, "open"}}
			for f, v := range r.changes {
				changes[f] = v
			}
		}
		fields := make([]string, 0, len(changes))
		for f := range changes {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			if r.action == "create" && (f == "body" || f == "customer_id") {
				continue
			}
			if canon(cur[f]) == canon(changes[f][left]) {
				continue
			}
			by := changedBy(ctx, q, r.entity, r.entityID, last.ev.Rows[1], f)
			who := by
			switch by {
			case "":
				who = "someone"
			case agent:
				who = "you, in a later change (undo that first)"
			}
			return &model.UndoError{ByAgent: by, Reason: fmt.Sprintf("cannot %s %s: the %s of %s was changed since by %s",
				verb, what, f, recordName(r, label), who)}
		}
	}
	return nil
}

// netLeft is one row per record with, for each field, what the action
// left in it: the newest new value (left 1, before an undo) or the oldest
// old value (left 0, before a redo).
func netLeft(forward []auditRow, left int) []auditRow {
	idx := map[string]int{}
	var out []auditRow
	for _, r := range forward {
		k := fmt.Sprintf("%s:%d", r.entity, r.entityID)
		i, ok := idx[k]
		if !ok {
			idx[k] = len(out)
			r.changes = maps.Clone(r.changes)
			out = append(out, r)
			continue
		}
		for f, v := range r.changes {
			cur, seen := out[i].changes[f]
			if !seen {
				cur = v
			} else if left == 1 {
				cur[1] = v[1]
			}
			out[i].changes[f] = cur
		}
	}
	return out
}

// canon is a value as JSON, so a stored value and a recorded one compare.
func canon(v any) string {
	if s, ok := v.(string); ok && s == "" {
		v = nil
	}
	if l, ok := v.([]any); ok && len(l) == 0 {
		v = nil
	}
	if l, ok := v.([]string); ok && len(l) == 0 {
		v = nil
	}
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		v = nil
	}
	if m, ok := v.(map[string]string); ok && len(m) == 0 {
		v = nil
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// changedBy names who last changed field of a record after audit row after.
func changedBy(ctx context.Context, q querier, entity string, id, after int64, field string) string {
	rows, err := q.QueryContext(ctx, `SELECT agent, changes FROM audit WHERE entity = ? AND entity_id = ? AND id > ?
		ORDER BY id DESC`, entity, id, after)
	if err != nil {
		return ""
	}
	defer rows.Close()
	for rows.Next() {
		var agent, js string
		if rows.Scan(&agent, &js) != nil {
			return ""
		}
		var ch map[string]json.RawMessage
		if json.Unmarshal([]byte(js), &ch) == nil {
			if _, ok := ch[field]; ok {
				return agent
			}
		}
	}
	return ""
}

// currentFields reads a record's fields as its audit entries word them.
func currentFields(ctx context.Context, q querier, entity string, id int64) (map[string]any, error) {
	out := map[string]any{}
	switch entity {
	case "customer":
		c, err := getCustomer(ctx, q, id)
		if err != nil {
			return nil, err
		}
		for f, v := range customerChanges(model.Customer{}, c) {
			out[f] = v[1]
		}
		out["ltv"] = c.LTV
	case "feedback":
		var status, priority, kind string
		var path, resolved sql.NullString
		var tags sql.NullString
		err := q.QueryRowContext(ctx, `SELECT f.status, f.priority, f.kind, c.path, f.resolved_at,
			(SELECT group_concat(name, ?) FROM (SELECT t.name FROM feedback_tags ft JOIN tags t ON t.id = ft.tag_id
			 WHERE ft.feedback_id = f.id ORDER BY t.name) AS names)
			FROM feedback f LEFT JOIN categories c ON c.id = f.category_id WHERE f.id = ?`, "\x1f", id).
			Scan(&status, &priority, &kind, &path, &resolved, &tags)
		if err != nil {
			return nil, err
		}
		out["status"], out["priority"], out["kind"] = status, priority, kind
		out["category"], out["resolved_at"] = nullStr(path), nullStr(resolved)
		if tags.String != "" {
			names := strings.Split(tags.String, "\x1f")
			sort.Strings(names)
			out["tags"] = names
		}
	case "followup":
		var due, assignee, status string
		err := q.QueryRowContext(ctx, "SELECT due_at, assignee, status FROM followups WHERE id = ?", id).Scan(&due, &assignee, &status)
		if err != nil {
			return nil, err
		}
		out["due_at"], out["assignee"], out["status"] = due, assignee, status
	}
	return out, nil
}

// otherChange names another agent who changed a record after audit row
// after, leaving out changes of actions that agent has undone since.
func otherChange(ctx context.Context, q querier, agent, entity string, id, after int64) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, agent FROM audit WHERE entity = ? AND entity_id = ? AND id > ? AND agent <> ?
		ORDER BY id DESC`, entity, id, after, agent)
	if err != nil {
		return "", err
	}
	type row struct {
		id    int64
		agent string
	}
	var others []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.agent); err != nil {
			rows.Close()
			return "", err
		}
		others = append(others, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	for _, r := range others {
		undone, err := inUndoneAction(ctx, q, r.id, r.agent)
		if err != nil {
			return "", err
		}
		if !undone {
			return r.agent, nil
		}
	}
	return "", nil
}

// inUndoneAction reports whether audit row id was written by an action
// (its do, undo or redo) whose latest step is an undo: such an action
// changed nothing, net. The event row is the next action row of the agent,
// written at the end of the same transaction.
func inUndoneAction(ctx context.Context, q querier, id int64, agent string) (bool, error) {
	var group int64
	var js string
	err := q.QueryRowContext(ctx, `SELECT entity_id, changes FROM audit WHERE entity = 'action' AND agent = ? AND id > ?
		ORDER BY id LIMIT 1`, agent, id).Scan(&group, &js)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if ev := parseEvent(js); id < ev.Rows[0] || id > ev.Rows[1] {
		return false, nil
	}
	var latest string
	err = q.QueryRowContext(ctx, `SELECT action FROM audit WHERE entity = 'action' AND entity_id = ? ORDER BY id DESC LIMIT 1`,
		group).Scan(&latest)
	return latest == "undo", err
}

// recordLabel is the name an action's one record goes by ("" for several).
func recordLabel(ev actionEvent) string {
	if ev.Items != 1 {
		return ""
	}
	return ev.Label
}

// recordName words a record in a refusal: "customer 12 (王芳)".
func recordName(r auditRow, label string) string {
	s := fmt.Sprintf("%s %d", entityName(r.entity), r.entityID)
	if label != "" {
		s += " (" + model.CleanLine(label) + ")"
	}
	return s
}

package db

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// jsonRows writes rows of ints, strings and nulls as a JSON array of
// arrays, without reflection (encoding/json took a tenth of a bulk edit).
func jsonRows(rows [][]any) (string, error) {
	var b strings.Builder
	b.Grow(len(rows) * 64)
	b.WriteByte('[')
	for i, row := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		for j, v := range row {
			if j > 0 {
				b.WriteByte(',')
			}
			switch x := v.(type) {
			case nil:
				b.WriteString("null")
			case int64:
				b.WriteString(strconv.FormatInt(x, 10))
			case string:
				writeJSONString(&b, x)
			default:
				return "", fmt.Errorf("jsonRows: unexpected %T", v)
			}
		}
		b.WriteByte(']')
	}
	b.WriteByte(']')
	return b.String(), nil
}

// writeJSONString quotes s as JSON: quotes, backslashes and control
// characters escaped, the rest as is (our strings are valid UTF-8).
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

func nullInt(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

// editBatch holds an edit's writes until finish, which sends each kind in
// one set-based statement (rows passed as one JSON array): a thousand
// items are then five statements, not five thousand, and one item is
// written the same way.
type editBatch struct {
	updates [][]any // id, status, priority, kind, category, resolved_at, version
	audits  [][]any // id, changes
	undos   [][]any // id, version, before
	addTags [][]any // feedback id, tag id
	delTags [][]any
}

// flush writes what was queued.
func (e *feedbackEditor) flushBatch() error {
	q := e.batch
	for _, w := range []struct {
		rows [][]any
		sql  string
		args []any
	}{
		{q.updates, `UPDATE feedback SET status = j.status, priority = j.priority, kind = j.kind, category_id = j.cat,
			resolved_at = j.resolved, updated_at = ?, version = j.version
			FROM (SELECT value ->> 0 AS id, value ->> 1 AS status, value ->> 2 AS priority, value ->> 3 AS kind,
				value ->> 4 AS cat, value ->> 5 AS resolved, value ->> 6 AS version FROM json_each(?)) AS j
			WHERE feedback.id = j.id`, []any{fmtTime(e.now)}},
		{q.addTags, `INSERT OR IGNORE INTO feedback_tags(feedback_id, tag_id) SELECT value ->> 0, value ->> 1 FROM json_each(?)`, nil},
		{q.delTags, `DELETE FROM feedback_tags WHERE (feedback_id, tag_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?))`, nil},
		{q.audits, `INSERT INTO audit(at, agent, entity, entity_id, action, changes)
			SELECT ?, ?, 'feedback', value ->> 0, ?, value ->> 1 FROM json_each(?)`, []any{fmtTime(e.now), e.agent, e.action}},
		{q.undos, `INSERT INTO feedback_action_items(action_id, feedback_id, version, before)
			SELECT ?, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)`, []any{e.actionID}},
	} {
		if len(w.rows) == 0 {
			continue
		}
		data, err := jsonRows(w.rows)
		if err != nil {
			return err
		}
		if _, err := e.tx.ExecContext(e.ctx, w.sql, append(w.args, data)...); err != nil {
			return err
		}
	}
	e.batch = &editBatch{}
	return nil
}

package db

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// rawJSON is a value that is already JSON text (an audit entry's changes,
// an undo record): jsonRows embeds it as is, and the statements read it
// back as text with ->>, so it is neither escaped nor parsed twice.
type rawJSON []byte

// jsonRows writes rows of ints, strings, raw JSON and nulls as a JSON
// array of arrays, without reflection (encoding/json took a tenth of a
// bulk edit).
func jsonRows(rows [][]any) (string, error) {
	size := 2
	for _, row := range rows {
		size += 3 + len(row)*12
		for _, v := range row {
			switch x := v.(type) {
			case string:
				size += len(x)
			case rawJSON:
				size += len(x)
			}
		}
	}
	var b strings.Builder
	b.Grow(size)
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
			if !writeJSONValue(&b, v) {
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
	start := 0 // s[start:i] is waiting to be written as is
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '"' && c != '\\' && c >= 0x20 {
			continue
		}
		b.WriteString(s[start:i])
		start = i + 1
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
			b.WriteByte(c)
			continue
		}
		switch c {
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
	}
	b.WriteString(s[start:])
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
	// set holds the columns some queued item changes: the UPDATE names
	// only those, so SQLite rewrites only the indexes that hold them (a
	// category change leaves the status and agent indexes alone).
	set     [len(editColumns)]bool
	audits  [][]any // id, changes
	undos   [][]any // id, version, before
	addTags [][]any // feedback id, tag id
	delTags [][]any
}

// editColumns are the columns an edit may change, in the order of an
// update row's values after the id.
var editColumns = [...]string{"status", "priority", "kind", "category_id", "resolved_at"}

// updateSQL is the set-based UPDATE of the columns q changes.
func (q *editBatch) updateSQL(d dialect) string {
	var set strings.Builder
	for i, col := range editColumns {
		if q.set[i] {
			fmt.Fprintf(&set, "%s = j.c%d, ", col, i+1)
		}
	}
	return `UPDATE feedback SET ` + set.String() + `updated_at = ?, version = j.version
		FROM (SELECT CAST(value ->> 0 AS BIGINT) AS id, value ->> 1 AS c1, value ->> 2 AS c2, value ->> 3 AS c3,
			CAST(value ->> 4 AS BIGINT) AS c4, value ->> 5 AS c5, CAST(value ->> 6 AS BIGINT) AS version FROM ` + d.jsonRows("?") + `) AS j
		WHERE feedback.id = j.id`
}

// flush writes what was queued.
func (e *feedbackEditor) flushBatch() error {
	q := e.batch
	for _, w := range []struct {
		rows [][]any
		sql  string
		args []any
	}{
		{q.updates, q.updateSQL(e.d), []any{fmtTime(e.now)}},
		{q.addTags, `INSERT INTO feedback_tags(feedback_id, tag_id) SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT)
			FROM ` + e.d.jsonRows("?") + ` WHERE true ON CONFLICT DO NOTHING`, nil},
		{q.delTags, `DELETE FROM feedback_tags WHERE (feedback_id, tag_id) IN
			(SELECT CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT) FROM ` + e.d.jsonRows("?") + `)`, nil},
		{q.audits, `INSERT INTO audit(at, agent, entity, entity_id, action, changes)
			SELECT ?, ?, 'feedback', CAST(value ->> 0 AS BIGINT), ?, value ->> 1 FROM ` + e.d.jsonRows("?"), []any{fmtTime(e.now), e.agent, e.action}},
		{q.undos, `INSERT INTO feedback_action_items(action_id, feedback_id, version, before)
			SELECT ?, CAST(value ->> 0 AS BIGINT), CAST(value ->> 1 AS BIGINT), value ->> 2 FROM ` + e.d.jsonRows("?"), []any{e.actionID}},
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

// changesJSON writes an audit entry's changes as encoding/json would (keys
// sorted), by hand for the values an edit records: nil, strings, ints and
// tag lists; anything else goes through encoding/json.
func changesJSON(ch map[string][2]any) (rawJSON, error) {
	keys := make([]string, 0, len(ch))
	for k := range ch {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(&b, k)
		b.WriteString(":[")
		for j, v := range ch[k] {
			if j > 0 {
				b.WriteByte(',')
			}
			if writeJSONValue(&b, v) {
				continue
			}
			data, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			b.Write(data)
		}
		b.WriteByte(']')
	}
	b.WriteByte('}')
	return rawJSON(b.String()), nil
}

// writeJSONValue writes the values edits pass by hand (nil, int64,
// string, raw JSON, string lists) and reports whether v was one of them.
func writeJSONValue(b *strings.Builder, v any) bool {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, x)
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case rawJSON:
		b.Write(x)
	case []string:
		b.WriteByte('[')
		for i, s := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, s)
		}
		b.WriteByte(']')
	default:
		return false
	}
	return true
}

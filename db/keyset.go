package db

import (
	"context"
	"database/sql"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// keysetScan is one index range of a page: extra conditions, their
// arguments and the order to read in.
type keysetScan struct {
	where []string
	args  []any
	order string
}

// keysetScans plans the reads of one page ordered by (key, id). Without a
// cursor it is one scan from the start. After a cursor it is two: the rest
// of the cursor's key (key = k AND id beyond i), then the keys beyond it.
// SQLite serves a row value (key, id) > (k, i) by seeking to key >= k and
// filtering, which on a key shared by many rows reads them all; each of
// the two ranges is one seek.
func keysetScans(key, id string, cur *model.Cursor, desc bool) []keysetScan {
	dir, cmp := "ASC", ">"
	if desc {
		dir, cmp = "DESC", "<"
	}
	if cur == nil {
		return []keysetScan{{order: key + " " + dir + ", " + id + " " + dir}}
	}
	return []keysetScan{
		{where: []string{key + " = ?", id + " " + cmp + " ?"}, args: []any{cur.Key, cur.ID}, order: id + " " + dir},
		{where: []string{key + " " + cmp + " ?"}, args: []any{cur.Key}, order: key + " " + dir + ", " + id + " " + dir},
	}
}

// keysetPage runs the scans of one page in order inside tx, reading at
// most limit+1 rows in all: selectFrom is "SELECT cols FROM tables", where
// and args the page's filters. scan reads one row and its cursor. The
// rows come back trimmed to limit, with more telling whether others
// followed.
func keysetPage[T any](ctx context.Context, tx *sql.Tx, selectFrom string, where []string, args []any,
	scans []keysetScan, limit int, scan func(rowScanner) (T, model.Cursor, error)) (rows []T, cursors []model.Cursor, more bool, err error) {
	for _, sc := range scans {
		want := limit + 1 - len(rows)
		if want <= 0 {
			break
		}
		w := append(append([]string{}, where...), sc.where...)
		a := append(append([]any{}, args...), sc.args...)
		query := selectFrom
		if len(w) > 0 {
			query += " WHERE " + strings.Join(w, " AND ")
		}
		query += " ORDER BY " + sc.order + " LIMIT ?"
		rs, err := tx.QueryContext(ctx, query, append(a, want)...)
		if err != nil {
			return nil, nil, false, err
		}
		for rs.Next() {
			r, c, err := scan(rs)
			if err != nil {
				rs.Close()
				return nil, nil, false, err
			}
			rows, cursors = append(rows, r), append(cursors, c)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, nil, false, err
		}
	}
	if len(rows) > limit {
		return rows[:limit], cursors[:limit], true, nil
	}
	return rows, cursors, false, nil
}

// reversePage puts rows read backwards (before a cursor, or the last page)
// back into list order.
func reversePage[T any](rows []T, cursors []model.Cursor) {
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
		cursors[i], cursors[j] = cursors[j], cursors[i]
	}
}

package db

import "github.com/rapportcrm/rapport/model"

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

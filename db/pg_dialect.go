package db

import (
	"context"
	"database/sql"
)

// dialect is what the store's SQL needs to know about its engine: the
// queries are written once, and the few places where SQLite and
// PostgreSQL differ ask it (s.d, chosen at Open). Each method returns
// SQLite's text unchanged, so the SQLite store runs what it always ran.
type dialect struct {
	pg bool
}

// readOptions are a read transaction's: one snapshot for all its queries.
// SQLite's read transactions are snapshots already; PostgreSQL's need
// REPEATABLE READ.
func (d dialect) readOptions() *sql.TxOptions {
	if d.pg {
		return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	return &sql.TxOptions{ReadOnly: true}
}

// lockWrites makes a PostgreSQL write transaction the only one running
// (SQLite's IMMEDIATE transactions are so already) and counts it in
// rapport_meta.data_version, which the change feed watches as SQLite's
// PRAGMA data_version, with a NOTIFY that wakes other sessions' feeds on
// commit (pg_listen.go).
func (s *Store) lockWrites(ctx context.Context, tx *sql.Tx) error {
	if !s.d.pg {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", pgWriteLock); err != nil {
		return err
	}
	return pgCommitted(ctx, tx)
}

// dataVersionSQL reads the counter that changes when another writer commits.
func (d dialect) dataVersionSQL() string {
	if d.pg {
		return "SELECT data_version FROM rapport_meta"
	}
	return "PRAGMA data_version"
}

// binary names the code-point collation (BINARY is a keyword on
// PostgreSQL).
func (d dialect) binary() string {
	if d.pg {
		return `"C"`
	}
	return "BINARY"
}

// insertedID is the id an INSERT … RETURNING id gave, read the way an
// sql.Result's is.
type insertedID int64

func (i insertedID) LastInsertId() (int64, error) { return int64(i), nil }

// insertReturningID runs an INSERT and returns the new row's id through
// RETURNING, which both engines have (PostgreSQL has no LastInsertId).
func insertReturningID(ctx context.Context, q querier, query string, args ...any) (insertedID, error) {
	var id int64
	err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id)
	return insertedID(id), err
}

// indexedBy is SQLite's INDEXED BY clause for the named index; PostgreSQL
// has no such hint and plans from its statistics.
func (d dialect) indexedBy(index string) string {
	if d.pg || index == "" {
		return ""
	}
	return " INDEXED BY " + index
}

// rowidRange keeps SQLite's planner on the table's own key for a range
// of ids (" NOT INDEXED"): with an index on another column of the WHERE,
// it would rather scan that whole index. PostgreSQL needs no hint.
func (d dialect) rowidRange() string {
	if d.pg {
		return ""
	}
	return " NOT INDEXED"
}

// jsonRows is a table of the elements of the JSON array bound at arg, in
// a column named value (SQLite's json_each, PostgreSQL's
// json_array_elements); value ->> N reads an element of a nested array.
func (d dialect) jsonRows(arg string) string {
	if d.pg {
		return "json_array_elements(CAST(" + arg + " AS json))"
	}
	return "json_each(" + arg + ")"
}

// orderedJoin is an inner join that keeps its tables' order: SQLite's
// CROSS JOIN … ON (PostgreSQL allows no ON after CROSS JOIN, and orders
// joins from its statistics).
func (d dialect) orderedJoin() string {
	if d.pg {
		return "JOIN"
	}
	return "CROSS JOIN"
}

// no is false as a condition's value (SQLite's conditions are integers).
func (d dialect) no() string {
	if d.pg {
		return "false"
	}
	return "0"
}

// greatest is SQLite's two-argument max(a, b).
func (d dialect) greatest(a, b string) string {
	if d.pg {
		return "GREATEST(" + a + ", " + b + ")"
	}
	return "max(" + a + ", " + b + ")"
}

// idRows is a table ids of the integers of the JSON array bound at arg,
// in a column named value.
func (d dialect) idRows(arg string) string {
	if d.pg {
		return "(SELECT CAST(value AS BIGINT) AS value FROM json_array_elements_text(CAST(" + arg + " AS json))) AS ids"
	}
	return "json_each(" + arg + ") AS ids"
}

// idRowsNumbered is idRows with each element's place from 0 in a column
// named key.
func (d dialect) idRowsNumbered(arg string) string {
	if d.pg {
		return "(SELECT CAST(value AS BIGINT) AS value, ord - 1 AS key FROM json_array_elements_text(CAST(" + arg +
			" AS json)) WITH ORDINALITY AS e(value, ord))"
	}
	return "json_each(" + arg + ")"
}

// jsonElement is the text of element number index of the JSON array
// bound at arg.
func (d dialect) jsonElement(arg, index string) string {
	if d.pg {
		return "(CAST(" + arg + " AS json) ->> CAST(" + index + " AS INTEGER))"
	}
	return "json_extract(" + arg + ", '$[' || (" + index + ") || ']')"
}

// jsonMembers is a table of the members of the JSON object in column
// col, with columns key and type ('null' for a JSON null).
func (d dialect) jsonMembers(col string) string {
	if d.pg {
		return "LATERAL (SELECT key, json_typeof(value) AS type FROM json_each(CAST(" + col + " AS json)))"
	}
	return "json_each(" + col + ")"
}

// jsonObject and jsonArray build JSON in SQL.
func (d dialect) jsonObject() string {
	if d.pg {
		return "json_build_object"
	}
	return "json_object"
}

func (d dialect) jsonArray() string {
	if d.pg {
		return "json_build_array"
	}
	return "json_array"
}

// like is LIKE with SQLite's meaning: case-insensitive for ASCII letters
// (PostgreSQL's LIKE is case-sensitive; its ILIKE folds every script,
// which for an ASCII pattern is the same).
func (d dialect) like() string {
	if d.pg {
		return "ILIKE"
	}
	return "LIKE"
}

package db

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Into PostgreSQL, a copy writes each table with one COPY … FROM STDIN
// (the protocol's bulk path) instead of batched INSERTs, on the same
// connection and inside the same transaction as the rest of the copy, so
// a failure anywhere still leaves nothing. Before the rows go in, the
// destination's foreign keys and secondary indexes are dropped; after,
// they are created again from their own definitions (pg_get_constraintdef,
// pg_indexes), still inside the transaction: PostgreSQL builds an index
// over sorted rows and checks a foreign key with one join much faster
// than it keeps them row by row. A primary key or unique constraint stays
// (other constraints reference it); a violation found when an index or
// key is restored fails the copy like one found by a row.

// pgCopyWriter is the destination connection of a copy into PostgreSQL:
// the database/sql connection whose transaction the copy writes in, from
// which COPY reaches pgx's own connection.
type pgCopyWriter struct{ conn *sql.Conn }

// pgCopyTables are the destination tables whose keys and indexes the copy
// stands aside: every copied table and the two it derives.
func pgCopyTables() []string {
	names := []string{"customers_grams", "followup_counts"}
	for _, t := range copyTables {
		names = append(names, t.name)
	}
	return names
}

// pgDeferred is what a copy dropped and must create again.
type pgDeferred struct {
	indexes []string // CREATE INDEX statements
	keys    []string // ALTER TABLE … ADD CONSTRAINT statements
}

// pgDropForCopy drops the destination's foreign keys and the indexes that
// back no constraint, and returns the statements that restore them.
func pgDropForCopy(ctx context.Context, tx *sql.Tx) (pgDeferred, error) {
	var d pgDeferred
	tables := "'" + strings.Join(pgCopyTables(), "', '") + "'"
	rows, err := tx.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
		WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace AND t.relname IN (`+tables+`)
		ORDER BY 1, 2`)
	if err != nil {
		return d, err
	}
	var drops []string
	for rows.Next() {
		var table, name, def string
		if err := rows.Scan(&table, &name, &def); err != nil {
			rows.Close()
			return d, err
		}
		drops = append(drops, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", table, pgIdent(name)))
		d.keys = append(d.keys, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s %s", table, pgIdent(name), def))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename IN (`+tables+`)
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
		ORDER BY i.tablename, i.indexname`)
	if err != nil {
		return d, err
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return d, err
		}
		drops = append(drops, "DROP INDEX "+pgIdent(name))
		d.indexes = append(d.indexes, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d, err
	}
	for _, q := range drops {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return d, fmt.Errorf("standing aside %q: %w", q, err)
		}
	}
	return d, nil
}

// restore creates the dropped indexes, then the foreign keys (whose
// checks may use them), with room for the sorts of the index builds.
func (d pgDeferred) restore(ctx context.Context, tx *sql.Tx) error {
	if len(d.indexes)+len(d.keys) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
		return err
	}
	for _, q := range slices.Concat(d.indexes, d.keys) {
		start := time.Now()
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("restoring %q: %w", q, err)
		}
		traceCopy(start, "%s", q)
	}
	return nil
}

// traceCopy tells a developer who set RAPPORT_DEBUG_PG how long each step
// of a copy into PostgreSQL took.
func traceCopy(start time.Time, format string, args ...any) {
	if debugPG {
		fmt.Fprintf(os.Stderr, "rapport pg: %6.2fs  %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
}

func pgIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// copyRowsPG copies one table into PostgreSQL with one COPY: the source's
// rows are read and encoded on one goroutine while the server takes them
// on the caller's.
func copyRowsPG(ctx context.Context, rtx *sql.Tx, w pgCopyWriter, t copyTable) (int64, error) {
	return copyReadRows(ctx, rtx, t, func(cols []string, each func(emit func([]any) error) error) (int64, error) {
		return w.copyFrom(ctx, t.name, cols, each)
	})
}

// copyGramsPG writes the customers' CJK bigram rows (db/grams.go), which
// the source keeps in a form of its own (SQLite: an FTS table), from the
// copied customers' names and companies.
func copyGramsPG(ctx context.Context, rtx *sql.Tx, w pgCopyWriter) error {
	rows, err := rtx.QueryContext(ctx, "SELECT id, name, company FROM customers ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	_, err = w.copyFrom(ctx, "customers_grams", []string{"rowid", "grams"}, func(emit func([]any) error) error {
		var (
			id            int64
			name, company string
		)
		for rows.Next() {
			if err := rows.Scan(&id, &name, &company); err != nil {
				return err
			}
			if g := cjkBigrams(name, company); g != "" {
				if err := emit([]any{id, g}); err != nil {
					return err
				}
			}
		}
		return rows.Err()
	})
	return err
}

// copyFrom runs COPY table (cols) FROM STDIN in text format, fed by
// produce, and returns the rows the server took. A failure on either side
// stops the other: the producer's error aborts the COPY (and with it the
// transaction), the server's closes the pipe under the producer.
func (w pgCopyWriter) copyFrom(ctx context.Context, table string, cols []string, produce func(emit func([]any) error) error) (int64, error) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		bw := bufio.NewWriterSize(pw, 256<<10)
		var line []byte
		err := produce(func(vals []any) error {
			line = line[:0]
			for i, v := range vals {
				if i > 0 {
					line = append(line, '\t')
				}
				var err error
				if line, err = appendCopyValue(line, v); err != nil {
					return fmt.Errorf("column %s: %w", cols[i], err)
				}
			}
			line = append(line, '\n')
			_, err := bw.Write(line)
			return err
		})
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err) // nil: the end of the data
		done <- err
	}()
	var n int64
	start := time.Now()
	defer func() { traceCopy(start, "COPY %s: %d rows", table, n) }()
	err := w.conn.Raw(func(dc any) error {
		pc, ok := dc.(*pgConn)
		if !ok {
			return fmt.Errorf("copy: not a PostgreSQL connection (%T)", dc)
		}
		tag, err := pc.Conn.Conn().PgConn().CopyFrom(ctx, pr,
			"COPY "+table+" ("+strings.Join(cols, ", ")+") FROM STDIN")
		n = tag.RowsAffected()
		return err
	})
	pr.CloseWithError(errCopyStopped) // unblocks a producer the server stopped reading
	perr := <-done
	if perr != nil && !errors.Is(perr, errCopyStopped) {
		return 0, perr
	}
	return n, err
}

var errCopyStopped = errors.New("the COPY stopped")

// appendCopyValue appends one value in COPY's text format: \N for NULL,
// and text with backslash, tab, newline and carriage return escaped.
// Numbers are written so that they read back exactly.
func appendCopyValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, `\N`...), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		switch {
		case math.IsNaN(v):
			return append(b, "NaN"...), nil
		case math.IsInf(v, 1):
			return append(b, "Infinity"...), nil
		case math.IsInf(v, -1):
			return append(b, "-Infinity"...), nil
		}
		return strconv.AppendFloat(b, v, 'g', -1, 64), nil
	case string:
		return appendCopyText(b, v), nil
	case []byte:
		return appendCopyText(b, string(v)), nil
	case bool: // SQLite's flags are integers
		if v {
			return append(b, '1'), nil
		}
		return append(b, '0'), nil
	}
	return b, fmt.Errorf("cannot copy a value of type %T", v)
}

func appendCopyText(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '\t':
			b = append(b, `\t`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

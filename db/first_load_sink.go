package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// rowSink buffers the rows of one table that a first load has proven new
// and writes them in bulk: multi-row INSERTs on SQLite (multiInsert), COPY
// on PostgreSQL (copySink). Each flush first
// flushes the sink whose rows its rows refer to (after), so a foreign key
// always finds its row.
type rowSink interface {
	add(ctx context.Context, vals ...any) error
	flush(ctx context.Context) error
	pending() int
}

// firstLoadRowsPerInsert is how many rows one multi-row INSERT carries
// (19 × 500 bound values, below SQLite's limit).
const firstLoadRowsPerInsert = 500

// multiInsert buffers rows of one table and writes them with multi-row
// INSERT statements of up to firstLoadRowsPerInsert rows.
type multiInsert struct {
	tx            querier
	prefix, tuple string
	suffix        string // after the rows (ON CONFLICT …)
	ncols         int
	per           int // rows per statement, at most firstLoadRowsPerInsert
	args          []any
	n             int
	after         rowSink // rows this table's rows refer to, written first
}

func newMultiInsert(tx querier, head string, cols []string) *multiInsert {
	return &multiInsert{tx: tx, prefix: head + "(" + strings.Join(cols, ", ") + ") VALUES ",
		tuple: "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")", ncols: len(cols),
		per: firstLoadRowsPerInsert, args: make([]any, 0, firstLoadRowsPerInsert*len(cols))}
}

func (m *multiInsert) pending() int { return m.n }

func (m *multiInsert) add(ctx context.Context, vals ...any) error {
	m.args = append(m.args, vals...)
	m.n++
	if m.n >= m.per {
		return m.flush(ctx)
	}
	return nil
}

func (m *multiInsert) flush(ctx context.Context) error {
	if m.n == 0 {
		return nil
	}
	if m.after != nil {
		if err := m.after.flush(ctx); err != nil {
			return err
		}
	}
	var b strings.Builder
	b.Grow(len(m.prefix) + m.n*(len(m.tuple)+1))
	b.WriteString(m.prefix)
	for i := range m.n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(m.tuple)
	}
	b.WriteString(m.suffix)
	_, err := m.tx.ExecContext(ctx, b.String(), m.args...)
	clear(m.args)
	m.args, m.n = m.args[:0], 0
	return err
}

// copySinkBytes is how much COPY text a copySink holds before it sends it.
const copySinkBytes = 4 << 20

// copySink buffers rows of one table as COPY text and sends them with one
// COPY … FROM STDIN on the connection of the write transaction (conn), so
// they are part of it: one round trip per flush instead of one per 500
// rows, and no statement to parse and plan. The rows are new (the load
// proved it), so they go straight into the table.
type copySink struct {
	conn  *sql.Conn
	table string
	cols  []string
	buf   []byte
	n     int
	after rowSink
}

func (c *copySink) pending() int { return c.n }

func (c *copySink) add(ctx context.Context, vals ...any) error {
	for i, v := range vals {
		if i > 0 {
			c.buf = append(c.buf, '\t')
		}
		if n, ok := v.(int); ok {
			v = int64(n)
		}
		var err error
		if c.buf, err = appendCopyValue(c.buf, v); err != nil {
			return err
		}
	}
	c.buf = append(c.buf, '\n')
	c.n++
	if len(c.buf) >= copySinkBytes {
		return c.flush(ctx)
	}
	return nil
}

func (c *copySink) flush(ctx context.Context) error {
	if c.n == 0 {
		return nil
	}
	if c.after != nil {
		if err := c.after.flush(ctx); err != nil {
			return err
		}
	}
	err := c.conn.Raw(func(dc any) error {
		pc, ok := dc.(*pgConn)
		if !ok {
			return errors.New("first load: COPY needs a PostgreSQL connection")
		}
		_, err := pc.Conn.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(c.buf),
			"COPY "+c.table+" ("+strings.Join(c.cols, ", ")+") FROM STDIN")
		return err
	})
	c.buf, c.n = c.buf[:0], 0
	return err
}

// newSink is the sink of one table for a first load's batch: COPY on
// PostgreSQL (conn is the write transaction's connection), multi-row
// INSERTs on SQLite, whose suffix (ON CONFLICT …) only SQLite's take:
// COPY's rows are deduplicated before they are added.
func (s *Store) newSink(tx querier, conn *sql.Conn, table string, cols []string, suffix string, after rowSink) rowSink {
	if s.d.pg && conn != nil {
		return &copySink{conn: conn, table: table, cols: cols, after: after}
	}
	m := newMultiInsert(tx, "INSERT INTO "+table, cols)
	m.suffix, m.after = suffix, after
	if table == "customers" {
		m.per = firstLoadCustomersPerInsert
	}
	return m
}

// firstLoadCustomersPerInsert is how many customers one multi-row INSERT
// carries on SQLite. Such a statement may fail halfway (a unique index),
// so SQLite keeps the pages it changes in a statement journal, in memory:
// a new customer changes a page of each e-mail and phone index at random.
// With 500 at a time a 300,000-row load's peak RSS was 185 MB, with 100
// 177 MB (175 MB when customers were written one by one).
const firstLoadCustomersPerInsert = 100

// uniqueViolation reports whether err is a unique index's refusal, on
// either engine: a buffered row the load took for new was written by
// another session meanwhile.
func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// writeConnKey carries the connection a write transaction is to begin on
// (beginWrite), for a first load's COPY on the same connection.
type writeConnKey struct{}

// beginWrite begins write's transaction: on the connection ctx carries
// (withWriteConn), else on any of the pool's.
func (s *Store) beginWrite(ctx context.Context) (*sql.Tx, error) {
	if c, ok := ctx.Value(writeConnKey{}).(*sql.Conn); ok && c != nil {
		return c.BeginTx(ctx, nil)
	}
	return s.db.BeginTx(ctx, nil)
}

func withWriteConn(ctx context.Context, c *sql.Conn) context.Context {
	return context.WithValue(ctx, writeConnKey{}, c)
}

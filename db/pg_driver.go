package db

import (
	"context"
	"database/sql/driver"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The queries of package db are written once, with SQLite's placeholders
// (? and ?NNN). On PostgreSQL they are rebound to $N here, in the one
// place every statement passes through: a database/sql connector that
// wraps pgx's and rewrites each query's text (cached per distinct text)
// before pgx sees it. Everything above it — *sql.DB, *sql.Tx, the
// statement cache — is the same code on both engines.

// pgConnector wraps pgx's stdlib connector so that every statement is
// rebound.
type pgConnector struct{ inner driver.Connector }

func newPGConnector(cfg *pgx.ConnConfig) driver.Connector {
	return pgConnector{inner: stdlib.GetConnector(*cfg)}
}

func (c pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &pgConn{Conn: conn.(*stdlib.Conn)}, nil
}

func (c pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is pgx's connection with its query texts rebound.
type pgConn struct{ *stdlib.Conn }

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.Conn.PrepareContext(ctx, rebind(query))
	if err != nil {
		return nil, logPG(err, query)
	}
	return &pgStmt{Stmt: st.(*stdlib.Stmt)}, nil
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.Conn.ExecContext(ctx, rebind(query), args)
	return res, logPG(err, query)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.QueryContext(ctx, rebind(query), args)
	if err != nil {
		return nil, logPG(err, query)
	}
	return &pgRows{Rows: rows.(*stdlib.Rows)}, nil
}

// CheckNamedValue binds Go bools as 1 and 0, as SQLite stores them: the
// schema's flags are integers on both engines.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		nv.Value = int64(0)
		if b {
			nv.Value = int64(1)
		}
	}
	return nil
}

// pgStmt is a prepared statement whose rows read booleans as SQLite does.
type pgStmt struct{ *stdlib.Stmt }

func (s *pgStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := s.Stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	return &pgRows{Rows: rows.(*stdlib.Rows)}, nil
}

// pgRows reads a boolean result (EXISTS, a comparison) as 1 or 0, the
// integer SQLite gives for it, so that the same Scan serves both engines.
type pgRows struct{ *stdlib.Rows }

func (r *pgRows) Next(dest []driver.Value) error {
	if err := r.Rows.Next(dest); err != nil {
		return err
	}
	for i, v := range dest {
		if b, ok := v.(bool); ok {
			dest[i] = int64(0)
			if b {
				dest[i] = int64(1)
			}
		}
	}
	return nil
}

// logPG writes a failed statement to stderr for a developer who set
// RAPPORT_DEBUG_PG.
func logPG(err error, query string) error {
	if err != nil && debugPG {
		fmt.Fprintf(os.Stderr, "rapport pg: %v\n\t%s\n", err, rebind(query))
	}
	return err
}

var rebound sync.Map // query text → rebound text

// rebind turns SQLite's placeholders into PostgreSQL's: ?NNN becomes $NNN
// and a bare ? the next number after the largest given so far (SQLite's
// rule), skipping string literals, quoted identifiers and comments. PG
// casts written '::type' pass unchanged.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	if r, ok := rebound.Load(q); ok {
		return r.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	max := 0
	for i := 0; i < len(q); i++ {
		ch := q[i]
		switch ch {
		case '\'', '"':
			j := i + 1
			for j < len(q) {
				if q[j] == ch {
					if j+1 < len(q) && q[j+1] == ch { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= len(q) {
				j = len(q) - 1
			}
			b.WriteString(q[i : j+1])
			i = j
		case '-':
			if i+1 < len(q) && q[i+1] == '-' {
				j := strings.IndexByte(q[i:], '\n')
				if j < 0 {
					j = len(q) - i - 1
				}
				b.WriteString(q[i : i+j+1])
				i += j
				continue
			}
			b.WriteByte(ch)
		case '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			n := max + 1
			if j > i+1 {
				n, _ = strconv.Atoi(q[i+1 : j])
			}
			if n > max {
				max = n
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i = j - 1
		default:
			b.WriteByte(ch)
		}
	}
	r := b.String()
	rebound.Store(q, r)
	return r
}

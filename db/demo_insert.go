package db

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// demoLoader streams rows into a few tables through prepared multi-row
// INSERTs on one connection, committing every demoTxRows rows. A writer
// goroutine runs the statements while the generator makes the next batch;
// each table owns a few buffers, so a slow disk holds the generator back
// instead of filling memory.
type demoLoader struct {
	ctx      context.Context
	conn     *sql.Conn
	tables   []*demoTable
	jobs     chan demoJob
	stopped  chan struct{}
	mu       sync.Mutex
	err      error // the writer's first error
	pending  int
	done     int
	total    int
	reported int
	progress func(done, total int)
}

// demoJob is one statement for the writer: a prepared batch, a query
// text, or (reply set) a request to report when all before it have run.
type demoJob struct {
	stmt  *sql.Stmt
	q     string
	args  []any
	free  chan []any // takes args back when done
	reply chan error
}

type demoTable struct {
	l      *demoLoader
	prefix string // INSERT INTO t(cols) VALUES
	tuple  string // (?,?,…)
	ncols  int
	per    int
	full   *sql.Stmt
	free   chan []any
	cur    []any
	n      int
}

func newDemoLoader(ctx context.Context, conn *sql.Conn, total int, progress func(int, int)) *demoLoader {
	l := &demoLoader{ctx: ctx, conn: conn, total: total, progress: progress,
		jobs: make(chan demoJob, 8), stopped: make(chan struct{})}
	go l.write()
	return l
}

func (l *demoLoader) write() {
	defer close(l.stopped)
	for j := range l.jobs {
		if l.failed() == nil && (j.stmt != nil || j.q != "") {
			var err error
			if j.stmt != nil {
				_, err = j.stmt.ExecContext(l.ctx, j.args...)
			} else {
				_, err = l.conn.ExecContext(l.ctx, j.q, j.args...)
			}
			if err != nil {
				l.mu.Lock()
				l.err = err
				l.mu.Unlock()
			}
		}
		if j.free != nil { // after a failure too, so the generator never waits forever
			clear(j.args)
			j.free <- j.args[:cap(j.args)]
		}
		if j.reply != nil {
			j.reply <- l.failed()
		}
	}
}

func (l *demoLoader) failed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

func (l *demoLoader) exec(q string) { l.jobs <- demoJob{q: q} }

// sync waits for the writer to run everything sent so far.
func (l *demoLoader) sync() error {
	reply := make(chan error, 1)
	l.jobs <- demoJob{reply: reply}
	return <-reply
}

func (l *demoLoader) begin() { l.exec("BEGIN IMMEDIATE") }

// commit sends the buffered rows and a COMMIT; errors surface at the next
// row or sync.
func (l *demoLoader) commit() {
	for _, t := range l.tables {
		t.flush()
	}
	l.exec("COMMIT")
	l.pending = 0
}

// close stops the writer and releases the statements; the connection is
// the caller's again.
func (l *demoLoader) close() {
	if l.jobs != nil {
		close(l.jobs)
		<-l.stopped
		l.jobs = nil
	}
	for _, t := range l.tables {
		t.full.Close()
	}
	l.tables = nil
}

// table prepares the batch INSERT for table(cols). Tables are flushed in
// the order they were registered, parents first.
func (l *demoLoader) table(name string, cols ...string) (*demoTable, error) {
	t := &demoTable{l: l, ncols: len(cols)}
	t.per = min(demoMaxBatchRows, demoMaxVars/len(cols))
	t.prefix = "INSERT INTO " + name + "(" + strings.Join(cols, ", ") + ") VALUES "
	t.tuple = "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	stmt, err := l.conn.PrepareContext(l.ctx, t.sql(t.per))
	if err != nil {
		return nil, err
	}
	t.full = stmt
	t.free = make(chan []any, 3)
	for range cap(t.free) {
		t.free <- make([]any, t.per*len(cols))
	}
	l.tables = append(l.tables, t)
	return t, nil
}

func (t *demoTable) sql(rows int) string {
	var b strings.Builder
	b.Grow(len(t.prefix) + rows*(len(t.tuple)+1))
	b.WriteString(t.prefix)
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(t.tuple)
	}
	return b.String()
}

// add buffers one row; its values must be exactly the table's columns.
func (t *demoTable) add(vals ...any) error {
	if t.cur == nil {
		t.cur = <-t.free
	}
	copy(t.cur[t.n*t.ncols:], vals)
	t.n++
	if t.n == t.per {
		t.flush()
		return t.l.failed()
	}
	return nil
}

// flush hands the buffered rows to the writer.
func (t *demoTable) flush() {
	if t.n == 0 {
		return
	}
	j := demoJob{args: t.cur[:t.n*t.ncols], free: t.free}
	if t.n == t.per {
		j.stmt = t.full
	} else {
		j.q = t.sql(t.n)
	}
	t.l.jobs <- j
	t.cur, t.n = nil, 0
}

// row counts one primary row (customer, feedback, follow-up, note):
// progress, and a commit every demoTxRows rows.
func (l *demoLoader) row() error {
	l.done++
	l.pending++
	if l.progress != nil && l.done-l.reported >= demoProgressStep {
		l.reported = l.done
		l.progress(l.done, l.total)
	}
	if l.pending >= demoTxRows {
		l.commit()
		l.begin()
		if err := l.failed(); err != nil {
			return err
		}
		return l.ctx.Err()
	}
	return nil
}

package db

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// DemoOptions size and seed the demo data.
type DemoOptions struct {
	Customers int       // default 3000
	Feedback  int       // default 5 × Customers
	Seed      int64     // default 1
	Now       time.Time // "today" for the data; zero means the store's clock
	// Progress, if set, is called every ~50,000 rows and once at the end.
	Progress func(done, total int)
}

// DemoReport says what GenerateDemo wrote.
type DemoReport struct {
	Customers, Feedback, FollowUps, Notes int
	Elapsed                               time.Duration
}

const (
	demoDay          = 86400
	demoTxRows       = 100_000 // primary rows per transaction
	demoProgressStep = 50_000
	demoMaxBatchRows = 1000
	demoMaxVars      = 30_000 // below SQLite's 32,766 bound parameters
)

// GenerateDemo fills an empty store with realistic, reproducible demo data:
// customers, feedback over the 18 months before opts.Now, follow-ups,
// notes, a category taxonomy, tags and saved segments. The same options
// give byte-identical data. It refuses a store that already has customers.
//
// The load runs on one connection with the secondary indexes and the
// full-text triggers dropped; they are recreated from their saved SQL at the
// end, so the schema ends as the migrations left it. Rows are committed in
// batches: a load that fails or is cancelled half-way leaves an incomplete
// demo database, to be deleted and generated again.
func (s *Store) GenerateDemo(ctx context.Context, opts DemoOptions) (DemoReport, error) {
	began := time.Now()
	if opts.Customers < 0 || opts.Feedback < 0 {
		return DemoReport{}, fmt.Errorf("%w: demo sizes must not be negative", model.ErrInvalid)
	}
	if opts.Customers == 0 {
		opts.Customers = 3000
	}
	if opts.Feedback == 0 {
		opts.Feedback = 5 * opts.Customers
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	now := opts.Now
	if now.IsZero() {
		now = s.Now()
	}
	now = now.UTC().Truncate(time.Second)

	conn, err := s.db.Conn(ctx)
	if err != nil {
		return DemoReport{}, translate(err)
	}
	defer conn.Close()

	restorePragmas, err := demoFastPragmas(ctx, conn)
	if err != nil {
		return DemoReport{}, translate(err)
	}
	defer restorePragmas()

	// Look, drop the secondary indexes and create the taxonomy in one
	// transaction, so two generators cannot both find the store empty.
	var saved []demoSchemaObject
	schemaBack := false
	defer func() {
		if !schemaBack { // an error half-way: at least give the schema back
			bg := context.WithoutCancel(ctx)
			conn.ExecContext(bg, "ROLLBACK")
			demoRestoreSecondary(bg, conn, saved)
		}
	}()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return DemoReport{}, translate(err)
	}
	var nonEmpty int
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM customers)`).Scan(&nonEmpty); err != nil {
		return DemoReport{}, translate(err)
	}
	if nonEmpty != 0 {
		return DemoReport{}, fmt.Errorf("%w: the database already has customers; demo data goes into an empty database", model.ErrConflict)
	}
	if saved, err = demoDropSecondary(ctx, conn); err != nil {
		return DemoReport{}, translate(err)
	}
	g := newDemoGen(opts, now)
	if err := g.setup(ctx, conn); err != nil {
		return DemoReport{}, translate(err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return DemoReport{}, translate(err)
	}
	l := newDemoLoader(ctx, conn, opts.Customers+opts.Feedback+g.followups+g.notes, opts.Progress)
	defer l.close()
	if err := g.load(l); err != nil {
		return DemoReport{}, translate(err)
	}
	l.close()
	if opts.Progress != nil {
		opts.Progress(l.done, l.total)
	}
	demoTrace("rows loaded")

	// Derived figures, then the indexes and the full-text index, in one
	// transaction: a crash here leaves the data without them, not half-built.
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return DemoReport{}, translate(err)
	}
	// SQLite sizes its sort buffers by the cache: a small one keeps the
	// memory of the big GROUP BY and index builds down at no cost in time.
	conn.ExecContext(ctx, "PRAGMA cache_size = -16384")
	if err := demoDerived(ctx, conn); err != nil {
		return DemoReport{}, translate(err)
	}
	demoTrace("derived figures")
	if err := demoRestoreSecondary(ctx, conn, saved); err != nil {
		return DemoReport{}, translate(err)
	}
	demoTrace("indexes")
	for _, q := range []string{
		`INSERT INTO customers_fts(customers_fts) VALUES ('rebuild')`,
		`INSERT INTO customers_fts(customers_fts) VALUES ('optimize')`,
		`INSERT INTO customers_grams(customers_grams) VALUES ('optimize')`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return DemoReport{}, translate(err)
		}
		demoTrace(q)
	}
	changes := fmt.Sprintf(`{"customers":%d,"feedback":%d,"followups":%d,"notes":%d,"seed":%d,"now":%q}`,
		opts.Customers, opts.Feedback, g.followups, g.notes, opts.Seed, fmtTime(now))
	if _, err := conn.ExecContext(ctx, `INSERT INTO audit(at, agent, entity, entity_id, action, changes)
		VALUES (?, 'demo', 'database', 0, 'demo generate', ?)`, fmtTime(now), changes); err != nil {
		return DemoReport{}, translate(err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return DemoReport{}, translate(err)
	}
	schemaBack = true
	demoTrace("commit")
	conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	demoTrace("checkpoint")

	return DemoReport{Customers: opts.Customers, Feedback: opts.Feedback,
		FollowUps: g.followups, Notes: g.notes, Elapsed: time.Since(began)}, nil
}

// demoTrace, when a test sets it, hears the end of each phase of a load.
var demoTrace = func(phase string) {}

// demoFastPragmas trades durability for speed on the loading connection
// only (a half-written demo database is thrown away anyway), and returns
// the function that puts the connection back as it was.
func demoFastPragmas(ctx context.Context, conn *sql.Conn) (func(), error) {
	var sync, cache, fk, threads int
	for _, p := range []struct {
		q   string
		dst *int
	}{{"PRAGMA synchronous", &sync}, {"PRAGMA cache_size", &cache}, {"PRAGMA foreign_keys", &fk}, {"PRAGMA threads", &threads}} {
		if err := conn.QueryRowContext(ctx, p.q).Scan(p.dst); err != nil {
			return nil, err
		}
	}
	restore := func() {
		bg := context.Background()
		conn.ExecContext(bg, fmt.Sprintf("PRAGMA synchronous = %d", sync))
		conn.ExecContext(bg, fmt.Sprintf("PRAGMA cache_size = %d", cache))
		conn.ExecContext(bg, fmt.Sprintf("PRAGMA foreign_keys = %d", fk))
		conn.ExecContext(bg, fmt.Sprintf("PRAGMA threads = %d", threads))
	}
	// Generated rows are consistent by construction; checking each
	// reference would cost a lookup per row. Two sorter threads build the
	// indexes faster.
	for _, q := range []string{"PRAGMA synchronous = OFF", "PRAGMA cache_size = -32768", "PRAGMA foreign_keys = OFF", "PRAGMA threads = 2"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			restore()
			return nil, err
		}
	}
	return restore, nil
}

// demoSchemaObject is an index or trigger dropped for the load, with the
// SQL that created it.
type demoSchemaObject struct{ kind, name, sql string }

// demoDropSecondary drops, in the caller's transaction, the secondary
// indexes of the tables the demo fills and the full-text triggers,
// returning their saved definitions.
func demoDropSecondary(ctx context.Context, conn *sql.Conn) ([]demoSchemaObject, error) {
	rows, err := conn.QueryContext(ctx, `SELECT type, name, sql FROM sqlite_schema
		WHERE sql IS NOT NULL AND (
		      (type = 'index' AND tbl_name IN ('customers','customer_tags','feedback','feedback_tags','followups','notes'))
		   OR (type = 'trigger' AND tbl_name = 'customers'))
		ORDER BY rowid`)
	if err != nil {
		return nil, err
	}
	var objs []demoSchemaObject
	for rows.Next() {
		var o demoSchemaObject
		if err := rows.Scan(&o.kind, &o.name, &o.sql); err != nil {
			rows.Close()
			return nil, err
		}
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, o := range objs {
		// Names come from sqlite_schema, quoted as identifiers.
		q := "DROP " + strings.ToUpper(o.kind) + " " + `"` + strings.ReplaceAll(o.name, `"`, `""`) + `"`
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// demoRestoreSecondary re-runs the saved CREATE statements of the objects
// that are missing, so that it can also repair after a failed load.
func demoRestoreSecondary(ctx context.Context, conn *sql.Conn, objs []demoSchemaObject) error {
	var firstErr error
	for _, o := range objs {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = ? AND name = ?`, o.kind, o.name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		if _, err := conn.ExecContext(ctx, o.sql); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("recreating %s %s: %w", o.kind, o.name, err)
		}
	}
	return firstErr
}

// demoDerived computes every customer's derived figures from feedback and
// follow-ups in two set-based statements (the load leaves them at their
// defaults). nps_last is the NPS of the latest feedback that has one.
func demoDerived(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}) error {
	if _, err := q.ExecContext(ctx, `
		UPDATE customers SET
		    csat_sum = agg.cs, csat_n = agg.cn,
		    csat_avg = CASE WHEN agg.cn > 0 THEN CAST(agg.cs AS REAL) / agg.cn END,
		    nps_last = agg.np, feedback_n = agg.n, complaints_open = agg.co,
		    last_contact_at = agg.lc
		FROM (SELECT customer_id,
		             coalesce(sum(csat), 0) AS cs, count(csat) AS cn, count(*) AS n,
		             sum(kind = 'complaint' AND status IN ('open', 'pending')) AS co,
		             max(created_at) AS lc,
		             CAST(substr(max(CASE WHEN nps IS NOT NULL
		                 THEN created_at || printf('%020d', id) || nps END), 41) AS INTEGER) AS np
		      FROM feedback GROUP BY customer_id) AS agg
		WHERE customers.id = agg.customer_id`); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `
		UPDATE customers SET
		    followups_open = agg.open,
		    last_contact_at = CASE
		        WHEN agg.done IS NOT NULL AND (customers.last_contact_at IS NULL OR agg.done > customers.last_contact_at)
		        THEN agg.done ELSE customers.last_contact_at END
		FROM (SELECT customer_id, sum(status = 'open') AS open, max(done_at) AS done
		      FROM followups GROUP BY customer_id) AS agg
		WHERE customers.id = agg.customer_id`)
	return err
}

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

// demoPicker draws an index with fixed integer weights.
type demoPicker []int

func newDemoPicker(weights []int) demoPicker {
	p := make(demoPicker, len(weights))
	sum := 0
	for i, w := range weights {
		sum += w
		p[i] = sum
	}
	return p
}

func (p demoPicker) pick(r *rand.Rand) int {
	x := r.IntN(p[len(p)-1])
	for i, c := range p {
		if x < c {
			return i
		}
	}
	return len(p) - 1
}

var (
	demoSurnamePicker   = newDemoPicker(demoZipf(len(demoSurnames)))
	demoNationPicker    = newDemoPicker(demoNationWeights)
	demoZhRegionPicker  = newDemoPicker(demoZhRegionWeights)
	demoPlanPicker      = newDemoPicker(demoPlanWeights)
	demoHourPicker      = newDemoPicker(demoHourWeights)
	demoKindPicker      = newDemoPicker([]int{22, 24, 12, 26, 16}) // model.Kinds order
	demoZhMobilePicker  = newDemoPicker([]int{30, 3, 20, 4, 8, 25, 10})
	demoLifecyclePicker = [3]demoPicker{newDemoPicker(demoLifecycleWeights[0]),
		newDemoPicker(demoLifecycleWeights[1]), newDemoPicker(demoLifecycleWeights[2])}
	demoChannelPicker = [2]demoPicker{newDemoPicker(demoChannelWeights[0]), newDemoPicker(demoChannelWeights[1])}
	// Status by age (open, pending, resolved, closed): < 3 days, < 14, < 60, older.
	demoStatusPicker = [4]demoPicker{newDemoPicker([]int{55, 25, 15, 5}), newDemoPicker([]int{25, 20, 40, 15}),
		newDemoPicker([]int{6, 6, 48, 40}), newDemoPicker([]int{1, 1, 33, 65})}
	demoPriorityPicker = [2]demoPicker{newDemoPicker([]int{25, 65, 9, 1}), newDemoPicker([]int{10, 55, 27, 8})}
)

// demoZipf gives weights that fall off like the frequency of surnames.
func demoZipf(n int) []int {
	w := make([]int, n)
	for i := range w {
		w[i] = 10000 / (i + 4)
	}
	return w
}

// demoCust is what the feedback generator remembers of a customer: 20
// bytes, plus 8 for the weight in gen.cum, so a million cost about 28 MB.
type demoCust struct {
	start, end uint32 // window in which they give feedback, seconds after gen.base
	happy      float32
	plan       uint8
	region     uint8
	lifecycle  uint8
	city       uint8
	nation     int8 // index into demoNations; -1 for Chinese customers
}

func (c *demoCust) zh() bool { return c.nation < 0 }

func (c *demoCust) cityName() string {
	if c.zh() {
		return demoRegions[c.region].cities[c.city]
	}
	return demoNations[c.nation].cities[c.city]
}

type demoGen struct {
	opts      DemoOptions
	r         *rand.Rand
	seed      uint64
	now       int64 // unix seconds
	base      int64 // unix seconds; demoCust times count from here
	winStart  int64 // start of the feedback window (18 months before now)
	followups int
	notes     int

	cust        []demoCust
	cum         []float64 // cumulative activity weights
	catIDs      map[string]int64
	tagIDs      []int64
	byKind      [2][5][]int // template indexes by language and kind (outage ones apart)
	outage      [2][]int
	dayEff      []float64 // satisfaction shift of each day of the window
	incident    [2]int64  // the outage week
	outageMonth [2]int64
	slots       demoSlots
	sb          strings.Builder
}

func newDemoGen(opts DemoOptions, now time.Time) *demoGen {
	seed := uint64(opts.Seed)
	g := &demoGen{
		opts:      opts,
		r:         rand.New(rand.NewPCG(seed, 0x5241505054_444d4f)), // "RAPPT" "DMO"
		seed:      seed,
		now:       now.Unix(),
		base:      now.AddDate(-6, 0, 0).Unix(),
		winStart:  now.AddDate(0, -18, 0).Unix(),
		followups: opts.Customers / 10,
		notes:     opts.Customers / 8,
	}
	for lang, tpls := range [2][]demoTemplate{demoZhTemplates, demoEnTemplates} {
		for i, t := range tpls {
			if t.outage {
				g.outage[lang] = append(g.outage[lang], i)
				continue
			}
			k := slices.Index(model.Kinds, model.Kind(t.kind))
			g.byKind[lang][k] = append(g.byKind[lang][k], i)
		}
	}
	// The outage: a week early in the month four months back, a dip for
	// the whole month, then a slow recovery that ends a little above the
	// level before it.
	om := now.AddDate(0, -4, 0)
	outageMonth := time.Date(om.Year(), om.Month(), 1, 0, 0, 0, 0, time.UTC)
	g.incident = [2]int64{outageMonth.AddDate(0, 0, 6).Unix(), outageMonth.AddDate(0, 0, 13).Unix()}
	g.outageMonth = [2]int64{outageMonth.Unix(), outageMonth.AddDate(0, 1, 0).Unix()}
	days := int((g.now-g.winStart+demoDay-1)/demoDay) + 1
	g.dayEff = make([]float64, days)
	for d := range g.dayEff {
		t := time.Unix(g.winStart+int64(d)*demoDay, 0).UTC()
		mi := (t.Year()-outageMonth.Year())*12 + int(t.Month()) - int(outageMonth.Month())
		switch {
		case mi < 0:
			g.dayEff[d] = []float64{0.05, -0.04, 0.02, 0.06, -0.02}[(-mi)%5]
		case mi == 0:
			g.dayEff[d] = -0.85
		default:
			g.dayEff[d] = -0.4 + 0.13*float64(mi)
		}
	}
	return g
}

// load writes all rows, ending when the writer has committed them.
func (g *demoGen) load(l *demoLoader) error {
	l.begin()
	if err := g.genCustomers(l); err != nil {
		return err
	}
	if err := g.genFeedback(l); err != nil {
		return err
	}
	if err := g.genFollowups(l); err != nil {
		return err
	}
	if err := g.genNotes(l); err != nil {
		return err
	}
	l.commit()
	return l.sync()
}

// setup creates the taxonomy, the tags and the saved segments, reusing
// any that exist.
func (g *demoGen) setup(ctx context.Context, conn *sql.Conn) error {
	at := fmtTime(time.Unix(g.now, 0))
	g.catIDs = map[string]int64{}
	for _, path := range demoCategories {
		parent, child, _ := strings.Cut(path, "/")
		for _, p := range []string{parent, path} {
			if _, ok := g.catIDs[p]; ok {
				continue
			}
			var parentID any
			name := p
			if p == path {
				parentID, name = g.catIDs[parent], child
			}
			if _, err := conn.ExecContext(ctx, `INSERT INTO categories(parent_id, name, path) VALUES (?, ?, ?)
				ON CONFLICT (path) DO NOTHING`, parentID, name, p); err != nil {
				return err
			}
			var id int64
			if err := conn.QueryRowContext(ctx, `SELECT id FROM categories WHERE path = ?`, p).Scan(&id); err != nil {
				return err
			}
			g.catIDs[p] = id
		}
	}
	for _, name := range demoTags {
		if _, err := conn.ExecContext(ctx, `INSERT INTO tags(name) VALUES (?) ON CONFLICT (name) DO NOTHING`, name); err != nil {
			return err
		}
		var id int64
		if err := conn.QueryRowContext(ctx, `SELECT id FROM tags WHERE name = ?`, name).Scan(&id); err != nil {
			return err
		}
		g.tagIDs = append(g.tagIDs, id)
	}
	for _, seg := range []struct {
		name, expr string
		warn       int
	}{
		{"core users", "ltv >= 10000 and feedback_90d >= 1", 0},
		{"churn warning", "csat_avg < 3 and last_contact_days > 30", 1},
		{"silent payers", "lifecycle = paying and last_contact_days > 90", 0},
	} {
		if _, err := conn.ExecContext(ctx, `INSERT INTO segments(name, expression, warn, created_by, created_at, updated_at)
			VALUES (?, ?, ?, 'demo', ?, ?) ON CONFLICT (name) DO NOTHING`, seg.name, seg.expr, seg.warn, at, at); err != nil {
			return err
		}
	}
	return nil
}

func (g *demoGen) uniform(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }

func (g *demoGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *demoGen) genCustomers(l *demoLoader) error {
	customers, err := l.table("customers", "id", "name", "email", "email_key", "phone", "phone_digits",
		"company", "plan", "region", "city", "language", "gender", "lifecycle", "ltv", "attrs",
		"created_at", "updated_at")
	if err != nil {
		return err
	}
	tags, err := l.table("customer_tags", "customer_id", "tag_id")
	if err != nil {
		return err
	}
	grams, err := l.table("customers_grams", "rowid", "grams")
	if err != nil {
		return err
	}
	r := g.r
	n := g.opts.Customers
	g.cust = make([]demoCust, n)
	g.cum = make([]float64, n)
	var sum float64
	var tagBuf []int
	for i := range n {
		id := int64(i + 1)
		c := &g.cust[i]
		plan := demoPlanPicker.pick(r)
		lc := demoLifecyclePicker[plan].pick(r)
		c.plan, c.lifecycle = uint8(plan), uint8(lc)

		var name, email, phone, company, lang, gender string
		if g.chance(0.55) {
			c.nation = -1
			c.region = uint8(demoZhRegionPicker.pick(r))
			c.city = uint8(r.IntN(len(demoRegions[c.region].cities)))
			lang = "zh"
			sur := demoSurnames[demoSurnamePicker.pick(r)]
			given := demoGivenNames[r.IntN(len(demoGivenNames))]
			name = sur.hz + given.hz
			gender = demoGender(given.g, r)
			email = g.zhEmail(id, sur.py, given.py)
			if g.chance(0.85) {
				phone = g.zhMobile(id)
			}
			if g.chance([]float64{0.45, 0.85, 1}[plan]) {
				city := c.cityName()
				if g.chance(0.15) {
					zr := demoRegions[r.IntN(4)]
					city = zr.cities[r.IntN(len(zr.cities))]
				}
				company = city + demoZhCompanyWords[r.IntN(len(demoZhCompanyWords))]
				if g.chance(0.2) {
					company += demoZhCompanyWords[r.IntN(len(demoZhCompanyWords))]
				}
				company += demoZhCompanySuffixes[r.IntN(len(demoZhCompanySuffixes))]
			}
		} else {
			c.nation = int8(demoNationPicker.pick(r))
			nat := &demoNations[c.nation]
			c.region = uint8(nat.regionIdx)
			c.city = uint8(r.IntN(len(nat.cities)))
			lang = nat.lang
			first := nat.first[r.IntN(len(nat.first))]
			last := nat.last[r.IntN(len(nat.last))]
			name = first.name + " " + last
			gender = demoGender(first.g, r)
			email = g.westEmail(id, nat, first.name, last)
			if g.chance(0.7) {
				phone = g.digits(nat.phones[c.city])
			}
			if g.chance([]float64{0.4, 0.85, 1}[plan]) {
				company = demoEnCompanyFirst[r.IntN(len(demoEnCompanyFirst))] + " " +
					demoEnCompanySecond[r.IntN(len(demoEnCompanySecond))]
				if sfx := nat.suffixes[r.IntN(len(nat.suffixes))]; sfx != "" {
					company += " " + sfx
				}
			}
		}
		if g.chance(0.07) { // some people give only a phone
			if phone != "" {
				email = ""
			}
		}

		ltv := g.ltv(plan, lc)

		// Signed up: new ones in the last month, the others over four
		// years, more of them recently; churned ones left at least two
		// months ago, at-risk ones went quiet one to five months ago.
		var created int64
		switch demoLifecycles[lc] {
		case "new":
			created = g.now - int64(r.Float64()*30*demoDay)
		case "churned":
			created = g.now - int64((120+1340*math.Pow(r.Float64(), 1.2))*demoDay)
		default:
			created = g.now - int64((30+1430*math.Pow(r.Float64(), 1.5))*demoDay)
		}
		created -= created % 60
		end := g.now
		happy := 0.45 * r.NormFloat64()
		weight := math.Exp(0.9*r.NormFloat64()) * []float64{0.7, 1.3, 2.6}[plan]
		switch demoLifecycles[lc] {
		case "churned":
			last := g.now - 60*demoDay
			end = created + int64(float64(last-created)*g.uniform(0.15, 1))
			happy -= 0.5
		case "at_risk":
			end = max(g.now-int64(g.uniform(31, 150)*demoDay), created+7*demoDay)
			happy -= 0.45
			weight *= 1.3
		case "referrer":
			happy += 0.45
		case "new":
			weight *= 1.2
		case "paying":
			weight *= 1.2
		}
		start := max(created, g.winStart)
		if end <= start {
			weight = 0
			end = start
		}
		c.start, c.end = uint32(start-g.base), uint32(end-g.base)
		c.happy = float32(happy)
		sum += weight
		g.cum[i] = sum
		updated := created + int64(r.Float64()*float64(g.now-created))

		attrs := `{"signup_source":"` + demoSignupSources[min(1, int(c.nation+1))][r.IntN(8)] +
			`","industry":"` + demoIndustries[r.IntN(len(demoIndustries))] + `"`
		if company != "" {
			attrs += `,"company_size":"` + demoCompanySizes[min(len(demoCompanySizes)-1, plan*2+r.IntN(3))] + `"`
		}
		attrs += "}"

		if err := customers.add(id, name, email, model.NormalizeEmail(email), phone, model.PhoneDigits(phone),
			company, demoPlans[plan], demoRegions[c.region].name, c.cityName(), lang, gender,
			demoLifecycles[lc], ltv, attrs, fmtTime(time.Unix(created, 0)), fmtTime(time.Unix(updated, 0))); err != nil {
			return err
		}
		if c.zh() {
			if gr := cjkBigrams(name, company); gr != "" {
				if err := grams.add(id, gr); err != nil {
					return err
				}
			}
		}
		tagBuf = g.customerTags(tagBuf[:0], c, created)
		for _, t := range tagBuf {
			if err := tags.add(id, g.tagIDs[t]); err != nil {
				return err
			}
		}
		if err := l.row(); err != nil {
			return err
		}
	}
	return nil
}

func demoGender(g byte, r *rand.Rand) string {
	switch {
	case r.IntN(20) == 0:
		return "" // not given
	case g == 'f':
		return "female"
	case g == 'm':
		return "male"
	case r.IntN(2) == 0:
		return "female"
	}
	return "male"
}

func (g *demoGen) customerTags(dst []int, c *demoCust, created int64) []int {
	plan, lc := demoPlans[c.plan], demoLifecycles[c.lifecycle]
	if plan == "enterprise" && g.chance(0.4) || plan == "pro" && g.chance(0.06) {
		dst = append(dst, tagVIP)
	}
	if g.chance(0.06) {
		dst = append(dst, tagBeta)
	}
	if c.zh() && plan == "enterprise" && g.chance(0.5) {
		dst = append(dst, tagBigAccount)
	}
	if c.zh() && g.chance(0.07) {
		dst = append(dst, tagOffline)
	}
	if lc == "at_risk" && g.chance(0.6) || lc == "churned" && g.chance(0.2) {
		dst = append(dst, tagChurnRisk)
	}
	if lc == "referrer" && g.chance(0.3) || g.chance(0.03) {
		dst = append(dst, tagPartner)
	}
	if g.now-created > 3*365*demoDay && g.chance(0.3) {
		dst = append(dst, tagEarlyAdopter)
	}
	return dst
}

// ltv follows the plan: free 0–200, pro 500–8,000, enterprise
// 10,000–300,000; newcomers have paid less so far.
func (g *demoGen) ltv(plan, lc int) float64 {
	var v float64
	switch plan {
	case 0:
		if g.chance(0.6) {
			return 0
		}
		v = g.uniform(5, 200)
	case 1:
		v = min(8000, max(500, 1800*math.Exp(0.7*g.r.NormFloat64())))
	default:
		v = 10000 * math.Pow(30, math.Pow(g.r.Float64(), 1.6))
	}
	if demoLifecycles[lc] == "new" {
		v = []float64{v * 0.5, 500 + v*0.05, 10000 + v*0.05}[plan]
	}
	return math.Round(v*100) / 100
}

// zhEmail makes an address from the pinyin of a Chinese name, or a
// QQ-style number; the id in it keeps it unique.
func (g *demoGen) zhEmail(id int64, sur, given string) string {
	domain := "example.cn"
	if g.chance(0.2) {
		domain = "example.com"
	}
	switch g.r.IntN(10) {
	case 0, 1, 2:
		// A permutation of the ids: unique, and not in id order.
		qq := 10000000 + (uint64(id)*2654435761+g.seed*7919)%90000000
		return strconv.FormatUint(qq, 10) + "@" + domain
	case 3, 4, 5:
		return sur + "." + given + strconv.FormatInt(id, 10) + "@" + domain
	case 6, 7:
		return sur + given + strconv.FormatInt(id, 10) + "@" + domain
	default:
		return given[:1] + sur + strconv.FormatInt(id, 10) + "@" + domain
	}
}

func (g *demoGen) westEmail(id int64, nat *demoNation, first, last string) string {
	domain := nat.domain
	if g.chance(0.25) {
		domain = "example.com"
	}
	f, l := demoASCII(first), demoASCII(last)
	n := strconv.FormatInt(id, 10)
	switch g.r.IntN(4) {
	case 0, 1:
		return f + "." + l + n + "@" + domain
	case 2:
		return f[:1] + l + n + "@" + domain
	default:
		return f + "_" + l + n + "@" + domain
	}
}

// demoASCII lower-cases a Latin name and folds its accents for an e-mail
// address: Müller → mueller, García → garcia, De Luca → deluca.
func demoASCII(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r == 'ä':
			b.WriteString("ae")
		case r == 'ö':
			b.WriteString("oe")
		case r == 'ü':
			b.WriteString("ue")
		case r == 'ß':
			b.WriteString("ss")
		case strings.ContainsRune("àáâã", r):
			b.WriteByte('a')
		case strings.ContainsRune("èéêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("ìíîï", r):
			b.WriteByte('i')
		case strings.ContainsRune("òóôõ", r):
			b.WriteByte('o')
		case strings.ContainsRune("ùúû", r):
			b.WriteByte('u')
		case r == 'ñ':
			b.WriteByte('n')
		case r == 'ç':
			b.WriteByte('c')
		}
	}
	return b.String()
}

// zhMobile gives a Chinese mobile number "138 0013 8000"; the last nine
// digits are a permutation of the id, so numbers never repeat.
func (g *demoGen) zhMobile(id int64) string {
	second := "3456789"[demoZhMobilePicker.pick(g.r)]
	rest := (uint64(id)*387420489 + g.seed*104729) % 1_000_000_000
	var d [11]byte
	d[0], d[1] = '1', second
	for i := 10; i >= 2; i-- {
		d[i] = byte('0' + rest%10)
		rest /= 10
	}
	return string(d[:3]) + " " + string(d[3:7]) + " " + string(d[7:])
}

// digits fills each # of a phone pattern with a random digit.
func (g *demoGen) digits(pattern string) string {
	b := []byte(pattern)
	for i, c := range b {
		if c == '#' {
			b[i] = byte('0' + g.r.IntN(10))
		}
	}
	return string(b)
}

// pickCustomer draws the customer who wrote at time t, in proportion to
// their activity, among those whose window holds t. If none is found
// quickly (tiny data sets), the last one drawn is used and t moved into
// their window.
func (g *demoGen) pickCustomer(t int64) (int, int64) {
	total := g.cum[len(g.cum)-1]
	tt := uint32(t - g.base)
	i := 0
	for range 64 {
		if total > 0 {
			x := g.r.Float64() * total
			i, _ = slices.BinarySearch(g.cum, x)
			i = min(i, len(g.cum)-1)
			for g.cum[i] <= x && i < len(g.cum)-1 { // equal sums: zero-weight customers
				i++
			}
		} else {
			i = g.r.IntN(len(g.cust))
		}
		c := &g.cust[i]
		if c.start <= tt && tt <= c.end {
			return i, t
		}
	}
	c := &g.cust[i]
	return i, g.base + int64(min(max(tt, c.start), c.end))
}

func (g *demoGen) genFeedback(l *demoLoader) error {
	fb, err := l.table("feedback", "id", "customer_id", "source", "external_id", "channel", "kind",
		"subject", "body", "category_id", "priority", "status", "csat", "nps", "agent",
		"created_at", "resolved_at", "updated_at")
	if err != nil {
		return err
	}
	ftags, err := l.table("feedback_tags", "feedback_id", "tag_id")
	if err != nil {
		return err
	}
	total := g.opts.Feedback
	if total == 0 {
		return nil
	}
	// Volume per day: growing over the window, quieter at weekends, a
	// surge in the outage week; the last day is cut at now.
	days := len(g.dayEff)
	weights := make([]float64, days)
	var wsum float64
	for d := range weights {
		start := g.winStart + int64(d)*demoDay
		if start >= g.now {
			break
		}
		w := 0.45 + 0.55*float64(d)/float64(days)
		switch time.Unix(start, 0).UTC().Weekday() {
		case time.Saturday, time.Sunday:
			w *= 0.55
		}
		if start >= g.incident[0] && start < g.incident[1] {
			w *= 1.7
		}
		w *= float64(min(demoDay, g.now-start)) / demoDay
		weights[d] = w
		wsum += w
	}
	var id int64
	var acc float64
	var times []int64
	for d, w := range weights {
		if w == 0 {
			continue
		}
		before := int(math.Round(float64(total) * acc / wsum))
		acc += w
		n := int(math.Round(float64(total)*acc/wsum)) - before
		dayStart := g.winStart + int64(d)*demoDay
		dayLen := min(demoDay, g.now-dayStart)
		times = times[:0]
		for range n {
			sec := int64(demoHourPicker.pick(g.r)*3600 + g.r.IntN(3600))
			if sec >= dayLen {
				sec = g.r.Int64N(dayLen)
			}
			times = append(times, dayStart+sec)
		}
		slices.Sort(times)
		for _, t := range times {
			id++
			if err := g.feedback(fb, ftags, id, t, d); err != nil {
				return err
			}
			if err := l.row(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *demoGen) feedback(fb, ftags *demoTable, id, t int64, day int) error {
	r := g.r
	ci, t := g.pickCustomer(t)
	c := &g.cust[ci]
	lang := 1
	tpls := demoEnTemplates
	if c.zh() {
		lang, tpls = 0, demoZhTemplates
	}
	incident := t >= g.incident[0] && t < g.incident[1]
	outageP := 0.0
	if incident {
		outageP = 0.45
	} else if t >= g.outageMonth[0] && t < g.outageMonth[1] {
		outageP = 0.08
	}
	var tpl *demoTemplate
	if outageP > 0 && g.chance(outageP) {
		tpl = &tpls[g.outage[lang][r.IntN(len(g.outage[lang]))]]
	} else {
		list := g.byKind[lang][demoKindPicker.pick(r)]
		tpl = &tpls[list[r.IntN(len(list))]]
	}
	kind := tpl.kind
	ch := demoChannelPicker[lang].pick(r)

	age := g.now - t
	var status string
	switch {
	case kind == "praise" && age > 2*demoDay:
		status = []string{"resolved", "closed", "closed"}[r.IntN(3)]
	case age < 3*demoDay:
		status = string(model.Statuses[demoStatusPicker[0].pick(r)])
	case age < 14*demoDay:
		status = string(model.Statuses[demoStatusPicker[1].pick(r)])
	case age < 60*demoDay:
		status = string(model.Statuses[demoStatusPicker[2].pick(r)])
	default:
		status = string(model.Statuses[demoStatusPicker[3].pick(r)])
	}
	done := status == "resolved" || status == "closed"

	pri := demoPriorityPicker[0].pick(r)
	if kind == "complaint" {
		pri = demoPriorityPicker[1].pick(r)
	}
	if c.plan == 2 && pri < 3 && g.chance(0.3) {
		pri++
	}

	agentIdx := r.IntN(4)
	if lang == 0 && g.chance(0.15) || lang == 1 && g.chance(0.85) {
		agentIdx += 4
	}
	var category any
	if tpl.category != "" {
		unclassified := 0.08
		if status == "open" && age < 7*demoDay {
			unclassified = 0.5
		}
		if !g.chance(unclassified) {
			category = g.catIDs[tpl.category]
		}
	}

	g.slots.reset()
	subject := g.fill(tpl.subject, c, lang)
	body := g.fill(tpl.body, c, lang)
	if lang == 0 {
		body = demoZhOpeners[r.IntN(len(demoZhOpeners))] + body + demoZhClosers[r.IntN(len(demoZhClosers))]
	} else {
		body = demoEnOpeners[r.IntN(len(demoEnOpeners))] + body + demoEnClosers[r.IntN(len(demoEnClosers))]
	}

	// Satisfaction: one latent score per answer, from the plan, region,
	// channel, kind, the month (the outage) and the customer's own mood.
	mu := 1.2 + []float64{-0.45, 0, 0.6}[c.plan] + demoRegions[c.region].effect + demoChannelEffect[ch] +
		demoKindEffect(kind) + g.dayEff[day] + float64(c.happy)
	if incident {
		mu -= 0.4
	}
	var csat, nps any
	pCSAT, pNPS := 0.18, 0.21
	if done {
		pCSAT = 0.45
	}
	if demoChannels[ch] == "survey" {
		pCSAT, pNPS = 0.85, 0.7
	}
	if g.chance(pCSAT) {
		z := mu + r.NormFloat64()
		switch {
		case z < -0.9:
			csat = 1
		case z < -0.2:
			csat = 2
		case z < 0.45:
			csat = 3
		case z < 1.25:
			csat = 4
		default:
			csat = 5
		}
	}
	if g.chance(pNPS) {
		z := mu + r.NormFloat64()
		nps = int(min(10, max(0, math.Round(7+1.9*z))))
	}

	var resolved any
	updated := t
	if done {
		var dur float64
		switch demoChannels[ch] {
		case "phone", "chat", "wechat":
			dur = 600 + r.ExpFloat64()*3*3600
		default:
			dur = 1800 + r.ExpFloat64()*26*3600
		}
		rt := min(g.now, t+int64(dur))
		resolved = fmtTime(time.Unix(rt, 0))
		updated = rt
		if status == "closed" {
			updated = min(g.now, rt+int64(r.ExpFloat64()*2*demoDay))
		}
	} else if status == "pending" {
		updated = min(g.now, t+int64(r.ExpFloat64()*demoDay))
	}

	if err := fb.add(id, int64(ci+1), "demo", "D-"+strconv.FormatInt(id, 10), demoChannels[ch], kind,
		subject, body, category, string(model.Priorities[pri]), status, csat, nps, demoAgents[agentIdx],
		fmtTime(time.Unix(t, 0)), resolved, fmtTime(time.Unix(updated, 0))); err != nil {
		return err
	}
	if tpl.outage || incident && (tpl.category == "Performance/Slow" || tpl.category == "产品/故障") {
		return ftags.add(id, g.tagIDs[tagOutage])
	}
	return nil
}

// demoKindEffect shifts satisfaction by kind: complaints score low.
func demoKindEffect(kind string) float64 {
	switch kind {
	case "complaint":
		return -1.3
	case "praise":
		return 1.3
	case "question":
		return 0.15
	case "request":
		return -0.1
	}
	return 0
}

// demoSlots holds the values of one text's slots, so that a subject and
// its body name the same order and amount.
type demoSlots struct {
	set uint16
	v   [8]string
}

func (s *demoSlots) reset() { s.set = 0 }

const demoSlotNames = "pfadoncg"

// fill replaces the {x} slots of a template.
func (g *demoGen) fill(tpl string, c *demoCust, lang int) string {
	if !strings.Contains(tpl, "{") {
		return tpl
	}
	b := &g.sb
	b.Reset()
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 || i+2 >= len(tpl) || tpl[i+2] != '}' {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		b.WriteString(g.slot(tpl[i+1], c, lang))
		tpl = tpl[i+3:]
	}
}

func (g *demoGen) slot(name byte, c *demoCust, lang int) string {
	k := strings.IndexByte(demoSlotNames, name)
	if k < 0 {
		return ""
	}
	if g.slots.set&(1<<k) != 0 {
		return g.slots.v[k]
	}
	r := g.r
	var v string
	switch name {
	case 'p':
		if lang == 0 {
			v = demoZhProducts[r.IntN(len(demoZhProducts))]
		} else {
			v = demoEnProducts[r.IntN(len(demoEnProducts))]
		}
	case 'f':
		if lang == 0 {
			v = demoZhFeatures[r.IntN(len(demoZhFeatures))]
		} else {
			v = demoEnFeatures[r.IntN(len(demoEnFeatures))]
		}
	case 'a':
		lo, hi := []float64{9, 99, 2000}[c.plan], []float64{99, 2999, 50000}[c.plan]
		cents := int64(math.Exp(g.uniform(math.Log(lo), math.Log(hi))) * 100)
		switch {
		case lang == 0:
			v = strconv.FormatInt(cents/100, 10) + "元"
		case demoRegions[c.region].name == "Europe":
			v = "€" + demoMoney(cents)
		default:
			v = "$" + demoMoney(cents)
		}
	case 'd':
		v = strconv.Itoa(2 + r.IntN(29))
	case 'o':
		if lang == 0 {
			v = "SO" + strconv.Itoa(10000000+r.IntN(90000000))
		} else {
			v = "#" + strconv.Itoa(100000+r.IntN(900000))
		}
	case 'n':
		v = strconv.Itoa(2 + r.IntN(8))
	case 'c':
		v = c.cityName()
	case 'g':
		v = demoAgentNames[r.IntN(4)+4*lang]
	}
	g.slots.set |= 1 << k
	g.slots.v[k] = v
	return v
}

// demoMoney formats cents as 1,280.00.
func demoMoney(cents int64) string {
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	frac := cents % 100
	b.WriteByte('.')
	b.WriteByte(byte('0' + frac/10))
	b.WriteByte(byte('0' + frac%10))
	return b.String()
}

// genFollowups promises call-backs to random customers, due from 20 days
// ago to 30 days ahead; about 30% are done.
func (g *demoGen) genFollowups(l *demoLoader) error {
	fu, err := l.table("followups", "id", "customer_id", "assignee", "due_at", "note", "status",
		"campaign", "created_by", "created_at", "done_at", "updated_at")
	if err != nil {
		return err
	}
	r := g.r
	today := g.now - g.now%demoDay
	for i := range g.followups {
		ci := r.IntN(len(g.cust))
		c := &g.cust[ci]
		lang := 1
		notes := demoEnFollowupNotes
		if c.zh() {
			lang, notes = 0, demoZhFollowupNotes
		}
		hour := 1 + r.IntN(9) // 09–18 in China
		if lang == 1 {
			hour = 8 + r.IntN(10)
		}
		due := today + int64(r.IntN(51)-20)*demoDay + int64(hour)*3600
		start := g.base + int64(c.start)
		created := due - int64(g.uniform(1, 14)*demoDay)
		if created > g.now {
			created = g.now - int64(r.Float64()*demoDay)
		}
		created = max(created, start)
		due = max(due, created+3600)
		agent := demoAgents[r.IntN(4)+4*lang*boolInt(g.chance(0.85))]
		status := "open"
		var doneAt any
		updated := created
		if g.chance(0.3) {
			status = "done"
			end := min(g.now, due+demoDay)
			d := created + int64(r.Float64()*float64(max(0, end-created)))
			doneAt, updated = fmtTime(time.Unix(d, 0)), d
		}
		campaign := ""
		if demoLifecycles[c.lifecycle] == "at_risk" && g.chance(0.5) {
			campaign = []string{"召回", "winback"}[lang]
		}
		g.slots.reset()
		note := g.fill(notes[r.IntN(len(notes))], c, lang)
		if err := fu.add(int64(i+1), int64(ci+1), agent, fmtTime(time.Unix(due, 0)), note, status,
			campaign, agent, fmtTime(time.Unix(created, 0)), doneAt, fmtTime(time.Unix(updated, 0))); err != nil {
			return err
		}
		if err := l.row(); err != nil {
			return err
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// genNotes writes short profile notes on random customers.
func (g *demoGen) genNotes(l *demoLoader) error {
	nt, err := l.table("notes", "id", "customer_id", "agent", "body", "created_at")
	if err != nil {
		return err
	}
	r := g.r
	for i := range g.notes {
		ci := r.IntN(len(g.cust))
		c := &g.cust[ci]
		lang := 1
		texts := demoEnNotes
		if c.zh() {
			lang, texts = 0, demoZhNotes
		}
		start := g.base + int64(c.start)
		at := start + int64(r.Float64()*float64(g.now-start))
		g.slots.reset()
		body := g.fill(texts[r.IntN(len(texts))], c, lang)
		if err := nt.add(int64(i+1), int64(ci+1), demoAgents[r.IntN(4)+4*lang], body, fmtTime(time.Unix(at, 0))); err != nil {
			return err
		}
		if err := l.row(); err != nil {
			return err
		}
	}
	return nil
}

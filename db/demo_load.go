package db

import (
	"context"
	"fmt"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// DemoReport says what LoadDemo wrote.
type DemoReport struct {
	Customers, Feedback, FollowUps, Notes int
	Elapsed                               time.Duration
}

const (
	demoTxRows       = 100_000 // primary rows per transaction
	demoProgressStep = 50_000
	demoMaxBatchRows = 1000
	demoMaxVars      = 30_000 // below SQLite's 32,766 bound parameters
)

// LoadDemo fills an empty store with the demo data src generates (package
// demo makes it from a seed): the taxonomy, tags and saved segments first,
// then the customers, feedback, follow-ups and notes. It refuses a store
// that already has customers. progress, if set, is called every ~50,000
// rows and once at the end.
//
// The load runs on one connection with the secondary indexes and the
// full-text triggers dropped; they are recreated from their saved SQL at the
// end, so the schema ends as the migrations left it. Rows are committed in
// batches: a load that fails or is cancelled half-way leaves an incomplete
// demo database, to be deleted and generated again.
func (s *Store) LoadDemo(ctx context.Context, src model.DemoSource, progress func(done, total int)) (DemoReport, error) {
	if s.d.pg {
		return DemoReport{}, fmt.Errorf("%w: demo data is generated into a SQLite file (its loader is SQLite's); "+
			"generate one and copy it to PostgreSQL", model.ErrInvalid)
	}
	began := time.Now()
	setup := src.DemoSetup()
	if err := permitted(requires(ctx, model.RoleLead, "load demo data")); err != nil {
		return DemoReport{}, err
	}
	defer s.changed()

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
	rows := &demoRows{}
	if err := rows.setup(ctx, conn, setup); err != nil {
		return DemoReport{}, translate(err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return DemoReport{}, translate(err)
	}
	l := newDemoLoader(ctx, conn, setup.Customers+setup.Feedback+setup.FollowUps+setup.Notes, progress)
	defer l.close()
	if err := rows.load(l, src); err != nil {
		return DemoReport{}, translate(err)
	}
	l.close()
	if progress != nil {
		progress(l.done, l.total)
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
	if err := writeFigures(ctx, conn, allCustomers()); err != nil {
		return DemoReport{}, translate(err)
	}
	demoTrace("derived figures")
	if err := demoRestoreSecondary(ctx, conn, saved); err != nil {
		return DemoReport{}, translate(err)
	}
	if err := factsReadAll(ctx, conn); err != nil { // the rows came without the journal's triggers
		return DemoReport{}, translate(err)
	}
	demoTrace("indexes")
	if err := rebuildSummaryAgg(ctx, conn); err != nil {
		return DemoReport{}, translate(err)
	}
	demoTrace("summary aggregates")
	for _, q := range []string{
		`INSERT INTO customers_fts(customers_fts) VALUES ('rebuild')`,
		`INSERT INTO customers_fts(customers_fts) VALUES ('optimize')`,
		`INSERT INTO customers_grams(customers_grams) VALUES ('optimize')`,
		`INSERT INTO feedback_fts(feedback_fts) VALUES ('rebuild')`,
		`INSERT INTO feedback_grams(rowid, grams) SELECT id, g FROM (
			SELECT id, rapport_cjk_bigrams(subject, body) AS g FROM feedback) WHERE g <> ''`,
		`INSERT INTO feedback_fts(feedback_fts) VALUES ('optimize')`,
		`INSERT INTO feedback_grams(feedback_grams) VALUES ('optimize')`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return DemoReport{}, translate(err)
		}
		demoTrace(q)
	}
	changes := fmt.Sprintf(`{"customers":%d,"feedback":%d,"followups":%d,"notes":%d,"seed":%d,"now":%q}`,
		setup.Customers, setup.Feedback, setup.FollowUps, setup.Notes, setup.Seed, fmtTime(setup.Now))
	if _, err := conn.ExecContext(ctx, `INSERT INTO audit(at, agent, entity, entity_id, action, changes)
		VALUES (?, 'demo', 'database', 0, 'demo generate', ?)`, fmtTime(setup.Now), changes); err != nil {
		return DemoReport{}, translate(err)
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return DemoReport{}, translate(err)
	}
	schemaBack = true
	demoTrace("commit")
	conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	demoTrace("checkpoint")

	return DemoReport{Customers: setup.Customers, Feedback: setup.Feedback,
		FollowUps: setup.FollowUps, Notes: setup.Notes, Elapsed: time.Since(began)}, nil
}

// demoTrace, when a test sets it, hears the end of each phase of a load.
var demoTrace = func(phase string) {}

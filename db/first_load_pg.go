package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// The first load on PostgreSQL: the same batches as on SQLite
// (importFirstLoad: identities in memory, new feedback in multi-row
// INSERTs), with the indexes no import statement reads dropped for the
// load — above all the trigram and bigram GIN indexes, which PostgreSQL
// would otherwise update for every feedback row — and built once at the
// end over the final rows. The customers' bigram rows and derived
// figures are computed once at the end too.
//
// While a load runs, its process holds a session advisory lock
// (firstLoadLockPG) on a connection of its own. A load that was killed
// leaves the deferred_index rows behind and its lock released; the next
// Open that can take the lock finishes the load's work (repairDeferredPG),
// and one that cannot leaves a running load alone.

// pgFirstLoadIndexes are the indexes a first load defers on PostgreSQL:
// SQLite's list (those that exist here) and the text search indexes.
var pgFirstLoadIndexes = append([]string{"customers_search", "customers_grams_search", "feedback_search",
	"feedback_grams", "feedback_by_channel"}, firstLoadIndexes...)

// firstLoadLockPG is the session advisory lock a first load holds ("RPPL").
const firstLoadLockPG = 0x5250504c

// beginFirstLoadPG is BeginFirstLoad on PostgreSQL.
func (s *Store) beginFirstLoadPG(ctx context.Context) (bool, error) {
	if err := permitted(ctx); err != nil {
		return false, err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, translate(err)
	}
	var locked int
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?)", firstLoadLockPG).Scan(&locked); err != nil || locked == 0 {
		conn.Close()
		return false, translate(err) // another session's load: this import takes the ordinary path
	}
	release := func() {
		conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", firstLoadLockPG)
		conn.Close()
	}
	dropped := false
	err = s.write(ctx, func(tx *sql.Tx) (err error) {
		dropped, err = deferFirstLoadIndexes(ctx, tx, pgFirstLoadIndexes,
			"SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?")
		return err
	})
	if !dropped || err != nil {
		release()
		return false, err
	}
	fl := newFirstLoad()
	fl.release = release
	s.firstLoad.Store(fl)
	return true, nil
}

// syncFeedbackIDsPG moves the feedback id sequence past the ids a first
// load's batches gave explicitly, before a row takes one from it.
func syncFeedbackIDsPG(ctx context.Context, tx querier) error {
	_, err := tx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('feedback', 'id'), coalesce(max(id), 0) + 1, false) FROM feedback")
	return err
}

// finishFirstLoadPG writes the customers' CJK bigram rows, from the final
// names and companies, in pages of customers (the connection cannot read
// and write at once), and forgets the mark.
func (s *Store) finishFirstLoadPG(ctx context.Context) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM customers_grams"); err != nil {
			return err
		}
		var after int64
		for {
			rows, err := tx.QueryContext(ctx, "SELECT id, name, company FROM customers WHERE id > ? ORDER BY id LIMIT 5000", after)
			if err != nil {
				return err
			}
			var args []any
			n := 0
			for rows.Next() {
				var name, company string
				if err := rows.Scan(&after, &name, &company); err != nil {
					rows.Close()
					return err
				}
				n++
				if g := cjkBigrams(name, company); g != "" {
					args = append(args, after, g)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(args) > 0 {
				q := "INSERT INTO customers_grams(rowid, grams) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", len(args)/2), ", ")
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					return err
				}
			}
			if n < 5000 {
				break
			}
		}
		return finishAggsPG(ctx, tx) // summary_agg_pg.go: counts summary_agg from the rows and forgets the mark
	})
}

// endFirstLoadPG builds the deferred indexes over the final rows,
// updates the planner's statistics and releases the load's lock.
func (s *Store) endFirstLoadPG(ctx context.Context, fl *firstLoad) error {
	if fl != nil && fl.release != nil {
		defer fl.release()
	}
	if err := s.finishFirstLoad(ctx); err != nil {
		return err
	}
	var defs [][2]string
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT name, sql FROM deferred_index WHERE name <> ? AND to_regclass(quote_ident(name)) IS NULL ORDER BY name", firstLoadMark)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d [2]string
			if err := rows.Scan(&d[0], &d[1]); err != nil {
				return err
			}
			defs = append(defs, d)
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	if err := s.buildIndexesPG(ctx, defs); err != nil {
		return err
	}
	if err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM deferred_index WHERE name <> ?", firstLoadMark)
		return err
	}); err != nil {
		return err
	}
	s.changed()
	// The planner's statistics of the loaded rows, feedback on one
	// connection and every other table on another; the load is committed,
	// so a failure here only leaves that to autovacuum.
	start := time.Now()
	var others []string
	if err = s.read(ctx, func(tx *sql.Tx) (err error) {
		others, err = queryColumn[string](ctx, tx, "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'feedback' ORDER BY 1")
		return err
	}); err == nil {
		err = s.inParallelPG(ctx, []string{"ANALYZE feedback", "ANALYZE " + strings.Join(others, ", ")})
	}
	traceCopy(start, "ANALYZE (%v)", err)
	return nil
}

// pgIndexBuilders is how many deferred indexes the end of a first load
// builds at once, each on a connection of its own: PostgreSQL builds a GIN
// index on one core, and the trigram index over the feedback takes as
// long as all the others together, which the second connection builds
// meanwhile.
const pgIndexBuilders = 2

// buildIndexesPG creates the deferred indexes defs (name, CREATE INDEX),
// the GIN ones first, pgIndexBuilders at a time, each in a transaction
// of its own: an index built stays built if another fails or the process
// dies, and the next Open builds only the missing ones (to_regclass above).
func (s *Store) buildIndexesPG(ctx context.Context, defs [][2]string) error {
	// the GIN indexes first, the feedback's (the largest) before others
	weight := func(def string) int {
		w := 0
		if strings.Contains(def, "USING gin") {
			w -= 2
		}
		if strings.Contains(def, " ON public.feedback ") || strings.Contains(def, " ON feedback ") {
			w--
		}
		return w
	}
	slices.SortStableFunc(defs, func(a, b [2]string) int { return weight(a[1]) - weight(b[1]) })
	stmts := make([]string, len(defs))
	for i, d := range defs {
		stmts[i] = d[1]
	}
	if err := s.inParallelPG(ctx, stmts); err != nil {
		return fmt.Errorf("recreating the indexes a first load deferred: %w", err)
	}
	return nil
}

// inParallelPG runs stmts in their order, pgIndexBuilders at a time, each
// in a transaction of its own with maintenance_work_mem at 256 MB.
func (s *Store) inParallelPG(ctx context.Context, stmts []string) error {
	next := make(chan string, len(stmts))
	for _, q := range stmts {
		next <- q
	}
	close(next)
	errs := make([]error, pgIndexBuilders)
	var wg sync.WaitGroup
	for w := range pgIndexBuilders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range next {
				if errs[w] != nil {
					continue
				}
				start := time.Now()
				if err := s.execAlonePG(ctx, q); err != nil {
					errs[w] = fmt.Errorf("%s: %w", q, translate(err))
				}
				traceCopy(start, "%s", q)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (s *Store) execAlonePG(ctx context.Context, def string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, def); err != nil {
		return err
	}
	return tx.Commit()
}

// repairDeferredPG finishes the work of a first load that was killed:
// only when no session holds the load's lock (a running load does).
func (s *Store) repairDeferredPG(ctx context.Context) error {
	var pending int
	if err := s.db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM deferred_index)").Scan(&pending); err != nil || pending == 0 {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	var locked int
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?)", firstLoadLockPG).Scan(&locked); err != nil || locked == 0 {
		conn.Close()
		return err
	}
	fl := &firstLoad{release: func() {
		conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", firstLoadLockPG)
		conn.Close()
	}}
	return s.endFirstLoadPG(requires(ctx, model.RoleLead, "import"), fl)
}

// analyzeFirstLoadPG refreshes the planner's statistics each time a first
// load's rows have doubled, when its batches look rows up: PostgreSQL
// would go on judging the tables by the empty ones the load began with
// (autovacuum analyzes a minute later at best) and find a customer by
// e-mail by walking the table in id order: at 100k rows, 170 µs a look-up
// instead of a few. A load whose rows are nearly all new (set-based)
// looks almost nothing up, and its ANALYZEs (1 s of 100k rows) would be
// for nothing; the end of the load analyzes everything once.
func (s *Store) analyzeFirstLoadPG(ctx context.Context, fl *firstLoad) error {
	if fl.rows < 2*fl.analyzed+1000 || fl.lookups < fl.lookupsAnalyzed+1000 {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, "ANALYZE customers, customer_keys, feedback"); err != nil {
		return translate(err)
	}
	fl.analyzed, fl.lookupsAnalyzed = fl.rows, fl.lookups
	return nil
}

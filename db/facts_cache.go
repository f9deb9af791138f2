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

	"github.com/rapportcrm/rapport/facts"
	"github.com/rapportcrm/rapport/model"
)

// factsCache holds the Insights snapshot (package facts) and the summaries
// computed from it. It is brought up to date lazily: the first summary
// after any commit (this process's or another's, seen through PRAGMA
// data_version on a connection of its own, or PostgreSQL's
// rapport_meta.data_version) reads again the customers the change journal
// names since the snapshot's position (db/facts_refresh.go), or the whole
// snapshot in one read when that is not cheaper (or on PostgreSQL, which
// keeps no journal yet); every summary of one snapshot generation is kept
// until the next.
type factsCache struct {
	mu        sync.Mutex
	conn      *sql.Conn
	version   int64
	snap      *facts.Snapshot
	pos       int64 // the journal position snap reflects; -1 for none
	gen       uint64
	loads     int           // full loads so far
	built     time.Duration // how long the last full load took
	refreshed time.Duration // how long the last incremental refresh took
	fullAt    int64         // a version that needs a full read (the refresh found so); 0 if none
	unfit     int64         // the version whose data the snapshot cannot hold (errFactsUnfit); 0 if none
	results   map[string]cachedSummary
	patched   int // customers a refresh kept rather than read again, so far
}

type cachedSummary struct {
	sum model.Summary
	at  time.Time
}

// clockTTL is how long a summary whose customer filter may name times
// relative to now (a --where or saved segments) is reused.
const clockTTL = 30 * time.Second

func (c *factsCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	c.snap, c.results = nil, nil
}

// factsVersion says which commit the database is at, as seen from the
// cache's own connection (SQLite's data_version changes with every commit
// of another connection).
func (s *Store) factsVersion(ctx context.Context) (int64, error) {
	c := &s.facts
	if c.conn == nil {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return 0, err
		}
		c.conn = conn
	}
	var v int64
	err := c.conn.QueryRowContext(ctx, s.d.dataVersionSQL()).Scan(&v)
	return v, err
}

// factsCurrent reports whether the snapshot is loaded and reflects the
// last commit, after an incremental refresh if one suffices.
func (s *Store) factsCurrent(ctx context.Context) bool {
	c := &s.facts
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap == nil {
		return false
	}
	v, err := s.factsVersion(ctx)
	if err != nil {
		return false
	}
	if v == c.version {
		return true
	}
	ok, err := s.factsRefresh(ctx, v)
	return err == nil && ok
}

// FactsSnapshot gives the current snapshot, loading it when the database
// changed since the last one, with its generation and the last load time.
func (s *Store) FactsSnapshot(ctx context.Context) (*facts.Snapshot, uint64, time.Duration, error) {
	c := &s.facts
	c.mu.Lock()
	defer c.mu.Unlock()
	return s.factsLocked(ctx)
}

func (s *Store) factsLocked(ctx context.Context) (*facts.Snapshot, uint64, time.Duration, error) {
	c := &s.facts
	v, err := s.factsVersion(ctx)
	if err != nil {
		return nil, 0, 0, err
	}
	if c.snap != nil && v == c.version {
		return c.snap, c.gen, c.built, nil
	}
	if c.unfit != 0 && v == c.unfit {
		return nil, 0, 0, errFactsUnfit
	}
	if c.snap != nil {
		ok, err := s.factsRefresh(ctx, v)
		if err != nil {
			return nil, 0, 0, err
		}
		if ok {
			return c.snap, c.gen, c.built, nil
		}
	}
	// A load another request gave up on would only start again: finish it.
	ctx = context.WithoutCancel(ctx)
	start := time.Now()
	c.snap, c.results = nil, map[string]cachedSummary{}
	snap, pos, err := s.readFacts(ctx)
	if err != nil {
		if errors.Is(err, errFactsUnfit) {
			c.unfit = v
		}
		return nil, 0, 0, err
	}
	c.snap, c.version, c.pos, c.built, c.fullAt = snap, v, pos, time.Since(start), 0
	c.loads++
	c.gen++
	return snap, c.gen, c.built, nil
}

// readFacts loads a snapshot in one read transaction of readMapped: the
// load reads every page of the feedback table.
func (s *Store) readFacts(ctx context.Context) (snap *facts.Snapshot, pos int64, err error) {
	err = s.readMapped(ctx, func(tx *sql.Tx) error {
		if pos, err = s.factsPosition(ctx, tx); err != nil {
			return err
		}
		snap, err = loadFacts(ctx, tx)
		return err
	})
	return snap, pos, err
}

// readMapped runs fn in one read transaction on a connection that maps
// the SQLite file into memory while it reads (PRAGMA mmap_size), for reads
// that visit most pages of a big table: through read calls and the page
// cache, that was most of their time. The mapping is dropped afterwards,
// so the store's resident memory does not keep the file's pages.
func (s *Store) readMapped(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.d.pg || s.pinned != nil {
		return s.read(ctx, fn)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.translate(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA mmap_size = 2147418112"); err != nil {
		return s.translate(err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA mmap_size = 0")
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return s.translate(err)
	}
	defer tx.Rollback()
	return s.translate(fn(tx))
}

// summaryFromFacts answers Summary from the snapshot: what the customer
// filter (whereExpr, parsed and expanded) and saved segments select is
// answered from the snapshot where it holds the fields and asked of the
// database for the rest (facts_where.go); the feedback of the time
// bounds' two days that falls outside them is asked of the database; the
// tally is the snapshot's.
func (s *Store) summaryFromFacts(ctx context.Context, q model.SummaryQuery, by, attrName string, whereExpr model.SegmentExpr) (model.Summary, error) {
	// The lock covers the load (one for all waiting summaries) and the
	// cache, not the tally: a snapshot never changes once built.
	c := &s.facts
	c.mu.Lock()
	snap, gen, _, err := s.factsLocked(ctx)
	if err != nil {
		c.mu.Unlock()
		return model.Summary{}, err
	}
	key := fmt.Sprintf("%s|%t|%q|%d|%d|%s|%t", by, q.Segments, q.Where, q.Since.UnixMilli(), q.Until.UnixMilli(), q.Trend, q.Bands)
	r, ok := c.results[key]
	c.mu.Unlock()
	if ok && (!clockBound(q) || time.Since(r.at) < clockTTL) {
		return cloneSummary(r.sum), nil
	}
	fq := facts.Query{By: by, Trend: q.Trend, Bands: q.Bands}
	err = s.read(ctx, func(tx *sql.Tx) error {
		if attrName != "" {
			a := snap.Attr(attrName)
			if a == nil {
				var err error
				if a, err = s.factsAttrColumn(ctx, tx, snap, attrName); err != nil {
					return err
				}
				snap.KeepAttr(attrName, a)
			}
			fq.Attr = a
		}
		// the members: what the snapshot holds from it, the rest asked of
		// the database (facts_where.go)
		w := s.newFactsWhere(ctx, tx, snap)
		if whereExpr != nil {
			m, err := w.members(whereExpr)
			if err != nil {
				return err
			}
			fq.Where = m
		}
		if q.Segments {
			segs, err := s.savedSegments(ctx, tx)
			if err != nil {
				return err
			}
			fq.Segments = []facts.Segment{}
			for _, sg := range segs {
				m, err := w.members(sg.expr)
				if err != nil {
					return err
				}
				fq.Segments = append(fq.Segments, facts.Segment{Name: sg.name, Members: m})
			}
		}
		return boundDays(ctx, tx, q, &fq)
	})
	if err != nil {
		return model.Summary{}, err
	}
	overall, groups, err := snap.Summarize(fq)
	if err != nil {
		return model.Summary{}, err
	}
	out := model.Summary{By: by, Overall: overall, Groups: groups, Banded: q.Bands && fq.Attr != nil && fq.Attr.Bands() != nil}
	if out.Groups == nil {
		out.Groups = []model.GroupFigures{}
	}
	out.Finish()
	c.mu.Lock()
	if c.gen == gen && c.results != nil { // not reloaded meanwhile
		c.results[key] = cachedSummary{sum: out, at: time.Now()}
	}
	c.mu.Unlock()
	return cloneSummary(out), nil
}

// clockBound reports whether a summary's customer filter may depend on
// the time it is asked.
func clockBound(q model.SummaryQuery) bool { return q.Segments || strings.TrimSpace(q.Where) != "" }

// cloneSummary copies what a caller could reorder or append to.
func cloneSummary(s model.Summary) model.Summary {
	s.Groups = slices.Clone(s.Groups)
	return s
}

// segmentFilters compiles every saved segment, leaving out those that no
// longer compile, as the scan does.
func (s *Store) segmentFilters(ctx context.Context, tx querier) ([]scanSeg, error) {
	segs, err := s.savedSegments(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := make([]scanSeg, 0, len(segs))
	now := s.now()
	for _, sg := range segs {
		w, args, err := compileSegmentFor(s.d, sg.expr, now)
		if err != nil {
			continue
		}
		out = append(out, scanSeg{name: sg.name, where: w, args: args})
	}
	return out, nil
}

// customerIDs lists the customers a compiled segment expression selects.
func customerIDs(ctx context.Context, tx querier, where string, args []any) ([]int64, error) {
	return queryColumn[int64](ctx, tx, "SELECT c.id FROM customers c WHERE "+where, args...)
}

// boundDays turns Since and Until into the days the snapshot compares and
// the feedback of those two days that falls outside (read by time, through
// feedback_by_created).
func boundDays(ctx context.Context, tx querier, q model.SummaryQuery, fq *facts.Query) error {
	drop := func(from, to time.Time) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, 0 FROM feedback WHERE created_at >= ? AND created_at < ?",
			fmtTime(from), fmtTime(to))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, zero int64
			if err := rows.Scan(&id, &zero); err != nil {
				return err
			}
			if fq.Drop == nil {
				fq.Drop = map[uint32]bool{}
			}
			fq.Drop[uint32(id)] = true
		}
		return rows.Err()
	}
	if !q.Since.IsZero() {
		since := q.Since.UTC().Truncate(time.Millisecond)
		day := since.Truncate(24 * time.Hour)
		fq.SinceDay = day.Format(time.DateOnly)
		if err := drop(day, since); err != nil {
			return err
		}
	}
	if !q.Until.IsZero() {
		until := q.Until.UTC().Truncate(time.Millisecond)
		day := until.Truncate(24 * time.Hour)
		fq.UntilDay = day.Format(time.DateOnly)
		if err := drop(until, day.Add(24*time.Hour)); err != nil {
			return err
		}
	}
	return nil
}

package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// applicationID marks a SQLite file as Rapport's ("RPPT"), so that we never
// migrate somebody else's database by mistake.
const applicationID = 0x52505054

// Store is an open Rapport database.
type Store struct {
	db   *sql.DB
	path string // the file, or the PostgreSQL URL without its password
	dsn  string // PostgreSQL's URL as given (with any password): never shown
	d    dialect
	host string // PostgreSQL's host:port, for messages
	// Now is the clock; tests replace it. Always returns UTC.
	Now func() time.Time

	watch    watcher    // the connection that notices other agents' commits
	facts    factsCache // the Insights snapshot and its summaries (facts_cache.go)
	feed     feed       // per-subscriber change feed (feed.go)
	listener pgListener // PostgreSQL: the feed's LISTEN connection (pg_listen.go)
	writing  sync.Mutex // one write transaction of this process at a time
	warnings []string   // things about the file a person should know

	// exactSummaries makes Summary scan the feedback even when the
	// aggregates could answer (tests compare the two).
	exactSummaries bool

	// pinned is the transaction every read and write of a dry run goes
	// through (DryRun); nil otherwise.
	pinned *sql.Tx

	// firstLoad is set between BeginFirstLoad and EndFirstLoad
	// (first_load_batch.go).
	firstLoad atomic.Pointer[firstLoad]
}

// Warnings are problems with where the database lives (a network
// filesystem), for the UI and CLI to show.
func (s *Store) Warnings() []string { return s.warnings }

// Options tune Open.
type Options struct {
	// MustExist refuses to create a new file.
	MustExist bool
	// BusyTimeout is how long a writer waits for another one; default 10s.
	BusyTimeout time.Duration
	// OnUpgrade, when set, hears that an existing database is about to be
	// brought from schema from to schema to (which can take a while on a
	// large one), before the work starts.
	OnUpgrade func(from, to int)
}

// PathError is a problem with the database file itself, worded for a person
// in one line that names the path.
type PathError struct {
	Path   string
	Reason string
}

func (e *PathError) Error() string { return e.Path + ": " + e.Reason }

// Open opens (creating if needed, with mode 0600) the database at path and
// brings its schema up to date. It refuses directories, files that are not
// SQLite, other programs' databases, databases from a newer Rapport and
// files it cannot write, changing nothing in each case.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, &PathError{Path: path, Reason: "no database path given"}
	}
	if IsURL(path) {
		return openPG(ctx, path, opts)
	}
	if strings.ContainsAny(path, "?#") {
		return nil, &PathError{Path: path, Reason: "database path may not contain '?' or '#'"}
	}
	created, err := checkFile(path, opts.MustExist)
	if err != nil {
		return nil, err
	}
	busy := opts.BusyTimeout
	if busy == 0 {
		busy = 10 * time.Second
	}
	// A 32 MB page cache per connection (SQLite's default is 2 MB) keeps
	// the indexes a batch touches in memory; statement journals stay in
	// memory too.
	dsn := fmt.Sprintf("%s?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
		"&_pragma=foreign_keys(1)&_pragma=cache_size(-32768)&_pragma=temp_store(MEMORY)&_txlock=immediate",
		path, busy.Milliseconds())
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, &PathError{Path: path, Reason: err.Error()}
	}
	s := &Store{db: sqldb, path: path, Now: func() time.Time { return time.Now().UTC() }}
	if fs := networkFS(filepath.Dir(path)); fs != "" {
		s.warnings = append(s.warnings, fmt.Sprintf("%s is on %s: SQLite's file locking is unreliable there; "+
			"keep a shared database on a local disk of one machine", path, fs))
	}
	if err := s.migrate(ctx, opts.OnUpgrade); err != nil {
		sqldb.Close()
		if created {
			removeDB(path)
		}
		var pe *PathError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, &PathError{Path: path, Reason: describe(err)}
	}
	if err := s.repairDeferred(ctx); err != nil {
		sqldb.Close()
		return nil, &PathError{Path: path, Reason: describe(err)}
	}
	if err := s.installAggTriggers(ctx); err != nil { // summary_agg_triggers.go
		sqldb.Close()
		return nil, &PathError{Path: path, Reason: describe(err)}
	}
	return s, nil
}

// checkFile looks at the file before SQLite does, so that every refusal is
// a clear one-line message and nothing is written to a file we refuse.
func checkFile(path string, mustExist bool) (created bool, err error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if mustExist {
			return false, &PathError{Path: path, Reason: "no such database"}
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return false, &PathError{Path: path, Reason: "cannot create database: " + unwrapPathErr(err)}
		}
		f.Close()
		return true, nil
	case err != nil:
		return false, &PathError{Path: path, Reason: unwrapPathErr(err)}
	case fi.IsDir():
		return false, &PathError{Path: path, Reason: "is a directory, not a database file"}
	case !fi.Mode().IsRegular():
		return false, &PathError{Path: path, Reason: "is not a regular file"}
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return false, &PathError{Path: path, Reason: "is read-only; Rapport needs to write to its database (fix its permissions, or work on a copy)"}
		}
		return false, &PathError{Path: path, Reason: unwrapPathErr(err)}
	}
	defer f.Close()
	header := make([]byte, 16)
	n, err := io.ReadFull(f, header)
	if n == 0 && (err == io.EOF || err == nil) {
		return false, nil // empty file: becomes a new database
	}
	if n < 16 || !bytes.Equal(header, []byte("SQLite format 3\x00")) {
		return false, &PathError{Path: path, Reason: "is not a SQLite database (wrong file, or damaged?)"}
	}
	return false, nil
}

func unwrapPathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func removeDB(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(p)
	}
}

// Path is the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Close releases the database.
func (s *Store) Close() error {
	s.closeFeed()
	s.watch.close()
	s.facts.close()
	return s.db.Close()
}

// now returns the clock's time in UTC, truncated to milliseconds as stored.
func (s *Store) now() time.Time { return s.Now().UTC().Truncate(time.Millisecond) }

// write runs fn in one IMMEDIATE transaction (the DSN's _txlock), so a
// read-then-write inside fn never fails with "database is locked". A write
// made with a model.RecordActions context is kept as one undoable action
// of its agent (undo_store.go).
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := permitted(ctx); err != nil {
		return err
	}
	if tx := undoTx(ctx); tx != nil { // an undo or redo replaying a write path inside its own transaction
		return fn(tx)
	}
	if s.pinned != nil {
		return s.pinnedWrite(ctx, fn)
	}
	// Writers of this process queue here, in order, instead of in
	// SQLite's busy handler, which sleeps and retries and lets a late
	// writer overtake (seconds of tail latency with twenty sessions
	// writing). Other processes still wait on busy_timeout.
	s.writing.Lock()
	defer s.writing.Unlock()
	tx, err := s.beginWrite(ctx) // first_load_sink.go
	if err != nil {
		return s.translate(err)
	}
	if err := s.lockWrites(ctx, tx); err != nil {
		tx.Rollback()
		return s.translate(err)
	}
	if err := s.recorded(ctx, tx, fn); err != nil {
		tx.Rollback()
		return s.translate(err)
	}
	// A batch that made the triggers stand aside (bulk_load, migration 6)
	// and did not finish must not commit: everyone's aggregates and
	// indexes would stop being kept.
	var open bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM bulk_load)").Scan(&open); err != nil || open {
		tx.Rollback()
		if err == nil {
			err = errors.New("internal error: a batch write did not finish its deferred indexing; nothing was saved")
		}
		return translate(err)
	}
	if err := tx.Commit(); err != nil {
		return s.translate(err)
	}
	s.changed()
	return nil
}

// read runs fn in one read transaction, so its queries see one snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.pinned != nil {
		return translate(fn(s.pinned))
	}
	tx, err := s.db.BeginTx(ctx, s.d.readOptions())
	if err != nil {
		return s.translate(err)
	}
	defer tx.Rollback()
	return s.translate(fn(tx))
}

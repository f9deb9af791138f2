package db

import (
	"context"
	"database/sql"
	"sync"
)

// watcher holds one connection for PRAGMA data_version, whose value only
// means something when read on the same connection each time.
type watcher struct {
	mu      sync.Mutex
	conn    *sql.Conn
	version int64
}

// Changes tells whether another connection (another agent's process, or
// this one's other connections) committed since the last call, and how
// many audited changes agents other than agent made after audit row
// `since`; last is the newest audit row id, to pass next time. The first
// call only sets the baseline.
func (s *Store) Changes(ctx context.Context, agent string, since int64) (changed bool, byOthers int, last int64, err error) {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	if s.watch.conn == nil {
		if s.watch.conn, err = s.db.Conn(ctx); err != nil {
			return false, 0, since, translate(err)
		}
	}
	var v int64
	if err := s.watch.conn.QueryRowContext(ctx, s.d.dataVersionSQL()).Scan(&v); err != nil {
		return false, 0, since, translate(err)
	}
	first := s.watch.version == 0
	changed = !first && v != s.watch.version
	s.watch.version = v
	if err := s.watch.conn.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM audit").Scan(&last); err != nil {
		return false, 0, since, translate(err)
	}
	if changed {
		err = s.watch.conn.QueryRowContext(ctx, "SELECT count(*) FROM audit WHERE id > ? AND agent <> ? AND entity <> 'action'", since, agent).Scan(&byOthers)
	}
	return changed, byOthers, last, translate(err)
}

func (w *watcher) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn != nil {
		w.conn.Close()
		w.conn = nil
	}
}

package db

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// DefaultFeedPoll is how often the change feed looks for commits made by
// other processes. Commits made through this Store are announced at once.
const DefaultFeedPoll = 2 * time.Second

// feed is the store's change feed: one poller per Store, started by the
// first subscriber and stopped with the last, reads PRAGMA data_version on
// its own connection (the value only means something on one connection)
// and fans every change out to all subscribers. A commit through this
// Store kicks the poller, so sessions of one process see each other's
// writes at once; commits by other processes are seen within a poll, or
// at once on PostgreSQL, whose NOTIFY kicks it too (pg_listen.go).
type feed struct {
	mu     sync.Mutex
	subs   map[*subscription]struct{}
	kick   chan struct{} // a commit through this Store; capacity 1
	stop   chan struct{} // closes the running poller; nil when none runs
	done   chan struct{} // closed when the running poller has returned
	based  chan struct{} // closed once the running poller has read where the feed starts
	every  time.Duration
	closed bool
}

// SetFeedPoll changes how often the feed looks for other processes'
// commits (tests and servers); it applies to pollers started afterwards.
func (s *Store) SetFeedPoll(d time.Duration) {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	s.feed.every = d
}

// Subscribe starts one subscriber's view of the change feed. Close it when
// done; the store's Close closes every subscription.
func (s *Store) Subscribe(ctx context.Context) (model.Subscription, error) {
	f := &s.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, model.ErrClosed
	}
	if f.subs == nil {
		f.subs = map[*subscription]struct{}{}
		f.kick = make(chan struct{}, 1)
	}
	sub := &subscription{store: s, ready: make(chan struct{}, 1), closed: make(chan struct{})}
	f.subs[sub] = struct{}{}
	if f.stop == nil {
		every := f.every
		if every <= 0 {
			every = DefaultFeedPoll
			if s.d.pg {
				every = DefaultPGFeedPoll // NOTIFY wakes the feed at once (pg_listen.go)
			}
		}
		f.stop, f.done, f.based = make(chan struct{}), make(chan struct{}), make(chan struct{})
		go s.pollFeed(f.stop, f.done, f.based, every)
	}
	// The first Next reports the first change after Subscribe returns: a
	// new poller must have read its baseline first, or a write made right
	// after would be taken into it and never announced. The baseline does
	// not take f.mu; a database too busy to read it in time is retried at
	// the poller's next tick.
	select {
	case <-f.based:
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
	}
	return sub, nil
}

// changed kicks the poller after a commit through this Store.
func (s *Store) changed() {
	f := &s.feed
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stop == nil {
		return
	}
	select {
	case f.kick <- struct{}{}:
	default: // a kick is already pending; it will see this commit too
	}
}

// closeFeed ends every subscription and waits for the poller.
func (s *Store) closeFeed() {
	f := &s.feed
	f.mu.Lock()
	f.closed = true
	for sub := range f.subs {
		sub.shut()
	}
	f.subs = nil
	done := f.stopLocked()
	f.mu.Unlock()
	if done != nil {
		<-done
	}
}

// stopLocked tells the poller to stop and returns what to wait on.
func (f *feed) stopLocked() chan struct{} {
	if f.stop == nil {
		return nil
	}
	close(f.stop)
	done := f.done
	f.stop, f.done = nil, nil
	return done
}

// pollFeed is the one poller of a Store.
func (s *Store) pollFeed(stop, done, based chan struct{}, every time.Duration) {
	defer close(done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	if s.d.pg { // other sessions' commits arrive as notifications (pg_listen.go)
		listening := s.listenPG(ctx)
		defer func() { cancel(); <-listening }()
	}
	var (
		conn      *sql.Conn
		version   int64
		lastAudit int64
		ready     bool
	)
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	// baseline reads where the feed starts; a failure (busy, closing) is
	// retried at the next tick.
	check := func() {
		if conn == nil {
			c, err := s.db.Conn(ctx)
			if err != nil {
				return
			}
			conn = c
		}
		var v int64
		if err := conn.QueryRowContext(ctx, s.d.dataVersionSQL()).Scan(&v); err != nil {
			conn.Close()
			conn, ready = nil, false // a new connection needs a new baseline
			return
		}
		if !ready {
			if err := conn.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM audit").Scan(&lastAudit); err != nil {
				return
			}
			if !ready && based != nil {
				close(based)
				based = nil
			}
			version, ready = v, true
			return
		}
		if v == version {
			return
		}
		ev, err := auditSince(ctx, conn, lastAudit)
		if err != nil {
			return // the next check tries again from the same place
		}
		version = v
		if ev.LastAudit == 0 {
			ev.LastAudit = lastAudit
		}
		lastAudit = ev.LastAudit
		s.publish(ev)
	}
	check()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		case <-s.feed.kick:
		}
		check()
	}
}

// auditSince tallies the audit rows after id by agent and entity. The
// tally is grouped, so a large import costs one scan, not one row each.
func auditSince(ctx context.Context, conn *sql.Conn, id int64) (model.Event, error) {
	ev := model.Event{ByAgent: map[string]int{}, Entities: map[string]int{}}
	rows, err := conn.QueryContext(ctx,
		"SELECT agent, entity, count(*), max(id) FROM audit WHERE id > ? GROUP BY agent, entity", id)
	if err != nil {
		return ev, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var agent, entity string
		var n int
		var last int64
		if err := rows.Scan(&agent, &entity, &n, &last); err != nil {
			return ev, translate(err)
		}
		ev.LastAudit = max(ev.LastAudit, last)
		if entity == "action" { // the undo stack's bookkeeping of a change already counted (undo_store.go)
			continue
		}
		ev.ByAgent[agent] += n
		ev.Entities[entity] += n
	}
	return ev, translate(rows.Err())
}

// publish hands an event to every subscriber without waiting for any.
func (s *Store) publish(ev model.Event) {
	s.feed.mu.Lock()
	defer s.feed.mu.Unlock()
	for sub := range s.feed.subs {
		sub.add(ev)
	}
}

// subscription is one subscriber's pending news.
type subscription struct {
	store   *Store
	mu      sync.Mutex
	pending model.Event
	has     bool
	ready   chan struct{} // capacity 1: there is pending news
	closed  chan struct{}
	once    sync.Once
}

func (sub *subscription) add(ev model.Event) {
	sub.mu.Lock()
	sub.pending.Merge(ev)
	sub.has = true
	sub.mu.Unlock()
	select {
	case sub.ready <- struct{}{}:
	default:
	}
}

func (sub *subscription) Next(ctx context.Context) (model.Event, error) {
	for {
		select {
		case <-sub.closed:
			return model.Event{}, model.ErrClosed
		case <-ctx.Done():
			return model.Event{}, ctx.Err()
		case <-sub.ready:
		}
		sub.mu.Lock()
		ev, has := sub.pending, sub.has
		sub.pending, sub.has = model.Event{}, false
		sub.mu.Unlock()
		if has {
			return ev, nil
		}
	}
}

// Close leaves the feed; the last subscriber to leave stops the poller.
func (sub *subscription) Close() error {
	f := &sub.store.feed
	f.mu.Lock()
	var done chan struct{}
	if _, ok := f.subs[sub]; ok {
		delete(f.subs, sub)
		if len(f.subs) == 0 {
			done = f.stopLocked()
		}
	}
	f.mu.Unlock()
	sub.shut()
	if done != nil {
		<-done
	}
	return nil
}

func (sub *subscription) shut() { sub.once.Do(func() { close(sub.closed) }) }

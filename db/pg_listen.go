package db

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// On PostgreSQL the change feed is woken by the server: every write
// transaction bumps rapport_meta.data_version and, in the same
// transaction, sends a NOTIFY on pgChannel, which the server delivers
// when (and only if) the transaction commits. Each Store's feed poller
// keeps one dedicated pgx connection that LISTENs on the channel and kicks
// the poller on every notification, so a session on any host sees another
// host's commit within a round trip. The poller still reads data_version
// and the audit rows as on SQLite (a notification only says "look now"),
// and still polls, slowly (DefaultPGFeedPoll), as a safety net.
//
// The listening connection is reconnected when it drops (the server
// restarted, an administrator ended the backend), with a growing pause
// between failed attempts, never a busy loop; the subscribers keep their
// subscriptions throughout, and the poller is kicked once each time the
// LISTEN is (re-)established, to catch a commit made while nobody was
// listening.

// pgChannel is the NOTIFY channel of Rapport's commits. Notifications are
// per database, so two Rapport databases on one server do not hear each
// other.
const pgChannel = "rapport_changes"

// DefaultPGFeedPoll is the feed's safety-net poll on PostgreSQL, where
// LISTEN/NOTIFY announces other processes' commits at once.
const DefaultPGFeedPoll = 15 * time.Second

// Pauses between attempts to (re)connect the listening connection.
const (
	pgListenRetryFirst = 250 * time.Millisecond
	pgListenRetryMax   = 30 * time.Second
	// pgListenIdle is how long the listener waits for a notification
	// before it pings the server, to find a connection that died without
	// a word (a host gone from the network).
	pgListenIdle = 60 * time.Second
)

// pgCommitted counts a PostgreSQL write transaction in data_version and
// notifies every listening session, in one statement inside tx: the
// notification goes out when tx commits and is dropped if it rolls back.
// The payload is the new data_version (information only).
func pgCommitted(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `WITH v AS (UPDATE rapport_meta SET data_version = data_version + 1 RETURNING data_version)
		SELECT pg_notify('`+pgChannel+`', data_version::text) FROM v`)
	return err
}

// pgListener is what tests observe of a Store's listening connection.
type pgListener struct {
	pid      atomic.Uint32 // the listening backend's process id; 0 while not listening
	notified atomic.Int64  // notifications received
	listens  atomic.Int64  // LISTENs established (1 + reconnections)
}

// listenPG runs the listening connection until ctx ends, kicking the
// feed's poller on every notification. The returned channel is closed
// when it has stopped and closed its connection.
func (s *Store) listenPG(ctx context.Context) <-chan struct{} {
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		defer s.listener.pid.Store(0)
		pause := pgListenRetryFirst
		for ctx.Err() == nil {
			if s.listenOnce(ctx) {
				pause = pgListenRetryFirst // it was up: retry soon
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
			pause = min(2*pause, pgListenRetryMax)
		}
	}()
	return stopped
}

// listenOnce connects, LISTENs and forwards notifications until the
// connection fails or ctx ends. It tells whether the LISTEN was
// established.
func (s *Store) listenOnce(ctx context.Context) (listened bool) {
	cfg, err := pgx.ParseConfig(s.dsn)
	if err != nil {
		return false
	}
	cfg.RuntimeParams["application_name"] = "rapport feed"
	connectCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.ConnectConfig(connectCtx, cfg)
	cancel()
	if err != nil {
		return false
	}
	defer func() {
		s.listener.pid.Store(0)
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgChannel); err != nil {
		return false
	}
	s.listener.pid.Store(conn.PgConn().PID())
	s.listener.listens.Add(1)
	// Commits made before the LISTEN (at start, or while reconnecting)
	// sent notifications nobody heard: look once now.
	s.changed()
	for {
		waitCtx, cancel := context.WithTimeout(ctx, pgListenIdle)
		_, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			s.listener.notified.Add(1)
			s.changed()
		case ctx.Err() != nil:
			return true
		case pgconn.Timeout(err) && !conn.IsClosed():
			pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err := conn.Ping(pingCtx)
			cancel()
			if err != nil {
				return true
			}
		default: // the connection is gone
			return true
		}
	}
}

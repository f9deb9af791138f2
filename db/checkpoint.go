package db

import (
	"context"
	"database/sql"
)

// checkpointer folds the write-ahead log into the database file after
// writes, on its own goroutine. SQLite's automatic checkpoint (turned off
// in the DSN) would run inside the commit of whichever write crossed 1,000
// pages, so an agent's bulk edit or recall waited for pages other writes
// had left; here the commit returns once the log is written, and a
// PASSIVE checkpoint, which never blocks writers or readers, copies the
// pages soon after. Several writes in a row share one checkpoint.
type checkpointer struct {
	kick chan struct{}
	done chan struct{}
}

func startCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{kick: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for range c.kick {
			// An error (busy, closed) leaves the pages for the next one.
			db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		}
	}()
	return c
}

// wrote asks for a checkpoint without waiting for it.
func (c *checkpointer) wrote() {
	if c == nil {
		return
	}
	select {
	case c.kick <- struct{}{}:
	default: // one is already due
	}
}

// stop waits for a running checkpoint and ends the goroutine.
func (c *checkpointer) stop() {
	if c == nil {
		return
	}
	close(c.kick)
	<-c.done
}

package model

import (
	"context"
	"errors"
)

// Event is what a change-feed subscriber hears: that the database changed
// since its previous event, and which audited changes that was. Events a
// subscriber has not read yet are merged, so a slow reader loses nothing
// and never blocks the writers.
type Event struct {
	// ByAgent counts the audited changes per agent.
	ByAgent map[string]int
	// Entities counts the audited changes per entity (customer, feedback,
	// followup, …).
	Entities map[string]int
	// LastAudit is the newest audit row id the event covers.
	LastAudit int64
}

// ByOthers counts the audited changes made by agents other than agent.
func (e Event) ByOthers(agent string) int {
	n := 0
	for a, c := range e.ByAgent {
		if a != agent {
			n += c
		}
	}
	return n
}

// Merge adds a later event into e.
func (e *Event) Merge(o Event) {
	if e.ByAgent == nil {
		e.ByAgent = map[string]int{}
	}
	if e.Entities == nil {
		e.Entities = map[string]int{}
	}
	for a, c := range o.ByAgent {
		e.ByAgent[a] += c
	}
	for k, c := range o.Entities {
		e.Entities[k] += c
	}
	e.LastAudit = max(e.LastAudit, o.LastAudit)
}

// Subscription is one subscriber's view of a change feed: each TUI and
// each served session has its own, so nobody consumes another's news.
type Subscription interface {
	// Next waits for the next change (all changes since the previous Next,
	// merged) or until ctx ends or the subscription is closed.
	Next(ctx context.Context) (Event, error)
	// Close ends the subscription; a waiting Next returns ErrClosed.
	Close() error
}

// ErrClosed: the subscription or the store it listens to was closed.
var ErrClosed = errors.New("change feed closed")

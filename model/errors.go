package model

import (
	"errors"
	"time"
)

// Errors that cross package boundaries. The store translates driver errors
// into these so that the UI and the CLI can word them for a person and pick
// an exit code without knowing which database is underneath.
var (
	// ErrNotFound: the record asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrStale: the record changed since the version the caller read.
	ErrStale = errors.New("changed by someone else since you loaded it")
	// ErrBusy: the database stayed locked by another writer for too long.
	ErrBusy = errors.New("database is busy (another agent is writing); try again")
	// ErrConflict: a uniqueness or reference rule would be broken.
	ErrConflict = errors.New("conflicts with an existing record")
	// ErrInvalid: a value is outside what the domain allows.
	ErrInvalid = errors.New("invalid value")
)

// StaleError says who changed a record, and to which version, when a write
// named an older version.
type StaleError struct {
	Entity  string
	ID      int64
	Want    int64 // version the caller named
	Have    int64 // version now stored
	ByAgent string
	// Changes made since Want, oldest first, so a conflict view can say
	// who changed what: field, old → new, agent, when.
	Changes []Change
}

// Change is one field of one recorded write.
type Change struct {
	At       time.Time
	Agent    string
	Field    string
	Old, New string
}

func (e *StaleError) Error() string {
	msg := e.Entity + " changed since you loaded it"
	if e.ByAgent != "" {
		msg += " (by " + e.ByAgent + ")"
	}
	return msg
}

// Unwrap lets errors.Is(err, ErrStale) match.
func (e *StaleError) Unwrap() error { return ErrStale }

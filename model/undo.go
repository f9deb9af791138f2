package model

import (
	"context"
	"sync"
	"time"
)

// Action is one write an agent made from the TUI, as the activity view and
// undo/redo see it: the audit rows one transaction wrote, kept together.
type Action struct {
	ID       int64 // the first audit row the action wrote
	At       time.Time
	Agent    string
	Kind     string // classify, snooze, reassign, done, reopen, follow-up, note, lifecycle, tags, edit, feedback, customer, other
	Entity   string // customer | feedback | followup | note | …
	EntityID int64  // the first record it changed
	Items    int    // how many records it changed
	Summary  string // "status → resolved", "due → Mon 11-23 09:00"
	Label    string // whose: a customer's name, a feedback's subject
	Customer int64  // the customer whose record it is (0: none or several)
	State    ActionState
	Undos    int    // times it was undone
	Reason   string // why it cannot be undone; "" when it can
}

// ActionState is where an action stands on its agent's undo stack.
type ActionState string

const (
	ActionDone   ActionState = "done"
	ActionUndone ActionState = "undone"
	ActionRedone ActionState = "redone"
)

// ActionPage is one window of an agent's actions, newest first.
type ActionPage struct {
	Rows    []Action
	HasMore bool
}

// UndoError is an undo or redo refused, with the reason in words and the
// agent whose later change is in the way (if that is the reason).
type UndoError struct {
	Reason  string
	ByAgent string
}

func (e *UndoError) Error() string { return e.Reason }

// Unwrap lets errors.Is(err, ErrConflict) match.
func (e *UndoError) Unwrap() error { return ErrConflict }

type recordKey struct{}

// RecordActions marks ctx so that every write made with it is kept as one
// action on the writing agent's undo stack (the TUI's writes).
func RecordActions(ctx context.Context) context.Context {
	return context.WithValue(ctx, recordKey{}, true)
}

// WithoutActions unmarks ctx: long jobs (imports, recalls) are not
// single actions to undo.
func WithoutActions(ctx context.Context) context.Context {
	return context.WithValue(ctx, recordKey{}, false)
}

// RecordsActions reports whether writes made with ctx are kept for undo.
func RecordsActions(ctx context.Context) bool {
	v, _ := ctx.Value(recordKey{}).(bool)
	return v
}

// ActionGroup gathers the writes of one command made in several
// transactions (a bulk reassign of follow-ups one by one, done with an
// outcome note) into one action to undo.
type ActionGroup struct {
	mu sync.Mutex
	id int64
}

// ID is the action the group's writes join (0 before the first).
func (g *ActionGroup) ID() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.id
}

// Start names the action the next writes join.
func (g *ActionGroup) Start(id int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.id = id
}

type groupKey struct{}

// OneAction marks ctx so that every write made with it joins one action;
// make a new one for each command.
func OneAction(ctx context.Context) context.Context {
	return context.WithValue(ctx, groupKey{}, &ActionGroup{})
}

// GroupOf is the action group of ctx, or nil.
func GroupOf(ctx context.Context) *ActionGroup {
	g, _ := ctx.Value(groupKey{}).(*ActionGroup)
	return g
}

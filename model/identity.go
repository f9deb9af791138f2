package model

import (
	"errors"
	"fmt"
	"strings"
)

// ErrDuplicate: a write would give a customer the e-mail (case-folded) or
// the phone digits of another customer. One person is one customer; two
// records of one person are merged, not kept side by side.
var ErrDuplicate = errors.New("another customer already has it")

// DuplicateError names the customer who already holds an e-mail or phone.
// It is also an ErrInvalid, so the command line exits 2.
type DuplicateError struct {
	Field string // "email" or "phone"
	Value string // as the write gave it
	ID    int64  // the customer holding it; 0 when only the index knew
	Name  string
}

func (e *DuplicateError) Error() string {
	what := e.Field
	if e.Field == "email" {
		what = "e-mail"
	}
	if v := CleanLine(e.Value); v != "" {
		what += " " + v
	}
	if e.ID == 0 {
		return what + " belongs to another customer"
	}
	who := fmt.Sprintf("customer %d", e.ID)
	if n := strings.TrimSpace(CleanLine(e.Name)); n != "" {
		who += " (" + n + ")"
	}
	return what + " belongs to " + who + "; open that customer, or merge the two"
}

// Unwrap lets errors.Is match both ErrDuplicate and ErrInvalid.
func (e *DuplicateError) Unwrap() []error { return []error{ErrDuplicate, ErrInvalid} }

// AmbiguousError: a reference (an e-mail or a phone) matches more than one
// customer, as databases from before the identity rule may hold. Nothing
// picks one of them silently.
type AmbiguousError struct {
	Ref string
	IDs []int64
}

func (e *AmbiguousError) Error() string {
	ids := make([]string, len(e.IDs))
	for i, id := range e.IDs {
		ids[i] = fmt.Sprint(id)
	}
	msg := fmt.Sprintf("%q matches customers %s; give an id", CleanLine(e.Ref), strings.Join(ids, ", "))
	if len(e.IDs) == 2 {
		msg += fmt.Sprintf(", or merge them (rapport customers merge %d %d)", e.IDs[1], e.IDs[0])
	}
	return msg
}

// Unwrap: an ambiguous reference is a usage error (exit 2).
func (e *AmbiguousError) Unwrap() error { return ErrInvalid }

package model

import (
	"fmt"
	"strings"
	"time"
)

// Note is free text an agent wrote on a customer's profile.
type Note struct {
	ID         int64
	CustomerID int64
	Agent      string
	Body       string
	CreatedAt  time.Time
}

// Validate refuses empty notes.
func (n *Note) Validate() error {
	if n.CustomerID <= 0 {
		return fmt.Errorf("%w: a note needs a customer", ErrInvalid)
	}
	if strings.TrimSpace(n.Body) == "" {
		return fmt.Errorf("%w: empty note", ErrInvalid)
	}
	return nil
}

// FollowUp is a promise to get back to a customer by a time.
type FollowUp struct {
	ID           int64
	CustomerID   int64
	CustomerName string
	// CustomerLabel is what a list shows for the customer (Customer.Label).
	CustomerLabel string
	FeedbackID    *int64
	Assignee      string
	Due           time.Time
	Note          string
	Status        FollowUpStatus
	Campaign      string
	CreatedBy     string
	CreatedAt     time.Time
	DoneAt        *time.Time
	Version       int64
}

// Validate checks the parts every follow-up needs.
func (f *FollowUp) Validate() error {
	if f.CustomerID <= 0 {
		return fmt.Errorf("%w: a follow-up needs a customer", ErrInvalid)
	}
	if f.Due.IsZero() {
		return fmt.Errorf("%w: a follow-up needs a due time", ErrInvalid)
	}
	if strings.TrimSpace(f.Assignee) == "" {
		return fmt.Errorf("%w: a follow-up needs an assignee", ErrInvalid)
	}
	if f.Status != "" && f.Status != FollowUpOpen && f.Status != FollowUpDone {
		return fmt.Errorf("%w: unknown follow-up status %q", ErrInvalid, f.Status)
	}
	return nil
}

// Tag is a free label on customers or feedback.
type Tag struct {
	ID   int64
	Name string
}

// Category is a node of the two-level complaint taxonomy (Billing › Refund).
type Category struct {
	ID       int64
	ParentID *int64
	Name     string
	Path     string // "Billing/Refund"
}

// SplitCategoryPath splits "Parent/Child" into at most two trimmed parts.
func SplitCategoryPath(path string) ([]string, error) {
	parts := strings.Split(path, "/")
	if len(parts) > 2 {
		return nil, fmt.Errorf("%w: category %q has more than two levels", ErrInvalid, path)
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			return nil, fmt.Errorf("%w: category %q has an empty part", ErrInvalid, path)
		}
	}
	return parts, nil
}

// TimelineEntry is one line of a profile's history, newest first.
type TimelineEntry struct {
	At      time.Time
	Type    string // feedback | note | followup | change
	ID      int64
	Agent   string
	Summary string
	// Score fields let the profile draw a sparkline from feedback entries.
	CSAT *int
	NPS  *int
}

// ScorePoint is one CSAT or NPS answer in time, for sparklines.
type ScorePoint struct {
	At   time.Time
	CSAT *int
	NPS  *int
}

package model

import (
	"fmt"
	"strings"
)

// Lifecycle is a customer's stage in the user-operations funnel (生命周期).
type Lifecycle string

const (
	LifecycleNew       Lifecycle = "new"
	LifecycleActivated Lifecycle = "activated"
	LifecycleRetained  Lifecycle = "retained"
	LifecyclePaying    Lifecycle = "paying"
	LifecycleReferrer  Lifecycle = "referrer"
	LifecycleAtRisk    Lifecycle = "at_risk"
	LifecycleChurned   Lifecycle = "churned"
)

// Lifecycles lists the stages in funnel order.
var Lifecycles = []Lifecycle{LifecycleNew, LifecycleActivated, LifecycleRetained,
	LifecyclePaying, LifecycleReferrer, LifecycleAtRisk, LifecycleChurned}

// Kind says what a piece of feedback is.
type Kind string

const (
	KindFeedback  Kind = "feedback"
	KindComplaint Kind = "complaint"
	KindPraise    Kind = "praise"
	KindQuestion  Kind = "question"
	KindRequest   Kind = "request"
)

// Kinds lists every feedback kind.
var Kinds = []Kind{KindFeedback, KindComplaint, KindPraise, KindQuestion, KindRequest}

// Status is where a piece of feedback stands in its handling.
type Status string

const (
	StatusOpen     Status = "open"
	StatusPending  Status = "pending"
	StatusResolved Status = "resolved"
	StatusClosed   Status = "closed"
)

// Statuses lists every feedback status.
var Statuses = []Status{StatusOpen, StatusPending, StatusResolved, StatusClosed}

// Priority orders feedback by urgency.
type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists every priority, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// FollowUpStatus is the state of a promise made to a customer.
type FollowUpStatus string

const (
	FollowUpOpen FollowUpStatus = "open"
	FollowUpDone FollowUpStatus = "done"
)

func parseEnum[T ~string](what, s string, all []T) (T, error) {
	v := T(strings.ToLower(strings.TrimSpace(s)))
	for _, a := range all {
		if a == v {
			return v, nil
		}
	}
	names := make([]string, len(all))
	for i, a := range all {
		names[i] = string(a)
	}
	var zero T
	return zero, fmt.Errorf("%w: unknown %s %q (expected one of %s)", ErrInvalid, what, s, strings.Join(names, ", "))
}

// ParseLifecycle accepts a lifecycle name in any case.
func ParseLifecycle(s string) (Lifecycle, error) { return parseEnum("lifecycle", s, Lifecycles) }

// ParseKind accepts a feedback kind in any case.
func ParseKind(s string) (Kind, error) { return parseEnum("kind", s, Kinds) }

// ParseStatus accepts a feedback status in any case.
func ParseStatus(s string) (Status, error) { return parseEnum("status", s, Statuses) }

// ParsePriority accepts a priority in any case.
func ParsePriority(s string) (Priority, error) { return parseEnum("priority", s, Priorities) }

package model

import (
	"fmt"
	"time"
)

// CustomerSort names a column the Customers list can be ordered by. Each has
// an index in the store so that any page is a short index range scan.
type CustomerSort string

const (
	SortName          CustomerSort = "name"
	SortCompany       CustomerSort = "company"
	SortPlan          CustomerSort = "plan"
	SortLifecycle     CustomerSort = "lifecycle"
	SortCSAT          CustomerSort = "csat_avg"
	SortLastContact   CustomerSort = "last_contact"
	SortFollowupsOpen CustomerSort = "followups_open"
	SortLTV           CustomerSort = "ltv"
	SortID            CustomerSort = "id"
)

// CustomerSorts lists the sortable columns in the order the UI cycles them.
var CustomerSorts = []CustomerSort{SortName, SortCompany, SortPlan, SortLifecycle,
	SortCSAT, SortLastContact, SortFollowupsOpen, SortLTV, SortID}

// ParseCustomerSort accepts "name" or "name:desc".
func ParseCustomerSort(s string) (CustomerSort, bool, error) {
	desc := false
	if n := len(s); n > 5 && s[n-5:] == ":desc" {
		s, desc = s[:n-5], true
	} else if n > 4 && s[n-4:] == ":asc" {
		s = s[:n-4]
	}
	if s == "last_contact_at" {
		s = string(SortLastContact)
	}
	for _, c := range CustomerSorts {
		if string(c) == s {
			return c, desc, nil
		}
	}
	return "", false, fmt.Errorf("%w: cannot sort by %q", ErrInvalid, s)
}

// Cursor marks a row's place in a sorted list: the sort key and the id that
// breaks ties. Lists page by cursor (keyset), never by OFFSET, so the last
// page of a million rows costs what the first does.
type Cursor struct {
	Key any // string, float64 or int64, as the store returned it
	ID  int64
}

// CustomerQuery asks for one page of customers.
type CustomerQuery struct {
	Search    string // substring of name, email, phone or company
	Tag       string
	Lifecycle Lifecycle
	// Where is a segment expression (see ParseSegment) the customers must
	// match; a mistake in it comes back as a *SegmentError.
	Where string
	Sort  CustomerSort
	Desc  bool
	Limit int // rows per page; 0 means the store's default
	// After asks for the rows after this cursor; Before for the rows before
	// it (returned in list order). Last asks for the final page.
	After  *Cursor
	Before *Cursor
	Last   bool
	Offset int // for the CLI; the UI pages by cursor
}

// CustomerPage is one window of a customer list.
type CustomerPage struct {
	Rows []Customer
	// Cursors of each row, so the UI can ask for the next or previous page.
	Cursors []Cursor
	// HasMore: rows exist beyond this page in the direction asked.
	HasMore bool
}

// FeedbackQuery asks for feedback, newest first.
type FeedbackQuery struct {
	CustomerID int64
	Status     Status
	Kind       Kind
	Channel    string
	Tag        string
	Category   string // path; a parent ("Billing") matches its children
	Agent      string
	Search     string // full text over subject and body
	// Attrs keeps feedback whose attribute NAME is the value, each pair:
	// the item's own attribute, or, when it has none, its customer's
	// (the value summary --by attr.NAME groups it under).
	Attrs map[string]string
	// Triage puts open, unclassified items first (the Inbox default).
	Triage bool
	Limit  int
	Offset int
	// Cursor paging for windowed lists, newest first (see CustomerQuery).
	After  *Cursor
	Before *Cursor
	Last   bool
}

// FeedbackPage is one window of the feedback list, newest first.
type FeedbackPage struct {
	Rows    []Feedback
	Cursors []Cursor
	HasMore bool
}

// Stats are the counts the status bar shows.
type Stats struct {
	Customers     int
	Feedback      int
	OpenFollowups int
	Overdue       int // open follow-ups past due for the agent
	DueToday      int // the agent's open follow-ups due later today (local time)
}

// FollowUpState names a section of the follow-up queue.
type FollowUpState string

const (
	StateOverdue  FollowUpState = "overdue"
	StateToday    FollowUpState = "today"
	StateUpcoming FollowUpState = "upcoming"
	StateOpen     FollowUpState = "open"
	StateDone     FollowUpState = "done"
	StateAll      FollowUpState = "all"
)

// FollowUpStates lists the queue's sections in the order the UI shows them.
var FollowUpStates = []FollowUpState{StateOverdue, StateToday, StateUpcoming, StateDone}

// FollowUpQuery asks for one page of the follow-up queue. Open sections
// are ordered by due time, soonest first; done ones most recent first.
type FollowUpQuery struct {
	Assignee string // "" = everyone's
	State    FollowUpState
	Now      time.Time // what "overdue" is measured against
	DayEnd   time.Time // end of the local day: "today" is [Now, DayEnd)
	Limit    int
	After    *Cursor
	Before   *Cursor
	Last     bool
}

// FollowUpPage is one window of the queue.
type FollowUpPage struct {
	Rows    []FollowUp
	Cursors []Cursor
	HasMore bool
}

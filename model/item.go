package model

import "time"

// FeedbackDetail is everything the item view shows about one feedback
// item: the item itself (with its imported attributes), the follow-ups
// promised on it and its history from the audit log, newest first.
type FeedbackDetail struct {
	Feedback  Feedback
	FollowUps []FollowUp
	History   []ItemChange
}

// ItemChange is one line of an item's history: who did what, when,
// worded for people ("status: open → resolved").
type ItemChange struct {
	At      time.Time
	Agent   string
	Action  string // create | update | note | ...
	Summary string
}

// TimelineItem is the full text behind one timeline line that is not a
// feedback item: a note or a follow-up, with its history.
type TimelineItem struct {
	Type     string // note | followup
	ID       int64
	Note     *Note
	FollowUp *FollowUp
	History  []ItemChange
}

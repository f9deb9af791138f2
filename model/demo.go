package model

import "time"

// DemoSource is a reproducible demo data set (package demo makes one from
// a seed): what a store creates first, then the rows it streams.
type DemoSource interface {
	// DemoSetup is known before any row: the taxonomy, tags and saved
	// segments the rows refer to, and the sizes.
	DemoSetup() DemoSetup
	// Generate hands every row to sink once, in this order: customers by
	// id, feedback by id (time order), follow-ups, notes. The values are
	// the generator's and reused after each call; an error from sink stops
	// the generation and is returned.
	Generate(sink DemoSink) error
}

// DemoSetup describes a demo data set before its rows.
type DemoSetup struct {
	Seed int64
	Now  time.Time // "today" for the data
	// Categories are taxonomy paths ("Billing/Refund"); a parent comes
	// from the part before the slash.
	Categories                            []string
	Tags                                  []string
	Segments                              []Segment
	Customers, Feedback, FollowUps, Notes int
}

// DemoSink receives the generated rows. Ids are set by the generator
// (1, 2, … per kind), and feedback and follow-ups carry the time they
// were last updated, which the domain values do not hold.
type DemoSink interface {
	// DemoCustomer takes one customer, in id order, before any feedback.
	DemoCustomer(c *Customer) error
	// DemoFeedback takes one feedback item of a customer already given.
	DemoFeedback(f *Feedback, updatedAt time.Time) error
	// DemoFollowUp takes one follow-up, after all feedback.
	DemoFollowUp(f *FollowUp, updatedAt time.Time) error
	// DemoNote takes one note, last.
	DemoNote(n *Note) error
}

package model

import "time"

// RecallRequest asks for one open follow-up for every member of a
// segment (召回): by saved segment name or by expression, due at Due,
// assigned to one agent or round-robin over several.
type RecallRequest struct {
	Segment   string // a saved segment's name, or
	Where     string // a segment expression
	Due       time.Time
	Assignees []string // none: the agent making the campaign
	Note      string
	Campaign  string
}

// RecallResult counts what a recall did: members that already have an
// open follow-up in the campaign are skipped, so running it again
// creates nothing.
type RecallResult struct {
	Members int `json:"-"`
	Created int `json:"created"`
	Skipped int `json:"skipped"`
}

// CampaignProgress is how far a recall campaign has got.
type CampaignProgress struct {
	Name     string    `json:"campaign"`
	Open     int       `json:"open"`
	Done     int       `json:"done"`
	Overdue  int       `json:"overdue"`
	FirstDue time.Time `json:"first_due"`
	LastDue  time.Time `json:"last_due"`
}

// Total is every follow-up of the campaign.
func (c CampaignProgress) Total() int { return c.Open + c.Done }

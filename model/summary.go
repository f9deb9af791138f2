package model

import "time"

// SummaryDimensions are the values Summary accepts for By, besides
// attr.NAME and "" (overall figures only). Customer dimensions group
// feedback by its customer, feedback dimensions by the feedback itself.
var SummaryDimensions = []string{"plan", "region", "city", "lifecycle", "language",
	"channel", "kind", "category", "tag", "agent", "source", "month", "week"}

// SummaryNone is the group of feedback whose dimension has no value.
const SummaryNone = "(none)"

// SummaryQuery asks for satisfaction figures over feedback.
type SummaryQuery struct {
	By       string    // a SummaryDimensions entry, attr.NAME, or "" for none
	Segments bool      // group by saved segment instead of By
	Where    string    // segment expression on the feedback's customer
	Since    time.Time // feedback created at or after (zero: no bound)
	Until    time.Time // feedback created before (zero: no bound)
	Trend    string    // "week", "month" or "" for none
}

// Summary is the overall figures and one row per group, largest first.
type Summary struct {
	By      string         `json:"by"`
	Overall GroupFigures   `json:"overall"`
	Groups  []GroupFigures `json:"groups"`
}

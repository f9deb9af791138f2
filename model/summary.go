package model

import (
	"sort"
	"time"
)

// DimOf says what a summary dimension groups feedback by.
type DimOf int

const (
	OfCustomer DimOf = iota // a column of the feedback's customer
	OfFeedback              // a column of the feedback itself
	OfTags                  // each of the customer's tags (a feedback counts once in each)
	OfPeriod                // the month or ISO week the feedback was created in
)

// SummaryDim is one dimension Insights can group by.
type SummaryDim struct {
	Name string
	Of   DimOf
}

// SummaryDims is the one list of dimensions: the CLI's summary --by, the
// TUI's Insights and the store (SQL scan and columnar snapshot) all read
// it. attr.NAME and saved segments come on top.
var SummaryDims = []SummaryDim{
	{"plan", OfCustomer}, {"region", OfCustomer}, {"city", OfCustomer}, {"lifecycle", OfCustomer},
	{"language", OfCustomer}, {"channel", OfFeedback}, {"kind", OfFeedback}, {"category", OfFeedback},
	{"tag", OfTags}, {"agent", OfFeedback}, {"source", OfFeedback}, {"month", OfPeriod}, {"week", OfPeriod},
}

// SummaryDimensions are the values Summary accepts for By, besides
// attr.NAME and "" (overall figures only), in SummaryDims' order.
var SummaryDimensions = func() []string {
	out := make([]string, len(SummaryDims))
	for i, d := range SummaryDims {
		out[i] = d.Name
	}
	return out
}()

// LookupDim finds a dimension of SummaryDims by name.
func LookupDim(name string) (SummaryDim, bool) {
	for _, d := range SummaryDims {
		if d.Name == name {
			return d, true
		}
	}
	return SummaryDim{}, false
}

// SummaryAll is the key of the overall figures.
const SummaryAll = "(all)"

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
	// Bands groups an attribute's values into ranges (attr.age by 20–29,
	// a date by month) when they are all numbers or all dates; see Bands.
	Bands bool
}

// Summary is the overall figures and one row per group, largest first.
type Summary struct {
	By      string         `json:"by"`
	Overall GroupFigures   `json:"overall"`
	Groups  []GroupFigures `json:"groups"`
	// Banded says the groups are ranges of the attribute's values.
	Banded bool `json:"banded,omitempty"`
}

// Finish flags the overall row and each group against it, and orders the
// groups, largest first (then by key).
func (s *Summary) Finish() {
	s.Overall.Flag = FlagGroup(s.Overall, s.Overall)
	for i := range s.Groups {
		s.Groups[i].Flag = FlagGroup(s.Groups[i], s.Overall)
	}
	sort.SliceStable(s.Groups, func(i, j int) bool {
		a, b := s.Groups[i], s.Groups[j]
		if a.FeedbackN != b.FeedbackN {
			return a.FeedbackN > b.FeedbackN
		}
		return a.Key < b.Key
	})
}

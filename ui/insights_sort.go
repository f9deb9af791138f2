package ui

import (
	"sort"

	"github.com/rapportcrm/rapport/model"
)

// Insights' row order: `o` cycles the sort. Groups over time (month,
// week) start in time order, an attribute's ranges (20–29, 2021-03) in
// theirs; others by n, largest first, as the store gives them.

// insightSorts are the orders o cycles through; "time" only where the
// groups are periods.
var insightSorts = []string{"time", "n", "satisfied", "NPS", "name"}

// timeDims group by a period: their keys (2026-03, 2026-W11) sort in time.
var timeDims = map[string]bool{"month": true, "week": true}

// sortName is the order in use, as the header names it.
func (s *insightsScreen) sortName() string {
	if s.sortBy == "" {
		switch {
		case timeDims[s.dimension()]:
			return "time"
		case s.banded:
			return "range"
		}
		return "n"
	}
	return s.sortBy
}

// nextSort moves to the next order that applies to the dimension.
func (s *insightsScreen) nextSort() {
	cur := s.sortName()
	for i, name := range insightSorts {
		if name != cur {
			continue
		}
		next := insightSorts[(i+1)%len(insightSorts)]
		if next == "time" && !timeDims[s.dimension()] {
			next = insightSorts[(i+2)%len(insightSorts)]
		}
		s.sortBy = next
		return
	}
	s.sortBy = "n"
}

// sortGroups orders a copy of the groups (a few hundred at most) when the
// figures arrive or the order changes, never while drawing.
func sortGroups(groups []model.GroupFigures, by string, banded bool) []model.GroupFigures {
	out := append([]model.GroupFigures(nil), groups...)
	desc := func(a, b *float64) (less, decided bool) {
		switch {
		case a == nil && b == nil:
			return false, false
		case a == nil:
			return false, true // groups without answers go last
		case b == nil:
			return true, true
		case *a != *b:
			return *a > *b, true
		}
		return false, false
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch by {
		case "time", "name", "range":
			if banded {
				return model.BandLess(a.Key, b.Key)
			}
			return a.Key < b.Key
		case "satisfied":
			if less, ok := desc(a.CSATSatPct, b.CSATSatPct); ok {
				return less
			}
		case "NPS":
			if less, ok := desc(a.NPS, b.NPS); ok {
				return less
			}
		}
		if a.FeedbackN != b.FeedbackN {
			return a.FeedbackN > b.FeedbackN
		}
		return a.Key < b.Key
	})
	return out
}

// show puts a summary on screen in the order chosen.
func (s *insightsScreen) show(sum model.Summary) {
	s.banded = sum.Banded
	sum.Groups = sortGroups(sum.Groups, s.sortName(), s.banded)
	s.sum, s.sel, s.top = &sum, 0, 0
}

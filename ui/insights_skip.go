package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// A dimension that puts all feedback in one group — plan and region of a
// helpdesk export that has neither ("(none)"), a lifecycle every imported
// customer shares ("new") — is a screen with nothing to compare. When
// Insights opens, and when `d` moves on, such dimensions are passed over
// to the next one that has groups, and the status bar names them. A
// dimension shown again (another period, new data) is never passed over.

// skipState is a `d` press (or the first visit) still looking for a
// dimension with groups.
type skipState struct {
	active bool
	first  int      // the dimension `d` led to (or plan): shown when every one has one group
	names  []string // dimensions passed over so far
}

// oneGroup tells a summary whose feedback is all in one group. Saved
// segments are each set against everyone, not parts of a whole: their
// view is passed over only when there are none.
func (s *insightsScreen) oneGroup(sum model.Summary) bool {
	if s.dimension() == "segments" {
		return len(sum.Groups) == 0
	}
	return sum.Overall.FeedbackN > 0 && len(sum.Groups) == 1
}

// afterShow passes over the dimension just shown when a search is on and
// it has one group only, else ends the search and says what was passed
// over. When every dimension has one group, the first one stays.
func (s *insightsScreen) afterShow(sum model.Summary) tea.Cmd {
	if !s.skip.active || s.attr.at >= 0 {
		s.skip.active = false
		return nil
	}
	if s.oneGroup(sum) && len(s.skip.names) < len(insightDims)-1 {
		s.skip.names = append(s.skip.names, s.dimension())
		s.dim, s.sum = (s.dim+1)%len(insightDims), nil
		return s.load()
	}
	s.skip.active = false
	var text string
	switch {
	case s.oneGroup(sum):
		s.dim, s.sum = s.skip.first, nil
		text = "every dimension has one group: nothing to compare (a groups by an imported attribute)"
		return tea.Batch(s.load(), func() tea.Msg { return statusMsg{text: text} })
	case len(s.skip.names) > 0:
		text = "passed over " + strings.Join(s.skip.names, ", ") + ": nothing to compare"
		return func() tea.Msg { return statusMsg{text: text} }
	}
	return nil
}

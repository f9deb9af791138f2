package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// comingSoon holds the place of a tab whose screen is not built yet, and
// says what it will do and what works today.
type comingSoon struct {
	env           *env
	tab           tab
	width, height int
}

var soonText = map[tab][]string{
	tabImport: {
		"Import — helpdesk and survey CSV exports, any encoding.",
		"Coming next: pick a file, check the detected format and mapping, run with progress.",
	},
}

func newComingSoon(e *env, t tab) *comingSoon { return &comingSoon{env: e, tab: t} }

func (s *comingSoon) SetSize(w, h int) tea.Cmd { s.width, s.height = w, h; return nil }
func (s *comingSoon) Update(tea.Msg) tea.Cmd   { return nil }
func (s *comingSoon) Capturing() bool          { return false }
func (s *comingSoon) ShortHelp() []key.Binding {
	g := s.env.keys.Global
	return []key.Binding{g.Tab1, g.NextTab}
}
func (s *comingSoon) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

func (s *comingSoon) View() string {
	st := s.env.styles
	lines := soonText[s.tab]
	out := make([]string, 0, len(lines)+1)
	out = append(out, "")
	for i, l := range lines {
		if i == 0 {
			out = append(out, "  "+st.Title.Render(fit(l, s.width-2)))
			continue
		}
		out = append(out, "  "+st.Faint.Render(fit(l, s.width-2)))
	}
	return strings.Join(out, "\n")
}

package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// rejectedTarget is where the Import tab writes rejected rows. The
// importer suggests a free name in the data folder, beside the database
// (ImportPlan.ErrorsFile); a run asks before it starts, with that name
// filled in: enter keeps it, another path replaces it, an empty answer
// writes no file. A dry run writes none unless one was chosen with e.
// The importer never replaces an existing file: it takes the next free
// name (NAME.errors-2.csv) and the report names the file written.
type rejectedTarget struct {
	path    string // the suggestion, or the user's answer
	chosen  bool   // the user answered (for a dry run: asked for a file)
	thenRun bool   // answering starts the import
	ask     prompt
}

// The prompt's keys, worded for what they do here.
var (
	rejectedRun  = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "import (empty: no file)"))
	rejectedKeep = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep (empty: no file)"))
	rejectedBack = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))
)

// rejectedHelp is the footer while the prompt is open.
func (s *importScreen) rejectedHelp() []key.Binding {
	if s.rejected.thenRun {
		return []key.Binding{rejectedRun, rejectedBack}
	}
	return []key.Binding{rejectedKeep, rejectedBack}
}

// rejectedPath is the file the next run writes rejected rows to ("" none).
func (s *importScreen) rejectedPath() string {
	if s.dryRun && !s.rejected.chosen {
		return ""
	}
	return s.rejected.path
}

// startRun runs a dry run at once, and asks where rejected rows go
// before a real one.
func (s *importScreen) startRun() tea.Cmd {
	if s.dryRun {
		return s.run()
	}
	return s.askRejected(true)
}

// askRejected opens the prompt for the rejected rows' file; with thenRun,
// answering it starts the import.
func (s *importScreen) askRejected(thenRun bool) tea.Cmd {
	label := "rejected rows to: "
	s.rejected.thenRun = thenRun
	if thenRun {
		label = "import; rejected rows to: "
	}
	cmd := s.rejected.ask.open(label, "no file: rejected rows are only counted", func(v string) (tea.Cmd, error) {
		s.rejected.path, s.rejected.chosen = v, true
		if thenRun {
			return s.run(), nil
		}
		return nil, nil
	})
	s.rejected.ask.input.SetValue(s.rejected.path)
	s.rejected.ask.input.CursorEnd()
	return cmd
}

// rejectedLine says where rejected rows will go, for the mapping view.
func (s *importScreen) rejectedLine() string {
	st := s.env.styles
	label := st.Label.Render("  rejected rows → ")
	switch p := s.rejectedPath(); {
	case p != "":
		return label + model.CleanLine(p) + st.Faint.Render("  (e to change; an existing file is never replaced)")
	case s.dryRun:
		return label + st.Faint.Render("not written on a dry run (e to choose a file)")
	}
	return label + st.Faint.Render("not written (e to choose a file)")
}

// rejectedPromptView is the open prompt's line with its keys.
func (s *importScreen) rejectedPromptView() string {
	return s.rejected.ask.View(s.width)
}

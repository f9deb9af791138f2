package ui

import tea "github.com/charmbracelet/bubbletea"

// A session served over SSH (Options.Served) runs on the server: it must
// neither read the server's files (the Import tab's file picker) nor write
// them (exports). The agent imports and exports through commands over the
// same SSH connection instead, with their own files.

// unavailable words why the Import tab has no importer in this session.
func (s *importScreen) unavailable() string {
	if s.env.importNote != "" {
		return s.env.importNote
	}
	return "Import is unavailable in this session; use `rapport import FILE` on the command line."
}

// servedExport refuses an export in a served session, saying how to get
// the same figures as a file on the agent's own machine.
func servedExport(e *env, command, file string) tea.Cmd {
	if !e.served {
		return nil
	}
	return func() tea.Msg {
		return statusMsg{text: "exports are not written on the server; run `ssh … -- " + command + " --format csv > " + file + "` instead", err: true}
	}
}

// summaryCommand is the command line that gives what Insights shows.
func summaryCommand(dim string) string {
	if dim == "segments" {
		return "summary --segments"
	}
	return "summary --by " + dim
}

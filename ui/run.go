package ui

import (
	"context"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Options configure a TUI session.
type Options struct {
	Agent  string           // who is working; recorded on every change
	DBPath string           // shown in the status bar
	Now    func() time.Time // the clock; nil means time.Now
	// PollEvery is how often to look for other agents' changes; 0 = never.
	PollEvery time.Duration
	// Warnings about the database file, shown in the status bar at start.
	Warnings []string
	// Importer runs the Import tab; nil says import is unavailable.
	Importer Importer
}

// Run starts the TUI on the store and returns when the user quits.
func Run(ctx context.Context, st Store, opts Options) error {
	if os.Getenv("RAPPORT_DEBUG") != "" {
		if f, err := tea.LogToFile(os.Getenv("RAPPORT_DEBUG"), "rapport"); err == nil {
			defer f.Close()
		}
	}
	// Queries still running when the user quits are interrupted.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	styles := NewStyles(lipgloss.DefaultRenderer())
	if opts.PollEvery == 0 {
		opts.PollEvery = 2 * time.Second
	}
	m := New(ctx, st, styles, opts)
	_, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx)).Run()
	return err
}

package ui

import (
	"context"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
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
	// Importer runs the Import tab; nil says import is unavailable, with
	// ImportNote (if set) saying where to import instead.
	Importer   Importer
	ImportNote string
	// Feed is this session's own subscription to the store's change feed;
	// nil falls back to polling Changes every PollEvery. Run subscribes.
	Feed model.Subscription
	// Served marks a session served over SSH: nothing is read from or
	// written to the server's own files (exports say how to get them).
	Served bool
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
	if opts.Feed == nil {
		if sub, err := st.Subscribe(ctx); err == nil {
			defer sub.Close()
			opts.Feed = sub
		}
	}
	m := New(ctx, st, styles, opts)
	_, err := tea.NewProgram(m, tea.WithAltScreen(), tea.WithContext(ctx)).Run()
	return err
}

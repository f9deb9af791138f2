package ui

import (
	"os"

	"github.com/charmbracelet/lipgloss"
)

// Styles is the one theme of the TUI, built from a renderer so that a
// future SSH session gets styles for its own terminal. Colours adapt to
// light and dark backgrounds; with NO_COLOR only bold/faint/reverse remain.
type Styles struct {
	r *lipgloss.Renderer

	App        lipgloss.Style
	TabActive  lipgloss.Style
	TabIdle    lipgloss.Style
	TabGap     lipgloss.Style
	Title      lipgloss.Style
	Header     lipgloss.Style
	HeaderSort lipgloss.Style
	Row        lipgloss.Style
	RowSel     lipgloss.Style
	Faint      lipgloss.Style
	Warn       lipgloss.Style
	Bad        lipgloss.Style
	Good       lipgloss.Style
	Accent     lipgloss.Style
	Label      lipgloss.Style
	Value      lipgloss.Style
	Tag        lipgloss.Style
	Box        lipgloss.Style
	Status     lipgloss.Style
	StatusKey  lipgloss.Style
	StatusErr  lipgloss.Style
	StatusOK   lipgloss.Style
	Prompt     lipgloss.Style
}

// NewStyles builds the theme for a renderer.
func NewStyles(r *lipgloss.Renderer) Styles {
	return NewStylesFor(r, os.Getenv("NO_COLOR") != "")
}

// NewStylesFor builds the theme for a renderer whose terminal asked for no
// colour or not; a served session passes its own NO_COLOR, never the
// server's.
func NewStylesFor(r *lipgloss.Renderer, noColor bool) Styles {
	c := func(light, dark string) lipgloss.TerminalColor {
		if noColor {
			return lipgloss.NoColor{}
		}
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	accent := c("#5A3FC0", "#A98BFF")
	subtle := c("#8A8A8A", "#6C6C6C")
	s := Styles{r: r}
	s.App = r.NewStyle()
	s.TabActive = r.NewStyle().Bold(true).Foreground(accent).Underline(true).Padding(0, 1)
	s.TabIdle = r.NewStyle().Foreground(subtle).Padding(0, 1)
	s.TabGap = r.NewStyle().Foreground(subtle)
	s.Title = r.NewStyle().Bold(true).Foreground(accent)
	s.Header = r.NewStyle().Bold(true).Foreground(c("#444444", "#BBBBBB"))
	s.HeaderSort = r.NewStyle().Bold(true).Foreground(accent)
	s.Row = r.NewStyle()
	s.RowSel = r.NewStyle().Bold(true).Foreground(c("#FFFFFF", "#FFFFFF")).Background(c("#5A3FC0", "#4B3A8F"))
	if noColor {
		s.RowSel = r.NewStyle().Reverse(true)
	}
	s.Faint = r.NewStyle().Foreground(subtle).Faint(noColor)
	s.Warn = r.NewStyle().Foreground(c("#B25E00", "#FFB454")).Bold(true)
	s.Bad = r.NewStyle().Foreground(c("#C0392B", "#FF6B6B"))
	s.Good = r.NewStyle().Foreground(c("#1E8449", "#7BD88F"))
	s.Accent = r.NewStyle().Foreground(accent)
	s.Label = r.NewStyle().Foreground(subtle)
	s.Value = r.NewStyle()
	s.Tag = r.NewStyle().Foreground(c("#1F618D", "#7FC8F8"))
	s.Box = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(subtle).Padding(0, 1)
	s.Status = r.NewStyle().Foreground(c("#333333", "#CCCCCC")).Background(c("#E4E4E4", "#262626"))
	s.StatusKey = s.Status.Bold(true).Foreground(accent)
	s.StatusErr = s.Status.Foreground(c("#C0392B", "#FF6B6B")).Bold(true)
	s.StatusOK = s.Status.Foreground(c("#1E8449", "#7BD88F"))
	s.Prompt = r.NewStyle().Foreground(accent).Bold(true)
	return s
}

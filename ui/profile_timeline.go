package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// The profile's timeline is its list: j/k move a cursor over its entries
// (the view scrolls to keep it in sight), ctrl+d/u move half a screen,
// g/G go to the first and last, and enter opens the entry under the
// cursor in the item view — a feedback item with its keys, a note or a
// follow-up in full. Each entry takes two lines: when, what and who on
// the first, its text on the second over the whole width, so a subject
// is no longer cut after a few characters.

// timelineOpen opens the entry under the timeline's cursor.
var timelineOpen = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open item"))

// timelineEntryLines is how many lines one entry takes.
const timelineEntryLines = 2

// timelineKeys handles the cursor keys; ok is false for other keys.
func (p *profileScreen) timelineKeys(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := p.env.keys.Profile
	n := len(p.timeline)
	half := max(1, p.vp.Height/2/timelineEntryLines)
	move := func(to int) {
		if n == 0 {
			return
		}
		p.tsel = max(0, min(n-1, to))
		p.render()
		p.showTimelineCursor()
	}
	switch {
	case key.Matches(msg, timelineOpen):
		return p.openEntry(), true
	// Above the timeline (a narrow profile shows it below the attributes)
	// the keys scroll until its first entry is in sight; above the first
	// entry they scroll back up to the profile.
	case key.Matches(msg, k.Down):
		if n == 0 || !p.timelineInSight() {
			p.vp.ScrollDown(1)
		} else {
			move(p.tsel + 1)
		}
	case key.Matches(msg, k.Up):
		if p.tsel == 0 {
			p.vp.ScrollUp(1)
		} else {
			move(p.tsel - 1)
		}
	case key.Matches(msg, k.PageDown):
		if n == 0 || !p.timelineInSight() {
			p.vp.HalfPageDown()
		} else {
			move(p.tsel + half)
		}
	case key.Matches(msg, k.PageUp):
		if p.tsel == 0 {
			p.vp.HalfPageUp()
		} else {
			move(p.tsel - half)
		}
	case key.Matches(msg, k.Top):
		move(0)
		p.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		move(n - 1)
		p.vp.GotoBottom()
	default:
		return nil, false
	}
	return nil, true
}

// showTimelineCursor scrolls the view just enough to show the entry
// under the cursor.
func (p *profileScreen) showTimelineCursor() {
	top := p.tlTop + 1 + p.tsel*timelineEntryLines // below the "Timeline" header
	bottom := top + timelineEntryLines - 1
	switch {
	case top < p.vp.YOffset:
		p.vp.SetYOffset(top)
	case bottom >= p.vp.YOffset+p.vp.Height:
		p.vp.SetYOffset(bottom - p.vp.Height + 1)
	}
}

// timelineInSight reports whether the first entry is on screen (or
// above it): from there on, j moves the cursor.
func (p *profileScreen) timelineInSight() bool {
	return p.tlTop+timelineEntryLines < p.vp.YOffset+p.vp.Height
}

// openEntry opens the entry under the cursor in the item view.
func (p *profileScreen) openEntry() tea.Cmd {
	if p.tsel >= len(p.timeline) {
		return nil
	}
	e := p.timeline[p.tsel]
	switch e.Type {
	case "feedback", "note", "followup":
		return func() tea.Msg { return openItemMsg{typ: e.Type, id: e.ID} }
	}
	return func() tea.Msg {
		return statusMsg{text: "a change shows in full on the timeline: " + model.CleanLine(e.Summary)}
	}
}

// splitFeedbackSummary separates "[complaint/email, open] subject" into
// its classification and its text.
func splitFeedbackSummary(s string) (meta, text string) {
	if strings.HasPrefix(s, "[") {
		if i := strings.Index(s, "] "); i > 0 {
			return s[:i+1], s[i+2:]
		}
	}
	return "", s
}

func (p *profileScreen) timelineView(w int) string {
	st := p.env.styles
	var b strings.Builder
	b.WriteString(st.Header.Render(fmt.Sprintf("Timeline (%d)", len(p.timeline))))
	if len(p.timeline) == 0 {
		b.WriteString("\n" + st.Faint.Render("  nothing logged yet"))
	}
	for i, e := range p.timeline {
		when := e.At.In(time.Local).Format("2006-01-02 15:04")
		kind := cell(e.Type, 8)
		score := ""
		if e.CSAT != nil {
			score += " " + scoreStyle(st, float64(*e.CSAT), 3, 4).Render(fmt.Sprintf("CSAT %d", *e.CSAT))
		}
		if e.NPS != nil {
			score += " " + scoreStyle(st, float64(*e.NPS), 6, 9).Render(fmt.Sprintf("NPS %d", *e.NPS))
		}
		meta, text := "", e.Summary
		if e.Type == "feedback" {
			meta, text = splitFeedbackSummary(e.Summary)
		}
		if meta != "" {
			meta = " " + st.Faint.Render(model.CleanLine(meta))
		}
		agent := ""
		if e.Agent != "" {
			agent = st.Faint.Render(" — " + model.CleanLine(e.Agent))
		}
		mark := "  "
		if i == p.tsel {
			mark = "› "
		}
		// Scores come before the rest so that truncation never hides them.
		head := mark + st.Faint.Render(when) + " " + typeStyle(st, e.Type).Render(kind) + score + meta + agent
		body := "    " + model.CleanLine(text)
		if i == p.tsel {
			head, body = st.RowSel.Render(padRight(head, w)), st.RowSel.Render(padRight(body, w))
		} else {
			head, body = fit(head, w), fit(body, w)
		}
		b.WriteString("\n" + head + "\n" + body)
	}
	return b.String()
}

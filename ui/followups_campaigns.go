package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// The campaigns view of the Follow-ups tab (C): each recall campaign with
// how many of its follow-ups are done, open and overdue.

type campaignsMsg struct {
	list []model.CampaignProgress
	err  error
}

func (s *followUpsScreen) loadCampaigns() tea.Cmd {
	st, ctx := s.env.store, s.env.ctx
	return func() tea.Msg {
		cs, err := st.Campaigns(ctx)
		return campaignsMsg{list: cs, err: err}
	}
}

func (s *followUpsScreen) campaignsView() string {
	st := s.env.styles
	lines := []string{
		st.Title.Render("Campaigns") + st.Faint.Render("  C back to the queue · ctrl+r refresh"),
		st.Header.Render(padRight("  "+cell("Campaign", 28)+" "+cellRight("Open", 7)+" "+cellRight("Done", 7)+" "+
			cellRight("Overdue", 8)+"  "+cell("Progress", 28)+" Due", s.width)),
	}
	if s.campErr != nil {
		lines = append(lines, st.Bad.Render(fit("  "+errText(s.campErr), s.width)))
	}
	if len(s.campaigns) == 0 && s.campErr == nil {
		lines = append(lines, st.Faint.Render(fit("  no campaigns yet — on Customers, filter a segment with w, then R", s.width)))
	}
	for _, c := range s.campaigns {
		pct := 0.0
		if c.Total() > 0 {
			pct = float64(c.Done) / float64(c.Total())
		}
		const w = 20
		filled := int(pct*w + 0.5)
		bar := strings.Repeat("█", filled) + strings.Repeat("░", w-filled) + fmt.Sprintf(" %3.0f%%", pct*100)
		overdue := cellRight(thousands(c.Overdue), 8)
		if c.Overdue > 0 {
			overdue = st.Bad.Render(overdue)
		}
		due := dayText(c.FirstDue, s.env.now())
		if last := dayText(c.LastDue, s.env.now()); last != due {
			due += "–" + last
		}
		lines = append(lines, fit("  "+cell(c.Name, 28)+" "+cellRight(thousands(c.Open), 7)+" "+cellRight(thousands(c.Done), 7)+" "+
			overdue+"  "+st.Accent.Render(cell(bar, 28))+" "+due, s.width))
	}
	return strings.Join(lines, "\n")
}

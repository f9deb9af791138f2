package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"

	"github.com/rapportcrm/rapport/model"
)

// conflict is a refused save: someone changed the record after the agent
// opened it (like Help Scout's traffic cop). It shows who changed what and
// keeps what the agent typed, offering to apply it anyway, to re-open the
// form on the new version with the agent's edits, or to keep theirs.
type conflict struct {
	stale *model.StaleError
	draft *customerDraft
	mine  model.CustomerPatch
}

var (
	conflictApply  = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "apply mine anyway"))
	conflictReopen = key.NewBinding(key.WithKeys("r", "enter"), key.WithHelp("r", "reload, re-apply, edit"))
	conflictKeep   = key.NewBinding(key.WithKeys("k", "esc"), key.WithHelp("k/esc", "keep theirs"))
)

func conflictHelp() []key.Binding { return []key.Binding{conflictReopen, conflictApply, conflictKeep} }

// patchFields lists the fields a patch sets, with the new values as text.
func patchFields(p model.CustomerPatch) map[string]string {
	out := map[string]string{}
	str := func(name string, v *string) {
		if v != nil {
			out[name] = *v
		}
	}
	str("name", p.Name)
	str("email", p.Email)
	str("phone", p.Phone)
	str("company", p.Company)
	str("plan", p.Plan)
	str("region", p.Region)
	str("city", p.City)
	str("language", p.Language)
	if p.Lifecycle != nil {
		out["lifecycle"] = string(*p.Lifecycle)
	}
	if p.LTV != nil {
		out["ltv"] = fmt.Sprint(*p.LTV)
	}
	return out
}

// applyPatch puts the agent's edits over a freshly loaded customer's
// draft, so re-opening the form loses nothing that was typed.
func applyPatch(d *customerDraft, p model.CustomerPatch) {
	put := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	put(&d.Name, p.Name)
	put(&d.Email, p.Email)
	put(&d.Phone, p.Phone)
	put(&d.Company, p.Company)
	put(&d.Plan, p.Plan)
	put(&d.Region, p.Region)
	put(&d.City, p.City)
	put(&d.Lang, p.Language)
	if p.Lifecycle != nil {
		d.Stage = string(*p.Lifecycle)
	}
	if p.LTV != nil {
		d.LTV = fmt.Sprint(*p.LTV)
	}
}

func (c *conflict) view(st Styles, w int, now time.Time) string {
	who := c.stale.ByAgent
	if who == "" {
		who = "someone"
	}
	lines := []string{
		st.Bad.Render(fit(fmt.Sprintf("Not saved: %s changed this %s after you opened it (version %d → %d).",
			model.CleanLine(who), c.stale.Entity, c.stale.Want, c.stale.Have), w)),
		"",
		st.Header.Render(padRight(fmt.Sprintf("%-12s %-24s %-24s %s", "Field", "Their change", "", "By"), w)),
	}
	for _, ch := range c.stale.Changes {
		change := model.CleanLine(ch.Old) + " → " + model.CleanLine(ch.New)
		by := model.CleanLine(ch.Agent) + ", " + ago(ch.At, now)
		lines = append(lines, fit(cell(ch.Field, 12)+" "+cell(change, 49)+" "+st.Faint.Render(by), w))
	}
	if len(c.stale.Changes) == 0 {
		lines = append(lines, st.Faint.Render("  (the change left no field-level record)"))
	}
	mine := patchFields(c.mine)
	names := make([]string, 0, len(mine))
	for f := range mine {
		names = append(names, f)
	}
	sort.Strings(names)
	lines = append(lines, "", st.Header.Render(padRight(fmt.Sprintf("%-12s %s", "Field", "Your edit (kept)"), w)))
	theirs := map[string]bool{}
	for _, ch := range c.stale.Changes {
		theirs[ch.Field] = true
	}
	for _, f := range names {
		mark := ""
		if theirs[f] {
			mark = st.Warn.Render("  ⚠ both changed")
		}
		lines = append(lines, fit(cell(f, 12)+" "+model.CleanLine(mine[f])+mark, w))
	}
	lines = append(lines, "", st.Faint.Render(fit("r re-opens your edit on their version · a applies yours over theirs · k keeps theirs", w)))
	return strings.Join(lines, "\n")
}

package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// A score column's scale, as the user sets it on the mapping screen (x
// cycles the scales the importer offers for the column), and the file's
// findings on the report screen.

// importScale cycles the selected score column's scale.
var importScale = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "scale"))

// scaleInfo is how the mapping screen words a scale: where the column's
// values go, a short label for its row and the why line.
type scaleInfo struct {
	field, label, why string
}

// scaleInfos are the importer's scales (importer.ScaleNames); the
// rescale's bands are the README's.
var scaleInfos = map[string]scaleInfo{
	"csat": {"feedback.csat", "1–5", "set by you: CSAT 1–5; a number off 1–5 rejects its row"},
	"nps":  {"feedback.nps", "0–10", "set by you: NPS 0–10; a number off 0–10 rejects its row"},
	"csat-from-0-10": {"feedback.csat", "0–10→1–5",
		"set by you: 0–10 rescaled to CSAT 1–5 (9–10→5, 7–8→4, 5–6→3, 3–4→2, 0–2→1), raw in csat_raw"},
	"csat-from-1-10": {"feedback.csat", "1–10→1–5",
		"set by you: 1–10 rescaled to CSAT 1–5 (9–10→5, 7–8→4, 5–6→3, 3–4→2, 1–2→1), raw in csat_raw"},
	"attribute": {"", "as written", "set by you: kept as attribute with its scale, as written; no value of it rejects a row"},
}

// cycleScale sets column i to the next scale the importer offers for it
// whose field no other column has (the field list, f, can take one from
// another column); after the last it is back as detected. A column that
// is not a score has none: the status bar says so.
func (s *importScreen) cycleScale(i int) tea.Cmd {
	c := s.plan.Columns[i]
	if len(c.Scales) == 0 {
		text := model.CleanLine(c.Header) + " is not a score column: it has no scale to change"
		return func() tea.Msg { return statusMsg{text: text} }
	}
	if len(s.scales) != len(s.fields) {
		s.scales = make([]string, len(s.fields))
	}
	at := 0
	for j, sc := range c.Scales {
		if sc == s.scales[i] {
			at = j
		}
	}
	for n := 1; n <= len(c.Scales); n++ {
		j := (at + n) % len(c.Scales)
		info, known := scaleInfos[c.Scales[j]]
		if j == 0 || !known {
			s.setField(i, c.Field) // back as detected
			return nil
		}
		if owner := s.owner(info.field); owner >= 0 && owner != i {
			continue
		}
		s.setField(i, info.field)
		s.scales[i] = c.Scales[j]
		return nil
	}
	return nil
}

// scaleLabel is the short label of column i's scale in its mapping row
// ("" when the user set none).
func (s *importScreen) scaleLabel(i int) string {
	if i < len(s.scales) && s.scales[i] != "" {
		return scaleInfos[s.scales[i]].label
	}
	return ""
}

// scaleWhy is the why line of a column whose scale the user set ("" when
// none), and the hint for a score column that x works on.
func (s *importScreen) scaleWhy(i int) (why, hint string) {
	if i < len(s.scales) && s.scales[i] != "" {
		return scaleInfos[s.scales[i]].why, ""
	}
	if i < len(s.plan.Columns) && len(s.plan.Columns[i].Scales) > 1 {
		hint = " · x: scale"
	}
	return why, hint
}

// userScales are the scales to send with the import, nil when none is set.
func (s *importScreen) userScales() []string {
	for _, sc := range s.scales {
		if sc != "" {
			return append([]string(nil), s.scales...)
		}
	}
	return nil
}

// maxFindingLines bounds the report's findings.
const maxFindingLines = 5

// findingLines word what the import found in the file, one line each:
// a label, a count and what it means, cut to the width.
func (s *importScreen) findingLines() []string {
	st := s.env.styles
	f := s.report.Findings
	var lines []string
	row := func(label string, n int, what string) {
		if n == 0 || len(lines) >= maxFindingLines {
			return
		}
		lines = append(lines, "  "+st.Label.Render(cell(label, 12))+cellRight(thousands(n), 9)+" "+
			cell(model.CleanLine(what), max(1, s.width-25)))
	}
	var rescaled []string
	for i, sc := range s.scales {
		if strings.HasPrefix(sc, "csat-from-") && i < len(s.plan.Columns) {
			rescaled = append(rescaled, s.plan.Columns[i].Header+" "+scaleInfos[sc].label)
		}
	}
	row("rescaled", f.Rescaled, strings.Join(rescaled, ", ")+" (answer kept in csat_raw)")
	row("undated", f.Undated, "feedback with no creation date: flagged undated, dated before the oldest")
	row("no person", f.NoPerson, "rows naming no one: each its own anonymous customer")
	row("odd scores", f.UnknownScores, "score words no scale knows, score left empty: "+valueList(f.UnknownWords, false))
	unknown := 0
	for _, u := range f.UnknownValues {
		unknown += u.Rows
	}
	row("odd values", unknown, "status read as open, channel kept: "+valueList(f.UnknownValues, true))
	if len(lines) == 0 {
		return nil
	}
	return append([]string{"", st.Header.Render("  Notes")}, lines...)
}

// valueList quotes values with their rows: `"meh" ×3, "so-so" ×1, …`.
func valueList(vs []model.ImportValue, withColumn bool) string {
	parts := make([]string, 0, 4)
	for _, v := range vs[:min(3, len(vs))] {
		p := fmt.Sprintf("%q ×%s", model.CleanLine(v.Value), thousands(v.Rows))
		if withColumn {
			p = v.Column + " " + p
		}
		parts = append(parts, p)
	}
	if len(vs) > 3 {
		parts = append(parts, "…")
	}
	return strings.Join(parts, ", ")
}

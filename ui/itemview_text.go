package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapportcrm/rapport/model"
)

// The item view's text: untrusted text cleaned of control sequences and
// wrapped to the width in cells (a CJK character takes two), so nothing
// is cut and nothing reaches the terminal but text.

// wrapText cleans s and wraps it to w cells, keeping its own line breaks.
func wrapText(s string, w int) []string {
	w = max(1, w)
	s = strings.ReplaceAll(model.CleanText(s), "\t", "    ")
	var out []string
	for _, para := range strings.Split(s, "\n") {
		para = strings.TrimRight(para, " ")
		if para == "" {
			out = append(out, "")
			continue
		}
		out = append(out, strings.Split(ansi.Wrap(para, w, ""), "\n")...)
	}
	// no trailing blank lines
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// indentWrap wraps s to w cells with every line after the first indented
// by ind cells.
func indentWrap(first, s string, ind, w int) []string {
	lines := wrapText(s, max(1, w-ind))
	if len(lines) == 0 {
		return []string{fit(first, w)}
	}
	out := make([]string, 0, len(lines))
	pad := strings.Repeat(" ", ind)
	for i, l := range lines {
		if i == 0 {
			out = append(out, fit(first+l, w))
			continue
		}
		out = append(out, pad+l)
	}
	return out
}

// stamp is a time in local time with how long ago it was.
func stamp(t, now time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(time.Local).Format("2006-01-02 15:04") + " (" + ago(t, now) + ")"
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// attrBlock lists imported attributes by name, values wrapped under them
// when they do not fit beside the name.
func attrBlock(st Styles, attrs map[string]string, w int) []string {
	keys := make([]string, 0, len(attrs))
	lw := 0
	for k := range attrs {
		keys = append(keys, k)
		lw = max(lw, ansi.StringWidth(model.CleanLine(k)))
	}
	sort.Strings(keys)
	lw = min(lw, max(8, w/3))
	var out []string
	for _, k := range keys {
		label := st.Label.Render(cell(k, lw)) + " "
		out = append(out, indentWrap(label, attrs[k], lw+1, w)...)
	}
	return out
}

// followUpLines is one follow-up: when it is due, for whom, its state,
// then its note in full.
func followUpLines(st Styles, u model.FollowUp, now time.Time, w int) []string {
	head := fmt.Sprintf("  due %s · %s · for %s", stamp(u.Due, now), u.Status, orDash(model.CleanLine(u.Assignee)))
	if u.CreatedBy != "" {
		head += " · by " + model.CleanLine(u.CreatedBy)
	}
	out := []string{fit(st.Warn.Render(head), w)}
	if strings.TrimSpace(u.Note) != "" {
		for _, l := range wrapText(u.Note, max(1, w-4)) {
			out = append(out, "    "+l)
		}
	}
	return out
}

// historyLines words an item's audit history, newest first.
func historyLines(st Styles, hist []model.ItemChange, now time.Time, w int) []string {
	if len(hist) == 0 {
		return []string{st.Faint.Render("  no recorded changes")}
	}
	var out []string
	for _, h := range hist {
		head := st.Faint.Render(h.At.In(time.Local).Format("2006-01-02 15:04")) + " " + cell(h.Agent, 10) + " "
		out = append(out, indentWrap(head, h.Summary, 28, w)...)
	}
	return out
}

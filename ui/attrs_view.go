package ui

import (
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/rapportcrm/rapport/model"
)

// Custom attributes are the imported columns that matched no field: a
// customer's (a contacts file's extra columns) or a feedback item's (a
// ticket export's). Their names and values are untrusted text of any
// length, and a Jira export brings dozens per row: they are shown cleaned,
// each value cut with an ellipsis, and only as many as fit.

// attrValueWidth is the most cells one attribute value takes.
const attrValueWidth = 32

// sortedAttrs lists an attribute map's names in order.
func sortedAttrs(attrs map[string]string) []string {
	keys := make([]string, 0, len(attrs))
	for k, v := range attrs {
		if strings.TrimSpace(v) != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// shortValue cleans an attribute value to one line of at most w cells.
func shortValue(v string, w int) string {
	v = model.CleanLine(v)
	if lipgloss.Width(v) > w {
		v = ansi.Truncate(v, w, "…")
	}
	return v
}

// attrRows are a customer's attributes as profile rows (name, value), at
// most max of them; a last row counts the ones left out.
func attrRows(attrs map[string]string, max int) [][2]string {
	keys := sortedAttrs(attrs)
	var rows [][2]string
	for i, k := range keys {
		if i == max && len(keys) > max+1 {
			rows = append(rows, [2]string{"…", fmt.Sprintf("%d more attributes (customers show REF lists them all)", len(keys)-max)})
			break
		}
		rows = append(rows, [2]string{model.CleanLine(k), shortValue(attrs[k], attrValueWidth)})
	}
	return rows
}

// attrLines lays a feedback item's attributes out as "name value" pairs
// separated by " · ", over at most maxLines lines of w cells; when some do
// not fit, the last line ends with "+N more".
func attrLines(st Styles, attrs map[string]string, w, maxLines int) []string {
	keys := sortedAttrs(attrs)
	if len(keys) == 0 || w <= 0 || maxLines <= 0 {
		return nil
	}
	sep := st.Faint.Render(" · ")
	sepW := lipgloss.Width(sep)
	var lines []string
	line, lineW := "", 0
	for i, k := range keys {
		name := shortValue(k, attrValueWidth/2)
		pair := st.Label.Render(name) + " " + shortValue(attrs[k], attrValueWidth)
		pw := lipgloss.Width(pair)
		if lineW > 0 && lineW+sepW+pw > w {
			if len(lines) == maxLines-1 {
				more := st.Faint.Render(fmt.Sprintf(" +%d more", len(keys)-i))
				return append(lines, fit(line, w-lipgloss.Width(more))+more)
			}
			lines = append(lines, line)
			line, lineW = "", 0
		}
		if lineW > 0 {
			line += sep
			lineW += sepW
		}
		line += pair
		lineW += pw
	}
	return append(lines, fit(line, w))
}

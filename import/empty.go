package importer

import (
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// isEmptyMarker tells a cell that says "no value" in one of the ways
// exports write it: empty, a dash, NA, N/A, null, or a no-break space
// (Zendesk Explore's blank). Such a cell is not an attribute value.
func isEmptyMarker(v string) bool {
	v = strings.TrimSpace(strings.ReplaceAll(v, "\u00a0", " "))
	switch strings.ToLower(v) {
	case "", "-", "—", "na", "n/a", "null":
		return true
	}
	return false
}

// dropEmptyAttrs removes the attributes a row holds only an empty marker
// for, so that "N/A" never becomes a group in Insights or a match for
// attr.NAME.
func dropEmptyAttrs(rec *model.ImportRecord) {
	clean := func(m map[string]string) map[string]string {
		for k, v := range m {
			if isEmptyMarker(v) {
				delete(m, k)
			}
		}
		if len(m) == 0 {
			return nil
		}
		return m
	}
	rec.Customer.Attrs = clean(rec.Customer.Attrs)
	if rec.Feedback != nil {
		rec.Feedback.Attrs = clean(rec.Feedback.Attrs)
	}
}

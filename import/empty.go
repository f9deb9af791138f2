package importer

import (
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// isEmptyCell is isEmptyMarker (values.go) for a value not yet trimmed:
// a no-break space (Zendesk Explore's blank) or spaces around a marker
// still say "no value".
func isEmptyCell(v string) bool {
	return isEmptyMarker(strings.TrimSpace(strings.ReplaceAll(v, "\u00a0", " ")))
}

// dropEmptyAttrs removes the attributes a row holds only an empty marker
// for, so that "N/A" never becomes a group in Insights or a match for
// attr.NAME.
func dropEmptyAttrs(rec *model.ImportRecord) {
	clean := func(m map[string]string) map[string]string {
		for k, v := range m {
			if isEmptyCell(v) && v != "NA" { // the converter kept an NA only where it is a code (North America)
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

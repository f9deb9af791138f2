package importer

import (
	"strings"
	"testing"
)

// Empty markers are no value in every column: the converter drops them
// from the attributes, so "N/A" never becomes a group in Insights or a
// match for attr.NAME (a no-break space, Zendesk Explore's blank, is
// trimmed like any space).
func TestEmptyMarkersAreNoAttribute(t *testing.T) {
	for _, v := range []string{"", " ", "-", "—", "NA", "na", "N/A", "n/a", "null", "NULL", "\u00a0", " \u00a0 "} {
		if !isEmptyMarker(strings.TrimSpace(v)) {
			t.Errorf("%q is a value", v)
		}
	}
	for _, v := range []string{"0", "No", "N", "nan", "Nathan", "n/a/b", "--", "无"} {
		if isEmptyMarker(strings.TrimSpace(v)) {
			t.Errorf("%q is taken for no value", v)
		}
	}
	header := []string{"Ticket ID", "Email", "Geography", "Colour", "Store", "Note"}
	row := Row{Line: 2, Fields: []string{"1", "ann@example.com", "N/A", "gold", "\u00a0", "NULL"}}
	m, err := DetectMapping(header, "tickets")
	if err != nil {
		t.Fatal(err)
	}
	m.Decide(header, []Row{row, {Line: 3, Fields: []string{"2", "bob@example.com", "-", "silver", "NA", "null"}}}, nil)
	rec, rerr := NewConverter("t.csv", header, m, nil).Convert(row)
	if rerr != nil {
		t.Fatal(rerr)
	}
	attrs := map[string]string{}
	for k, v := range rec.Customer.Attrs {
		attrs[k] = v
	}
	if rec.Feedback != nil {
		for k, v := range rec.Feedback.Attrs {
			attrs[k] = v
		}
	}
	delete(attrs, "undated") // the file has no date column: flagged, by rule
	if len(attrs) != 1 || attrs["Colour"] != "gold" {
		t.Errorf("attributes after the empty markers: %v, want only Colour gold (and the undated flag)", attrs)
	}
}

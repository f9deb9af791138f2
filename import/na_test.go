package importer

import (
	"testing"
)

// "NA" beside APAC and EMEA is North America, a region like the others; in
// a column of numbers or sentences it is R's "not available" (issue 15:
// empty markers never distort a figure, and neither may they erase one).
func TestNAIsARegionAmongCodes(t *testing.T) {
	header := []string{"Ticket ID", "Requester email", "Service Region", "score", "comment"}
	rows := [][]string{
		{"1", "a@example.com", "NA", "NA", "NA"},
		{"2", "b@example.com", "APAC", "7", "fine"},
		{"3", "c@example.com", "EMEA", "9", "NA"},
		{"4", "d@example.com", "\u00a0", "8", "slow reply"},
	}
	var sample []Row
	for i, r := range rows {
		sample = append(sample, Row{Line: i + 2, Fields: r})
	}
	m, err := DetectMapping(header, "tickets")
	if err != nil {
		t.Fatal(err)
	}
	m.Decide(header, sample, nil)
	if !m.NAValue[2] || m.NAValue[3] || m.NAValue[4] {
		t.Fatalf("NA is a value in: %v, want only Service Region", m.NAValue)
	}
	conv := NewConverter("t.csv", header, m, nil)
	got := map[string]string{}
	for _, r := range sample {
		rec, rerr := conv.Convert(r)
		if rerr != nil {
			t.Fatalf("line %d: %v", r.Line, rerr)
		}
		attrs := rec.Customer.Attrs
		if rec.Feedback != nil && rec.Feedback.Attrs != nil {
			attrs = rec.Feedback.Attrs
		}
		got[r.Fields[0]] = attrs["Service Region"]
	}
	want := map[string]string{"1": "NA", "2": "APAC", "3": "EMEA", "4": ""}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("ticket %s: region = %q, want %q", k, got[k], v)
		}
	}
}

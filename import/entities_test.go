package importer

import (
	"strings"
	"testing"
	"time"
)

func TestAmpersands(t *testing.T) {
	for _, c := range []struct {
		v         string
		ent, bare int
		decoded   string
	}{
		{"Domino&#x27;s Pizza", 1, 0, "Domino's Pizza"},
		{"Barnes &amp; Noble &gt; B&amp;N", 3, 0, "Barnes & Noble > B&N"},
		{"AT&T", 0, 1, "AT&T"},
		{"R&D &amp; Q&A", 1, 2, "R&D & Q&A"},
		{"&copy 2024 &nosuch;", 0, 2, "&copy 2024 &nosuch;"},
		{"&#39;&#039;", 2, 0, "''"},
		{"&#x1b;[31m", 1, 0, "\x1b[31m"}, // decoded; the store's sanitiser takes the escape out
		{"no ampersand", 0, 0, "no ampersand"},
	} {
		e, b := ampersands(c.v)
		if e != c.ent || b != c.bare {
			t.Errorf("ampersands(%q) = %d entities, %d bare; want %d, %d", c.v, e, b, c.ent, c.bare)
		}
		if got := decodeEntities(c.v); got != c.decoded {
			t.Errorf("decodeEntities(%q) = %q, want %q", c.v, got, c.decoded)
		}
	}
}

// TestHTMLEscapedColumnDecoded: a column whose sample holds entities and
// no bare '&' is decoded, and says so; a column with a bare '&' is text
// as written, its entities too; a ticket id keeps its entity (a key).
func TestHTMLEscapedColumnDecoded(t *testing.T) {
	hdr := []string{"Ticket ID", "Requester email", "Organization", "Subject"}
	sample := []Row{
		{Line: 2, Fields: []string{"1&amp;2", "a@example.com", "Domino&#x27;s Pizza", "R&D asks about &amp;"}},
		{Line: 3, Fields: []string{"2", "b@example.com", "Barnes &amp; Noble", "plain"}},
		{Line: 4, Fields: []string{"3", "c@example.com", "Acme", "more"}},
	}
	m, err := DetectMapping(hdr, "auto")
	if err != nil {
		t.Fatal(err)
	}
	m.Decide(hdr, sample, nil)
	if !m.HTMLText[2] || m.HTMLText[3] {
		t.Fatalf("escaped columns %v, want only Organization", m.HTMLText)
	}
	if ev := m.Columns[2].Evidence; !strings.Contains(ev, "HTML-escaped text") {
		t.Errorf("Organization's evidence %q does not say it is decoded", ev)
	}
	conv := NewConverter("f.csv", hdr, m, time.UTC)
	rec, rerr := conv.Convert(sample[0])
	if rerr != nil {
		t.Fatal(rerr)
	}
	if rec.Customer.Company != "Domino's Pizza" || rec.Feedback == nil || rec.Feedback.Subject != "R&D asks about &amp;" {
		t.Errorf("company %q, feedback %+v", rec.Customer.Company, rec.Feedback)
	}
	if rec.FeedbackKey != "1&amp;2" {
		t.Errorf("ticket key %q, want it as written", rec.FeedbackKey)
	}
}

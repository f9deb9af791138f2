package importer

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

// FuzzReader: any bytes end in rows or a clear error, never a panic or a
// hang, and line numbers never go backwards.
func FuzzReader(f *testing.F) {
	f.Add([]byte("id,text\n1,\"multi\nline\"\n2,x\n"))
	f.Add([]byte("a;b;c\r\n1;2;3\r\n;;\r\na;b;c\r\n"))
	f.Add([]byte("\xEF\xBB\xBFname,email\n王芳,wf@example.cn\n"))
	f.Add([]byte("\xFF\xFEa\x00\t\x00b\x00\r\x00\n\x00"))
	f.Add([]byte("x,\"open\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := NewSource("fuzz.csv", bytes.NewReader(data), ReadOptions{})
		if err != nil {
			return
		}
		last := 0
		for i := 0; i < 10000; i++ {
			r, err := src.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				return
			}
			if r.Line < last {
				t.Fatalf("line %d after line %d", r.Line, last)
			}
			last = r.Line
		}
	})
}

// FuzzProfileColumns: any cells give a decision for every column, with
// evidence, never a panic; the decided fields are ones a mapping may name.
func FuzzProfileColumns(f *testing.F) {
	f.Add("satisfaction", "10", "7", "NA")
	f.Add("Contact ID", "ann@example.com", "bo@example.com", "")
	f.Add("推荐", "力荐", "推荐", "9-")
	f.Add("Survey results", "Slightly dissatisfied", "Good", "—")
	f.Add("Creada", "10/nov/25 4:51 PM", "2024年3月5日", "\u00a0")
	f.Add("id", "1", "2", "1e309")
	f.Add("Organization", "Domino&#x27;s", "B &amp; N", "&#x1b;]0;x&#7;")
	f.Fuzz(func(t *testing.T, header, a, b, c string) {
		hdr := []string{header, "nps"}
		m, err := DetectMapping(hdr, "auto")
		if err != nil {
			t.Fatal(err)
		}
		sample := []Row{{Line: 2, Fields: []string{a, "9"}}, {Line: 3, Fields: []string{b}}, {Line: 4, Fields: []string{c, a, b}}}
		m.Decide(hdr, sample, nil)
		if len(m.Columns) != len(hdr) || len(m.Levels) != len(hdr) {
			t.Fatalf("%d decisions for %d columns", len(m.Columns), len(hdr))
		}
		known := map[string]bool{}
		for _, n := range FieldNames() {
			known[n] = true
		}
		for _, col := range m.Columns {
			if !known[col.Field] || col.Evidence == "" || (col.Level != LevelCustomer && col.Level != LevelFeedback) {
				t.Fatalf("decision %+v", col)
			}
		}
		conv := NewConverter("f.csv", hdr, m, time.UTC)
		for _, r := range sample {
			conv.Convert(r)
		}
	})
}

// FuzzParseTime: dates in any language or shape parse to a time or an
// error, never a panic; what parses once parses the same again.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"10/nov/25 4:51 PM", "5 févr. 2024", "3. März 2024 10:00", "2024年3月5日", "18/jul/26 9:10 a. m.",
		"2025-10-01T00:05:28", "25/01/2025 1:30", "45356.5", "dic", "\u00a0"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, dayFirst bool) {
		a, errA := ParseTime(s, time.UTC, dayFirst)
		b, errB := ParseTime(s, time.UTC, dayFirst)
		if (errA == nil) != (errB == nil) || !a.Equal(b) {
			t.Fatalf("ParseTime(%q) is not stable", s)
		}
		englishMonths(s)
	})
}

// FuzzParseScore: a score is 1–5, empty, unknown or an error; a word no
// scale knows is never an error that would reject its row.
func FuzzParseScore(f *testing.F) {
	for _, s := range []string{"Good", "Offered", "Slightly dissatisfied", "力荐", "好评", "4/5", "80%", "9-", "7", "NA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseScore(s)
		switch {
		case err == nil && (v < 1 || v > 5):
			t.Fatalf("ParseScore(%q) = %d", s, v)
		case err != nil && err != errNoValue && err != errUnknownScore:
			if _, isNum := number(strings.ToLower(strings.TrimSpace(s))); !isNum && !fractionRE.MatchString(strings.ToLower(strings.TrimSpace(s))) {
				t.Fatalf("ParseScore(%q): the word %v would reject its row", s, err)
			}
		}
		var p colProfile
		p.words, p.distinct = map[string]int{}, map[string]struct{}{}
		p.add(s)
	})
}

package importer

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/model"
)

// FuzzReader: any bytes, read with any delimiter or opened as a file, end
// in records and row errors — never a panic or a hang — and records start
// on strictly increasing lines with valid UTF-8 fields.
func FuzzReader(f *testing.F) {
	f.Add([]byte("id,text\n1,\"multi\nline\"\n2,x\n"))
	f.Add([]byte("a;b\r\n\"open\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range Delimiters {
			rd := NewReader(bytes.NewReader(data), d)
			last := 0
			for i := 0; ; i++ {
				if i > len(data)+1 {
					t.Fatalf("more records than bytes")
				}
				fields, line, err := rd.Read()
				if err == io.EOF {
					break
				}
				var perr *ParseError
				if err != nil && !errors.As(err, &perr) {
					t.Fatalf("unexpected error %v", err)
				}
				if line <= last {
					t.Fatalf("record on line %d after line %d", line, last)
				}
				last = line
				for _, s := range fields {
					if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
						t.Fatalf("field %q", s)
					}
				}
			}
		}
		file, err := OpenReader("fuzz.csv", bytes.NewReader(data), int64(len(data)), Options{TZ: "UTC"})
		if err != nil {
			return
		}
		last := 0
		for {
			rec, errs, err := file.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.Line <= last {
				t.Fatalf("row on line %d after line %d", rec.Line, last)
			}
			last = rec.Line
			if len(errs) == 0 && rec.Feedback != nil {
				if err := model.ValidateCSAT(rec.Feedback.CSAT); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

// FuzzParseValues: the value parsers never panic and never return a value
// outside what the domain allows.
func FuzzParseValues(f *testing.F) {
	f.Add("4/5")
	f.Add("2024年3月5日 14:22")
	f.Fuzz(func(t *testing.T, s string) {
		for _, scale := range []Scale{ScaleAuto, Scale5, Scale10, Scale100} {
			if v, err := ParseCSATScale(s, scale); err == nil && v != nil && (*v < 1 || *v > 5) {
				t.Fatalf("ParseCSATScale(%q, %s) = %d", s, scale, *v)
			}
		}
		if v, err := ParseNPS(s); err == nil && v != nil && (*v < 0 || *v > 10) {
			t.Fatalf("ParseNPS(%q) = %d", s, *v)
		}
		for _, o := range []DateOrder{DateAuto, DateMDY, DateDMY} {
			if at, err := ParseTimeOrder(s, time.UTC, o); err != nil && at != nil {
				t.Fatalf("ParseTimeOrder(%q) gave a time and an error", s)
			}
		}
		ParseClock(s)
		if got, want := findClock(s), clockRe.FindStringSubmatchIndex(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("findClock(%q) = %v, regexp says %v", s, got, want)
		}
		DetectDateOrder([]string{s, s})
		DetectCSATScale([]string{s})
		ParseAmount(s)
		ParseBool(s)
		for _, tag := range append(ParseTags(s), ParseTag(s)) {
			if tag != "" && utf8.RuneCountInString(tag) <= 64 && model.ValidateTag(tag) != nil {
				t.Fatalf("tag %q from %q", tag, s)
			}
		}
		if id := NormalizeID(s); NormalizeID(id) != id {
			t.Fatalf("NormalizeID(%q) = %q is not stable", s, id)
		}
		if p := categoryPath(s, s); p != "" {
			if _, err := model.SplitCategoryPath(p); err != nil {
				t.Fatalf("categoryPath(%q) = %q: %v", s, p, err)
			}
		}
		HeaderKey(s)
		Detect([]string{s, s})
	})
}

package importer

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type drained struct {
	recs []Record
	errs []RowError
}

func drain(t *testing.T, f *File) drained {
	t.Helper()
	var d drained
	last := 0
	for {
		rec, errs, err := f.Next()
		if err == io.EOF {
			return d
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Line <= last {
			t.Fatalf("line %d after line %d", rec.Line, last)
		}
		last = rec.Line
		if len(errs) > 0 {
			d.errs = append(d.errs, errs...)
			continue
		}
		d.recs = append(d.recs, rec)
	}
}

func TestOpenAndNext(t *testing.T) {
	data := "\uFEFFTicket ID;Customer Email;Rating;Created\r\n" +
		"1;ann@example.com;5;31/08/2021 10:00\r\n" +
		"\r\n" +
		"Ticket ID;Customer Email;Rating;Created\r\n" +
		"2;bob@example.com;9;01/09/2021 10:00\r\n" +
		";;;\r\n" +
		"3;\"multi\r\nline@example.com\";4;02/09/2021 11:00\r\n" +
		"4;dee@example.com;3;03/09/2021 12:00"
	path := writeFile(t, "export.csv", []byte(data))
	f, err := Open(path, Options{TZ: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := f.Detected
	if d.Encoding != UTF8 || !d.BOM || d.Delimiter != ';' || d.Preset != "tickets" || d.HeaderLine != 1 ||
		strings.Join(d.Header, "|") != "Ticket ID|Customer Email|Rating|Created" {
		t.Fatalf("detected %+v", d)
	}
	if d.Mapping.Columns[3].DateOrder != DateDMY || d.Mapping.Encoding != UTF8 || d.Mapping.Delimiter != ";" {
		t.Errorf("settled mapping: %+v", d.Mapping)
	}
	if len(d.Preview) != 4 || d.Preview[0].Record.FeedbackKey != "1" || len(d.Preview[1].Errors) != 1 {
		t.Errorf("preview: %+v", d.Preview)
	}
	if !strings.Contains(d.String(), "tickets, utf-8 (BOM), delimiter ;") {
		t.Errorf("String() = %q", d.String())
	}
	got := drain(t, f)
	if len(got.recs) != 2 || len(got.errs) != 2 || f.Skipped() != 2 {
		t.Fatalf("records %d, errors %v, skipped %d", len(got.recs), got.errs, f.Skipped())
	}
	if got.errs[0].Line != 5 || got.errs[0].Column != "Rating" || got.errs[1].Line != 7 || got.errs[1].Column != "Customer Email" {
		t.Errorf("errors: %v", got.errs)
	}
	if got.recs[1].Line != 9 || got.recs[1].Feedback.CreatedAt.Day() != 3 {
		t.Errorf("last record: %+v", got.recs[1])
	}
	if f.BytesRead() != int64(len(data)) || f.Size() != int64(len(data)) {
		t.Errorf("bytes read %d of %d", f.BytesRead(), f.Size())
	}
	if err := f.SetMapping(d.Mapping); err == nil {
		t.Error("SetMapping after Next should be refused")
	}
}

func TestOpenNotDelimited(t *testing.T) {
	cases := map[string][]byte{
		"empty.csv":   nil,
		"blank.csv":   []byte("\n\n\r\n"),
		"book.xlsx":   append([]byte("PK\x03\x04\x14\x00\x06\x00"), bytes.Repeat([]byte{0, 1, 2, 3}, 64)...),
		"binary.bin":  bytes.Repeat([]byte{0, 0, 0, 7, 'x', 0, 0xff, 0}, 512),
		"utf16-ish?":  bytes.Repeat([]byte{0}, 100),
		"header.csv":  []byte("\"never closed,a\nb,c\n"),
		"bom-only":    {0xEF, 0xBB, 0xBF},
		"rapport.db":  []byte("SQLite format 3\x00\x10\x00\x01\x01"),
		"report.pdf":  []byte("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"),
		"gzip.csv.gz": {0x1f, 0x8b, 0x08, 0x00},
	}
	for name, data := range cases {
		_, err := Open(writeFile(t, name, data), Options{})
		if !errors.Is(err, ErrNotDelimited) {
			t.Errorf("%s: %v, want ErrNotDelimited", name, err)
			continue
		}
		if !strings.Contains(err.Error(), name) {
			t.Errorf("%s: the error should name the file: %v", name, err)
		}
	}
	_, err := Open(t.TempDir(), Options{})
	if !errors.Is(err, ErrNotDelimited) {
		t.Errorf("a directory: %v", err)
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing.csv"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

func TestOpenOverridesAndSavedMapping(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("用户ID|评论内容|得分\n1|很好|5\n2|一般|3\n")
	path := writeFile(t, "reviews.txt", []byte(gbk))
	f, err := Open(path, Options{Encoding: "gbk", Delimiter: "|", Source: "jd", Preset: "survey"})
	if err != nil {
		t.Fatal(err)
	}
	d := f.Detected
	if d.Encoding != GB18030 || d.Delimiter != '|' || d.Preset != "survey" || d.Mapping.Source != "jd" {
		t.Fatalf("detected %+v", d)
	}
	got := drain(t, f)
	f.Close()
	if len(got.recs) != 2 || got.recs[0].Feedback.Body != "很好" || got.recs[0].Source != "jd" || got.recs[0].Feedback.Channel != "survey" {
		t.Fatalf("records: %+v", got.recs)
	}

	// Change one column on the "screen", save, and import again with the map.
	f, _ = Open(path, Options{Encoding: "gb18030", Delimiter: "|"})
	m := f.Detected.Mapping
	if err := m.Set(2, FieldNPS); err != nil {
		t.Fatal(err)
	}
	if err := f.SetMapping(m); err != nil {
		t.Fatal(err)
	}
	if p := f.Detected.Preview[0].Record.Feedback; p.NPS == nil || *p.NPS != 5 || p.CSAT != nil {
		t.Errorf("preview after SetMapping: %+v", p)
	}
	f.Close()
	mapPath := filepath.Join(t.TempDir(), "reviews.toml")
	if err := SaveMapping(mapPath, m); err != nil {
		t.Fatal(err)
	}
	saved, err := LoadMapping(mapPath)
	if err != nil {
		t.Fatal(err)
	}
	f, err = Open(path, Options{Mapping: &saved})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Detected.Encoding != GB18030 || f.Detected.Delimiter != '|' {
		t.Errorf("a saved mapping's encoding and delimiter apply: %+v", f.Detected)
	}
	got = drain(t, f)
	if len(got.recs) != 2 || got.recs[1].Feedback.NPS == nil || *got.recs[1].Feedback.NPS != 3 {
		t.Errorf("with the saved map: %+v", got.recs)
	}
}

func TestOpenReportsOverlongField(t *testing.T) {
	data := "id,text\n1," + strings.Repeat("x", MaxFieldBytes+10) + "\n2,fine\n"
	f, err := OpenReader("long.csv", strings.NewReader(data), -1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := drain(t, f)
	if len(got.errs) != 1 || got.errs[0].Column != "text" || got.errs[0].Line != 2 || got.errs[0].Reason != "field longer than 1 MiB" {
		t.Errorf("errors: %v", got.errs)
	}
	if len(got.recs) != 1 || got.recs[0].Feedback.Body != "fine" {
		t.Errorf("records: %+v", got.recs)
	}
	if got.errs[0].Error() != "long.csv:2: text: field longer than 1 MiB" {
		t.Errorf("Error() = %q", got.errs[0].Error())
	}
}

func TestOpenBadOptions(t *testing.T) {
	path := writeFile(t, "a.csv", []byte("a,b\n1,2\n"))
	for _, o := range []Options{{Encoding: "ebcdic"}, {Delimiter: "ab"}, {Preset: "salesforce"}, {TZ: "Mars/Base"}} {
		if _, err := Open(path, o); err == nil {
			t.Errorf("%+v: want an error", o)
		}
	}
}

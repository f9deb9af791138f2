package importer

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

type readRec struct {
	line   int
	fields []string
	err    error
}

func readAll(t *testing.T, r io.Reader, delim rune) []readRec {
	t.Helper()
	rd := NewReader(r, delim)
	var out []readRec
	for i := 0; ; i++ {
		if i > 1e6 {
			t.Fatal("reader does not stop")
		}
		fields, line, err := rd.Read()
		if err == io.EOF {
			return out
		}
		var perr *ParseError
		if err != nil && !errors.As(err, &perr) {
			t.Fatalf("read: %v", err)
		}
		out = append(out, readRec{line, fields, err})
	}
}

func TestReaderCases(t *testing.T) {
	type rec struct {
		line   int
		fields []string
	}
	cases := []struct {
		name string
		in   string
		want []rec
	}{
		{"simple", "a,b\n1,2\n", []rec{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}},
		{"crlf", "a,b\r\n1,2\r\n", []rec{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}},
		{"no final eol", "a,b\r\n1,2", []rec{{1, []string{"a", "b"}}, {2, []string{"1", "2"}}}},
		{"blank lines", "a,b\n\n\r\n1,2\n\n", []rec{{1, []string{"a", "b"}}, {4, []string{"1", "2"}}}},
		{"multi-line quoted", "id,text\n1,\"first\nsecond\r\nthird\"\n2,x\n",
			[]rec{{1, []string{"id", "text"}}, {2, []string{"1", "first\nsecond\nthird"}}, {5, []string{"2", "x"}}}},
		{"blank lines inside quotes", "id,text\n1,\"a\n\n\nb\"\n2,c\n",
			[]rec{{1, []string{"id", "text"}}, {2, []string{"1", "a\n\n\nb"}}, {6, []string{"2", "c"}}}},
		{"doubled quotes", "a,\"say \"\"hi\"\"\",\"\"\"\"\n", []rec{{1, []string{"a", `say "hi"`, `"`}}}},
		{"bare quotes in unquoted field", "13,3\" Retina,5'11\"\n", []rec{{1, []string{"13", `3" Retina`, `5'11"`}}}},
		{"text after closing quote", "\"abc\"def,x\n", []rec{{1, []string{"abcdef", "x"}}}},
		{"empty fields", ",,\n", []rec{{1, []string{"", "", ""}}}},
		{"empty quoted", "\"\",\"\"\n", []rec{{1, []string{"", ""}}}},
		{"trailing delimiter", "a,b,\n", []rec{{1, []string{"a", "b", ""}}}},
		{"spaces kept", " a , b \n", []rec{{1, []string{" a ", " b "}}}},
		{"lone cr is text", "a\rb,c\n", []rec{{1, []string{"a\rb", "c"}}}},
		{"cr at end of file", "a,b\r", []rec{{1, []string{"a", "b"}}}},
		{"nul dropped", "a\x00b,\x00c\n\x00\n2,3\n", []rec{{1, []string{"ab", "c"}}, {3, []string{"2", "3"}}}},
		{"invalid utf-8", "caf\xe9,ok\n", []rec{{1, []string{"caf\uFFFD", "ok"}}}},
		{"quoted delimiter", "\"a,b\",c\n", []rec{{1, []string{"a,b", "c"}}}},
		{"whitespace line is a record", "a\n   \nb\n", []rec{{1, []string{"a"}}, {2, []string{"   "}}, {3, []string{"b"}}}},
		{"leading blank lines", "\n\nh1,h2\nv1,v2", []rec{{3, []string{"h1", "h2"}}, {4, []string{"v1", "v2"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, split := range []bool{false, true} {
				var r io.Reader = strings.NewReader(c.in)
				if split {
					r = iotestOneByte(r)
				}
				got := readAll(t, r, ',')
				if len(got) != len(c.want) {
					t.Fatalf("got %d records %+v, want %d", len(got), got, len(c.want))
				}
				for i, g := range got {
					if g.err != nil || g.line != c.want[i].line || !reflect.DeepEqual(g.fields, c.want[i].fields) {
						t.Errorf("record %d = line %d %q %v, want line %d %q", i, g.line, g.fields, g.err, c.want[i].line, c.want[i].fields)
					}
				}
			}
		})
	}
}

func TestReaderUnterminatedQuote(t *testing.T) {
	got := readAll(t, strings.NewReader("id,text\n1,ok\n2,\"never closed\n3,x\n4,y\n"), ',')
	if len(got) != 3 {
		t.Fatalf("got %d records: %+v", len(got), got)
	}
	last := got[2]
	var perr *ParseError
	if !errors.As(last.err, &perr) || !errors.Is(last.err, ErrUnterminatedQuote) || perr.Line != 3 || last.line != 3 {
		t.Errorf("unterminated quote: line %d, %v", last.line, last.err)
	}
	if !strings.Contains(last.err.Error(), "line 3") {
		t.Errorf("the error should name line 3: %v", last.err)
	}
}

// A 10 MB field is cut at 1 MiB and reported; the reader neither holds it
// whole nor loses the records that follow.
func TestReaderHugeField(t *testing.T) {
	huge := strings.Repeat("x", 10<<20)
	for _, quoted := range []bool{false, true} {
		field := huge
		if quoted {
			field = "\"" + strings.Repeat("y\n", 5<<20) + "\""
		}
		in := "a,b\n1," + field + "\n2,ok\n"
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rd := NewReader(strings.NewReader(in), ',')
		if _, _, err := rd.Read(); err != nil {
			t.Fatal(err)
		}
		fields, line, err := rd.Read()
		var perr *ParseError
		if !errors.As(err, &perr) || !errors.Is(err, ErrFieldTooLong) || perr.Column != 2 || line != 2 {
			t.Fatalf("quoted=%v: got line %d, %v", quoted, line, err)
		}
		if len(fields) != 2 || len(fields[1]) != MaxFieldBytes {
			t.Errorf("quoted=%v: the field should be cut at %d bytes, is %d", quoted, MaxFieldBytes, len(fields[1]))
		}
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 8<<20 {
			t.Errorf("quoted=%v: heap grew by %d bytes reading a 10 MB field", quoted, grew)
		}
		fields, line, err = rd.Read()
		wantLine := 3
		if quoted {
			wantLine = 3 + 5<<20 // the field holds 5 Mi newlines
		}
		if err != nil || line != wantLine || !reflect.DeepEqual(fields, []string{"2", "ok"}) {
			t.Errorf("quoted=%v: record after the huge one: line %d %q %v", quoted, line, fields, err)
		}
	}
}

func TestReaderManyColumns(t *testing.T) {
	var b strings.Builder
	for row := 0; row < 3; row++ {
		for i := 0; i < 5000; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("v")
		}
		b.WriteByte('\n')
	}
	got := readAll(t, strings.NewReader(b.String()), ',')
	if len(got) != 3 || len(got[2].fields) != 5000 || got[2].err != nil {
		t.Fatalf("5000 columns: %d records, %d fields", len(got), len(got[len(got)-1].fields))
	}
	tooMany := strings.Repeat(",", MaxFields+10) + "\nnext\n"
	got = readAll(t, strings.NewReader(tooMany), ',')
	if len(got) != 2 || !errors.Is(got[0].err, ErrTooManyFields) || len(got[0].fields) != MaxFields {
		t.Errorf("too many fields: %+v", got[0].err)
	}
	if got[1].line != 2 || got[1].fields[0] != "next" {
		t.Errorf("record after: %+v", got[1])
	}
}

func TestReaderRecordTooLong(t *testing.T) {
	field := strings.Repeat("z", MaxFieldBytes-1)
	in := strings.Repeat(field+",", 20) + "\nok\n"
	got := readAll(t, strings.NewReader(in), ',')
	if len(got) != 2 || !errors.Is(got[0].err, ErrRecordTooLong) {
		t.Fatalf("got %d records, first error %v", len(got), got[0].err)
	}
	if got[1].fields[0] != "ok" {
		t.Errorf("record after: %q", got[1].fields)
	}
}

// A CR at the very end of the reader's buffer, with its LF in the next.
func TestReaderCRAtBufferEdge(t *testing.T) {
	for _, pad := range []int{64<<10 - 4, 64<<10 - 3, 64<<10 - 2, 64<<10 - 1} {
		in := "h\r\n" + strings.Repeat("a", pad) + "\r\nb\r\n"
		got := readAll(t, strings.NewReader(in), ',')
		if len(got) != 3 || len(got[1].fields[0]) != pad || got[2].fields[0] != "b" || got[2].line != 3 {
			t.Errorf("pad %d: %d records", pad, len(got))
		}
	}
}

func TestReaderDelimiters(t *testing.T) {
	for _, d := range []rune{';', '\t', '|'} {
		in := "a" + string(d) + "\"b" + string(d) + "c\"\n"
		got := readAll(t, strings.NewReader(in), d)
		if len(got) != 1 || !reflect.DeepEqual(got[0].fields, []string{"a", "b" + string(d) + "c"}) {
			t.Errorf("delimiter %q: %+v", d, got)
		}
	}
	// a delimiter that cannot be one falls back to a comma
	if got := readAll(t, strings.NewReader("a,b\n"), '"'); len(got[0].fields) != 2 {
		t.Errorf("quote as delimiter: %+v", got)
	}
}

func TestReaderBinaryDoesNotHang(t *testing.T) {
	data := bytes.Repeat([]byte{0, 1, 2, '"', '\r', 0xff, '\n', ','}, 100000)
	got := readAll(t, bytes.NewReader(data), ',')
	last := 0
	for _, r := range got {
		if r.line < last {
			t.Fatalf("line %d after %d", r.line, last)
		}
		last = r.line
	}
}

package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/transform"
)

// ErrNotDelimited: the file is not delimited text at all (binary, empty,
// or a single column of nothing); nothing from it is imported.
var ErrNotDelimited = errors.New("not a delimited text file")

// sniffSize is how much of a file the sniffers look at.
const sniffSize = 64 << 10

// ReadOptions override what would be sniffed.
type ReadOptions struct {
	Encoding  string // "" or "auto": sniff
	Delimiter rune   // 0: sniff
}

// Row is one record of a file: its fields and the physical line where it
// starts (the header is line 1), for error messages.
type Row struct {
	Line   int
	Fields []string
}

// Source streams the records of one delimited file in constant memory,
// decoded to UTF-8.
type Source struct {
	Path      string
	Encoding  string
	Delimiter rune
	Header    []string

	closer  io.Closer
	counter *countingReader
	csv     *csv.Reader
	// Skipped counts rows that were not data: blank rows and repeats of
	// the header (exports concatenated from several crawls).
	Skipped int
}

// OpenSource opens a file, sniffs its encoding and delimiter (unless the
// options say), and reads the header. A file that is not delimited text
// fails here, before anything is read from it.
func OpenSource(path string, opts ReadOptions) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	src, err := NewSource(path, f, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	src.closer = f
	return src, nil
}

// NewSource reads delimited text from f; path only names it in messages.
func NewSource(path string, f io.ReadSeeker, opts ReadOptions) (*Source, error) {
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	head = head[:n]
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, fmt.Errorf("%s: %w: the file is empty", path, ErrNotDelimited)
	}
	enc := opts.Encoding
	if enc == "" || enc == "auto" {
		enc = SniffEncoding(head)
	}
	if isBinary(head, enc) {
		return nil, fmt.Errorf("%s: %w: it holds binary data (NUL and control bytes)", path, ErrNotDelimited)
	}
	e, err := encodingByName(enc)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	s := &Source{Path: path, Encoding: enc, counter: &countingReader{r: f}}
	// The UTF-8 and UTF-16 decoders drop a BOM; GB18030 and the code pages
	// never start with one.
	decoded := transform.NewReader(s.counter, e.NewDecoder())
	decodedHead, _, _ := transform.Bytes(e.NewDecoder(), head)
	delim := opts.Delimiter
	if delim == 0 {
		delim = SniffDelimiter(decodedHead)
	}
	s.Delimiter = delim
	s.csv = newCSV(bufio.NewReaderSize(decoded, 64<<10), delim)
	header, err := s.csv.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: cannot read a header row: %v", path, ErrNotDelimited, err)
	}
	s.Header = make([]string, len(header))
	for i, h := range header {
		s.Header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
	}
	return s, nil
}

func newCSV(r io.Reader, delim rune) *csv.Reader {
	c := csv.NewReader(r)
	c.Comma = delim
	c.FieldsPerRecord = -1 // ragged rows are reported per row, not fatal
	c.LazyQuotes = true    // a stray quote inside a field is text
	c.ReuseRecord = false
	return c
}

// Next returns the next data row, skipping blank rows and repeated
// header rows; io.EOF at the end. A malformed row (an unterminated quote
// at the end of the file) comes back as an error naming its line.
func (s *Source) Next() (Row, error) {
	for {
		rec, err := s.csv.Read()
		if err == io.EOF {
			return Row{}, io.EOF
		}
		line, _ := s.csv.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return Row{Line: pe.StartLine}, fmt.Errorf("%s:%d: %v", s.Path, pe.StartLine, pe.Err)
			}
			return Row{Line: line}, fmt.Errorf("%s:%d: %w", s.Path, line, err)
		}
		if allEmpty(rec) || s.isHeader(rec) {
			s.Skipped++
			continue
		}
		return Row{Line: line, Fields: rec}, nil
	}
}

func allEmpty(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func (s *Source) isHeader(rec []string) bool {
	if len(rec) != len(s.Header) {
		return false
	}
	for i := range rec {
		if strings.TrimSpace(rec[i]) != s.Header[i] {
			return false
		}
	}
	return true
}

// BytesRead is how far into the file the reader is, for progress.
func (s *Source) BytesRead() int64 { return s.counter.n }

// Close releases the file.
func (s *Source) Close() error {
	if s.closer == nil {
		return nil
	}
	return s.closer.Close()
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// SniffDelimiter picks, among , ; TAB and |, the one that splits the
// first lines into the same number (two or more) of fields most often.
func SniffDelimiter(head []byte) rune {
	// Only whole lines: the sample may end inside a record.
	if i := bytes.LastIndexByte(head, '\n'); i > 0 {
		head = head[:i+1]
	}
	best, bestScore := ',', -1
	for _, d := range []rune{',', ';', '\t', '|'} {
		c := newCSV(bytes.NewReader(head), d)
		counts := map[int]int{}
		rows := 0
		for rows < 50 {
			rec, err := c.Read()
			if err != nil {
				break
			}
			if allEmpty(rec) {
				continue
			}
			counts[len(rec)]++
			rows++
		}
		score := 0
		for fields, n := range counts {
			if fields >= 2 && n*fields > score {
				score = n * fields
			}
		}
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Limits that keep a hostile or broken file from taking the machine's
// memory: a record that breaks one is reported as a row error and reading
// goes on with the next record.
const (
	MaxFieldBytes  = 1 << 20  // one field
	MaxRecordBytes = 16 << 20 // all the fields of one record together
	MaxFields      = 1 << 15  // fields in one record
)

// Errors a record can carry (inside a *ParseError).
var (
	ErrFieldTooLong      = errors.New("field longer than 1 MiB")
	ErrRecordTooLong     = errors.New("record longer than 16 MiB")
	ErrTooManyFields     = fmt.Errorf("more than %d columns", MaxFields)
	ErrUnterminatedQuote = errors.New("quoted field is not closed before the end of the file")
)

// ParseError is a record the reader could not read whole. The record is
// still returned (with what could be read) so that it can be reported;
// reading continues with the next record.
type ParseError struct {
	Line   int // physical line where the record starts
	Column int // 1-based field number, 0 for the record as a whole
	Err    error
}

func (e *ParseError) Error() string {
	if e.Column > 0 {
		return fmt.Sprintf("line %d, field %d: %v", e.Line, e.Column, e.Err)
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Reader reads records of delimited text (RFC 4180 and what spreadsheets
// actually write) from UTF-8 text, in constant memory, and says on which
// physical line each record starts. It is lenient the way Excel is:
//
//   - quoted fields may hold delimiters, newlines (CRLF inside a quoted
//     field becomes LF) and doubled quotes;
//   - a quote inside an unquoted field is text (5'11", 13,3" Retina);
//   - text after a closing quote joins the field ("abc"def is abcdef);
//   - blank lines are skipped, CRLF and LF both end records, and the last
//     record needs no line end;
//   - NUL bytes are dropped; invalid UTF-8 becomes U+FFFD;
//   - a quote left open at the end of the file, a field over
//     MaxFieldBytes, a record over MaxRecordBytes or MaxFields give a
//     *ParseError with the record's line, and reading goes on.
//
// encoding/csv does most of this but buffers a whole record, so a 10 MB
// field or an unclosed quote near the start of a large file would be held
// in memory whole; this reader never holds more than the limits.
type Reader struct {
	br    *bufio.Reader
	delim byte
	line  int  // physical line of the next byte
	eof   bool // the input is used up
	field []byte
	width int // fields in the previous record, to size the next
}

// NewReader reads records separated by delim, which must be an ASCII
// character other than a quote or a line end (',' is used otherwise).
func NewReader(r io.Reader, delim rune) *Reader {
	if delim <= 0 || delim >= utf8.RuneSelf || delim == '"' || delim == '\r' || delim == '\n' {
		delim = ','
	}
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), delim: byte(delim), line: 1}
}

// Line is the physical line the reader has reached.
func (r *Reader) Line() int { return r.line }

type readState int

const (
	atRecordStart readState = iota // nothing of the record read yet
	atFieldStart                   // after a delimiter
	inUnquoted
	inQuoted
	afterQuote // a quote inside a quoted field: the end, or half of ""
)

// record accumulates one record.
type record struct {
	fields []string
	bytes  int
	err    *ParseError
	long   bool // the current field went over MaxFieldBytes
	line   int
}

func (rec *record) fail(col int, err error) {
	if rec.err == nil {
		rec.err = &ParseError{Line: rec.line, Column: col, Err: err}
	}
}

// Read returns the next record and the physical line where it starts, or
// io.EOF after the last one. A record that could not be read whole comes
// with a *ParseError; any other error is from the underlying reader and
// ends reading.
func (r *Reader) Read() ([]string, int, error) {
	if r.eof {
		return nil, r.line, io.EOF
	}
	rec := record{fields: make([]string, 0, r.width)}
	r.field = r.field[:0]
	state := atRecordStart
	pendingCR := false
	for {
		chunk, err := r.br.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull && err != io.EOF {
			return nil, r.line, err
		}
		for i := 0; i < len(chunk); i++ {
			b := chunk[i]
			if pendingCR { // a CR ended the previous chunk
				pendingCR = false
				if b != '\n' {
					state = r.data(&rec, state, '\r')
				}
			}
			switch {
			case b == 0:
				continue
			case b == '\r':
				if i+1 == len(chunk) {
					pendingCR = true
				} else if chunk[i+1] != '\n' {
					state = r.data(&rec, state, '\r')
				}
				continue
			case b == '\n':
				if state == inQuoted {
					r.appendField(&rec, chunk[i:i+1])
					r.line++
					continue
				}
				r.line++
				if state == atRecordStart {
					continue // a blank line
				}
				r.endField(&rec)
				return r.finish(&rec)
			}
			if state == atRecordStart {
				rec.line = r.line
				state = atFieldStart
			}
			switch state {
			case atFieldStart:
				switch b {
				case '"':
					state = inQuoted
				case r.delim:
					r.endField(&rec)
				default:
					i = r.run(&rec, chunk, i, false) - 1
					state = inUnquoted
				}
			case inUnquoted:
				if b == r.delim {
					r.endField(&rec)
					state = atFieldStart
				} else {
					i = r.run(&rec, chunk, i, false) - 1
				}
			case inQuoted:
				if b == '"' {
					state = afterQuote
				} else {
					i = r.run(&rec, chunk, i, true) - 1
				}
			case afterQuote:
				switch b {
				case '"':
					r.appendField(&rec, chunk[i:i+1])
					state = inQuoted
				case r.delim:
					r.endField(&rec)
					state = atFieldStart
				default:
					r.appendField(&rec, chunk[i:i+1])
					state = inUnquoted
				}
			}
		}
		if err == io.EOF {
			r.eof = true
			if state == atRecordStart {
				return nil, r.line, io.EOF
			}
			if state == inQuoted {
				rec.err = nil
				rec.fail(0, ErrUnterminatedQuote)
			}
			r.endField(&rec)
			return r.finish(&rec)
		}
	}
}

// data handles a byte that is plain text in any state (a lone CR).
func (r *Reader) data(rec *record, state readState, b byte) readState {
	if state == atRecordStart {
		rec.line = r.line
	}
	r.appendField(rec, []byte{b})
	switch state {
	case atRecordStart, atFieldStart, afterQuote:
		return inUnquoted
	}
	return state
}

// run appends the bytes of chunk from i up to the next byte that matters
// in the current state, and returns where it stopped.
func (r *Reader) run(rec *record, chunk []byte, i int, quoted bool) int {
	j := i
	for j < len(chunk) {
		c := chunk[j]
		if c == '\n' || c == '\r' || c == 0 || (quoted && c == '"') || (!quoted && c == r.delim) {
			break
		}
		j++
	}
	r.appendField(rec, chunk[i:j])
	return j
}

func (r *Reader) appendField(rec *record, b []byte) {
	if room := MaxFieldBytes - len(r.field); len(b) > room {
		b = b[:max(room, 0)]
		rec.long = true
	}
	if room := MaxRecordBytes - rec.bytes; len(b) > room {
		b = b[:max(room, 0)]
		rec.fail(0, ErrRecordTooLong)
	}
	r.field = append(r.field, b...)
	rec.bytes += len(b)
}

func (r *Reader) endField(rec *record) {
	col := len(rec.fields) + 1
	if rec.long {
		rec.fail(col, ErrFieldTooLong)
		rec.long = false
	}
	if len(rec.fields) >= MaxFields {
		rec.fail(0, ErrTooManyFields)
	} else {
		s := string(r.field)
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		rec.fields = append(rec.fields, s)
	}
	r.field = r.field[:0]
}

func (r *Reader) finish(rec *record) ([]string, int, error) {
	r.width = min(len(rec.fields), 1024)
	if rec.err != nil {
		return rec.fields, rec.line, rec.err
	}
	return rec.fields, rec.line, nil
}

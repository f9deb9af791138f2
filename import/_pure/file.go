package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Options are what the command line or the Import screen says about a
// file; anything left empty is detected.
type Options struct {
	Preset      string   // "", "auto" or a preset name (PresetNames)
	Mapping     *Mapping // a saved mapping (--map); its settings win over detection
	Encoding    string   // "", "auto" or an encoding name (ParseEncoding)
	Delimiter   string   // "", "auto" or a delimiter (ParseDelimiter)
	Source      string   // system the ids come from; default the mapping's, else the preset's name
	TZ          string   // zone of times written without one; default the mapping's, else local
	PreviewRows int      // rows converted for the preview; 0 means 10
}

// Detected is what Open found out, for the Import screen and the report.
type Detected struct {
	Preset     string
	Encoding   Encoding
	BOM        bool
	Delimiter  rune
	Header     []string
	HeaderLine int
	Mapping    Mapping   // bound to Header: one column per header
	Preview    []Preview // the first rows, converted
}

// Preview is one converted row of the preview, or why it was rejected.
type Preview struct {
	Record Record
	Errors []RowError
}

// Sample limits: the rows read ahead to decide date orders and CSAT
// scales and to show a preview. They are replayed by Next.
const (
	sampleRows  = 200
	sampleBytes = 4 << 20
)

type rawRow struct {
	fields []string
	line   int
	err    error
}

// File is an open export, read row by row in constant memory.
type File struct {
	Detected Detected

	name    string
	closer  io.Closer
	count   *countingReader
	size    int64
	rd      *Reader
	conv    *Converter
	pending []rawRow
	started bool
	skipped int
}

// Open opens a file, sniffs its encoding and delimiter, reads its header,
// detects (or binds) the mapping and converts a preview. A file that is
// not delimited text fails at once with an error wrapping
// ErrNotDelimited that says what the file looks like instead.
func Open(path string, opts Options) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var size int64 = -1
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			f.Close()
			return nil, fmt.Errorf("%s: %w: it is a directory", path, ErrNotDelimited)
		}
		size = st.Size()
	}
	file, err := OpenReader(path, f, size, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	file.closer = f
	return file, nil
}

// OpenReader is Open on a stream (standard input, a test); name is used in
// messages and size, if known (else -1), for progress.
func OpenReader(name string, r io.Reader, size int64, opts Options) (*File, error) {
	m := Mapping{}
	if opts.Mapping != nil {
		m = *opts.Mapping
	}
	encName, delimName := firstOf(opts.Encoding, string(m.Encoding)), firstOf(opts.Delimiter, m.Delimiter)
	enc, err := ParseEncoding(encName)
	if err != nil {
		return nil, err
	}
	delim, err := ParseDelimiter(delimName)
	if err != nil {
		return nil, err
	}
	count := &countingReader{r: r}
	head := make([]byte, SniffSize)
	n, err := io.ReadFull(count, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	head = head[:n]
	more := n == SniffSize
	d := Detected{Encoding: enc, BOM: bytes.HasPrefix(head, utf8BOM)}
	if enc == "" {
		if d.Encoding, d.BOM, err = SniffEncoding(head); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	} else if reason := binaryReason(head); reason != "" && enc != UTF16LE && enc != UTF16BE {
		return nil, fmt.Errorf("%s: %w", name, notDelimited(reason))
	}
	d.Delimiter = delim
	if delim == 0 {
		d.Delimiter = SniffDelimiter(sampleText(head, d.Encoding, more))
	}

	file := &File{name: name, count: count, size: size}
	file.rd = NewReader(NewDecoder(io.MultiReader(bytes.NewReader(head), count), d.Encoding), d.Delimiter)
	header, line, err := file.rd.Read()
	var perr *ParseError
	switch {
	case err == io.EOF:
		return nil, fmt.Errorf("%s: %w: there is no header row", name, ErrNotDelimited)
	case errors.As(err, &perr):
		return nil, fmt.Errorf("%s: %w: the header row cannot be read (%v)", name, ErrNotDelimited, perr.Err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	d.Header = make([]string, len(header))
	for i, h := range header {
		d.Header[i] = cleanHeader(h, i)
	}
	d.HeaderLine = line
	if err := file.readSample(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}

	if opts.Mapping != nil {
		m = m.Bind(d.Header)
		if opts.Preset != "" && opts.Preset != "auto" {
			m.Preset = opts.Preset
		}
	} else if m, err = DetectPreset(d.Header, opts.Preset); err != nil {
		return nil, err
	}
	m.Encoding, m.Delimiter = d.Encoding, string(d.Delimiter)
	if opts.Source != "" {
		m.Source = opts.Source
	}
	if opts.TZ != "" {
		m.TZ = opts.TZ
	}
	file.settleColumns(&m)
	d.Preset = m.Preset
	file.Detected = d
	if err := file.SetMapping(m); err != nil {
		return nil, err
	}
	rows := opts.PreviewRows
	if rows <= 0 {
		rows = 10
	}
	file.Detected.Preview = file.preview(rows)
	return file, nil
}

func firstOf(a, b string) string {
	if a != "" && a != "auto" {
		return a
	}
	return b
}

// readSample reads ahead the rows that decide date orders and CSAT scales.
func (f *File) readSample() error {
	bytesRead := 0
	for len(f.pending) < sampleRows && bytesRead < sampleBytes {
		fields, line, err := f.rd.Read()
		if err == io.EOF {
			return nil
		}
		var perr *ParseError
		if err != nil && !errors.As(err, &perr) {
			return err
		}
		f.pending = append(f.pending, rawRow{fields, line, err})
		for _, s := range fields {
			bytesRead += len(s)
		}
	}
	return nil
}

// settleColumns decides, from the sample, what a column's values alone can
// say: whether its dates are day or month first and which scale its CSAT
// numbers use. A setting in a saved mapping is kept.
func (f *File) settleColumns(m *Mapping) {
	for i := range m.Columns {
		col := &m.Columns[i]
		var values []string
		for _, r := range f.pending {
			if i < len(r.fields) {
				values = append(values, r.fields[i])
			}
		}
		switch col.Field {
		case FieldCreatedAt, FieldResolvedAt:
			if col.DateOrder == DateAuto {
				col.DateOrder = DetectDateOrder(values)
			}
		case FieldCSAT:
			if col.Scale == ScaleAuto {
				col.Scale = DetectCSATScale(values)
			}
		}
	}
}

// SetMapping changes the mapping (after a person edited a column on the
// Import screen) and converts the preview again. It is refused once Next
// has been called.
func (f *File) SetMapping(m Mapping) error {
	if f.started {
		return errors.New("the mapping cannot change once the import has started")
	}
	conv, err := NewConverter(f.name, f.Detected.Header, m)
	if err != nil {
		return fmt.Errorf("%s: %w", f.name, err)
	}
	f.conv = conv
	f.Detected.Mapping = conv.Mapping()
	f.Detected.Preset = conv.Mapping().Preset
	if f.Detected.Preview != nil {
		f.Detected.Preview = f.preview(len(f.Detected.Preview))
	}
	return nil
}

// preview converts the first n rows of the sample without consuming them.
func (f *File) preview(n int) []Preview {
	out := []Preview{}
	for _, r := range f.pending {
		if len(out) >= n {
			break
		}
		rec, errs := f.convert(r)
		if rec.Skip != "" {
			continue
		}
		out = append(out, Preview{rec, errs})
	}
	return out
}

func (f *File) convert(r rawRow) (Record, []RowError) {
	var perr *ParseError
	if errors.As(r.err, &perr) {
		col := ""
		if perr.Column > 0 && perr.Column <= len(f.Detected.Header) {
			col = f.Detected.Header[perr.Column-1]
		}
		return Record{Line: r.line, Raw: r.fields, Source: f.conv.source},
			[]RowError{{File: f.name, Line: perr.Line, Column: col, Reason: perr.Err.Error()}}
	}
	return f.conv.Convert(r.line, r.fields)
}

// Next returns the next row: a Record to store, or the row's errors (the
// Record then carries only Line and Raw, and nothing of it is to be
// stored). Blank rows and repeated headers are counted (Skipped) and not
// returned. At the end it returns io.EOF; any other error means the file
// could not be read further.
func (f *File) Next() (Record, []RowError, error) {
	f.started = true
	for {
		var r rawRow
		if len(f.pending) > 0 {
			r, f.pending = f.pending[0], f.pending[1:]
		} else {
			fields, line, err := f.rd.Read()
			var perr *ParseError
			switch {
			case err == io.EOF:
				return Record{}, nil, io.EOF
			case err != nil && !errors.As(err, &perr):
				return Record{}, nil, fmt.Errorf("%s line %d: %w", f.name, f.rd.Line(), err)
			}
			r = rawRow{fields, line, err}
		}
		rec, errs := f.convert(r)
		if len(errs) == 0 && rec.Skip != "" {
			f.skipped++
			continue
		}
		return rec, errs, nil
	}
}

// Name is the file's name as given to Open.
func (f *File) Name() string { return f.name }

// Base is the file's base name, for reports.
func (f *File) Base() string { return filepath.Base(f.name) }

// Skipped counts the blank rows and repeated headers Next has passed over.
func (f *File) Skipped() int { return f.skipped }

// BytesRead is how many bytes of the file have been read, for progress
// (read ahead in blocks, so it runs a little ahead of Next).
func (f *File) BytesRead() int64 { return f.count.n }

// Size is the file's size in bytes, or -1 when unknown.
func (f *File) Size() int64 { return f.size }

// Close closes the file.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// String describes what was detected, for a status line.
func (d Detected) String() string {
	delim := string(d.Delimiter)
	if d.Delimiter == '\t' {
		delim = "tab"
	}
	enc := string(d.Encoding)
	if d.BOM {
		enc += " (BOM)"
	}
	return strings.Join([]string{d.Preset, enc, "delimiter " + delim, fmt.Sprintf("%d columns", len(d.Header))}, ", ")
}

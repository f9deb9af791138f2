package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapportcrm/rapport/model"
)

// Output formats of the read commands.
const (
	formatTable = "table"
	formatCSV   = "csv"
	formatJSON  = "json"
)

// parseFormat accepts one of the allowed formats, in any case.
func parseFormat(s string, allowed ...string) (string, error) {
	f := strings.ToLower(strings.TrimSpace(s))
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", usageErrorf("unknown format %q (expected %s)", s, strings.Join(allowed, ", "))
}

// column describes one column of a table: its title, whether it holds
// numbers (right-aligned) and the most terminal cells it may take (0: no
// limit).
type column struct {
	title string
	right bool
	max   int
}

// tableWriter lays out rows in aligned columns. Widths are measured in
// terminal cells, so 张伟 takes four and keeps the columns straight; every
// cell is cleaned of escape sequences and control characters first, so
// data can never drive the terminal.
type tableWriter struct {
	w    io.Writer
	cols []column
	rows [][]string
}

func newTable(w io.Writer, cols ...column) *tableWriter {
	return &tableWriter{w: w, cols: cols}
}

// add appends a row; cells beyond the columns are ignored.
func (t *tableWriter) add(cells ...string) {
	row := make([]string, len(t.cols))
	for i := range row {
		if i < len(cells) {
			row[i] = fitCell(cells[i], t.cols[i].max)
		}
	}
	t.rows = append(t.rows, row)
}

// fitCell cleans s to one line and truncates it to max cells with an
// ellipsis.
func fitCell(s string, max int) string {
	s = strings.TrimSpace(model.CleanLine(s))
	if max > 0 && ansi.StringWidth(s) > max {
		s = ansi.Truncate(s, max, "…")
	}
	return s
}

// flush writes the header and the rows. Columns are separated by two
// spaces; lines carry no trailing spaces.
func (t *tableWriter) flush() error {
	widths := make([]int, len(t.cols))
	for i, c := range t.cols {
		widths[i] = ansi.StringWidth(c.title)
	}
	for _, r := range t.rows {
		for i, s := range r {
			widths[i] = max(widths[i], ansi.StringWidth(s))
		}
	}
	var b bytes.Buffer
	line := func(cells []string) {
		var l strings.Builder
		for i, s := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-ansi.StringWidth(s))
			if t.cols[i].right {
				l.WriteString(pad + s)
			} else {
				l.WriteString(s + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	titles := make([]string, len(t.cols))
	for i, c := range t.cols {
		titles[i] = c.title
	}
	line(titles)
	for _, r := range t.rows {
		line(r)
	}
	t.rows = nil
	_, err := t.w.Write(b.Bytes())
	return err
}

// csvSafe makes each cell safe for a spreadsheet (model.CSVCell: no
// formula, no control characters); the cell at index multiline (-1:
// none) keeps its line breaks.
func csvSafe(cells []string, multiline int) []string {
	for i, s := range cells {
		cells[i] = model.CSVCell(s, i == multiline)
	}
	return cells
}

// newCSV returns a CSV writer with the header already written.
func newCSV(w io.Writer, header []string) (*csv.Writer, error) {
	cw := csv.NewWriter(w)
	return cw, cw.Write(header)
}

// jsonArray streams one JSON array document, an element at a time, so that
// a list of a million rows never sits in memory.
type jsonArray struct {
	w io.Writer
	n int
}

func (a *jsonArray) add(v any) error {
	b, err := marshalJSON(v, "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if a.n == 0 {
		sep = "[\n  "
	}
	a.n++
	if _, err := io.WriteString(a.w, sep); err != nil {
		return err
	}
	_, err = a.w.Write(b)
	return err
}

func (a *jsonArray) close() error {
	end := "\n]\n"
	if a.n == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(a.w, end)
	return err
}

// writeJSON writes one indented JSON document.
func writeJSON(w io.Writer, v any) error {
	b, err := marshalJSON(v, "")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// marshalJSON indents with two spaces and leaves <, > and & as they are.
func marshalJSON(v any, prefix string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// listWriter writes the rows of a list command in the chosen format:
// a table (buffered to measure the columns), CSV or a JSON array (both
// streamed).
type listWriter[T any] struct {
	format string
	table  *tableWriter
	csv    *csv.Writer
	json   *jsonArray
	view   listView[T]
}

// listView says how one kind of record looks in each format.
type listView[T any] struct {
	columns   []column
	cells     func(T) []string
	csvHeader []string
	csvCells  func(T) []string
	json      func(T) any
}

func newListWriter[T any](w io.Writer, format string, v listView[T]) (*listWriter[T], error) {
	lw := &listWriter[T]{format: format, view: v}
	switch format {
	case formatCSV:
		cw, err := newCSV(w, v.csvHeader)
		if err != nil {
			return nil, err
		}
		lw.csv = cw
	case formatJSON:
		lw.json = &jsonArray{w: w}
	default:
		lw.table = newTable(w, v.columns...)
	}
	return lw, nil
}

// writeList writes a whole list to w in format.
func writeList[T any](w io.Writer, format string, v listView[T], rows []T) error {
	return streamList(w, format, v, func(emit func(T) error) error {
		for _, r := range rows {
			if err := emit(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// streamList writes to w, in format, the rows that fetch emits, page by
// page, so that a list of a million rows never sits in memory (a table
// excepted: it is measured before it is written).
func streamList[T any](w io.Writer, format string, v listView[T], fetch func(emit func(T) error) error) error {
	out := newOutput(w)
	lw, err := newListWriter(out, format, v)
	if err != nil {
		return err
	}
	if err := fetch(lw.add); err != nil {
		return err
	}
	if err := lw.close(); err != nil {
		return err
	}
	return out.Flush()
}

func (lw *listWriter[T]) add(rec T) error {
	switch {
	case lw.csv != nil:
		return lw.csv.Write(lw.view.csvCells(rec))
	case lw.json != nil:
		return lw.json.add(lw.view.json(rec))
	default:
		lw.table.add(lw.view.cells(rec)...)
		return nil
	}
}

func (lw *listWriter[T]) close() error {
	switch {
	case lw.csv != nil:
		lw.csv.Flush()
		return lw.csv.Error()
	case lw.json != nil:
		return lw.json.close()
	default:
		return lw.table.flush()
	}
}

// Helpers that turn model values into JSON's conventions: absent values
// are null, times are RFC 3339 in UTC.

func strPtr(s string) *string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return &s
}

func timeStr(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func timePtrStr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	return timeStr(*t)
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// Helpers for table and CSV text.

func fmtFloat(f float64, prec int) string { return strconv.FormatFloat(f, 'f', prec, 64) }

// fmtFloatPtr renders an optional number; absent is "".
func fmtFloatPtr(f *float64, prec int) string {
	if f == nil {
		return ""
	}
	return fmtFloat(*f, prec)
}

func fmtIntPtr(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// fmtMoney renders a lifetime value for a table, in whole units.
func fmtMoney(f float64) string {
	if f == 0 {
		return ""
	}
	return model.Thousands(int64(math.Round(f)))
}

// localDate shows a time as a local calendar date for tables.
func localDate(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02")
}

// localMinute shows a time as local date and minute for tables.
func localMinute(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

// rfc3339 renders a time for CSV: RFC 3339 in UTC, "" when absent.
func rfc3339(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// newOutput buffers stdout; commands flush once at the end.
func newOutput(w io.Writer) *bufio.Writer { return bufio.NewWriterSize(w, 64<<10) }

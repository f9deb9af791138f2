package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// RejectedWriter streams rejected rows to a CSV file as the import
// rejects them, each with an added errors column, ready to fix and import
// again: every row, in constant memory. The file is created with the first
// row, so an import without rejects leaves no file. A file's header is
// written before its first row, and again when the next file's differs.
type RejectedWriter struct {
	// Path is the file written.
	Path string
	// Exclusive refuses to replace an existing file (the TUI names a free
	// one); the command line truncates the file it was given.
	Exclusive bool

	f      *os.File
	w      *csv.Writer
	header []string // the header written last
	n      int      // rows written
	err    error
}

// Add writes one rejected row; fields are the row as read (none when it
// could not be parsed as a record: the reason then names its line).
func (r *RejectedWriter) Add(header []string, line int, fields []string, reason string) {
	if r.err != nil {
		return
	}
	if r.f == nil {
		flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if r.Exclusive {
			flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL
		}
		if r.f, r.err = os.OpenFile(r.Path, flags, 0o600); r.err != nil {
			return
		}
		r.w = csv.NewWriter(r.f)
	}
	if r.n == 0 || !slices.Equal(header, r.header) {
		r.header = header
		r.err = r.w.Write(append(append([]string{}, header...), "errors"))
	}
	cells := make([]string, 0, max(len(fields), len(header))+1)
	for _, c := range fields {
		cells = append(cells, model.CSVCell(c, true))
	}
	if len(fields) == 0 {
		for range header {
			cells = append(cells, "")
		}
		reason = fmt.Sprintf("line %d: %s", line, reason)
	}
	if r.err == nil {
		r.err = r.w.Write(append(cells, model.CSVCell(reason, true)))
	}
	r.n++
}

// Close flushes the file and reports the first failure, if any.
func (r *RejectedWriter) Close() error {
	if r.f == nil {
		return r.err
	}
	r.w.Flush()
	err := errors.Join(r.err, r.w.Error(), r.f.Close())
	if err != nil {
		return fmt.Errorf("writing rejected rows to %s: %w", r.Path, err)
	}
	return nil
}

// Rows is how many rejected rows were written.
func (r *RejectedWriter) Rows() int { return r.n }

// FreeErrorsPath names a file for a source's rejected rows in dir that
// does not exist yet: NAME.errors.csv, else NAME.errors-2.csv, -3, …
func FreeErrorsPath(dir, source string) string {
	base := strings.TrimSuffix(filepath.Base(source), filepath.Ext(source))
	return FreeName(filepath.Join(dir, base+".errors.csv"))
}

// FreeName is path when nothing is there, else the first free one of
// STEM-2.EXT, STEM-3.EXT, …
func FreeName(path string) string {
	ext := filepath.Ext(path)
	stem := strings.TrimSuffix(path, ext)
	for i := 1; i < 10000; i++ {
		p := path
		if i > 1 {
			p = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
	}
	return path // O_EXCL refuses it: the report says so
}

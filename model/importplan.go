package model

import "time"

// The plain data of an interactive import (the TUI's Import tab): what
// the user chose, what the importer found in the file, how far it is and
// what it did. The importer package fills them; the UI shows them.

// ImportSettings are the user's choices for one import.
type ImportSettings struct {
	Agent string
	// Fields overrides the detected mapping, one entry per column: a
	// field name from ImportPlan.Fields, or "" to keep the column as an
	// attribute (of the ticket, or of the customer in a file without
	// feedback). Nil keeps the detected mapping.
	Fields []string
	// Scales sets the scale of score columns, one entry per column: one
	// of that column's ImportColumn.Scales, or "" as detected. Nil keeps
	// every column as detected.
	Scales []string
	DryRun bool
	// ErrorsFile is where to write the rejected rows ("" = nowhere). An
	// existing file is never replaced: the next free name beside it
	// (NAME.errors-2.csv) is taken instead; the report names the file.
	ErrorsFile string
}

// ImportPlan is what Inspect found.
type ImportPlan struct {
	Preset    string
	Encoding  string
	Delimiter string
	Size      int64 // bytes
	Columns   []ImportColumn
	Preview   [][]string // the first data rows, as read (untrusted text)
	Fields    []string   // every field a column can map to
	// ErrorsFile is the suggested file for rejected rows: a free name in
	// the data folder, beside the database.
	ErrorsFile string
	Notes      []string // what the import will say of the whole file (no date column, no person)
}

// ImportColumn is one column of a file and where its values go.
type ImportColumn struct {
	Header string
	Field  string // "" = attrs
	// Level is whom an attribute column describes ("customer" or
	// "feedback"); Evidence why the column was given its field, e.g.
	// "0–10 scale, not CSAT 1–5 → kept as attribute".
	Level    string
	Evidence string
	// Scales are the scales that make sense for a score-like column, the
	// one it has now first ("csat", "nps", "csat-from-0-10",
	// "csat-from-1-10", "attribute"); none for other columns.
	Scales []string
}

// ImportProgress is sent while an import runs.
type ImportProgress struct {
	Rows       int
	Read, Size int64 // bytes of the file read so far, of all
	Elapsed    time.Duration
}

// ImportReport is the outcome of an import.
type ImportReport struct {
	ImportCounts
	Errors     []ImportRowError // the first ones
	ErrorsFile string           // where rejected rows were written, or ""
	DryRun     bool
	Cancelled  bool
	Elapsed    time.Duration
	Findings   ImportFindings // what the file had that the import could not take as it is
}

// ImportRowError is a rejected row.
type ImportRowError struct {
	Line   int
	Column string
	Reason string
}

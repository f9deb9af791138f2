package importer

import (
	"fmt"
	"sort"

	"github.com/rapportcrm/rapport/model"
)

// Findings are what a file's report says beyond its counts: each
// column's decided meaning with its evidence, and the rows whose values
// were kept without being understood.
type Findings struct {
	Columns []Column `json:"columns"`
	// UnknownScores counts score answers no scale knows (or a 7-point
	// scale's): the score is empty and the text kept in csat_raw.
	UnknownScores int `json:"unknown_scores"`
	// Undated counts feedback without a creation date (no column, or an
	// empty cell): it is dated by the rule in the README.
	Undated int `json:"undated"`
	// NoPerson counts rows in which no column names a person: each is
	// its own anonymous customer (or skipped when it holds no feedback).
	NoPerson int `json:"no_person"`
	// UnknownValues lists channel and status values no table knows, kept
	// as written (channels) or read as open (statuses).
	UnknownValues []UnknownValue `json:"unknown_values"`
	// Notes say the above in words, for the table report and the preview.
	Notes   []string `json:"notes"`
	unknown map[UnknownValue]int
}

// UnknownValue is a value of a channel or status column no table knows.
type UnknownValue struct {
	Column string `json:"column"`
	Value  string `json:"value"`
	Rows   int    `json:"rows"`
}

// maxUnknownValues bounds the distinct unknown values a report lists.
const maxUnknownValues = 50

// note counts what a converted row had.
func (rep *FileReport) note(n RowNote, rec model.ImportRecord) {
	if n.UnknownScore {
		rep.UnknownScores++
	}
	if n.Undated && rec.Feedback != nil {
		rep.Undated++
	}
	if n.NoPerson {
		rep.NoPerson++
	}
	for _, u := range []UnknownValue{{Column: "channel", Value: n.Channel}, {Column: "status", Value: n.Status}} {
		if u.Value == "" {
			continue
		}
		if rep.unknown == nil {
			rep.unknown = map[UnknownValue]int{}
		}
		if _, ok := rep.unknown[u]; ok || len(rep.unknown) < maxUnknownValues {
			rep.unknown[u]++
		}
	}
}

// finish lists the unknown values and words the findings.
func (rep *FileReport) finish(m Mapping) {
	rep.UnknownValues = []UnknownValue{}
	for u, n := range rep.unknown {
		u.Rows = n
		rep.UnknownValues = append(rep.UnknownValues, u)
	}
	sort.Slice(rep.UnknownValues, func(i, j int) bool {
		a, b := rep.UnknownValues[i], rep.UnknownValues[j]
		if a.Rows != b.Rows {
			return a.Rows > b.Rows
		}
		return a.Column+a.Value < b.Column+b.Value
	})
	if rep.Columns == nil {
		rep.Columns = []Column{}
	}
	rep.Notes = fileNotes(m, rep.Findings)
}

// fileNotes words a file's findings.
func fileNotes(m Mapping, f Findings) []string {
	notes := []string{}
	hasCreated := false
	for _, c := range m.Fields {
		hasCreated = hasCreated || c == FieldCreated
	}
	switch {
	case !hasCreated && f.Undated > 0:
		notes = append(notes, fmt.Sprintf("no creation-date column: %d feedback flagged undated, dated just before the oldest feedback (the import's start in an empty database)", f.Undated))
	case f.Undated > 0:
		notes = append(notes, fmt.Sprintf("%d feedback with an empty creation date: flagged undated, dated just before the oldest feedback", f.Undated))
	}
	if f.NoPerson > 0 {
		notes = append(notes, fmt.Sprintf("%d row(s) name no person: each is its own anonymous customer", f.NoPerson))
	}
	if f.UnknownScores > 0 {
		notes = append(notes, fmt.Sprintf("%d score answer(s) no scale knows: score left empty, text kept in csat_raw", f.UnknownScores))
	}
	for _, u := range f.UnknownValues {
		what := "kept as written"
		if u.Column == "status" {
			what = "read as open"
		}
		notes = append(notes, fmt.Sprintf("unknown %s %q on %d rows: %s", u.Column, u.Value, u.Rows, what))
	}
	return notes
}

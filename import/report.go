package importer

import (
	"fmt"
	"sort"
	"strings"

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
	// UnknownWords are those answers' words, the most frequent first.
	UnknownWords []UnknownValue `json:"unknown_score_words"`
	// Rescaled counts answers rescaled to CSAT 1–5 from the scale the user
	// chose for their column (Options.Scales).
	Rescaled int `json:"rescaled"`
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
	words   map[string]int
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
		if rep.words == nil {
			rep.words = map[string]int{}
		}
		if _, ok := rep.words[n.ScoreWord]; ok || len(rep.words) < maxUnknownValues {
			rep.words[n.ScoreWord]++
		}
	}
	if n.Rescaled {
		rep.Rescaled++
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
	rep.UnknownWords = []UnknownValue{}
	for w, n := range rep.words {
		rep.UnknownWords = append(rep.UnknownWords, UnknownValue{Column: "score", Value: w, Rows: n})
	}
	sort.Slice(rep.UnknownWords, func(i, j int) bool {
		a, b := rep.UnknownWords[i], rep.UnknownWords[j]
		if a.Rows != b.Rows {
			return a.Rows > b.Rows
		}
		return a.Value < b.Value
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
	if f.Rescaled > 0 {
		var cols []string
		for i, sc := range m.Scales {
			if isRescale(sc) && i < len(m.Columns) {
				cols = append(cols, fmt.Sprintf("%s (%s)", m.Columns[i].Header, sc.rangeOf()))
			}
		}
		notes = append(notes, fmt.Sprintf("%d answer(s) of %s rescaled to CSAT 1–5 (%s), the answer kept in csat_raw",
			f.Rescaled, strings.Join(cols, ", "), rescaleBands))
	}
	if f.UnknownScores > 0 {
		notes = append(notes, fmt.Sprintf("%d score answer(s) no scale knows%s: score left empty, text kept in csat_raw",
			f.UnknownScores, wordList(f.UnknownWords)))
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

// wordList quotes the most frequent unknown words: ` ("meh" ×3, "so-so" ×1, …)`.
func wordList(ws []UnknownValue) string {
	if len(ws) == 0 {
		return ""
	}
	parts := make([]string, 0, 4)
	for _, w := range ws[:min(3, len(ws))] {
		parts = append(parts, fmt.Sprintf("%q ×%d", w.Value, w.Rows))
	}
	if len(ws) > 3 {
		parts = append(parts, "…")
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

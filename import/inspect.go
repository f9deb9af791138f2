package importer

import (
	"io"
)

// Inspection is what a look at a file's first rows finds: how it reads,
// what each column means (with the evidence) and what the import will
// say about it, before anything is stored.
type Inspection struct {
	Encoding  string
	Delimiter string
	Header    []string
	Mapping   Mapping
	Sample    [][]string // the sampled rows, as read (untrusted text)
	Notes     []string
}

// Inspect reads a file's header and sample rows and decides its columns
// as Run will (the same sample, the same rules).
func Inspect(path string, ro ReadOptions, preset string) (Inspection, error) {
	var in Inspection
	src, err := OpenSource(path, ro)
	if err != nil {
		return in, err
	}
	defer src.Close()
	in.Encoding, in.Delimiter, in.Header = src.Encoding, string(src.Delimiter), src.Header
	m, err := DetectMapping(src.Header, preset)
	if err != nil {
		return in, err
	}
	var sample []Row
	for len(sample) < sampleRows {
		r, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			continue // a bad row is the import's to report
		}
		r.Fields = append([]string(nil), r.Fields...)
		sample = append(sample, r)
		in.Sample = append(in.Sample, r.Fields)
	}
	m.Decide(src.Header, sample, nil)
	if m.presetName == "" && (preset == "" || preset == "auto") {
		m.Preset = genericKind(m.Fields)
	}
	in.Mapping = m
	in.Notes = planNotes(m)
	return in, nil
}

// planNotes say before an import what its report will count: feedback
// without a creation date, rows without a person.
func planNotes(m Mapping) []string {
	has := map[Field]bool{}
	for _, f := range m.Fields {
		has[f] = true
	}
	var notes []string
	if !has[FieldCreated] {
		notes = append(notes, "no creation-date column: feedback is flagged undated and sorts below dated feedback")
	}
	if !has[FieldCustomerID] && !has[FieldEmail] && !has[FieldPhone] && !has[FieldName] {
		notes = append(notes, "no column names a person: each row becomes its own anonymous customer")
	}
	return notes
}

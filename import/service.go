package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// Service gives the TUI's Import tab the importer and the store: it
// satisfies ui.Importer (the command line hands it to the TUI), so that ui
// knows neither CSV nor SQL.
type Service struct {
	Store model.Store
	// Loc is the zone of times without one; nil = local.
	Loc *time.Location
}

// previewRows is how many data rows Inspect shows.
const previewRows = 5

// importFields are the targets a column can be mapped to in the TUI.
var importFields = []Field{
	FieldCustomerID, FieldName, FieldEmail, FieldPhone,
	FieldCompany, FieldPlan, FieldRegion, FieldCity,
	FieldLanguage, FieldGender, FieldLTV, FieldCustomerTags,
	FieldTicketID, FieldSubject, FieldBody, FieldChannel,
	FieldKind, FieldCategory, FieldPriority, FieldStatus,
	FieldCSAT, FieldNPS, FieldAgent, FieldCreated,
	FieldResolved, FieldTags,
}

// Inspect reads the header and the first rows of a file.
func (s Service) Inspect(ctx context.Context, path string, set model.ImportSettings) (model.ImportPlan, error) {
	var plan model.ImportPlan
	fi, err := os.Stat(path)
	if err != nil {
		return plan, err
	}
	in, err := Inspect(path, ReadOptions{}, "auto")
	if err != nil {
		return plan, err
	}
	m := in.Mapping
	plan.Preset, plan.Encoding, plan.Delimiter, plan.Size = m.Preset, in.Encoding, in.Delimiter, fi.Size()
	for i, f := range m.Fields {
		col := model.ImportColumn{Header: in.Header[i], Field: string(f)}
		if i < len(m.Columns) {
			col.Level, col.Evidence = string(m.Columns[i].Level), m.Columns[i].Evidence
			for _, sc := range m.Columns[i].Scales {
				col.Scales = append(col.Scales, string(sc))
			}
		}
		plan.Columns = append(plan.Columns, col)
	}
	for _, f := range importFields {
		plan.Fields = append(plan.Fields, string(f))
	}
	dir := s.Store.FilesDir()
	if dir == "" { // a database on a server: beside the imported file
		dir = filepath.Dir(path)
	}
	plan.ErrorsFile = FreeErrorsPath(dir, path)
	plan.Preview = in.Sample[:min(previewRows, len(in.Sample))]
	plan.Notes = in.Notes
	return plan, ctx.Err()
}

// Run imports the file and writes its rejected rows to set.ErrorsFile
// when one is named (never replacing a file: a free name beside it is
// taken). A dry run's writes are all rolled back at its end.
func (s Service) Run(ctx context.Context, path string, set model.ImportSettings, progress func(model.ImportProgress)) (model.ImportReport, error) {
	start := time.Now()
	var size int64
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	loc := s.Loc
	if loc == nil {
		loc = time.Local
	}
	opts := Options{Agent: set.Agent, DryRun: set.DryRun, Loc: loc}
	if progress != nil {
		opts.Progress = func(rows int, read int64) {
			if rows < 0 {
				return // the first pass over the file
			}
			progress(model.ImportProgress{Rows: rows, Read: read, Size: size, Elapsed: time.Since(start)})
		}
	}
	if set.Fields != nil {
		opts.Fields = make([]Field, len(set.Fields))
		for i, f := range set.Fields {
			opts.Fields[i] = Field(f)
		}
	}
	scales, err := columnScales(set.Scales)
	if err != nil {
		return model.ImportReport{}, err
	}
	opts.ColumnScales = scales
	var rejected *RejectedWriter
	if set.ErrorsFile != "" {
		rejected = &RejectedWriter{Path: FreeName(set.ErrorsFile), Exclusive: true}
		opts.Rejected = rejected.Add
	}
	var fr FileReport
	run := func(st model.Store) error {
		var err error
		fr, err = Run(ctx, st, path, opts)
		return err
	}
	if set.DryRun {
		err = s.Store.DryRun(ctx, run)
	} else {
		err = run(s.Store)
	}
	rep := model.ImportReport{ImportCounts: fr.ImportCounts, DryRun: set.DryRun, Elapsed: time.Since(start),
		Findings: findings(fr.Findings)}
	if errors.Is(err, context.Canceled) {
		rep.Cancelled, err = true, nil
	}
	for _, e := range fr.Errors[:min(len(fr.Errors), 50)] {
		rep.Errors = append(rep.Errors, model.ImportRowError{Line: e.Line, Column: e.Column, Reason: e.Reason})
	}
	if rejected != nil {
		if werr := rejected.Close(); werr != nil && err == nil {
			err = fmt.Errorf("the rejected rows could not be written: %w", werr)
		}
		if rejected.Rows() > 0 {
			rep.ErrorsFile = rejected.Path
		}
	}
	return rep, err
}

// columnScales turns the TUI's per-column scales into the importer's
// (nil when none is set).
func columnScales(scales []string) ([]Scale, error) {
	var out []Scale
	for i, name := range scales {
		if name == "" {
			continue
		}
		sc, err := ParseScale(name)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = make([]Scale, len(scales))
		}
		out[i] = sc
	}
	return out, nil
}

// findings copies a file's findings for the TUI's report.
func findings(f Findings) model.ImportFindings {
	out := model.ImportFindings{UnknownScores: f.UnknownScores, Undated: f.Undated, NoPerson: f.NoPerson,
		Rescaled: f.Rescaled, Notes: f.Notes}
	for _, u := range f.UnknownWords {
		out.UnknownWords = append(out.UnknownWords, model.ImportValue{Column: u.Column, Value: u.Value, Rows: u.Rows})
	}
	for _, u := range f.UnknownValues {
		out.UnknownValues = append(out.UnknownValues, model.ImportValue{Column: u.Column, Value: u.Value, Rows: u.Rows})
	}
	return out
}

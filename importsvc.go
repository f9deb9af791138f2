package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rapportcrm/rapport/db"
	importer "github.com/rapportcrm/rapport/import"
	"github.com/rapportcrm/rapport/model"
	"github.com/rapportcrm/rapport/ui"
)

// importService gives the TUI's Import tab the importer and the store:
// it satisfies ui.Importer, so that ui knows neither CSV nor SQL.
type importService struct {
	st model.Store
	// loc is the zone of times without one; nil = local.
	loc *time.Location
}

var _ ui.Importer = importService{}

// previewRows is how many data rows Inspect shows.
const previewRows = 5

// importFields are the targets a column can be mapped to in the TUI.
var importFields = []importer.Field{
	importer.FieldCustomerID, importer.FieldName, importer.FieldEmail, importer.FieldPhone,
	importer.FieldCompany, importer.FieldPlan, importer.FieldRegion, importer.FieldCity,
	importer.FieldLanguage, importer.FieldGender, importer.FieldLTV, importer.FieldCustomerTags,
	importer.FieldTicketID, importer.FieldSubject, importer.FieldBody, importer.FieldChannel,
	importer.FieldKind, importer.FieldCategory, importer.FieldPriority, importer.FieldStatus,
	importer.FieldCSAT, importer.FieldNPS, importer.FieldAgent, importer.FieldCreated,
	importer.FieldResolved, importer.FieldTags,
}

// Inspect reads the header and the first rows of a file.
func (s importService) Inspect(ctx context.Context, path string, set model.ImportSettings) (model.ImportPlan, error) {
	var plan model.ImportPlan
	fi, err := os.Stat(path)
	if err != nil {
		return plan, err
	}
	in, err := importer.Inspect(path, importer.ReadOptions{}, "auto")
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
	dir := filepath.Dir(s.st.Path())
	if db.IsURL(s.st.Path()) { // PostgreSQL: beside the imported file
		dir = filepath.Dir(path)
	}
	plan.ErrorsFile = freeErrorsPath(dir, path)
	plan.Preview = in.Sample[:min(previewRows, len(in.Sample))]
	plan.Notes = in.Notes
	return plan, ctx.Err()
}

// Run imports the file and writes its rejected rows to set.ErrorsFile
// when one is named (never replacing a file: a free name beside it is
// taken). A dry run's writes are all rolled back at its end.
func (s importService) Run(ctx context.Context, path string, set model.ImportSettings, progress func(model.ImportProgress)) (model.ImportReport, error) {
	start := time.Now()
	var size int64
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	loc := s.loc
	if loc == nil {
		loc = time.Local
	}
	opts := importer.Options{Agent: set.Agent, DryRun: set.DryRun, Loc: loc}
	if progress != nil {
		opts.Progress = func(rows int, read int64) {
			if rows < 0 {
				return // the first pass over the file
			}
			progress(model.ImportProgress{Rows: rows, Read: read, Size: size, Elapsed: time.Since(start)})
		}
	}
	if set.Fields != nil {
		opts.Fields = make([]importer.Field, len(set.Fields))
		for i, f := range set.Fields {
			opts.Fields[i] = importer.Field(f)
		}
	}
	scales, err := columnScales(set.Scales)
	if err != nil {
		return model.ImportReport{}, err
	}
	opts.ColumnScales = scales
	var rejected *rejectedWriter
	if set.ErrorsFile != "" {
		rejected = &rejectedWriter{path: freeName(set.ErrorsFile), exclusive: true}
		opts.Rejected = rejected.add
	}
	var fr importer.FileReport
	run := func(st model.Store) error {
		var err error
		fr, err = importer.Run(ctx, st, path, opts)
		return err
	}
	if set.DryRun {
		err = s.st.DryRun(ctx, run)
	} else {
		err = run(s.st)
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
		if werr := rejected.close(); werr != nil && err == nil {
			err = fmt.Errorf("the rejected rows could not be written: %w", werr)
		}
		if rejected.n > 0 {
			rep.ErrorsFile = rejected.path
		}
	}
	return rep, err
}

// columnScales turns the TUI's per-column scales into the importer's
// (nil when none is set).
func columnScales(scales []string) ([]importer.Scale, error) {
	var out []importer.Scale
	for i, name := range scales {
		if name == "" {
			continue
		}
		sc, err := importer.ParseScale(name)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = make([]importer.Scale, len(scales))
		}
		out[i] = sc
	}
	return out, nil
}

// findings copies a file's findings for the TUI's report.
func findings(f importer.Findings) model.ImportFindings {
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

package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// surveyCSV is a survey whose `satisfaction` is on 0–10, as the
// importer offers it: kept as attribute, or on another scale with x.
const surveyCSV = "id,satisfaction,nps,comment\n" +
	"1,10,9,Très bien\n" +
	"2,6,3,Trop d'attente\n" +
	"3,NA,10,NA\n" +
	"4,0,7,Caisse fermée\n"

// scaleImporter is the fake importer of importer_test.go with the scales
// the real one offers for a 0–10 survey, and a run that rescales.
type scaleImporter struct{ fakeImporter }

var surveyColumns = []model.ImportColumn{
	{Header: "id", Field: "customer.id", Level: "customer", Evidence: "an id in a survey with no other person column → the respondent (customer.id)"},
	{Header: "satisfaction", Field: "", Level: "feedback", Evidence: "0–10 scale, not CSAT 1–5 → kept as attribute",
		Scales: []string{"attribute", "nps", "csat-from-0-10"}},
	{Header: "nps", Field: "feedback.nps", Level: "feedback", Evidence: "0–10 scale → feedback.nps",
		Scales: []string{"nps", "csat-from-0-10", "attribute"}},
	{Header: "comment", Field: "feedback.body", Level: "feedback", Evidence: "by its header → feedback.body"},
}

func (f *scaleImporter) Inspect(ctx context.Context, path string, s model.ImportSettings) (model.ImportPlan, error) {
	recs, err := readAll(path)
	if err != nil {
		return model.ImportPlan{}, err
	}
	return model.ImportPlan{Preset: "survey", Encoding: "utf-8", Delimiter: ",", Size: int64(len(surveyCSV)),
		Columns: surveyColumns, Preview: recs[1:], ErrorsFile: "/srv/exports/survey.errors.csv",
		Fields: []string{"customer.id", "feedback.body", "feedback.csat", "feedback.nps"},
		Notes:  []string{"no creation-date column: feedback is flagged undated and sorts below dated feedback"}}, nil
}

func (f *scaleImporter) Run(ctx context.Context, path string, s model.ImportSettings, progress func(model.ImportProgress)) (model.ImportReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settings = append(f.settings, s)
	recs, err := readAll(path)
	if err != nil {
		return model.ImportReport{}, err
	}
	var rep model.ImportReport
	for _, r := range recs[1:] {
		rep.Rows++
		row := map[string]string{}
		for j, v := range r {
			field := surveyColumns[j].Field
			if s.Fields != nil {
				field = s.Fields[j]
			}
			if s.Scales != nil && s.Scales[j] == "csat-from-0-10" {
				if v == "NA" {
					continue
				}
				n, _ := strconv.Atoi(v)
				row["feedback.csat"], row["csat_raw"] = strconv.Itoa(max(1, (n+1)/2)), v
				rep.Findings.Rescaled++
				continue
			}
			if field == "" {
				field = "attrs." + recs[0][j]
			}
			row[field] = v
		}
		f.stored = append(f.stored, row)
		rep.FeedbackCreated++
		rep.CustomersCreated++
	}
	rep.Findings.Undated = rep.Rows
	rep.Findings.UnknownScores = 1
	rep.Findings.UnknownWords = []model.ImportValue{{Column: "score", Value: "bof\x07\x1b[2J", Rows: 1}}
	rep.Findings.UnknownValues = []model.ImportValue{{Column: "channel", Value: "\x1b]0;x\x07Fax", Rows: 2},
		{Column: "status", Value: "Terminé", Rows: 1}}
	return rep, nil
}

// TestImportScaleCycle drives the mapping screen: x cycles the 0–10
// satisfaction column's scale (skipping NPS, which the nps column has),
// the row and the why line say it, the run gets it, and the report shows
// the file's notes.
func TestImportScaleCycle(t *testing.T) {
	imp := &scaleImporter{}
	m, dir := newImportModel(t, imp)
	if err := os.WriteFile(filepath.Join(dir, "survey.csv"), []byte(surveyCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	send(t, m, m.imports.inspect(filepath.Join(dir, "survey.csv")))
	if m.imports.stage != importPlanning {
		t.Fatalf("stage %d, err %v", m.imports.stage, m.imports.err)
	}
	// x on a column that is not a score changes nothing and says why.
	send(t, m, nil, keys("j", "j", "j", "x")...)
	if m.imports.fields[3] != "feedback.body" || !strings.Contains(m.status, "comment is not a score column") {
		t.Fatalf("x on comment: %q, status %q", m.imports.fields[3], m.status)
	}
	send(t, m, nil, keys("k", "k")...)
	if frame := m.View(); !strings.Contains(frame, "why 0–10 scale, not CSAT 1–5 → kept as attribute · a feedback attribute · x: scale") {
		t.Errorf("why line before:\n%s", frame)
	}
	// NPS is the nps column's: x goes straight to the rescale.
	send(t, m, nil, keys("x")...)
	if m.imports.fields[1] != "feedback.csat" || m.imports.scales[1] != "csat-from-0-10" || m.imports.fields[2] != "feedback.nps" {
		t.Fatalf("after x: fields %q scales %q", m.imports.fields, m.imports.scales)
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "import_scale", frame)
	for _, want := range []string{"feedback.csat 0–10→1–5*", "why set by you: 0–10 rescaled to CSAT 1–5 (9–10→5, 7–8→4",
		"1 changed by you (*)"} {
		if !strings.Contains(frame, want) {
			t.Errorf("mapping lacks %q:\n%s", want, frame)
		}
	}
	// x again: back as detected; once more: the rescale again.
	send(t, m, nil, keys("x")...)
	if m.imports.fields[1] != "" || m.imports.scales[1] != "" || m.imports.changed() {
		t.Fatalf("second x: fields %q scales %q", m.imports.fields, m.imports.scales)
	}
	send(t, m, nil, keys("x")...)
	// On the nps column, x offers the rescale (csat is satisfaction's now:
	// skipped) and then attribute.
	send(t, m, nil, keys("j", "x")...)
	if m.imports.fields[2] != "" || m.imports.scales[2] != "attribute" || m.imports.fields[1] != "feedback.csat" {
		t.Fatalf("x on nps: fields %q scales %q", m.imports.fields, m.imports.scales)
	}
	send(t, m, nil, keys("u")...) // u: the detected field and scale
	if m.imports.fields[2] != "feedback.nps" || m.imports.scales[2] != "" {
		t.Fatalf("u on nps: fields %q scales %q", m.imports.fields, m.imports.scales)
	}
	// A dry run (d, i: no prompt) sends the scale with the mapping.
	send(t, m, nil, keys("d", "i")...)
	if len(imp.settings) != 1 {
		t.Fatalf("runs: %d", len(imp.settings))
	}
	s := imp.settings[0]
	if fmt.Sprint(s.Fields) != fmt.Sprint([]string{"customer.id", "feedback.csat", "feedback.nps", "feedback.body"}) ||
		fmt.Sprint(s.Scales) != fmt.Sprint([]string{"", "csat-from-0-10", "", ""}) || !s.DryRun {
		t.Fatalf("settings: %+v", s)
	}
	if imp.stored[0]["feedback.csat"] != "5" || imp.stored[0]["csat_raw"] != "10" || imp.stored[1]["feedback.csat"] != "3" ||
		imp.stored[3]["feedback.csat"] != "1" || imp.stored[2]["feedback.csat"] != "" {
		t.Errorf("stored: %v", imp.stored)
	}
	frame = m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "import_scale_report", frame)
	for _, want := range []string{"Notes", "rescaled", "3 satisfaction 0–10→1–5 (answer kept in csat_raw)",
		"undated", `"bof" ×1`, `channel "Fax" ×2, status "Terminé" ×1`} {
		if !strings.Contains(frame, want) {
			t.Errorf("report lacks %q:\n%s", want, frame)
		}
	}
	if strings.Contains(frame, "\x07") || strings.Contains(frame, "]0;") || strings.Contains(frame, "[2J") {
		t.Errorf("report shows raw escapes:\n%q", frame)
	}
}

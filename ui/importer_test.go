package ui

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// ticketsCSV has a Chinese header, a column nobody maps (会员等级 is
// mapped, "Membership" is not), a value with escape sequences and a row
// with a bad email.
const ticketsCSV = "Ticket ID,客户姓名,Email,满意度,Membership,Subject\n" +
	"T-1,王芳,wang.fang@example.cn,5,gold,退款一直没到账\n" +
	"T-2,Evil\x1b]0;pwned\x07Name,evil@example.com,2,silver,\x1b[31mred\x1b[0m alert\n" +
	"T-3,Lucas Martin,not-an-email,4,gold,Login fails\n" +
	"T-4,张伟,zhang.wei@example.cn,3,bronze,如何导出发票\n"

// fakeImporter reads the CSV for real but "stores" rows in memory: each
// row becomes a map of field → value under the mapping it was given.
type fakeImporter struct {
	mu       sync.Mutex
	settings []model.ImportSettings
	stored   []map[string]string
	block    bool // wait for cancellation after the first row
}

var fakeFields = map[string]string{"Ticket ID": "feedback.id", "客户姓名": "customer.name", "Email": "customer.email",
	"满意度": "feedback.csat", "Subject": "feedback.subject"}

func readAll(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return csv.NewReader(f).ReadAll()
}

func (f *fakeImporter) Inspect(ctx context.Context, path string, s model.ImportSettings) (model.ImportPlan, error) {
	if filepath.Base(path) == "broken.csv" {
		return model.ImportPlan{}, fmt.Errorf("%s: not a delimited text file: it holds binary data\x1b[2J", path)
	}
	recs, err := readAll(path)
	if err != nil {
		return model.ImportPlan{}, err
	}
	plan := model.ImportPlan{Preset: "tickets", Encoding: "utf-8", Delimiter: ",", Size: 321,
		Fields: []string{"customer.name", "customer.email", "customer.plan", "feedback.id", "feedback.subject", "feedback.csat"}}
	for _, h := range recs[0] {
		level := "feedback"
		if strings.HasPrefix(fakeFields[h], "customer.") {
			level = "customer"
		}
		plan.Columns = append(plan.Columns, model.ImportColumn{Header: h, Field: fakeFields[h], Level: level,
			Evidence: "by its header → " + fieldOrAttrs(fakeFields[h])})
	}
	plan.Preview = recs[1:]
	plan.ErrorsFile = "/srv/exports/tickets.errors.csv"
	plan.Notes = []string{"no creation-date column: feedback is flagged undated and sorts below dated feedback"}
	return plan, nil
}

func (f *fakeImporter) Run(ctx context.Context, path string, s model.ImportSettings, progress func(model.ImportProgress)) (model.ImportReport, error) {
	f.mu.Lock()
	f.settings = append(f.settings, s)
	f.mu.Unlock()
	recs, err := readAll(path)
	if err != nil {
		return model.ImportReport{}, err
	}
	fields := s.Fields
	if fields == nil {
		for _, h := range recs[0] {
			fields = append(fields, fakeFields[h])
		}
	}
	var rep model.ImportReport
	for i, r := range recs[1:] {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Rows++
		row := map[string]string{}
		bad := false
		for j, v := range r {
			if fields[j] == "customer.email" && !strings.Contains(v, "@") {
				rep.Errors = append(rep.Errors, model.ImportRowError{Line: i + 2, Column: recs[0][j], Reason: fmt.Sprintf("%q is not an email address", v)})
				rep.ImportCounts.Errors++
				bad = true
			}
			key := fields[j]
			if key == "" {
				key = "attrs." + recs[0][j]
			}
			row[key] = v
		}
		if !bad {
			rep.CustomersCreated++
			rep.FeedbackCreated++
			f.mu.Lock()
			f.stored = append(f.stored, row)
			f.mu.Unlock()
		}
		progress(model.ImportProgress{Rows: rep.Rows, Read: int64(80 * (i + 1)), Size: 321, Elapsed: time.Duration(i+1) * time.Second})
		if f.block {
			<-ctx.Done()
		}
	}
	if rep.ImportCounts.Errors > 0 {
		rep.ErrorsFile = s.ErrorsFile
	}
	rep.Elapsed = 1500 * time.Millisecond
	return rep, nil
}

// newImportModel opens the TUI on the Import tab, its picker in dir.
func newImportModel(t *testing.T, imp Importer) (*Model, string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tickets.csv"), []byte(ticketsCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte("not a CSV"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := New(context.Background(), testStore(t), NewStyles(lipgloss.DefaultRenderer()),
		Options{Agent: "tester", DBPath: "/tmp/team.db", Now: func() time.Time { return fixedNow }, Importer: imp})
	m.imports.dir = dir
	send(t, m, m.Init())
	send(t, m, nil, tea.WindowSizeMsg{Width: 100, Height: 30})
	send(t, m, nil, keys("5")...)
	return m, dir
}

func TestImportMappingPreviewAndReport(t *testing.T) {
	imp := &fakeImporter{}
	m, dir := newImportModel(t, imp)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	if !strings.Contains(frame, "tickets.csv") || !strings.Contains(frame, "notes.md") {
		t.Fatalf("picker does not list the folder:\n%s", frame)
	}
	// notes.md is listed but cannot be chosen.
	send(t, m, nil, keys("enter")...)
	if m.imports.stage != importPicking || !strings.Contains(m.status, "notes.md is not a CSV") {
		t.Fatalf("chose notes.md: stage %d status %q", m.imports.stage, m.status)
	}
	send(t, m, nil, keys("j", "enter")...)
	if m.imports.stage != importPlanning || m.imports.path != filepath.Join(dir, "tickets.csv") {
		t.Fatalf("stage %d path %q err %v", m.imports.stage, m.imports.path, m.imports.err)
	}
	frame = m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "import_mapping", frame)

	// i asks where rejected rows go, the importer's suggestion filled in;
	// enter keeps it and runs.
	send(t, m, nil, keys("i")...)
	if frame := m.View(); m.imports.stage != importPlanning || !m.imports.Capturing() ||
		!strings.Contains(frame, "import; rejected rows to: /srv/exports/tickets.errors.csv") {
		t.Fatalf("i did not ask for the rejected rows' file:\n%s", frame)
	}
	if frame := m.View(); !strings.Contains(frame, "enter import (empty: no file) • esc back") {
		t.Errorf("prompt's keys:\n%s", frame)
	}
	send(t, m, nil, keys("enter")...)
	if m.imports.stage != importDone {
		t.Fatalf("stage after run: %d", m.imports.stage)
	}
	frame = m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "import_report", frame)
	for _, want := range []string{"line 4", "not-an-email", "/srv/exports/tickets.errors.csv", "rejected"} {
		if !strings.Contains(frame, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if len(imp.settings) != 1 || imp.settings[0].Fields != nil || imp.settings[0].Agent != "tester" || imp.settings[0].DryRun ||
		imp.settings[0].ErrorsFile != "/srv/exports/tickets.errors.csv" {
		t.Errorf("settings: %+v", imp.settings)
	}
	// The stats were re-read after the import (the root refreshed).
	if !m.statsOK {
		t.Error("stats not loaded")
	}
}

func TestImportChangedMappingIsImported(t *testing.T) {
	imp := &fakeImporter{}
	m, _ := newImportModel(t, imp)
	send(t, m, nil, keys("j", "enter")...)
	// Membership (column 5) is kept in attrs; choose customer.plan for it
	// from the field list, and move Email to attrs with a.
	send(t, m, nil, keys("j", "j", "j", "j")...)
	if m.imports.plan.Columns[m.imports.sel].Header != "Membership" {
		t.Fatalf("cursor on %q", m.imports.plan.Columns[m.imports.sel].Header)
	}
	send(t, m, nil, keys("f")...)
	if !m.imports.choosing || !m.imports.Capturing() {
		t.Fatal("f did not open the field list")
	}
	for m.imports.choices()[m.imports.choice] != "customer.plan" {
		send(t, m, nil, keys("j")...)
	}
	send(t, m, nil, keys("enter", "k", "k", "a")...)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	if !strings.Contains(frame, "customer.plan*") || !strings.Contains(frame, "2 changed by you") {
		t.Errorf("mapping view does not show the changes:\n%s", frame)
	}
	// cycling with l/h steps through the fields and back
	send(t, m, nil, keys("l", "h")...)
	if m.imports.fields[2] != "" {
		t.Errorf("l then h left %q", m.imports.fields[2])
	}
	send(t, m, nil, keys("d", "i")...)
	s := imp.settings[0]
	want := []string{"feedback.id", "customer.name", "", "feedback.csat", "customer.plan", "feedback.subject"}
	if fmt.Sprint(s.Fields) != fmt.Sprint(want) || !s.DryRun || s.ErrorsFile != "" {
		t.Fatalf("settings: %+v", s)
	}
	// With Email in attrs the bad address is no longer a rejected row, and
	// Membership arrives as the plan.
	if len(imp.stored) != 4 || imp.stored[0]["customer.plan"] != "gold" || imp.stored[2]["attrs.Email"] != "not-an-email" {
		t.Errorf("stored: %v", imp.stored)
	}
	if !strings.Contains(m.View(), "dry run") {
		t.Error("report does not say dry run")
	}
	// u puts the detected field back.
	send(t, m, nil, keys("esc", "u")...)
	if m.imports.fields[m.imports.sel] != m.imports.plan.Columns[m.imports.sel].Field {
		t.Error("u did not reset the column")
	}
}

func TestImportCancel(t *testing.T) {
	imp := &fakeImporter{block: true}
	m, _ := newImportModel(t, imp)
	send(t, m, nil, keys("j", "enter")...)
	// Run the import's commands on goroutines, as Bubble Tea would.
	m.Update(keys("i")[0])
	_, cmd := m.Update(keys("enter")[0])
	batch, ok := cmd().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("run gave %T", cmd())
	}
	done := make(chan tea.Msg, 1)
	progress := make(chan tea.Msg, 1)
	go func() { done <- batch[0]() }()
	go func() { progress <- batch[1]() }()
	p := <-progress
	sm, _ := p.(screenMsg) // addressed to the Import screen
	if pm, ok := sm.msg.(importProgressMsg); !ok || sm.to != importID || pm.p.Rows != 1 {
		t.Fatalf("first message %#v", p)
	}
	_, next := m.Update(p)
	if next == nil || !strings.Contains(m.View(), "1 rows") || !strings.Contains(m.View(), "esc cancels") {
		t.Fatalf("running view:\n%s", m.View())
	}
	_, c := m.Update(keys("esc")[0])
	if c != nil || !m.imports.stopping {
		t.Fatal("esc did not ask the import to stop")
	}
	select {
	case msg := <-done:
		send(t, m, nil, msg)
	case <-time.After(5 * time.Second):
		t.Fatal("the import did not stop")
	}
	if msg := next(); msg != nil { // the channel closed: no more progress
		t.Errorf("after the end: %#v", msg)
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	if m.imports.stage != importDone || !m.imports.report.Cancelled || !strings.Contains(frame, "cancelled") ||
		!strings.Contains(frame, "Stopped after reading 1 row.") {
		t.Errorf("after cancel:\n%s", frame)
	}
	if model.CleanLine(frame) == "" {
		t.Error("empty frame")
	}
}

func TestImportInspectError(t *testing.T) {
	m, dir := newImportModel(t, &fakeImporter{})
	send(t, m, m.imports.inspect(filepath.Join(dir, "broken.csv")))
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	if m.imports.stage != importPicking || !strings.Contains(frame, "broken.csv: not a delimited text file") {
		t.Errorf("after a failed inspect:\n%s", frame)
	}
}

func TestImportUnavailable(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("5", "j", "enter")...)
	if frame := m.View(); !strings.Contains(frame, "Import is unavailable") {
		t.Errorf("no importer:\n%s", frame)
	}
}

func TestKeepSGR(t *testing.T) {
	in := "\x1b[1mbold\x1b[0m \x1b]0;title\x07evil\x1b[2J\u202e\r\bname"
	if got, want := keepSGR(in), "\x1b[1mbold\x1b[0m evilname"; got != want {
		t.Errorf("keepSGR = %q, want %q", got, want)
	}
}

// TestImportFirstPassProgress: while the importer makes its first pass
// over the file (Rows < 0), the screen says so instead of "-1 rows".
func TestImportFirstPassProgress(t *testing.T) {
	imp := &fakeImporter{block: true}
	m, _ := newImportModel(t, imp)
	send(t, m, nil, keys("j", "enter")...)
	m.Update(keys("i")[0])
	m.Update(keys("enter")[0]) // running; its commands are not run here
	ch := make(chan model.ImportProgress)
	close(ch)
	m.Update(importProgressMsg{gen: m.imports.gen, p: model.ImportProgress{Rows: -1, Read: 160, Size: 321}, ch: ch})
	frame := m.View()
	if !strings.Contains(frame, "reading the file first") || !strings.Contains(frame, " 50%") || strings.Contains(frame, "-1 rows") {
		t.Errorf("first pass:\n%s", frame)
	}
}

// TestImportRejectedRowsFile: a dry run writes no rejected rows unless a
// file is chosen with e; a run asks, and an empty answer writes none.
func TestImportRejectedRowsFile(t *testing.T) {
	imp := &fakeImporter{}
	m, _ := newImportModel(t, imp)
	send(t, m, nil, keys("j", "enter", "d")...)
	if frame := m.View(); !strings.Contains(frame, "rejected rows → not written on a dry run") {
		t.Fatalf("dry run's rejected rows line:\n%s", frame)
	}
	send(t, m, nil, keys("e")...)
	if !m.imports.Capturing() {
		t.Fatal("e did not open the prompt")
	}
	// typing goes to the prompt, not to the mapping's keys
	send(t, m, nil, keys("ctrl+u")...)
	send(t, m, nil, keys("/tmp/dry.csv", "enter")...)
	if frame := m.View(); m.imports.Capturing() || !strings.Contains(frame, "rejected rows → /tmp/dry.csv") || m.imports.fields[0] != "feedback.id" {
		t.Fatalf("after choosing a file:\n%s", frame)
	}
	send(t, m, nil, keys("i")...) // a dry run does not ask
	if len(imp.settings) != 1 || imp.settings[0].ErrorsFile != "/tmp/dry.csv" || !imp.settings[0].DryRun {
		t.Fatalf("settings: %+v", imp.settings)
	}
	// A real run asks again, with the chosen file; emptied, nothing is written.
	send(t, m, nil, keys("esc", "d", "i")...)
	if v := m.imports.rejected.ask.input.Value(); v != "/tmp/dry.csv" {
		t.Fatalf("prompt holds %q", v)
	}
	send(t, m, nil, keys("ctrl+u", "enter")...)
	if len(imp.settings) != 2 || imp.settings[1].ErrorsFile != "" || imp.settings[1].DryRun {
		t.Fatalf("settings: %+v", imp.settings)
	}
	if frame := m.View(); strings.Contains(frame, "Rejected rows written") {
		t.Errorf("report names a file:\n%s", frame)
	}
	// esc on the prompt runs nothing.
	send(t, m, nil, keys("i", "esc")...)
	if len(imp.settings) != 2 || m.imports.Capturing() {
		t.Errorf("esc ran the import: %+v", imp.settings)
	}
}

func fieldOrAttrs(f string) string {
	if f == "" {
		return "attrs"
	}
	return f
}

package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// newFindModel opens the Import tab on a folder with a few more names:
// another case of "tickets", a Chinese name, a folder with a CSV in it.
func newFindModel(t *testing.T) (*Model, string) {
	t.Helper()
	m, dir := newImportModel(t, &fakeImporter{})
	for name, body := range map[string]string{
		"Tickets-2024.CSV":    ticketsCSV,
		"客户反馈.csv":            ticketsCSV,
		"exports/deep.csv":    ticketsCSV,
		"exports/another.csv": ticketsCSV,
	} {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return m, dir
}

// stableFrame puts a fixed name in place of the test's temporary folder,
// so that a golden frame does not depend on it.
func stableFrame(frame, dir string, w int) string {
	lines := strings.Split(frame, "\n")
	for i, l := range lines {
		if strings.Contains(l, dir) {
			lines[i] = padRight(strings.TrimRight(strings.ReplaceAll(l, dir, "/srv/exports"), " "), w)
		}
	}
	return strings.Join(lines, "\n")
}

// TestImportFindFilters: / opens the find line; typing narrows the rows
// (any case, Chinese too) without the letters reaching other keys; enter
// opens the row under the cursor; esc clears the filter.
func TestImportFindFilters(t *testing.T) {
	m, dir := newFindModel(t)
	send(t, m, nil, keys("/")...)
	if !m.imports.Capturing() || !strings.Contains(m.View(), "5 of 5") {
		t.Fatalf("/ did not open the find line:\n%s", m.View())
	}
	send(t, m, nil, keys("tick")...)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "import_find", stableFrame(frame, dir, 100))
	for _, want := range []string{"Tickets-2024.CSV", "tickets.csv", "2 of 5", "/ tick", "↓ down • enter open • tab complete path • esc clear"} {
		if !strings.Contains(frame, want) {
			t.Errorf("filtered picker lacks %q:\n%s", want, frame)
		}
	}
	for _, not := range []string{"notes.md", "exports/", "客户反馈"} {
		if strings.Contains(frame, not) {
			t.Errorf("filtered picker still lists %q", not)
		}
	}
	// digits and q are typed, not tabs or quit
	send(t, m, nil, keys("ctrl+u", "2024")...)
	if m.tab != tabImport || !strings.Contains(m.View(), "1 of 5") || !strings.Contains(m.View(), "Tickets-2024.CSV") {
		t.Fatalf("typing 2024:\n%s", m.View())
	}
	send(t, m, nil, keys("ctrl+u", "反馈")...)
	if !strings.Contains(m.View(), "客户反馈.csv") || !strings.Contains(m.View(), "1 of 5") {
		t.Fatalf("Chinese filter:\n%s", m.View())
	}
	send(t, m, nil, keys("ctrl+u", "zzz")...)
	if !strings.Contains(m.View(), "no name here holds zzz") {
		t.Errorf("no match:\n%s", m.View())
	}
	// esc clears: the whole folder again, keys back to the picker
	send(t, m, nil, keys("esc")...)
	if m.imports.Capturing() || m.imports.find.input.Value() != "" || !strings.Contains(m.View(), "notes.md") {
		t.Fatalf("esc did not clear the filter:\n%s", m.View())
	}
	// a folder opens, then a file in it
	send(t, m, nil, keys("/", "expo", "enter")...)
	if m.imports.picker.CurrentDirectory != filepath.Join(dir, "exports") || m.imports.Capturing() {
		t.Fatalf("enter on a folder: in %q", m.imports.picker.CurrentDirectory)
	}
	send(t, m, nil, keys("/", "deep", "enter")...)
	if m.imports.stage != importPlanning || m.imports.path != filepath.Join(dir, "exports", "deep.csv") {
		t.Fatalf("enter on a file: stage %d path %q", m.imports.stage, m.imports.path)
	}
}

// TestImportFindTypedPath: a typed path opens the file's mapping or goes
// to the folder; a missing path or a non-CSV says so and keeps the input;
// tab completes the last element when one name fits.
func TestImportFindTypedPath(t *testing.T) {
	m, dir := newFindModel(t)
	missing := filepath.Join(dir, "nope", "x.csv")
	send(t, m, nil, keys("/", missing, "enter")...)
	if frame := m.View(); !m.imports.Capturing() || m.imports.find.input.Value() != missing ||
		!strings.Contains(frame, "no such file or folder: "+missing) {
		t.Fatalf("missing path:\n%s", frame)
	}
	send(t, m, nil, keys("ctrl+u", filepath.Join(dir, "notes.md"), "enter")...)
	if !m.imports.Capturing() || !strings.Contains(m.View(), "notes.md is not a CSV, TSV or TXT file") {
		t.Fatalf("non-CSV path:\n%s", m.View())
	}
	// tab: unique completes (a folder gets its slash), ambiguous says so
	send(t, m, nil, keys("ctrl+u", filepath.Join(dir, "exp"), "tab")...)
	if got := m.imports.find.input.Value(); got != filepath.Join(dir, "exports")+"/" {
		t.Fatalf("tab gave %q", got)
	}
	send(t, m, nil, keys("tab")...)
	if !strings.Contains(m.View(), "2 names start with") {
		t.Errorf("ambiguous tab:\n%s", m.View())
	}
	send(t, m, nil, keys("d", "tab")...)
	if got := m.imports.find.input.Value(); got != filepath.Join(dir, "exports", "deep.csv") {
		t.Fatalf("tab gave %q", got)
	}
	send(t, m, nil, keys("enter")...)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	if m.imports.stage != importPlanning || m.imports.path != filepath.Join(dir, "exports", "deep.csv") ||
		!strings.Contains(frame, "deep.csv") || !strings.Contains(frame, "customer.name") || m.imports.Capturing() {
		t.Fatalf("typed path did not open the mapping:\n%s", frame)
	}
	// esc goes back to the picker, in the file's folder
	send(t, m, nil, keys("esc")...)
	if m.imports.stage != importPicking || m.imports.picker.CurrentDirectory != filepath.Join(dir, "exports") ||
		!strings.Contains(m.View(), "another.csv") {
		t.Fatalf("back from the mapping: stage %d in %q", m.imports.stage, m.imports.picker.CurrentDirectory)
	}
	// ./ paths start in the folder on screen
	send(t, m, nil, keys("/", "../", "enter")...)
	if m.imports.stage != importPicking || m.imports.picker.CurrentDirectory != dir {
		t.Fatalf("../: stage %d in %q", m.imports.stage, m.imports.picker.CurrentDirectory)
	}
	send(t, m, nil, keys("/", "./exports", "enter")...)
	if m.imports.stage != importPicking || m.imports.picker.CurrentDirectory != filepath.Join(dir, "exports") {
		t.Fatalf("./exports: stage %d in %q", m.imports.stage, m.imports.picker.CurrentDirectory)
	}
	send(t, m, nil, keys("/", "../tick", "tab")...)
	if got := m.imports.find.input.Value(); got != "../tickets.csv" {
		t.Fatalf("relative tab gave %q", got)
	}
	// ".csv" is a filter, not a path
	send(t, m, nil, keys("esc", "/", ".csv")...)
	if !strings.Contains(m.View(), "2 of 2") {
		t.Errorf(".csv should filter:\n%s", m.View())
	}
}

// TestStatusKeepsTotalsAfterUndo: an undo's or redo's result is cut
// beside the totals instead of pushing them out of the status bar.
func TestStatusKeepsTotalsAfterUndo(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("2", "space", "space", "s", "down", "down", "enter", "u")...)
	if !strings.HasPrefix(m.status, "undone: classify status → resolved (2 items)") {
		t.Fatalf("status %q", m.status)
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	bar := lastLine(frame)
	if !strings.Contains(bar, "37 customers · 5 feedback │ 1 overdue · 1 due today │ undone: classify status →…") {
		t.Errorf("status bar after undo: %q", bar)
	}
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyCtrlY})
	if bar := lastLine(m.View()); !strings.HasPrefix(m.status, "redone: ") || !strings.Contains(bar, "37 customers · 5 feedback") ||
		!strings.Contains(bar, "redone: classify") {
		t.Errorf("status bar after redo: %q", bar)
	}
	// Too narrow to show the start of the result beside the totals: the
	// result wins, as for every other action.
	send(t, m, nil, tea.WindowSizeMsg{Width: 80, Height: 30})
	if bar := lastLine(m.View()); strings.Contains(bar, "customers") || !strings.Contains(bar, "redone: classify status") {
		t.Errorf("narrow status bar: %q", bar)
	}
}

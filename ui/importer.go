package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/filepicker"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// Importer is what the Import tab needs: look at a file, then import it.
// It is declared here, by its user, and satisfied in package main by the
// importer package and the store, so that ui never sees CSV or SQL.
type Importer interface {
	// Inspect reads the head of a file: the detected format, encoding,
	// delimiter, the mapping of each column and the first rows.
	Inspect(ctx context.Context, path string, s model.ImportSettings) (model.ImportPlan, error)
	// Run imports the file, calling progress now and then from its own
	// goroutine. Cancelling ctx stops it between batches; the report then
	// says Cancelled and counts what was stored.
	Run(ctx context.Context, path string, s model.ImportSettings, progress func(model.ImportProgress)) (model.ImportReport, error)
}

// importFileTypes are the files the picker lets you choose.
var importFileTypes = []string{".csv", ".tsv", ".txt", ".CSV", ".TSV", ".TXT"}

type importStage int

const (
	importPicking importStage = iota
	importInspecting
	importPlanning
	importRunning
	importDone
)

// importScreen is the Import tab: pick a file, check and adjust the
// mapping, run with a progress bar, read the report.
type importScreen struct {
	sid           screenID // where its answers are addressed (route.go)
	env           *env
	imp           Importer
	width, height int

	stage   importStage
	dir     string // where the picker starts; "" = the working directory
	started bool   // the picker has read its first folder
	picker  filepicker.Model

	path     string
	plan     model.ImportPlan
	fields   []string // the mapping as the user has it, per column
	scales   []string // the scale the user set per column, "" = as detected (importer_scale.go)
	sel, top int      // column under the cursor, first column shown
	choosing bool     // the field list is open
	choice   int
	dryRun   bool
	err      error

	gen      int // bumped per inspect and run; stale answers are dropped
	cancel   context.CancelFunc
	progress model.ImportProgress
	bar      progress.Model
	stopping bool

	report    model.ImportReport
	reportErr error
	errTop    int

	rejected rejectedTarget // where rejected rows go (importer_errors.go)
	find     pickFinder     // the picker's find line (importer_find.go)
}

// Messages of the Import tab. importPickMsg wraps the file picker's own
// messages so that they reach it whichever tab is in view.
type (
	importDirMsg struct {
		dir string
		err error
	}
	importPickMsg struct{ msg tea.Msg }
	importPlanMsg struct {
		gen  int
		plan model.ImportPlan
		err  error
	}
	importProgressMsg struct {
		gen int
		p   model.ImportProgress
		ch  <-chan model.ImportProgress
	}
	importDoneMsg struct {
		gen int
		rep model.ImportReport
		err error
	}
	// importedMsg tells the root that an import stored data.
	importedMsg struct{}
)

func newImportScreen(e *env, imp Importer) *importScreen {
	st := e.styles
	fp := filepicker.New()
	fp.AllowedTypes = importFileTypes
	fp.ShowPermissions = false
	fp.AutoHeight = false
	fp.Cursor = "›"
	fp.KeyMap.Back = key.NewBinding(key.WithKeys("h", "backspace", "left"), key.WithHelp("h/←", "parent folder"))
	fp.KeyMap.Open = key.NewBinding(key.WithKeys("l", "right", "enter"), key.WithHelp("enter", "open/choose"))
	fp.Styles = filepicker.Styles{
		DisabledCursor:   st.Faint,
		Cursor:           st.Accent,
		Symlink:          st.Tag,
		Directory:        st.Tag,
		File:             st.Value,
		DisabledFile:     st.Faint,
		DisabledSelected: st.Faint,
		Permission:       st.Faint,
		Selected:         st.Title,
		FileSize:         st.Faint.Width(7).Align(lipgloss.Right),
		EmptyDirectory:   st.Faint.PaddingLeft(2).SetString("no files here"),
	}
	bar := progress.New(progress.WithDefaultGradient(), progress.WithoutPercentage())
	return &importScreen{sid: importID, env: e, imp: imp, picker: fp, bar: bar, rejected: rejectedTarget{ask: newPrompt(e)},
		find: newPickFinder(e)}
}

func (s *importScreen) SetSize(w, h int) tea.Cmd {
	s.width, s.height = w, h
	s.picker.SetHeight(max(1, h-4))
	s.bar.Width = max(10, min(60, w-4))
	s.find.input.Width = max(1, w-20) // room for the prompt and "N of M"
	s.scroll()
	return nil
}

// Capturing: the field list, the rejected-rows prompt and the picker's
// find line take every key while they are open.
func (s *importScreen) Capturing() bool {
	return s.choosing || s.rejected.ask.active() || (s.stage == importPicking && s.find.open)
}

// Shown reads the starting folder on the first visit.
func (s *importScreen) Shown() tea.Cmd {
	if s.imp == nil || s.started {
		return nil
	}
	s.started = true
	if s.dir != "" {
		dir := s.dir
		return sendTo(s.sid, importDirMsg{dir: dir})
	}
	return to(s.sid, func() tea.Msg {
		dir, err := os.Getwd()
		return importDirMsg{dir: dir, err: err}
	})
}

// wrapPick addresses a file picker command's answer to the screen.
func (s *importScreen) wrapPick(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return to(s.sid, func() tea.Msg { return importPickMsg{msg: cmd()} })
}

func (s *importScreen) Update(msg tea.Msg) tea.Cmd {
	if s.imp == nil {
		return nil
	}
	switch msg := msg.(type) {
	case importDirMsg:
		if msg.err != nil {
			s.err = msg.err
			return nil
		}
		s.dir = msg.dir
		s.picker.CurrentDirectory = msg.dir
		return s.wrapPick(s.picker.Init())
	case pickEntriesMsg, pickPathMsg, pickCompleteMsg:
		return s.updateFind(msg)
	case importPickMsg:
		var cmd tea.Cmd
		s.picker, cmd = s.picker.Update(msg.msg)
		return s.wrapPick(cmd)
	case importPlanMsg:
		if msg.gen != s.gen || s.stage != importInspecting {
			return nil
		}
		if msg.err != nil {
			s.stage, s.err = importPicking, msg.err
			return nil
		}
		s.plan, s.stage, s.sel, s.top, s.err = msg.plan, importPlanning, 0, 0, nil
		s.rejected.path, s.rejected.chosen = msg.plan.ErrorsFile, false
		s.fields = make([]string, len(msg.plan.Columns))
		s.scales = make([]string, len(msg.plan.Columns))
		for i, c := range msg.plan.Columns {
			s.fields[i] = c.Field
		}
		return nil
	case importProgressMsg:
		if msg.gen != s.gen || s.stage != importRunning {
			return nil
		}
		s.progress = msg.p
		return to(s.sid, waitProgress(msg.gen, msg.ch))
	case importDoneMsg:
		if msg.gen != s.gen {
			return nil
		}
		s.cancel = nil
		s.stage, s.report, s.reportErr, s.errTop, s.stopping = importDone, msg.rep, msg.err, 0, false
		if errors.Is(msg.err, context.Canceled) {
			s.report.Cancelled, s.reportErr = true, nil
		}
		status := s.statusLine()
		if msg.rep.DryRun || msg.rep.CustomersCreated+msg.rep.CustomersUpdated+msg.rep.FeedbackCreated+msg.rep.FeedbackUpdated == 0 {
			return func() tea.Msg { return status }
		}
		return tea.Batch(func() tea.Msg { return status }, func() tea.Msg { return importedMsg{} })
	case tea.KeyMsg:
		return s.updateKeys(msg)
	}
	return nil
}

func (s *importScreen) updateKeys(msg tea.KeyMsg) tea.Cmd {
	k, l := s.env.keys.Import, s.env.keys.List
	if s.rejected.ask.active() {
		return s.rejected.ask.Update(msg)
	}
	switch s.stage {
	case importPicking:
		if s.find.open {
			return s.updateFind(msg)
		}
		if key.Matches(msg, pickFind) {
			return s.openFind()
		}
		var cmd tea.Cmd
		s.picker, cmd = s.picker.Update(msg)
		if ok, path := s.picker.DidSelectFile(msg); ok {
			return s.inspect(path)
		}
		if ok, path := s.picker.DidSelectDisabledFile(msg); ok {
			name := filepath.Base(path)
			return func() tea.Msg { return statusMsg{text: name + " is not a CSV, TSV or TXT file", err: true} }
		}
		return s.wrapPick(cmd)
	case importInspecting:
		if key.Matches(msg, l.Back) {
			s.gen++
			s.stage = importPicking
		}
	case importPlanning:
		if s.choosing {
			return s.updateChoice(msg)
		}
		return s.updatePlan(msg)
	case importRunning:
		if key.Matches(msg, k.Cancel) && s.cancel != nil && !s.stopping {
			s.stopping = true
			s.cancel()
		}
	case importDone:
		switch {
		case key.Matches(msg, l.Down):
			s.errTop = min(s.errTop+1, max(0, len(s.report.Errors)-1))
		case key.Matches(msg, l.Up):
			s.errTop = max(0, s.errTop-1)
		case key.Matches(msg, k.Run):
			return s.startRun()
		case key.Matches(msg, l.Back), key.Matches(msg, l.Open):
			s.stage = importPlanning
		case key.Matches(msg, k.Other):
			s.stage, s.err = importPicking, nil
		}
	}
	return nil
}

func (s *importScreen) updatePlan(msg tea.KeyMsg) tea.Cmd {
	k, l := s.env.keys.Import, s.env.keys.List
	n := len(s.fields)
	switch {
	case key.Matches(msg, l.Down):
		s.sel = min(s.sel+1, max(0, n-1))
	case key.Matches(msg, l.Up):
		s.sel = max(0, s.sel-1)
	case key.Matches(msg, l.PageDown):
		s.sel = min(s.sel+s.rowsShown(), max(0, n-1))
	case key.Matches(msg, l.PageUp):
		s.sel = max(0, s.sel-s.rowsShown())
	case key.Matches(msg, l.Top):
		s.sel = 0
	case key.Matches(msg, l.Bottom):
		s.sel = max(0, n-1)
	case n > 0 && key.Matches(msg, k.NextField):
		s.setField(s.sel, s.cycle(s.sel, 1))
	case n > 0 && key.Matches(msg, k.PrevField):
		s.setField(s.sel, s.cycle(s.sel, -1))
	case n > 0 && key.Matches(msg, k.Choose):
		s.choosing, s.choice = true, 0
		for i, f := range s.choices() {
			if f == s.fields[s.sel] {
				s.choice = i
			}
		}
	case n > 0 && key.Matches(msg, importScale):
		return s.cycleScale(s.sel)
	case n > 0 && key.Matches(msg, k.Attrs):
		s.setField(s.sel, "")
	case n > 0 && key.Matches(msg, k.Reset):
		s.setField(s.sel, s.plan.Columns[s.sel].Field)
	case key.Matches(msg, k.DryRun):
		s.dryRun = !s.dryRun
	case key.Matches(msg, k.ErrorsFile):
		return s.askRejected(false)
	case key.Matches(msg, k.Run):
		return s.startRun()
	case key.Matches(msg, l.Back), key.Matches(msg, k.Other):
		s.stage, s.err = importPicking, nil
	}
	s.scroll()
	return nil
}

func (s *importScreen) updateChoice(msg tea.KeyMsg) tea.Cmd {
	l := s.env.keys.List
	n := len(s.choices())
	switch {
	case key.Matches(msg, l.Down):
		s.choice = min(s.choice+1, n-1)
	case key.Matches(msg, l.Up):
		s.choice = max(0, s.choice-1)
	case key.Matches(msg, l.Top):
		s.choice = 0
	case key.Matches(msg, l.Bottom):
		s.choice = n - 1
	case key.Matches(msg, l.Open):
		s.setField(s.sel, s.choices()[s.choice])
		s.choosing = false
	case key.Matches(msg, l.Back):
		s.choosing = false
	}
	return nil
}

// choices are the targets of a column: attrs first, then every field.
func (s *importScreen) choices() []string { return append([]string{""}, s.plan.Fields...) }

// cycle steps column i's field through the choices that no other
// column has (the field list, f, can take one from another column).
func (s *importScreen) cycle(i, d int) string {
	cs := s.choices()
	at := 0
	for j, f := range cs {
		if f == s.fields[i] {
			at = j
		}
	}
	for n := 1; n < len(cs); n++ {
		f := cs[(at+d*n+len(cs)*n)%len(cs)]
		if owner := s.owner(f); owner < 0 || owner == i {
			return f
		}
	}
	return s.fields[i]
}

// owner is the column mapped to f, or -1; attrs and tags have no owner,
// as several columns can go there.
func (s *importScreen) owner(f string) int {
	if f == "" || strings.HasSuffix(f, ".tags") {
		return -1
	}
	for j, g := range s.fields {
		if g == f {
			return j
		}
	}
	return -1
}

// setField maps column i to f, as detected in its scale; a field already
// taken by another column (other than tags, which gather several) is
// released there, so that a value never has two sources.
func (s *importScreen) setField(i int, f string) {
	if len(s.scales) != len(s.fields) {
		s.scales = make([]string, len(s.fields))
	}
	if j := s.owner(f); j >= 0 && j != i {
		s.fields[j], s.scales[j] = "", ""
	}
	s.fields[i], s.scales[i] = f, ""
}

// changed says whether the user's mapping differs from the detected one.
func (s *importScreen) changed() bool {
	for i, c := range s.plan.Columns {
		if s.fields[i] != c.Field || s.scaleLabel(i) != "" {
			return true
		}
	}
	return false
}

func (s *importScreen) rowsShown() int {
	return max(1, s.height-7-min(len(s.plan.Notes), maxPlanNotes)) // see planView and whyLines
}

func (s *importScreen) scroll() {
	n := s.rowsShown()
	if s.sel < s.top {
		s.top = s.sel
	}
	if s.sel >= s.top+n {
		s.top = s.sel - n + 1
	}
}

// inspect reads the head of the chosen file in a Cmd.
func (s *importScreen) inspect(path string) tea.Cmd {
	s.gen++
	s.stage, s.path, s.err, s.dryRun, s.choosing = importInspecting, path, nil, false, false
	gen, imp, ctx, set := s.gen, s.imp, s.env.ctx, model.ImportSettings{Agent: s.env.agent}
	return to(s.sid, func() tea.Msg {
		plan, err := imp.Inspect(ctx, path, set)
		return importPlanMsg{gen: gen, plan: plan, err: err}
	})
}

// run starts the import in a Cmd; progress arrives through a channel
// that a second Cmd waits on and re-issues after each message.
func (s *importScreen) run() tea.Cmd {
	s.gen++
	set := model.ImportSettings{Agent: s.env.agent, DryRun: s.dryRun, ErrorsFile: s.rejectedPath()}
	if s.changed() {
		set.Fields = append([]string(nil), s.fields...)
		set.Scales = s.userScales()
	}
	ctx, cancel := context.WithCancel(model.WithoutActions(s.env.ctx)) // an import is not one action to undo
	s.cancel, s.stopping = cancel, false
	s.stage, s.progress = importRunning, model.ImportProgress{Size: s.plan.Size}
	gen, imp, path := s.gen, s.imp, s.path
	ch := make(chan model.ImportProgress, 1)
	start := func() tea.Msg {
		defer close(ch)
		defer cancel()
		rep, err := imp.Run(ctx, path, set, func(p model.ImportProgress) {
			// Keep only the newest figures when the UI is behind.
			select {
			case ch <- p:
			default:
				select {
				case <-ch:
				default:
				}
				select {
				case ch <- p:
				default:
				}
			}
		})
		rep.DryRun = set.DryRun
		return importDoneMsg{gen: gen, rep: rep, err: err}
	}
	return tea.Batch(to(s.sid, start), to(s.sid, waitProgress(gen, ch)))
}

// waitProgress waits for the next progress figures; a closed channel
// (the run ended) gives no message.
func waitProgress(gen int, ch <-chan model.ImportProgress) tea.Cmd {
	return func() tea.Msg {
		p, ok := <-ch
		if !ok {
			return nil
		}
		return importProgressMsg{gen: gen, p: p, ch: ch}
	}
}

// afterImport re-reads every screen that shows imported data.
func (m *Model) afterImport() tea.Cmd {
	return tea.Batch(m.loadStats(), m.customers.refresh(), m.inbox.reread(false), m.followUps.reread(false),
		m.insights.stale(true), m.reloadProfile(0))
}

// statusLine sums up the report for the status bar.
func (s *importScreen) statusLine() statusMsg {
	r, name := s.report, filepath.Base(s.path)
	switch {
	case s.reportErr != nil:
		return statusMsg{text: "import of " + name + " failed: " + errText(s.reportErr), err: true}
	case r.Cancelled:
		return statusMsg{text: "import of " + name + " cancelled after " + plural(r.Rows, "row"), err: true}
	}
	text := fmt.Sprintf("imported %s: %s, %d rejected", name, plural(r.Rows, "row"), r.ImportCounts.Errors)
	if r.DryRun {
		text = "dry run of " + text[len("imported "):] + "; nothing stored"
	}
	return statusMsg{text: text, err: r.ImportCounts.Errors > 0}
}

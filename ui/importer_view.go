package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"

	"github.com/rapportcrm/rapport/model"
)

// The Import tab's drawing and help: one view per stage.

func (s *importScreen) ShortHelp() []key.Binding {
	k, l := s.env.keys.Import, s.env.keys.List
	if s.imp == nil {
		return nil
	}
	if s.rejected.ask.active() {
		return s.rejectedHelp()
	}
	switch s.stage {
	case importPicking:
		if s.find.open {
			return []key.Binding{pickFindDown, pickFindOpen, pickComplete, pickFindEsc}
		}
		p := s.picker.KeyMap
		return []key.Binding{l.Down, p.Open, p.Back, pickFind}
	case importInspecting:
		return []key.Binding{l.Back}
	case importPlanning:
		if s.choosing {
			return []key.Binding{l.Down, chooseField, l.Back}
		}
		return []key.Binding{k.Run, k.DryRun, k.NextField, k.Choose, k.Attrs, importScale, l.Down, k.Other}
	case importRunning:
		return []key.Binding{k.Cancel}
	}
	return []key.Binding{l.Down, k.Run, backToMapping, k.Other}
}

// chooseField and backToMapping word shared keys for this screen.
var (
	chooseField   = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "map to field"))
	backToMapping = key.NewBinding(key.WithKeys("esc", "enter"), key.WithHelp("esc", "back to mapping"))
)

func (s *importScreen) FullHelp() [][]key.Binding {
	k, l := s.env.keys.Import, s.env.keys.List
	if s.stage == importPlanning && !s.choosing {
		return [][]key.Binding{
			{l.Down, l.Up, l.PageDown, l.PageUp, l.Top, l.Bottom},
			{k.NextField, k.PrevField, k.Choose, k.Attrs, importScale, k.Reset},
			{k.DryRun, k.ErrorsFile, k.Run, k.Other},
		}
	}
	return [][]key.Binding{s.ShortHelp()}
}

func (s *importScreen) View() string {
	st := s.env.styles
	if s.imp == nil {
		return "\n  " + st.Title.Render("Import") + "\n  " +
			st.Faint.Render(fit(s.unavailable(), s.width-2))
	}
	var lines []string
	switch s.stage {
	case importPicking:
		lines = s.pickView()
	case importInspecting:
		lines = []string{s.title(""), "", st.Faint.Render("  reading the file…")}
	case importPlanning:
		lines = s.planView()
	case importRunning:
		lines = s.runView()
	case importDone:
		lines = s.reportView()
		if s.rejected.ask.active() {
			lines = append(lines[:min(len(lines), max(0, s.height-2))], "", s.rejectedPromptView())
		}
	}
	for i, l := range lines {
		lines[i] = fit(l, s.width)
	}
	return strings.Join(lines, "\n")
}

func (s *importScreen) title(extra string) string {
	st := s.env.styles
	t := st.Title.Render("Import")
	if s.path != "" && s.stage != importPicking {
		t += "  " + model.CleanLine(filepath.Base(s.path))
	}
	if extra != "" {
		t += "  " + extra
	}
	return t
}

func (s *importScreen) pickView() []string {
	st := s.env.styles
	lines := []string{
		s.title(st.Faint.Render("choose a CSV, TSV or TXT export")),
		st.Label.Render("  in ") + cell(s.picker.CurrentDirectory, max(1, s.width-5)),
	}
	if s.err != nil {
		lines = append(lines, st.Bad.Render("  "+model.CleanLine(errText(s.err))))
	} else {
		lines = append(lines, "")
	}
	if s.find.open {
		return append(lines, s.findView(max(1, s.height-5))...)
	}
	for _, l := range strings.Split(strings.TrimRight(s.picker.View(), "\n"), "\n") {
		lines = append(lines, keepSGR(l))
	}
	return lines
}

func delimName(d string) string {
	switch d {
	case "\t":
		return "TAB"
	case "":
		return "?"
	}
	return fmt.Sprintf("%q", d)
}

func fieldName(f string) string {
	if f == "" {
		return "attrs"
	}
	return f
}

func (s *importScreen) planView() []string {
	st := s.env.styles
	p := s.plan
	dry := "off"
	if s.dryRun {
		dry = st.Warn.Render("on — nothing will be stored")
	}
	info := st.Label.Render("preset ") + model.CleanLine(p.Preset) +
		st.Label.Render(" · encoding ") + model.CleanLine(p.Encoding) +
		st.Label.Render(" · delimiter ") + model.CleanLine(delimName(p.Delimiter)) +
		st.Label.Render(" · ") + sizeText(p.Size) + st.Label.Render(" · dry run ") + dry
	lines := []string{s.title(""), "  " + info, ""}
	if s.choosing {
		return append(lines, s.choiceView()...)
	}
	colW := max(12, min(28, s.width/5))
	fieldW := 24
	prevW := max(0, s.width-colW-fieldW-6)
	lines = append(lines, st.Header.Render(padRight("  "+cell("Column", colW)+" "+cell("Field", fieldW)+"  "+
		cell(fmt.Sprintf("Preview (first %d rows)", min(3, len(p.Preview))), prevW), s.width)))
	mapped, changed := 0, 0
	for i, f := range s.fields {
		if f != "" {
			mapped++
		}
		if f != p.Columns[i].Field || s.scaleLabel(i) != "" {
			changed++
		}
	}
	for i := s.top; i < min(len(s.fields), s.top+s.rowsShown()); i++ {
		f := s.fields[i]
		mark := " "
		if f != p.Columns[i].Field || s.scaleLabel(i) != "" {
			mark = "*"
		}
		name := fieldName(f)
		if l := s.scaleLabel(i); l != "" {
			name += " " + l
		}
		field := cell(name+mark, fieldW)
		if f == "" && i != s.sel {
			field = st.Faint.Render(field)
		}
		line := cell(p.Columns[i].Header, colW) + " " + field + "  " + cell(s.previewOf(i, prevW), prevW)
		if i == s.sel {
			lines = append(lines, st.RowSel.Render(padRight("› "+line, s.width)))
		} else {
			lines = append(lines, "  "+line)
		}
	}
	foot := fmt.Sprintf("%d columns · %d mapped · %d kept as attributes (attr.NAME)", len(s.fields), mapped, len(s.fields)-mapped)
	if changed > 0 {
		foot += fmt.Sprintf(" · %d changed by you (*)", changed)
	}
	where := s.rejectedLine()
	if s.rejected.ask.active() {
		where = s.rejectedPromptView()
	}
	return append(append(lines, where, st.Faint.Render("  "+foot)), s.whyLines()...)
}

// whyLines say why the selected column has its field (the evidence the
// importer decided it on) and what the import will note of the file.
func (s *importScreen) whyLines() []string {
	st := s.env.styles
	why := ""
	if s.sel < len(s.plan.Columns) {
		c := s.plan.Columns[s.sel]
		why = c.Evidence
		if s.fields[s.sel] != c.Field {
			why = "changed by you (detected: " + fieldName(c.Field) + ")"
		}
		scaleWhy, hint := s.scaleWhy(s.sel)
		if scaleWhy != "" {
			why = scaleWhy
		}
		if s.fields[s.sel] == "" && c.Level != "" {
			why += " · a " + c.Level + " attribute"
		}
		why += hint
	}
	lines := []string{"  " + st.Label.Render("why ") + cell(model.CleanLine(why), max(0, s.width-6))}
	for _, n := range s.plan.Notes[:min(len(s.plan.Notes), maxPlanNotes)] {
		lines = append(lines, "  "+st.Warn.Render(cell(model.CleanLine(n), max(0, s.width-2))))
	}
	return lines
}

// maxPlanNotes is how many of the file's notes the mapping screen shows.
const maxPlanNotes = 2

// previewOf joins column i's values in the first rows, each cleaned and
// cut to its share of the width.
func (s *importScreen) previewOf(i, w int) string {
	rows := s.plan.Preview[:min(3, len(s.plan.Preview))]
	if len(rows) == 0 {
		return ""
	}
	each := max(4, (w-3*(len(rows)-1))/len(rows))
	parts := make([]string, 0, len(rows))
	for _, r := range rows {
		v := ""
		if i < len(r) {
			v = r[i]
		}
		if strings.TrimSpace(v) == "" {
			v = "–"
		}
		parts = append(parts, strings.TrimRight(cell(v, each), " "))
	}
	return strings.Join(parts, " │ ")
}

func (s *importScreen) choiceView() []string {
	st := s.env.styles
	lines := []string{"  Map column " + st.Accent.Render(model.CleanLine(s.plan.Columns[s.sel].Header)) + " to:"}
	cs := s.choices()
	n := max(1, s.height-5)
	top := max(0, min(s.choice-n/2, len(cs)-n))
	for i := top; i < min(len(cs), top+n); i++ {
		label := fieldName(cs[i])
		if cs[i] == "" {
			label += st.Faint.Render(" — keep as an attribute (of the ticket, or of the customer in a file without tickets)")
		} else if j := s.owner(cs[i]); j >= 0 && j != s.sel {
			label += st.Faint.Render(" — taken by " + model.CleanLine(s.plan.Columns[j].Header) + " (it would go to attrs)")
		}
		if i == s.choice {
			lines = append(lines, st.RowSel.Render(padRight("  › "+fieldName(cs[i]), min(s.width, 40))))
		} else {
			lines = append(lines, "    "+label)
		}
	}
	return lines
}

func (s *importScreen) runView() []string {
	st := s.env.styles
	p := s.progress
	extra := ""
	if s.dryRun {
		extra = st.Warn.Render("dry run")
	}
	pct := 0.0
	if p.Size > 0 {
		pct = min(1, float64(p.Read)/float64(p.Size))
	}
	figures := thousands(p.Rows) + " rows"
	if p.Rows < 0 { // the importer's first, quick pass over the file
		figures = "reading the file first, to find each customer's last row"
	}
	if secs := p.Elapsed.Seconds(); secs > 0 && p.Rows > 0 {
		figures += fmt.Sprintf(" · %s rows/s", thousands(int(float64(p.Rows)/secs)))
		if p.Read > 0 && p.Size > p.Read {
			eta := time.Duration(float64(p.Elapsed) * float64(p.Size-p.Read) / float64(p.Read))
			figures += " · ETA " + eta.Round(time.Second).String()
		}
	}
	note := "esc cancels: batches already stored stay stored, the one running is rolled back"
	if s.stopping {
		note = "cancelling…"
	}
	return []string{s.title(extra), "",
		"  " + s.bar.ViewAs(pct) + fmt.Sprintf(" %3.0f%%", pct*100),
		"  " + figures, "",
		st.Faint.Render("  " + note)}
}

func (s *importScreen) reportView() []string {
	st := s.env.styles
	r := s.report
	var head string
	switch {
	case s.reportErr != nil:
		head = st.Bad.Render("failed")
	case r.Cancelled:
		head = st.Warn.Render("cancelled")
	case r.DryRun:
		head = st.Warn.Render("dry run — nothing was stored")
	case r.Errors == nil && r.ImportCounts.Errors == 0:
		head = st.Good.Render("done")
	default:
		head = st.Warn.Render("done, with rejected rows")
	}
	if r.Elapsed > 0 {
		round := 10 * time.Millisecond
		if r.Elapsed < time.Second {
			round = time.Millisecond
		}
		head += st.Faint.Render(" in " + r.Elapsed.Round(round).String())
	}
	lines := []string{s.title(head), ""}
	if s.reportErr != nil {
		lines = append(lines, st.Bad.Render("  "+model.CleanLine(errText(s.reportErr))), "")
	}
	if r.Cancelled {
		lines = append(lines, "  Stopped after reading "+plural(r.Rows, "row")+". Batches are all-or-nothing: what is counted below was stored,",
			"  nothing else. Importing the file again completes it; rows already stored come back unchanged.", "")
	}
	row := func(label string, n int, what string) string {
		return "  " + st.Label.Render(cell(label, 12)) + cellRight(thousands(n), 9) + " " + what
	}
	two := func(label string, created, updated int) string {
		return row(label, created, "created  ") + cellRight(thousands(updated), 9) + " updated"
	}
	lines = append(lines,
		row("rows read", r.Rows, ""),
		two("customers", r.CustomersCreated, r.CustomersUpdated),
		two("feedback", r.FeedbackCreated, r.FeedbackUpdated),
		row("unchanged", r.Unchanged, "already stored as they are"),
		row("skipped", r.Skipped, "blank or repeated header rows"),
		row("rejected", r.ImportCounts.Errors, "rows with errors, nothing of them stored"))
	lines = append(lines, s.findingLines()...)
	if len(r.Errors) > 0 {
		lines = append(lines, "", st.Header.Render("  First errors"))
		n := max(1, s.height-len(lines)-3)
		for _, e := range r.Errors[s.errTop:min(len(r.Errors), s.errTop+n)] {
			col := e.Column
			if col == "" {
				col = "—"
			}
			lines = append(lines, "  "+cellRight(fmt.Sprintf("line %d", e.Line), 10)+"  "+
				st.Accent.Render(cell(col, 18))+"  "+cell(e.Reason, max(1, s.width-34)))
		}
	}
	if r.ErrorsFile != "" {
		lines = append(lines, "", "  Rejected rows written to "+st.Accent.Render(cell(r.ErrorsFile, max(1, s.width-28))))
	}
	return lines
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// keepSGR cleans a line of the file picker, which prints file names as
// they are: colour (SGR) sequences from our styles stay, every other
// escape sequence, control character and bidi override goes.
func keepSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b {
			if i+1 < len(s) && s[i+1] == '[' {
				j := i + 2
				for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
					j++
				}
				for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
					j++
				}
				if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
					if s[j] == 'm' {
						b.WriteString(s[i : j+1])
					}
					j++
				}
				i = j
				continue
			}
			i = skipOther(s, i+1)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case unicode.IsControl(r), r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// skipOther skips an escape sequence that is not CSI, whose ESC was just
// before i: a string (OSC, DCS, PM, APC, SOS) up to BEL or ST, or one byte.
func skipOther(s string, i int) int {
	if i >= len(s) {
		return i
	}
	if !strings.ContainsRune("]P_^X", rune(s[i])) {
		return i + 1
	}
	for j := i + 1; j < len(s); j++ {
		switch {
		case s[j] == 0x07:
			return j + 1
		case s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\':
			return j + 2
		}
	}
	return len(s)
}

// plural words a count: 1 row, 2 rows.
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return thousands(n) + " " + what + "s"
}

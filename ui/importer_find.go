package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// The Import picker's find line: `/` opens an input under the listing.
// A word filters the folder's names as it is typed; a path (starting
// with /, ~, ./ or ../) is opened directly with enter, tab completing its
// last element. Every read of the disk is a Cmd.

// Keys of the find line. j and k are letters of a name here, so the rows
// move with the arrows.
var (
	pickFind     = key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "find or type a path"))
	pickFindOpen = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open"))
	pickFindDown = key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down"))
	pickFindUp   = key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up"))
	pickComplete = key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete path"))
	pickFindEsc  = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear"))
)

// pickEntry is one name of the folder: a folder (symlinks followed) or a file.
type pickEntry struct {
	name string
	dir  bool
}

// pickFinder is the state of the find line.
type pickFinder struct {
	open    bool
	input   textinput.Model
	dir     string      // the folder entries were read from
	entries []pickEntry // folders first, then files, by name
	matches []pickEntry
	sel     int
	msg     string // why the last enter or tab did nothing, one line
	gen     int    // bumped per path asked; stale answers are dropped
}

type (
	pickEntriesMsg struct {
		dir     string
		entries []pickEntry
		err     error
	}
	// pickPathMsg answers enter on a typed path.
	pickPathMsg struct {
		gen  int
		path string
		dir  bool
		err  error
	}
	// pickCompleteMsg answers tab: the completed value, or why none.
	pickCompleteMsg struct {
		gen       int
		asked     string
		completed string
		why       string
	}
)

func newPickFinder(e *env) pickFinder {
	in := lineInput(e, "/ ", "part of a name, or a path: /…, ~/…, ./…", 4096)
	return pickFinder{input: in}
}

// isPath says whether the find line holds a path rather than a filter.
// ".csv" filters; "./x" and "../x" are paths.
func isPath(v string) bool {
	return strings.HasPrefix(v, "/") || strings.HasPrefix(v, "~") || v == "." || v == ".." ||
		strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../")
}

// openFind opens the find line and reads the folder in view.
func (s *importScreen) openFind() tea.Cmd {
	f := &s.find
	f.open, f.msg, f.sel, f.matches = true, "", 0, nil
	f.input.SetValue("")
	dir := s.picker.CurrentDirectory
	if f.dir != dir {
		f.entries = nil
	}
	return tea.Batch(f.input.Focus(), to(s.sid, func() tea.Msg { return readPickEntries(dir) }))
}

func (s *importScreen) closeFind() {
	s.find.open, s.find.msg, s.find.matches = false, "", nil
	s.find.gen++
	s.find.input.SetValue("")
	s.find.input.Blur()
}

func readPickEntries(dir string) tea.Msg {
	des, err := os.ReadDir(dir)
	if err != nil {
		return pickEntriesMsg{dir: dir, err: err}
	}
	out := make([]pickEntry, 0, len(des))
	for _, d := range des {
		if strings.HasPrefix(d.Name(), ".") { // as the picker: hidden files stay hidden
			continue
		}
		isDir := d.IsDir()
		if d.Type()&os.ModeSymlink != 0 {
			if fi, err := os.Stat(filepath.Join(dir, d.Name())); err == nil {
				isDir = fi.IsDir()
			}
		}
		out = append(out, pickEntry{name: d.Name(), dir: isDir})
	}
	slices.SortFunc(out, func(a, b pickEntry) int {
		if a.dir != b.dir {
			if a.dir {
				return -1
			}
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	return pickEntriesMsg{dir: dir, entries: out}
}

// filter keeps the names holding the typed word, whatever its case.
func (f *pickFinder) filter() {
	q := strings.ToLower(f.input.Value())
	f.matches = f.matches[:0]
	if isPath(f.input.Value()) {
		q = ""
	}
	for _, e := range f.entries {
		if q == "" || strings.Contains(strings.ToLower(e.name), q) {
			f.matches = append(f.matches, e)
		}
	}
	f.sel = max(0, min(f.sel, len(f.matches)-1))
}

func (s *importScreen) updateFind(msg tea.Msg) tea.Cmd {
	f := &s.find
	switch msg := msg.(type) {
	case pickEntriesMsg:
		if !f.open || msg.dir != s.picker.CurrentDirectory {
			return nil
		}
		if msg.err != nil {
			f.msg = errText(msg.err)
			return nil
		}
		f.dir, f.entries = msg.dir, msg.entries
		f.filter()
	case pickPathMsg:
		if !f.open || msg.gen != f.gen {
			return nil
		}
		if msg.err != nil {
			f.msg = msg.err.Error()
			return nil
		}
		return s.openPicked(msg.path, msg.dir)
	case pickCompleteMsg:
		if !f.open || msg.gen != f.gen || msg.asked != f.input.Value() {
			return nil
		}
		f.msg = msg.why
		if msg.completed != "" {
			f.input.SetValue(msg.completed)
			f.input.CursorEnd()
		}
	case tea.KeyMsg:
		return s.findKeys(msg)
	}
	return nil
}

func (s *importScreen) findKeys(msg tea.KeyMsg) tea.Cmd {
	f := &s.find
	v := f.input.Value()
	switch {
	case key.Matches(msg, pickFindEsc):
		s.closeFind()
		return nil
	case key.Matches(msg, pickFindDown):
		f.sel = min(f.sel+1, max(0, len(f.matches)-1))
		return nil
	case key.Matches(msg, pickFindUp):
		f.sel = max(0, f.sel-1)
		return nil
	case key.Matches(msg, pickComplete):
		if !isPath(v) {
			return nil
		}
		f.gen++
		gen, base := f.gen, s.picker.CurrentDirectory
		return to(s.sid, func() tea.Msg { return completePath(gen, base, v) })
	case key.Matches(msg, pickFindOpen):
		if isPath(v) {
			f.gen++
			gen, base := f.gen, s.picker.CurrentDirectory
			return to(s.sid, func() tea.Msg { return statPath(gen, base, v) })
		}
		if len(f.matches) == 0 {
			f.msg = "no name here holds " + model.CleanLine(v)
			return nil
		}
		e := f.matches[f.sel]
		return s.openPicked(filepath.Join(f.dir, e.name), e.dir)
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() != v {
		f.msg = ""
		f.filter()
	}
	return cmd
}

// openPicked goes into a folder or inspects a file, closing the find
// line; a file of another type keeps it open and says why.
func (s *importScreen) openPicked(path string, dir bool) tea.Cmd {
	if dir {
		s.closeFind()
		return sendTo(s.sid, importDirMsg{dir: path})
	}
	if !slices.Contains(importFileTypes, filepath.Ext(path)) {
		s.find.msg = filepath.Base(path) + " is not a CSV, TSV or TXT file"
		return nil
	}
	s.closeFind()
	// The picker moves to the file's folder, where esc from the mapping
	// comes back to.
	folder := filepath.Dir(path)
	if folder == s.picker.CurrentDirectory {
		return s.inspect(path)
	}
	return tea.Batch(s.inspect(path), sendTo(s.sid, importDirMsg{dir: folder}))
}

// resolvePath turns a typed path into an absolute one: ~ is the home
// folder, a relative path starts in the folder on screen.
func resolvePath(base, v string) (string, error) {
	if v == "~" || strings.HasPrefix(v, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		v = filepath.Join(home, v[1:])
	}
	if !filepath.IsAbs(v) {
		v = filepath.Join(base, v)
	}
	return filepath.Clean(v), nil
}

func statPath(gen int, base, v string) tea.Msg {
	path, err := resolvePath(base, v)
	if err != nil {
		return pickPathMsg{gen: gen, err: err}
	}
	fi, err := os.Stat(path)
	switch {
	case os.IsNotExist(err):
		return pickPathMsg{gen: gen, err: notFound(path)}
	case err != nil:
		return pickPathMsg{gen: gen, err: err}
	}
	return pickPathMsg{gen: gen, path: path, dir: fi.IsDir()}
}

type notFound string

func (n notFound) Error() string { return "no such file or folder: " + model.CleanLine(string(n)) }

// completePath completes the typed path's last element when one name of
// its folder starts with it (case-sensitive, as the file system is).
func completePath(gen int, base, v string) tea.Msg {
	ans := pickCompleteMsg{gen: gen, asked: v}
	path, err := resolvePath(base, v)
	if err != nil {
		ans.why = err.Error()
		return ans
	}
	dir, prefix := filepath.Dir(path), filepath.Base(path)
	if strings.HasSuffix(v, "/") {
		dir, prefix = path, ""
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		ans.why = notFound(dir).Error()
		return ans
	}
	var hits []os.DirEntry
	for _, d := range des {
		if strings.HasPrefix(d.Name(), prefix) && (prefix != "" || !strings.HasPrefix(d.Name(), ".")) {
			hits = append(hits, d)
		}
	}
	switch len(hits) {
	case 0:
		ans.why = "no name starts with " + model.CleanLine(prefix)
		return ans
	case 1:
	default:
		ans.why = thousands(len(hits)) + " names start with " + model.CleanLine(prefix)
		return ans
	}
	name := hits[0].Name()
	isDir := hits[0].IsDir()
	if !isDir && hits[0].Type()&os.ModeSymlink != 0 {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil {
			isDir = fi.IsDir()
		}
	}
	// Keep what the agent typed (~, ./) and replace only its last element.
	head := v
	if !strings.HasSuffix(v, "/") {
		head = v[:strings.LastIndex(v, "/")+1]
	}
	ans.completed = head + name
	if isDir {
		ans.completed += "/"
	}
	return ans
}

// findView is the picker's body while the find line is open: the
// matching names, then the line itself and its message.
func (s *importScreen) findView(rows int) []string {
	st, f := s.env.styles, &s.find
	var lines []string
	if isPath(f.input.Value()) {
		lines = append(lines, st.Faint.Render("  enter opens this path · tab completes its last name"))
		rows--
	}
	if f.entries != nil && len(f.matches) == 0 && !isPath(f.input.Value()) {
		lines = append(lines, st.Faint.Render("  no name here holds "+model.CleanLine(f.input.Value())))
	}
	top := max(0, min(f.sel-rows/2, len(f.matches)-rows))
	for i := top; i < min(len(f.matches), top+max(0, rows)); i++ {
		e := f.matches[i]
		name := model.CleanLine(e.name)
		style := st.Value
		switch {
		case e.dir:
			style, name = st.Tag, name+"/"
		case !slices.Contains(importFileTypes, filepath.Ext(e.name)):
			style = st.Faint
		}
		name = cell(name, max(1, s.width-4))
		if i == f.sel && !isPath(f.input.Value()) {
			lines = append(lines, st.Accent.Render("› ")+st.Title.Render(name))
		} else {
			lines = append(lines, "  "+style.Render(name))
		}
	}
	for len(lines) < rows {
		lines = append(lines, "")
	}
	count := ""
	if f.entries != nil && !isPath(f.input.Value()) {
		count = st.Faint.Render(thousands(len(f.matches)) + " of " + thousands(len(f.entries)))
	}
	lines = append(lines, padRight(f.input.View(), max(0, s.width-lipgloss.Width(count)))+count)
	if f.msg != "" {
		lines = append(lines, st.Bad.Render("  "+model.CleanLine(f.msg)))
	}
	return lines
}

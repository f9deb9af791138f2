package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// The merge view: two customers found to be one person, side by side.
// The left one survives (keeps its id, gets everything of the right one);
// each field row chooses whose value the survivor keeps. A dry run of the
// store's merge counts what moves before anything is written; ctrl+s (or
// enter) asks once, then merges in one transaction (db.MergeCustomers),
// recorded as one audit entry that `rapport customers unmerge` undoes.

// mergeStore is what merging needs beyond Store; *db.Store has it. The
// views ask for it in their Cmds, so a store without it only says so.
type mergeStore interface {
	MergeCustomers(ctx context.Context, agent string, from, into int64, opts model.MergeOptions) (model.MergeResult, error)
	DuplicatePairs(ctx context.Context, limit int) ([]model.DuplicatePair, error)
}

var errNoMerge = errors.New("this database cannot merge customers")

// Keys of the merge view and where it starts.
var (
	mergeStart   = key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "merge with another customer"))
	mergeUp      = key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up"))
	mergeDown    = key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down"))
	mergeLeft    = key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "keep left"))
	mergeRight   = key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "take right"))
	mergeToggle  = key.NewBinding(key.WithKeys(" ", "space"), key.WithHelp("space", "switch"))
	mergeSwap    = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "swap sides"))
	mergeRun     = key.NewBinding(key.WithKeys("ctrl+s", "enter"), key.WithHelp("ctrl+s/enter", "merge…"))
	mergeReload  = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reload"))
	mergeBack    = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))
	mergeConfirm = key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y/enter", "merge"))
	mergeDecline = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "not now"))
)

type (
	// mergeLoadedMsg brings both customers, fresh, and the dry run's counts.
	mergeLoadedMsg struct {
		gen         int
		left, right model.Customer
		moved       model.MergeMoved
		err         error
	}
	mergeDoneMsg struct {
		gen int
		res model.MergeResult
		err error
	}
	// mergedMsg tells the root a merge happened: lists, status bar and an
	// open profile of either customer follow (Model.merged).
	mergedMsg struct {
		from, into int64
		text       string
	}
)

type mergeView struct {
	env         *env
	gen         int
	leftID      int64
	rightID     int64
	left, right *model.Customer
	take        map[string]bool // field → the survivor takes the right value
	moved       model.MergeMoved
	sel, top    int
	confirming  bool
	busy        bool
	err         error
}

func newMergeView(e *env, survivor, other int64) (*mergeView, tea.Cmd) {
	v := &mergeView{env: e, leftID: survivor, rightID: other}
	return v, v.load()
}

// load reads both customers and dry-runs the merge for its counts.
func (v *mergeView) load() tea.Cmd {
	v.gen++
	v.busy = true
	gen, st, ctx, agent, left, right := v.gen, v.env.store, v.env.ctx, v.env.agent, v.leftID, v.rightID
	return func() tea.Msg {
		ms, ok := st.(mergeStore)
		if !ok {
			return mergeLoadedMsg{gen: gen, err: errNoMerge}
		}
		l, err := st.Customer(ctx, left)
		if err != nil {
			return mergeLoadedMsg{gen: gen, err: err}
		}
		r, err := st.Customer(ctx, right)
		if err != nil {
			return mergeLoadedMsg{gen: gen, err: err}
		}
		dry, err := ms.MergeCustomers(ctx, agent, right, left, model.MergeOptions{DryRun: true})
		return mergeLoadedMsg{gen: gen, left: l, right: r, moved: dry.Moved, err: err}
	}
}

// merge writes the merge with the chosen fields, naming the versions shown.
func (v *mergeView) merge() tea.Cmd {
	v.busy, v.confirming = true, false
	v.gen++
	gen, st, ctx, agent := v.gen, v.env.store, v.env.ctx, v.env.agent
	l, r := *v.left, *v.right
	take := make(map[string]bool, len(v.take))
	for f, t := range v.take {
		take[f] = t
	}
	return func() tea.Msg {
		ms, ok := st.(mergeStore)
		if !ok {
			return mergeDoneMsg{gen: gen, err: errNoMerge}
		}
		res, err := ms.MergeCustomers(ctx, agent, r.ID, l.ID, model.MergeOptions{Explicit: true, Take: take,
			FromVersion: r.Version, IntoVersion: l.Version})
		return mergeDoneMsg{gen: gen, res: res, err: err}
	}
}

// Update returns done when the view closed (backed out, or merged).
func (v *mergeView) Update(msg tea.Msg) (done bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case mergeLoadedMsg:
		if msg.gen != v.gen {
			return false, nil
		}
		v.busy, v.err = false, msg.err
		if msg.err == nil {
			l, r := msg.left, msg.right
			v.left, v.right, v.moved = &l, &r, msg.moved
			v.take = model.DefaultTake(r, l)
		}
		return false, nil
	case mergeDoneMsg:
		if msg.gen != v.gen {
			return false, nil
		}
		v.busy = false
		if msg.err != nil {
			v.err = msg.err
			return false, nil
		}
		res := msg.res
		m := res.Moved
		text := fmt.Sprintf("merged #%d into #%d %s: %d feedback, %d notes, %d follow-ups, %d tags, %d keys moved (undo: rapport customers unmerge %d)",
			res.From, res.Into, res.Survivor.Label(), m.Feedback, m.Notes, m.FollowUps, m.Tags, m.Keys, res.AuditID)
		return true, func() tea.Msg { return mergedMsg{from: res.From, into: res.Into, text: text} }
	case tea.KeyMsg:
		return v.updateKey(msg)
	}
	return false, nil
}

func (v *mergeView) updateKey(msg tea.KeyMsg) (bool, tea.Cmd) {
	if v.confirming {
		switch {
		case key.Matches(msg, mergeConfirm):
			return false, v.merge()
		case key.Matches(msg, mergeDecline):
			v.confirming = false
		}
		return false, nil
	}
	if key.Matches(msg, mergeBack) {
		return true, nil
	}
	if key.Matches(msg, mergeReload) {
		v.err = nil
		return false, v.load()
	}
	if v.left == nil || v.busy {
		return false, nil
	}
	field := model.MergeFields[v.sel]
	switch {
	case key.Matches(msg, mergeUp):
		v.sel = max(0, v.sel-1)
	case key.Matches(msg, mergeDown):
		v.sel = min(len(model.MergeFields)-1, v.sel+1)
	case key.Matches(msg, mergeLeft):
		v.take[field] = false
	case key.Matches(msg, mergeRight):
		v.take[field] = true
	case key.Matches(msg, mergeToggle):
		v.take[field] = !v.take[field]
	case key.Matches(msg, mergeSwap):
		v.leftID, v.rightID = v.rightID, v.leftID
		v.left, v.right = nil, nil
		return false, v.load()
	case key.Matches(msg, mergeRun):
		v.err = nil
		v.confirming = true
	}
	return false, nil
}

func (v *mergeView) ShortHelp() []key.Binding {
	if v.confirming {
		return []key.Binding{mergeConfirm, mergeDecline}
	}
	return []key.Binding{mergeDown, mergeLeft, mergeRight, mergeRun, mergeSwap, mergeBack, mergeToggle}
}

func (v *mergeView) FullHelp() [][]key.Binding {
	return [][]key.Binding{{mergeUp, mergeDown, mergeLeft, mergeRight, mergeToggle}, {mergeSwap, mergeRun, mergeReload, mergeBack}}
}

// View draws the two customers in w×h cells: a title, the column heads,
// the field rows (scrolled to keep the cursor in view), what moves, and
// the question or the last error.
func (v *mergeView) View(w, h int) string {
	st := v.env.styles
	title := st.Title.Render(fit("Merge two customers — one person, one customer", w))
	if v.left == nil || v.right == nil {
		msg := st.Faint.Render("  loading…")
		if v.err != nil {
			msg = st.Bad.Render(fit("  "+errText(v.err), w))
		}
		return title + "\n\n" + msg
	}
	l, r := v.left, v.right
	labelW := 10
	colW := max(6, (w-labelW-6)/2)
	row := func(label, a, b string) string {
		return cell(label, labelW) + "  " + cell(a, colW) + "  " + cell(b, colW)
	}
	lines := []string{title,
		st.Header.Render(row("", fmt.Sprintf("keeps #%d", l.ID), fmt.Sprintf("merged away #%d", r.ID)))}
	rows := make([]string, len(model.MergeFields))
	for i, f := range model.MergeFields {
		a, b := model.FieldValue(*l, f), model.FieldValue(*r, f)
		ma, mb := "● ", "○ "
		if v.take[f] {
			ma, mb = "○ ", "● "
		}
		if a == "" {
			a = "–"
		}
		if b == "" {
			b = "–"
		}
		sa, sb := st.Value, st.Faint
		if v.take[f] {
			sa, sb = st.Faint, st.Value
		}
		text := cell(f, labelW) + "  " + sa.Render(cell(ma+a, colW)) + "  " + sb.Render(cell(mb+b, colW))
		if i == v.sel {
			text = st.RowSel.Render(padRight("› "+cell(f, labelW-2)+"  "+cell(ma+a, colW)+"  "+cell(mb+b, colW), w))
		}
		rows[i] = padRight(text, w)
	}
	footer := v.footer(w)
	room := max(1, h-len(lines)-len(footer))
	if v.sel < v.top {
		v.top = v.sel
	}
	if v.sel >= v.top+room {
		v.top = v.sel - room + 1
	}
	v.top = max(0, min(v.top, len(rows)-room))
	lines = append(lines, rows[v.top:min(len(rows), v.top+room)]...)
	lines = append(lines, footer...)
	return strings.Join(lines, "\n")
}

// footer: what moves to the survivor, then the question, the error or the
// tags and attributes the survivor ends with.
func (v *mergeView) footer(w int) []string {
	st := v.env.styles
	m := v.moved
	moves := fmt.Sprintf("moves to #%d: %d feedback · %d notes · %d follow-ups · %d tags · %d source keys",
		v.left.ID, m.Feedback, m.Notes, m.FollowUps, m.Tags, m.Keys)
	out := []string{"", st.Accent.Render(fit(moves, w))}
	switch {
	case v.confirming:
		q := fmt.Sprintf("Merge #%d %s into #%d %s? It is removed; its history moves. y/enter merge · n/esc not now",
			v.right.ID, v.right.Label(), v.left.ID, v.left.Label())
		out = append(out, st.Warn.Render(fit(model.CleanLine(q), w)))
	case v.err != nil:
		msg := "not merged: " + errText(v.err)
		if errors.Is(v.err, model.ErrStale) {
			msg += " — ctrl+r reloads"
		}
		out = append(out, st.Bad.Render(fit(model.CleanLine(msg), w)))
	case v.busy:
		out = append(out, st.Faint.Render("working…"))
	default:
		merged := model.Merged(*v.right, *v.left, v.take)
		tags := "tags: " + strings.Join(merged.Tags, ", ")
		if len(merged.Tags) == 0 {
			tags = "tags: –"
		}
		out = append(out, st.Faint.Render(fit(model.CleanLine(fmt.Sprintf("%s · %d attributes", tags, len(merged.Attrs))), w)))
	}
	return out
}

// mergeFlow is the merge started from a profile: first pick the other
// customer (search as you type), then the merge view.
type mergeFlow struct {
	env    *env
	base   int64
	picker *customerPicker
	view   *mergeView
	note   string
}

func newMergeFlow(e *env, base int64) (*mergeFlow, tea.Cmd) {
	p, cmd := newCustomerPicker(e, "Merge with which customer? (the one open now keeps its id)")
	return &mergeFlow{env: e, base: base, picker: p}, cmd
}

func (f *mergeFlow) Update(msg tea.Msg) (done bool, cmd tea.Cmd) {
	if f.picker != nil {
		if p, ok := msg.(pickedMsg); ok {
			if p.customer.ID == f.base {
				f.note = "that is this customer — pick the other one"
				return false, nil
			}
			f.picker = nil
			f.view, cmd = newMergeView(f.env, f.base, p.customer.ID)
			return false, cmd
		}
		f.note = ""
		// The picker closes on a pick too; its pickedMsg follows in cmd.
		closed, cmd := f.picker.Update(msg)
		return closed && cmd == nil, cmd
	}
	return f.view.Update(msg)
}

func (f *mergeFlow) View(w, h int) string {
	if f.picker != nil {
		s := f.picker.View(w)
		if f.note != "" {
			s += "\n" + f.env.styles.Bad.Render(fit("  "+f.note, w))
		}
		return s
	}
	return f.view.View(w, h)
}

func (f *mergeFlow) ShortHelp() []key.Binding {
	if f.picker != nil {
		return f.picker.ShortHelp()
	}
	return f.view.ShortHelp()
}

// isMergeMsg: the messages a merge in progress answers.
func isMergeMsg(msg tea.Msg) bool {
	switch msg.(type) {
	case tea.KeyMsg, pickerMsg, pickedMsg, mergeLoadedMsg, mergeDoneMsg:
		return true
	}
	return false
}

// updateMerge is the profile's hook: M starts a merge with this customer
// as the survivor, on the overlay stack, where it takes the keys and its
// answers.
func (p *profileScreen) updateMerge(msg tea.Msg) (tea.Cmd, bool) {
	k, ok := msg.(tea.KeyMsg)
	if p.merge != nil || !ok || p.Capturing() || p.customer == nil || !key.Matches(k, mergeStart) {
		return nil, false
	}
	f, cmd := newMergeFlow(p.env, p.customer.ID)
	p.merge = f
	p.env.layers.push(p.sid, &sheet{update: func(msg tea.Msg) (bool, tea.Cmd) {
		if !isMergeMsg(msg) {
			return false, nil
		}
		return f.Update(msg)
	}, view: f.View, help: f.ShortHelp, closed: func() { p.merge = nil }})
	return cmd, true
}

// merged follows a merge: the status bar says what moved, the lists
// re-read, and a profile open on either customer shows the survivor.
func (m *Model) merged(msg mergedMsg) tea.Cmd {
	m.say(msg.text, false)
	cmds := []tea.Cmd{m.loadStats(), m.customers.afterMerge()}
	if m.profile != nil && (m.profile.id == msg.from || m.profile.id == msg.into) {
		m.closeProfile()
		m.profile = newProfileScreen(m.env, m.openedID(), msg.into)
		cmds = append(cmds, m.profile.SetSize(m.bodySize()), m.profile.load())
	}
	return tea.Batch(cmds...)
}

package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

// env is what every screen shares: the store, the theme, the keys, who is
// working and the clock. Screens capture values from it in their Cmds.
type env struct {
	ctx    context.Context
	store  Store
	styles Styles
	keys   KeyMap
	agent  string
	now    func() time.Time
	// served: an SSH session; importNote says where to import instead.
	served     bool
	importNote string
	// layers is the root's overlay stack, where screens push theirs.
	layers *overlayStack
}

type tab int

const (
	tabCustomers tab = iota
	tabInbox
	tabFollowUps
	tabInsights
	tabImport
)

var tabNames = []string{"Customers", "Inbox", "Follow-ups", "Insights", "Import"}

// Messages between screens and the root.
type (
	openProfileMsg struct{ id int64 }
	// refreshStatsMsg asks for the status-bar figures again after a write.
	refreshStatsMsg struct{}
	statsMsg        struct {
		stats model.Stats
		err   error
	}
	// statusMsg puts the result of an action in the status bar.
	statusMsg struct {
		text string
		err  bool
		kind statusKind
	}
)

// Model is the root of the TUI: tabs, the focused screen, help and the
// status bar. It routes messages and owns the layout.
type Model struct {
	env  *env
	opts Options

	width, height int
	tab           tab
	customers     *customersScreen
	inbox         *inboxScreen
	followUps     *followUpsScreen
	insights      *insightsScreen
	imports       *importScreen
	profile       *profileScreen  // open over the tab it was opened from, or nil
	activity      *activityScreen // the agent's recent actions, over everything, or nil
	profileTab    tab
	item          *itemScreen // the item view, open over the tab it was opened from, or nil
	itemTab       tab
	help          help.Model
	showHelp      bool
	lastID        screenID   // the id given to the last screen opened over a tab
	quitArmed     bool       // ctrl+c pressed once over unsaved input
	reply         replyState // how far into a late terminal reply the keys are (termreply.go)
	replyLen      int        // runes dropped as that reply so far
	holding       bool       // keys wait for what an esc sent with them set going (burst.go)
	held          []tea.KeyMsg
	holdGen       int        // which hold a releaseMsg ends
	drill         *drillBack // the list an Insights drill opened: esc goes back
	helpTop       int        // first line of the full help shown (j/k scroll it)

	lastAudit int64 // newest audit row seen, for "N changes by others"
	// refreshedAt is when the change feed last refreshed the screen.
	refreshedAt  time.Time
	errorShownAt time.Time // when the status bar last showed an error
	// recalling is set while a recall campaign writes its follow-ups: the
	// poll then leaves the screens alone (each refresh would re-read the
	// segment being written to), and the recall's end refreshes them.
	recalling  bool
	stats      model.Stats
	statsOK    bool
	status     string
	statusErr  bool
	statusKind statusKind
}

// New builds the root model. It does no I/O; Init starts the first queries.
func New(ctx context.Context, st Store, styles Styles, opts Options) *Model {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	// Every write the TUI makes is an action the agent can undo.
	e := &env{ctx: model.RecordActions(ctx), store: st, styles: styles, keys: DefaultKeyMap(), agent: opts.Agent, now: now,
		served: opts.Served, importNote: opts.ImportNote, layers: &overlayStack{}}
	h := help.New()
	h.Styles.ShortKey = styles.Accent
	h.Styles.FullKey = styles.Accent
	h.Styles.ShortDesc = styles.Faint
	h.Styles.FullDesc = styles.Faint
	h.Styles.ShortSeparator = styles.Faint
	h.Styles.FullSeparator = styles.Faint
	m := &Model{env: e, opts: opts, customers: newCustomersScreen(e), inbox: newInboxScreen(e),
		followUps: newFollowUpsScreen(e), insights: newInsightsScreen(e), imports: newImportScreen(e, opts.Importer), help: h}
	if len(opts.Warnings) > 0 {
		m.say("warning: "+opts.Warnings[0], true)
	}
	return m
}

// Init loads the status-bar figures; the first page loads on the first
// WindowSizeMsg, when the screen knows how many rows it can show.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.loadStats(), m.checkChanges(), m.checkIntegrity(), m.remindLater())
}

// remindMsg re-reads the reminders each minute, so a promise that falls
// due while the app is open shows without a restart.
type remindMsg struct{}

// focused is the screen that gets keys and draws the body.
func (m *Model) focused() screen {
	if m.activity != nil {
		return m.activity
	}
	if m.item != nil && m.tab == m.itemTab {
		return m.item
	}
	if m.profile != nil && m.tab == m.profileTab {
		return m.profile
	}
	switch m.tab {
	case tabCustomers:
		return m.customers
	case tabInbox:
		return m.inbox
	case tabFollowUps:
		return m.followUps
	case tabInsights:
		return m.insights
	}
	return m.imports
}

// screen is what the root needs from each screen.
type screen interface {
	Update(tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int) tea.Cmd
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	Capturing() bool
}

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, m.resize()
	case screenMsg:
		return m, m.deliver(msg)
	case paletteRunMsg:
		return m, m.handleKey(msg.key)
	case releaseMsg:
		return m, m.release(msg)
	case tea.KeyMsg:
		if m.holding && !key.Matches(msg, m.env.keys.Global.ForceQuit) {
			m.held = append(m.held, msg)
			return m, nil
		}
		// Bubble Tea can hand every program of a process (the sessions of
		// rapport serve) the same runes slice for a key, and bubbles'
		// textinput sanitises it in place: each session gets its own copy.
		msg.Runes = slices.Clone(msg.Runes)
		if m.dropTerminalReply(msg) {
			return m, nil
		}
		if escSentWith(msg, m.typing()) {
			return m, m.escThenKey(msg)
		}
		if isBurst(msg) && !m.typing() {
			return m, m.handleBurst(msg)
		}
		return m, m.handleKey(msg)
	}
	if cmd, ok := m.rootUpdate(msg); ok {
		return m, cmd
	}
	// What is left belongs to a component: the screen's overlay (a form's
	// focus and validation), else the screen (a cursor's blink). The
	// palette takes keys only.
	if o := m.env.layers.own(m.focusedID()); o != nil {
		return m, m.env.layers.update(o, msg)
	}
	return m, m.focused().Update(msg)
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	g := m.env.keys.Global
	if key.Matches(msg, g.ForceQuit) {
		if m.unsaved() && !m.quitArmed {
			m.quitArmed = true
			m.say("a form has unsaved input — ctrl+c again quits without saving", true)
			return nil
		}
		return tea.Quit
	}
	m.quitArmed = false
	if o := m.overlay(); o != nil { // keys go to the top overlay first
		return m.env.layers.update(o, msg)
	}
	f := m.focused()
	if f.Capturing() {
		return f.Update(msg)
	}
	switch {
	case key.Matches(msg, g.Palette):
		var all []key.Binding
		for _, group := range f.FullHelp() {
			all = append(all, group...)
		}
		all = append(all, g.Undo, g.Redo, g.Activity, g.Tab1, g.Tab2, g.Tab3, g.Tab4, g.Tab5, g.Help, g.Quit)
		p, cmd := newPalette(m.env, all)
		m.env.layers.push(rootOwner, &paletteLayer{palette: p})
		return cmd
	case key.Matches(msg, g.Quit):
		return tea.Quit
	case key.Matches(msg, g.Undo, g.Redo, g.Activity) && m.stackKey(f, msg):
		return m.stackAction(msg)
	case key.Matches(msg, g.Help):
		m.showHelp, m.helpTop = !m.showHelp, 0
		return m.resize()
	case key.Matches(msg, g.Tab1):
		return m.switchTab(tabCustomers)
	case key.Matches(msg, g.Tab2):
		return m.switchTab(tabInbox)
	case key.Matches(msg, g.Tab3):
		return m.switchTab(tabFollowUps)
	case key.Matches(msg, g.Tab4):
		return m.switchTab(tabInsights)
	case key.Matches(msg, g.Tab5):
		return m.switchTab(tabImport)
	case key.Matches(msg, g.NextTab):
		return m.switchTab((m.tab + 1) % tab(len(tabNames)))
	case key.Matches(msg, g.PrevTab):
		return m.switchTab((m.tab + tab(len(tabNames)) - 1) % tab(len(tabNames)))
	case key.Matches(msg, m.env.keys.List.Back) && m.showHelp:
		m.showHelp = false
		return m.resize()
	}
	if cmd, ok := m.navKey(msg); ok {
		return cmd
	}
	return f.Update(msg)
}

func (m *Model) switchTab(t tab) tea.Cmd {
	m.closeActivity()
	m.tab, m.drill = t, nil
	cmd := m.resize()
	switch t {
	case tabInbox:
		cmd = tea.Batch(cmd, m.inbox.Shown())
	case tabFollowUps:
		cmd = tea.Batch(cmd, m.followUps.Shown())
	case tabInsights:
		cmd = tea.Batch(cmd, m.insights.Shown())
	case tabImport:
		cmd = tea.Batch(cmd, m.imports.Shown())
	}
	return cmd
}

// bodySize is the room left for the focused screen.
func (m *Model) bodySize() (int, int) {
	return m.width, max(1, m.height-2-lipgloss.Height(m.helpView()))
}

func (m *Model) resize() tea.Cmd {
	w, h := m.bodySize()
	cmds := []tea.Cmd{m.customers.SetSize(w, h), m.inbox.SetSize(w, h), m.followUps.SetSize(w, h), m.insights.SetSize(w, h), m.imports.SetSize(w, h)}
	if m.profile != nil {
		cmds = append(cmds, m.profile.SetSize(w, h))
	}
	if m.activity != nil {
		cmds = append(cmds, m.activity.SetSize(w, h))
	}
	if m.item != nil {
		cmds = append(cmds, m.item.SetSize(w, h))
	}
	m.env.layers.setSize(w, h)
	return tea.Batch(cmds...)
}

func (m *Model) helpView() string {
	f := m.focused()
	g := m.env.keys.Global
	m.help.Width = m.width
	if m.showHelp {
		return m.fullHelpView(m.helpGroups())
	}
	if o := m.overlay(); o != nil {
		return fitLines(m.help.ShortHelpView(o.ShortHelp()), m.width)
	}
	if f.Capturing() {
		return fitLines(m.help.ShortHelpView(f.ShortHelp()), m.width)
	}
	return fitLines(m.help.ShortHelpView(append(f.ShortHelp(), g.Help, g.Quit)), m.width)
}

// fitLines truncates every line to w cells (bubbles/help can overflow by
// one item when no ellipsis fits).
func fitLines(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	return strings.Join(lines, "\n")
}

// View renders the frame: tabs, body, help, status bar.
func (m *Model) View() string {
	if m.width == 0 {
		return ""
	}
	w, h := m.bodySize()
	body := ""
	if o := m.overlay(); o != nil {
		body = o.View()
	} else {
		body = m.focused().View()
	}
	body = lipgloss.NewStyle().Width(w).Height(h).MaxHeight(h).MaxWidth(w).Render(body)
	return lipgloss.JoinVertical(lipgloss.Left, m.tabsView(), body, m.helpView(), m.statusView())
}

func (m *Model) tabsView() string {
	st := m.env.styles
	parts := make([]string, 0, len(tabNames))
	for i, name := range tabNames {
		label := fmt.Sprintf("%d %s", i+1, name)
		if tab(i) == m.tab {
			parts = append(parts, st.TabActive.Render(label))
		} else {
			parts = append(parts, st.TabIdle.Render(label))
		}
	}
	line := strings.Join(parts, st.TabGap.Render("·"))
	if lipgloss.Width(line) > m.width { // narrow terminal: tighter tabs
		for i, name := range tabNames {
			label := fmt.Sprintf("%d %s", i+1, name)
			if tab(i) != m.tab {
				label = fmt.Sprintf("%d %s", i+1, name[:min(4, len(name))])
			}
			parts[i] = strings.TrimSpace(label)
			if tab(i) == m.tab {
				parts[i] = st.TabActive.Padding(0).Render(parts[i])
			} else {
				parts[i] = st.TabIdle.Padding(0).Render(parts[i])
			}
		}
		line = strings.Join(parts, st.TabGap.Render(" · "))
	}
	brand := st.Title.Render("rapport")
	if lipgloss.Width(line)+lipgloss.Width(brand)+1 <= m.width {
		line = padRight(line, m.width-lipgloss.Width(brand)) + brand
	}
	return padRight(line, m.width)
}

func (m *Model) statusView() string {
	st := m.env.styles
	head := []string{st.StatusKey.Render(" " + filepath.Base(m.opts.DBPath)), st.Status.Render(m.env.agent)}
	var counts, due string
	if m.statsOK {
		counts = st.Status.Render(fmt.Sprintf("%s customers · %s feedback",
			thousands(m.stats.Customers), thousands(m.stats.Feedback)))
		if r := reminder(m.stats); r != "" {
			style := st.Status
			if m.stats.Overdue > 0 {
				style = st.StatusErr
			}
			due = style.Render(r)
		}
	}
	msg := ""
	if m.status != "" {
		msg = st.Status.Render(model.CleanLine(m.status))
		if m.statusErr {
			msg = st.StatusErr.Render(model.CleanLine(m.status))
		}
	}
	sep := st.Status.Render(" │ ")
	join := func(parts ...string) string {
		var out []string
		for _, p := range parts {
			if p != "" {
				out = append(out, p)
			}
		}
		return strings.Join(out, sep)
	}
	// The last action's result matters more than the totals: on a
	// narrow terminal the totals give way first. An undo or redo
	// (statusStep) is the exception: its first words say all, so it is
	// cut beside the totals, and undoing does not make them vanish.
	line := join(append(head, counts, due, msg)...)
	if lipgloss.Width(line) > m.width && msg != "" {
		room := m.width - lipgloss.Width(join(append(head, counts, due)...)) - lipgloss.Width(sep)
		if m.statusKind == statusStep && counts != "" && room >= minUndoStatus {
			line = join(append(head, counts, due, fit(msg, room))...)
		} else {
			line = join(append(head, due, msg)...)
		}
	}
	return st.Status.Render(padRight(line, m.width))
}

// minUndoStatus is the least of an undo's result shown beside the totals
// ("undone: classify status…").
const minUndoStatus = 24

// reminder says what is due for the agent: "2 overdue · 1 due today".
func reminder(s model.Stats) string {
	var parts []string
	if s.Overdue > 0 {
		parts = append(parts, thousands(s.Overdue)+" overdue")
	}
	if s.DueToday > 0 {
		parts = append(parts, thousands(s.DueToday)+" due today")
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, " · ")
}

// errText words an error for the status bar.
func errText(err error) string {
	var se *model.StaleError
	switch {
	case errors.As(err, &se):
		return se.Error()
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return err.Error()
}

// written refreshes what a write from a form changed: the status bar, the
// open profile, and the lists that show it.
func (m *Model) written(msg tea.Msg) tea.Cmd {
	var (
		text     string
		err      error
		customer int64
	)
	switch msg := msg.(type) {
	case feedbackLoggedMsg:
		err, customer = msg.err, msg.feedback.CustomerID
		text = "feedback logged"
		if msg.feedback.Category != "" {
			text += " as " + msg.feedback.Category
		}
	case followUpAddedMsg:
		err, customer = msg.err, msg.followUp.CustomerID
		text = "follow-up due " + msg.followUp.Due.In(time.Local).Format("Mon 2006-01-02 15:04")
	}
	if err != nil {
		m.say("not saved: "+errText(err), true)
		return nil
	}
	m.say(text, false)
	cmds := []tea.Cmd{m.loadStats(), m.reloadProfile(customer)}
	if m.item != nil {
		cmds = append(cmds, m.item.load())
	}
	return tea.Batch(append(cmds, m.inbox.reread(true), m.followUps.reread(true))...)
}

// unsaved reports whether a form on any screen holds typed input.
func (m *Model) unsaved() bool { return m.env.layers.unsaved() }

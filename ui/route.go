package ui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Routing. A screen's own answers (its pages, counts, loads, progress)
// travel in a screenMsg addressed to the screen that asked, by id; the
// root hands the envelope to that screen only, and drops it when that
// screen is gone (a profile closed, or replaced by another one, while
// its load was running). Everything else is a message for the root
// (statusMsg, openProfileMsg, …), handled in rootUpdate; what is left
// goes to the focused screen's top overlay, else to the focused screen.

// screenID names one screen for as long as it is open. The five tabs
// keep theirs; each profile, item view or activity view gets a new one
// when it opens, so an answer for one never reaches the next.
type screenID int

const (
	customersID screenID = iota + 1
	inboxID
	followUpsID
	insightsID
	importID
	firstOpenedID screenID = 100 // profiles, item views, activity views count up from here
)

// screenMsg is a message addressed to one screen.
type screenMsg struct {
	to  screenID
	msg tea.Msg
}

// to addresses the answer of cmd (a command returning one message, not
// a batch) to screen id.
func to(id screenID, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		if msg == nil {
			return nil
		}
		return screenMsg{to: id, msg: msg}
	}
}

// sendTo addresses msg to screen id, as a command.
func sendTo(id screenID, msg tea.Msg) tea.Cmd {
	return func() tea.Msg { return screenMsg{to: id, msg: msg} }
}

// openedID gives a screen that opens over a tab its own id.
func (m *Model) openedID() screenID {
	if m.lastID < firstOpenedID {
		m.lastID = firstOpenedID
	}
	m.lastID++
	return m.lastID
}

// screenByID is the open screen with that id, or nil.
func (m *Model) screenByID(id screenID) screen {
	switch id {
	case customersID:
		return m.customers
	case inboxID:
		return m.inbox
	case followUpsID:
		return m.followUps
	case insightsID:
		return m.insights
	case importID:
		return m.imports
	}
	switch {
	case m.profile != nil && m.profile.sid == id:
		return m.profile
	case m.item != nil && m.item.sid == id:
		return m.item
	case m.activity != nil && m.activity.sid == id:
		return m.activity
	}
	return nil
}

// deliver hands an envelope to its screen; one for a screen that has
// closed since is dropped.
func (m *Model) deliver(msg screenMsg) tea.Cmd {
	s := m.screenByID(msg.to)
	if s == nil {
		return nil
	}
	return s.Update(msg.msg)
}

// rootUpdate handles the messages the root owns: the status bar, the
// change feed, and opening and closing the screens over the tabs. ok is
// false for a message that is not the root's.
func (m *Model) rootUpdate(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case statsMsg:
		if msg.err == nil {
			m.stats, m.statsOK = msg.stats, true
		}
	case statusMsg:
		m.setStatus(msg)
	case openProfileMsg:
		m.closeActivity()
		m.closeProfile()
		m.profile, m.profileTab = newProfileScreen(m.env, m.openedID(), msg.id), m.tab
		return tea.Batch(m.profile.SetSize(m.bodySize()), m.profile.load()), true
	case closeProfileMsg:
		m.closeProfile()
	case mergedMsg:
		return m.merged(msg), true
	case openItemMsg, closeItemMsg, itemCustomerMsg, itemChangedMsg:
		return m.routeItem(msg), true
	case refreshStatsMsg:
		return m.loadStats(), true
	case remindMsg:
		return tea.Batch(m.loadStats(), m.remindLater()), true
	case feedbackLoggedMsg, followUpAddedMsg:
		return m.written(msg), true
	case formSavedMsg:
		return m.formSaved(msg), true
	case recallProgressMsg:
		return m.recallProgress(msg), true
	case recallDoneMsg:
		return m.recallDone(msg), true
	case pollMsg:
		return m.checkChanges(), true
	case checkedMsg:
		switch {
		case msg.err != nil:
			m.say("integrity check failed: "+msg.err.Error(), true)
		case len(msg.problems) > 0:
			m.say(fmt.Sprintf("the database is damaged (%d problems, first: %s); back it up and run `sqlite3 FILE .recover`",
				len(msg.problems), msg.problems[0]), true)
		}
	case changesMsg:
		return m.changed(msg), true
	case importedMsg:
		return m.afterImport(), true
	case drillInboxMsg:
		m.closeProfile()
		m.closeItem()
		m.drill = &drillBack{from: m.tab, to: tabInbox}
		m.tab = tabInbox
		m.inbox.drilled(msg.kind, msg.filter)
		return tea.Batch(m.resize(), m.inbox.reload(), m.inbox.loadRules()), true
	case drillMsg:
		m.closeProfile()
		m.closeItem()
		m.drill = &drillBack{from: m.tab, to: tabCustomers}
		m.tab = tabCustomers
		return tea.Batch(m.resize(), m.customers.filter(msg.where)), true
	case undoneMsg:
		return m.undone(msg), true
	case closeActivityMsg:
		m.closeActivity()
		return m.resize(), true
	default:
		return nil, false
	}
	return nil, true
}

// statusKind says how the status bar treats a result on a narrow
// terminal.
type statusKind int

const (
	statusPlain statusKind = iota // gives way before the totals do
	// statusStep is an undo's or redo's result: its first words say all,
	// so it is cut to fit beside the totals.
	statusStep
)

// say shows the root's own words in the status bar.
func (m *Model) say(text string, err bool) {
	m.status, m.statusErr, m.statusKind = text, err, statusPlain
}

// setStatus shows a result in the status bar.
func (m *Model) setStatus(msg statusMsg) {
	m.status, m.statusErr, m.statusKind = msg.text, msg.err, msg.kind
	if msg.err { // others' refreshes leave a refusal readable a while
		m.errorShownAt = time.Now()
	}
}

// changed follows the change feed: the screen in view re-reads what
// others wrote.
func (m *Model) changed(msg changesMsg) tea.Cmd {
	if msg.err != nil {
		return m.schedulePoll()
	}
	if msg.changed {
		m.insights.invalidate() // figures computed before the change
	}
	if m.recalling { // the recall's own batches: its end refreshes the screens
		return m.schedulePoll()
	}
	m.lastAudit = msg.last
	if !msg.changed {
		return m.schedulePoll()
	}
	m.refreshedAt = time.Now()
	if msg.byOthers > 0 && time.Since(m.errorShownAt) > 5*time.Second {
		what := "changes"
		if msg.byOthers == 1 {
			what = "change"
		}
		m.say(fmt.Sprintf("%d %s by others — refreshed", msg.byOthers, what), false)
	}
	return tea.Batch(m.refreshFocused(), m.loadStats(), m.schedulePoll())
}

// focusedID is the id of the screen that gets keys and draws the body.
func (m *Model) focusedID() screenID {
	switch {
	case m.activity != nil:
		return m.activity.sid
	case m.item != nil && m.tab == m.itemTab:
		return m.item.sid
	case m.profile != nil && m.tab == m.profileTab:
		return m.profile.sid
	}
	return tabIDs[m.tab]
}

// tabIDs are the ids of the tabs' screens, in tab order.
var tabIDs = []screenID{customersID, inboxID, followUpsID, insightsID, importID}

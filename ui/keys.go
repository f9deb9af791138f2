package ui

import "github.com/charmbracelet/bubbles/key"

// GlobalKeys work on every screen unless a text input has the focus.
type GlobalKeys struct {
	Tab1, Tab2, Tab3, Tab4, Tab5 key.Binding
	NextTab, PrevTab             key.Binding
	Help                         key.Binding
	Palette                      key.Binding
	Quit                         key.Binding
	ForceQuit                    key.Binding
	// Undo, redo and the activity view work on the agent's own actions;
	// u is undo where a screen has no u of its own, ctrl+z everywhere.
	Undo, Redo, Activity key.Binding
}

// ListKeys move through a list.
type ListKeys struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	Open             key.Binding
	Back             key.Binding
	Search           key.Binding
}

// CustomerKeys are the Customers screen's own commands.
type CustomerKeys struct {
	Sort      key.Binding
	SortDir   key.Binding
	Lifecycle key.Binding
	Where     key.Binding
	Refresh   key.Binding
	New       key.Binding
	Recall    key.Binding
}

// InboxKeys are the Inbox's own commands.
type InboxKeys struct {
	Status key.Binding
	Kind   key.Binding
	Filter key.Binding
	// Actions on the selection, or the item under the cursor.
	SetCategory, SetTags, SetStatus, SetPriority key.Binding
	Undo, Accept, Add, FollowUp                  key.Binding
	Categories                                   key.Binding // the taxonomy view
}

// FollowUpKeys work the follow-up queue.
type FollowUpKeys struct {
	NextSection, PrevSection key.Binding
	Mine                     key.Binding
	Done, DoneNote           key.Binding
	Snooze, SnoozeWeek       key.Binding
	SnoozeUntil, Reassign    key.Binding
	Assignee, Campaigns      key.Binding
}

// SelectKeys pick rows for a bulk action.
type SelectKeys struct {
	Toggle, All key.Binding
}

// InsightKeys work the Insights table.
type InsightKeys struct {
	Dimension, Period, Export, Demand key.Binding
	Attr                              key.Binding // group by a custom attribute
	Values                            key.Binding // an attribute's ranges or its values one by one
	Sort                              key.Binding
}

// ImportKeys work the Import tab's mapping, run and report.
type ImportKeys struct {
	NextField, PrevField, Choose key.Binding
	Attrs, Reset                 key.Binding
	DryRun, Run, Cancel, Other   key.Binding
	ErrorsFile                   key.Binding // where rejected rows go
}

// ProfileKeys act on an open profile.
type ProfileKeys struct {
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	Back             key.Binding
	Refresh          key.Binding
	Note             key.Binding
	FollowUp         key.Binding
	Lifecycle        key.Binding
	Feedback         key.Binding
	Tags             key.Binding
	Edit             key.Binding
}

// KeyMap holds every binding of the TUI; help text comes from here.
type KeyMap struct {
	Global    GlobalKeys
	List      ListKeys
	Customers CustomerKeys
	Inbox     InboxKeys
	FollowUps FollowUpKeys
	Select    SelectKeys
	Insights  InsightKeys
	Profile   ProfileKeys
	Import    ImportKeys
	// Input keys while typing a search.
	InputDone   key.Binding
	InputCancel key.Binding
	WhereDone   key.Binding
	WhereCancel key.Binding
}

// DefaultKeyMap is lazygit/k9s-like: vim motions and arrows both work.
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Global: GlobalKeys{
			Tab1:      b("1", "customers", "1"),
			Tab2:      b("2", "inbox", "2"),
			Tab3:      b("3", "follow-ups", "3"),
			Tab4:      b("4", "insights", "4"),
			Tab5:      b("5", "import", "5"),
			NextTab:   b("tab", "next tab", "tab"),
			PrevTab:   b("shift+tab", "previous tab", "shift+tab"),
			Help:      b("?", "help", "?"),
			Palette:   b(":", "command palette", ":", "ctrl+k"),
			Quit:      b("q", "quit", "q"),
			ForceQuit: b("ctrl+c", "quit", "ctrl+c"),
			Undo:      b("u/ctrl+z", "undo", "ctrl+z", "u"),
			Redo:      b("ctrl+y", "redo", "ctrl+y"),
			Activity:  b("A", "activity (my recent actions)", "A"),
		},
		List: ListKeys{
			Up:       b("↑/k", "up", "up", "k"),
			Down:     b("↓/j", "down", "down", "j"),
			PageUp:   b("ctrl+u/pgup", "page up", "ctrl+u", "pgup"),
			PageDown: b("ctrl+d/pgdn", "page down", "ctrl+d", "pgdown"),
			Top:      b("g/home", "top", "g", "home"),
			Bottom:   b("G/end", "bottom", "G", "end"),
			Open:     b("enter", "open", "enter"),
			Back:     b("esc", "clear/back", "esc"),
			Search:   b("/", "search", "/"),
		},
		Customers: CustomerKeys{
			Sort:      b("s", "sort column", "s"),
			SortDir:   b("S", "reverse sort", "S"),
			Lifecycle: b("L", "lifecycle filter", "L"),
			Where:     b("w", "segment filter", "w"),
			Refresh:   b("ctrl+r", "refresh", "ctrl+r"),
			New:       b("a", "new customer", "a"),
			Recall:    b("R", "recall segment", "R"),
		},
		Inbox: InboxKeys{
			Status:      b("f", "status filter", "f"),
			Kind:        b("K", "kind filter", "K"),
			Filter:      b("F", "filter category:/tag:/channel:", "F"),
			SetCategory: b("c", "category", "c"),
			SetTags:     b("t", "tags", "t"),
			SetStatus:   b("s", "status", "s"),
			SetPriority: b("p", "priority", "p"),
			Undo:        b("u", "undo", "u"),
			Accept:      b("y", "accept suggestion", "y"),
			Add:         b("a", "log feedback", "a"),
			FollowUp:    b("U", "follow up", "U"),
			Categories:  b("C", "categories", "C"),
		},
		FollowUps: FollowUpKeys{
			NextSection: b("→/l", "next section", "right", "l"),
			PrevSection: b("←/h", "previous section", "left", "h"),
			Mine:        b("m", "mine/everyone's", "m"),
			Done:        b("x", "done", "x"),
			DoneNote:    b("X", "done with outcome", "X"),
			SnoozeUntil: b("s", "snooze until…", "s"),
			Reassign:    b("a", "reassign", "a"),
			Assignee:    b("@", "filter by assignee", "@"),
			Campaigns:   b("C", "campaigns", "C"),
			Snooze:      b("z", "snooze 1 day", "z"),
			SnoozeWeek:  b("Z", "snooze 1 week", "Z"),
		},
		Select: SelectKeys{
			Toggle: b("space", "select", " ", "space"),
			All:    b("v", "select all on screen", "v"),
		},
		Insights: InsightKeys{
			Dimension: b("d", "group by", "d"),
			Period:    b("p", "period", "p"),
			Export:    b("e", "export CSV", "e"),
			Demand:    b("D", "demand ranking", "D"),
			Attr:      b("a", "group by attribute", "a"),
			Values:    b("b", "ranges / each value", "b"),
			Sort:      b("o", "sort", "o"),
		},
		Profile: ProfileKeys{
			Up:        b("↑/k", "scroll up", "up", "k"),
			Down:      b("↓/j", "scroll down", "down", "j"),
			PageUp:    b("ctrl+u/pgup", "page up", "ctrl+u", "pgup"),
			PageDown:  b("ctrl+d/pgdn", "page down", "ctrl+d", "pgdown"),
			Top:       b("g", "top", "g", "home"),
			Bottom:    b("G", "bottom", "G", "end"),
			Back:      b("esc", "back", "esc", "backspace"),
			Refresh:   b("ctrl+r", "refresh", "ctrl+r"),
			Note:      b("n", "add note", "n"),
			FollowUp:  b("u", "follow-up", "u"),
			Lifecycle: b("l", "lifecycle", "l"),
			Feedback:  b("f", "log feedback", "f"),
			Tags:      b("t", "tags", "t"),
			Edit:      b("e", "edit", "e"),
		},
		Import: ImportKeys{
			NextField:  b("→/l", "next field", "right", "l"),
			PrevField:  b("←/h", "previous field", "left", "h"),
			Choose:     b("f", "choose field", "f"),
			Attrs:      b("a", "keep as attribute", "a"),
			Reset:      b("u", "detected field", "u"),
			DryRun:     b("d", "dry run", "d"),
			Run:        b("i", "run import", "i"),
			Cancel:     b("esc", "cancel import", "esc"),
			Other:      b("o", "other file", "o"),
			ErrorsFile: b("e", "rejected rows file", "e"),
		},
		InputDone:   b("enter", "keep filter", "enter"),
		InputCancel: b("esc", "clear", "esc"),
		WhereDone:   b("enter", "apply", "enter"),
		WhereCancel: b("esc", "cancel", "esc"),
	}
}

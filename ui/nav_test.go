package ui

import (
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// Navigation (issue 16, defect 11).

// esc on the list an Insights drill opened goes back to Insights.
func TestEscFromDrillReturnsToInsights(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 30)
	send(t, m, nil, keys("4", "enter")...) // by plan: enterprise's customers
	if m.tab != tabCustomers || m.customers.where == "" {
		t.Fatalf("enter should drill into Customers (tab %d, where %q)", m.tab, m.customers.where)
	}
	send(t, m, nil, keys("esc")...)
	if m.tab != tabInsights || m.customers.where != "" {
		t.Fatalf("esc should return to Insights and drop the drill's filter: tab %d where %q", m.tab, m.customers.where)
	}
	// A feedback dimension drills into the Inbox; esc comes back too.
	for insightDims[m.insights.dim] != "channel" {
		send(t, m, nil, keys("d")...)
	}
	send(t, m, nil, keys("enter")...)
	if m.tab != tabInbox || m.inbox.filter.channel == "" {
		t.Fatalf("enter on a channel should open the Inbox filtered (tab %d)", m.tab)
	}
	send(t, m, nil, keys("esc")...)
	if m.tab != tabInsights || !m.inbox.filter.empty() || m.inbox.status != model.StatusOpen {
		t.Errorf("esc should return to Insights, the Inbox back at its default: tab %d filter %+v status %q",
			m.tab, m.inbox.filter, m.inbox.status)
	}
	// Outside a drill, esc stays on the list.
	send(t, m, nil, keys("1", "L", "esc")...)
	if m.tab != tabCustomers {
		t.Errorf("esc outside a drill must not leave Customers")
	}
}

// esc in the Inbox brings back the default filter (open), not "any".
func TestInboxEscRestoresTheDefaultFilter(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 30)
	send(t, m, nil, keys("2", "f", "f", "K")...)
	if m.inbox.status == model.StatusOpen {
		t.Fatal("f should have moved the status filter")
	}
	send(t, m, nil, keys("esc")...)
	if m.inbox.status != model.StatusOpen || m.inbox.kind != "" || !strings.Contains(m.View(), "status: open") {
		t.Errorf("esc: status %q kind %q\n%s", m.inbox.status, m.inbox.kind, m.View())
	}
}

// The full help shows every binding: in columns that fit, scrolling with
// j/k when taller than the room.
func TestFullHelpFitsOrScrolls(t *testing.T) {
	for _, c := range []struct {
		tab  string
		w, h int
	}{{"2", 120, 35}, {"1", 60, 15}, {"1", 100, 30}} {
		m := newTestModel(t, testStore(t), c.w, c.h)
		send(t, m, nil, keys(c.tab, "?")...)
		frame := m.View()
		assertFrame(t, frame, c.w, c.h)
		golden(t, "fullhelp_tab"+c.tab+"_"+sizeName([2]int{c.w, c.h}), frame)
		seen := frame
		for i := 0; i < 60 && strings.Contains(m.View(), "j/k scroll"); i++ {
			send(t, m, nil, keys("j")...)
			seen += m.View()
		}
		for _, group := range m.helpGroups() {
			for _, b := range group {
				h := b.Help()
				if !strings.Contains(seen, h.Desc) {
					t.Errorf("%dx%d tab %s: %q (%s) never shown in the help", c.w, c.h, c.tab, h.Desc, h.Key)
				}
			}
		}
		send(t, m, nil, keys("esc")...)
		if m.showHelp {
			t.Error("esc should close the help")
		}
	}
}

// At 200 columns the Inbox's columns widen; the subject keeps the most.
func TestInboxColumnsWidenOnWideTerminals(t *testing.T) {
	width := func(cols []inboxColumn, title string) int {
		for _, c := range cols {
			if c.title == title {
				return c.width
			}
		}
		return 0
	}
	narrow, wide := inboxColumns(120), inboxColumns(200)
	if width(wide, "Category") < len("Product/Feature request") || width(wide, "Customer") <= width(narrow, "Customer") {
		t.Errorf("at 200 columns category %d, customer %d (at 120: %d)", width(wide, "Category"), width(wide, "Customer"), width(narrow, "Customer"))
	}
	if width(wide, "Subject") <= width(narrow, "Subject") || width(wide, "Subject") < 72 {
		t.Errorf("the subject should take the most: %d at 200, %d at 120", width(wide, "Subject"), width(narrow, "Subject"))
	}
	m := newTestModel(t, testStore(t), 200, 20)
	send(t, m, nil, keys("2")...)
	assertFrame(t, m.View(), 200, 20)
}

// A sort arrow is never the part of a column title that is cut.
func TestSortArrowsAreNotCut(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 30)
	for i := 0; i < 10 && m.customers.sort != model.SortLifecycle; i++ {
		send(t, m, nil, keys("s")...)
	}
	if !strings.Contains(m.View(), "Lifecycle↑") {
		t.Errorf("the lifecycle column should read Lifecycle↑:\n%s", m.View())
	}
	send(t, m, nil, keys("s", "s")...) // CSAT, then last contact
	if m.customers.sort != model.SortLastContact || !strings.Contains(m.View(), "↓") {
		t.Errorf("last contact sort should show its arrow:\n%s", lineWith(m.View(), "Name"))
	}
	if sortTitle("Last contact", "↓", 12) != "Last conta…↓" {
		t.Errorf("sortTitle = %q", sortTitle("Last contact", "↓", 12))
	}
}

// The palette's examples are actions of the screen in view, and each finds
// something; the words people use ("resolve", "export") do too.
func TestPaletteExamplesFindSomething(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 30)
	for _, tab := range []string{"1", "2", "3", "4"} {
		send(t, m, nil, keys(tab, ":")...)
		ph := strings.TrimSuffix(strings.TrimPrefix(m.env.layers.paletteOf().input.Placeholder, "type an action: "), "…")
		for _, ex := range strings.Split(ph, ", ") {
			m.env.layers.paletteOf().input.SetValue(ex)
			m.env.layers.paletteOf().filter()
			if len(m.env.layers.paletteOf().matches) == 0 {
				t.Errorf("tab %s: the example %q finds nothing", tab, ex)
			}
		}
		send(t, m, nil, keys("esc")...)
	}
	for tab, word := range map[string]string{"2": "resolve", "4": "export"} {
		send(t, m, nil, keys(tab, ":", word)...)
		if len(m.env.layers.paletteOf().matches) == 0 {
			t.Errorf("tab %s: %q finds nothing", tab, word)
		}
		send(t, m, nil, keys("esc")...)
	}
}

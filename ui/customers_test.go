package ui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

func TestCustomersFirstFrame(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "customers_100x30", frame)
	if !strings.Contains(frame, "1–25 of 37") {
		t.Errorf("position missing from frame:\n%s", frame)
	}
}

func TestCustomersSearchChineseSubstring(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("/", "云栖科")...)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "customers_search_chinese", frame)
	if got := names(m.customers.rows); got != "王芳" {
		t.Errorf("search 云栖科 found %q, want 王芳", got)
	}
	// A two-character full name is below the trigram index's reach.
	send(t, m, nil, keys("esc", "/", "陈静")...)
	if got := names(m.customers.rows); got != "陈静" {
		t.Errorf("search 陈静 found %q, want 陈静", got)
	}
	// enter keeps the filter and leaves the input; esc clears it.
	send(t, m, nil, keys("enter")...)
	if m.customers.searching || m.customers.search != "陈静" {
		t.Errorf("enter should keep the search %q and leave the input", m.customers.search)
	}
	send(t, m, nil, keys("esc")...)
	if m.customers.search != "" || len(m.customers.rows) != m.customers.pageSize() {
		t.Errorf("esc should clear the search; rows=%d search=%q", len(m.customers.rows), m.customers.search)
	}
}

func TestCustomersSearchDropsStaleAnswers(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	c := m.customers
	// Type two letters without running the queries, then answer the first
	// query last: its rows must not replace the second query's.
	_, first := m.Update(keys("/")[0])
	run(t, m, first, 0)
	_, cmdE := m.Update(keys("E")[0])
	_, cmdEm := m.Update(keys("m")[0])
	run(t, m, cmdEm, 0)
	want := names(c.rows)
	run(t, m, cmdE, 0)
	if got := names(c.rows); got != want {
		t.Errorf("a stale answer replaced the rows: %q, want %q", got, want)
	}
	if c.search != "Em" {
		t.Errorf("search = %q", c.search)
	}
}

func TestCustomersWindowPaging(t *testing.T) {
	st := testStore(t)
	all, err := st.ListCustomers(context.Background(), model.CustomerQuery{Sort: model.SortName, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, st, 80, 15)
	c := m.customers
	n := c.pageSize()
	if len(c.rows) != n {
		t.Fatalf("first window has %d rows, want %d", len(c.rows), n)
	}
	check := func(step string) {
		t.Helper()
		abs := c.offset + c.sel
		if got, want := c.rows[c.sel].ID, all.Rows[abs].ID; got != want {
			t.Fatalf("%s: selected id %d at position %d, want %d", step, got, abs, want)
		}
		assertFrame(t, m.View(), 80, 15)
	}
	for i := 0; i < n+3; i++ {
		send(t, m, nil, keys("j")...)
	}
	check("after j×(n+3)")
	if c.offset != 4 {
		t.Errorf("window should have slid by 4, offset=%d", c.offset)
	}
	send(t, m, nil, keys("ctrl+d")...)
	check("after ctrl+d")
	send(t, m, nil, keys("G")...)
	check("after G")
	if c.rows[c.sel].ID != all.Rows[len(all.Rows)-1].ID {
		t.Errorf("G should select the last customer")
	}
	if !strings.Contains(m.View(), "of 37") || c.offset+len(c.rows) != 37 {
		t.Errorf("after G the window should end at 37: offset %d rows %d", c.offset, len(c.rows))
	}
	for i := 0; i < n+2; i++ {
		send(t, m, nil, keys("k")...)
	}
	check("after k×(n+2)")
	send(t, m, nil, keys("ctrl+u")...)
	check("after ctrl+u")
	send(t, m, nil, keys("g")...)
	check("after g")
	if c.offset != 0 || c.sel != 0 {
		t.Errorf("g should go to the top: offset %d sel %d", c.offset, c.sel)
	}
}

func TestCustomersSortCycles(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 20)
	send(t, m, nil, keys("s")...) // company
	if m.customers.sort != model.SortCompany {
		t.Fatalf("sort = %s", m.customers.sort)
	}
	rows := m.customers.rows
	for i := 1; i < len(rows); i++ {
		if rows[i-1].Company > rows[i].Company {
			t.Errorf("not sorted by company: %q before %q", rows[i-1].Company, rows[i].Company)
		}
	}
	send(t, m, nil, keys("S")...)
	if !m.customers.desc || !strings.Contains(m.View(), "Company ↓") {
		t.Errorf("S should reverse the sort and mark the header")
	}
}

func TestCustomersSanitizesImportedText(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("/", "evil")...)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	if !strings.Contains(frame, "Evil Name") {
		t.Errorf("cleaned name missing:\n%s", frame)
	}
	if strings.Contains(frame, "pwned") {
		t.Errorf("OSC title text leaked into the frame")
	}
}

func TestLayoutSurvivesSmallTerminals(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	for _, sz := range [][2]int{{60, 15}, {80, 24}, {200, 60}, {61, 16}} {
		send(t, m, nil, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		assertFrame(t, m.View(), sz[0], sz[1])
	}
	golden(t, "customers_60x15", m.viewAt(t, 60, 15))
	send(t, m, nil, keys("enter")...)
	assertFrame(t, m.View(), 60, 15)
	golden(t, "profile_60x15", m.View())
}

func TestHelpToggles(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("?")...)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "help_100x30", frame)
	send(t, m, nil, keys("?")...)
	if strings.Contains(m.View(), "reverse sort") {
		t.Errorf("? should close the full help")
	}
}

func TestTabsSwitch(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("2")...)
	if m.tab != tabInbox || !strings.Contains(m.View(), "Inbox  status: open") {
		t.Errorf("2 should show the Inbox tab:\n%s", m.View())
	}
	send(t, m, nil, keys("tab", "tab", "tab", "tab")...)
	if m.tab != tabCustomers {
		t.Errorf("tab should cycle back to Customers, got %d", m.tab)
	}
}

func TestProfileShowsHistory(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("/", "wang.fang", "enter", "enter")...)
	if m.profile == nil {
		t.Fatal("enter should open the profile")
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "profile_100x30", frame)
	for _, want := range []string{"王芳", "#vip", "3.67", "退款一直没到账", "Prefers WeChat", "industry"} {
		if !strings.Contains(frame, want) {
			t.Errorf("profile lacks %q", want)
		}
	}
	send(t, m, nil, keys("esc")...)
	if m.profile != nil || m.customers.search != "wang.fang" {
		t.Errorf("esc should return to the filtered list")
	}
}

func (m *Model) viewAt(t *testing.T, w, h int) string {
	send(t, m, nil, tea.WindowSizeMsg{Width: w, Height: h})
	return m.View()
}

func names(cs []model.Customer) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return strings.Join(out, ",")
}

func TestCustomersSegmentFilter(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 20)
	send(t, m, nil, keys("w", "csat_avg <")...)
	frame := m.View()
	assertFrame(t, frame, 100, 20)
	golden(t, "customers_where_error", frame)
	if !strings.Contains(frame, "^ expected a value after '<' at column 11") {
		t.Errorf("the live parse error should point at column 11:\n%s", frame)
	}
	send(t, m, nil, keys("enter")...) // refused while it does not parse
	if !m.customers.editWhere || m.customers.where != "" {
		t.Fatal("enter applied an expression that does not parse")
	}
	send(t, m, nil, keys(" 3 and region ~ 华", "enter")...)
	if got := names(m.customers.rows); got != "陈静" || m.customers.editWhere {
		t.Errorf("where csat_avg < 3 and region ~ 华 = %q", got)
	}
	if !strings.Contains(m.View(), "where csat_avg < 3 and region ~ 华") {
		t.Errorf("the applied filter should show on the top line")
	}
	send(t, m, nil, keys("esc")...)
	if m.customers.where != "" || len(m.customers.rows) < 10 {
		t.Errorf("esc should clear the filter")
	}
}

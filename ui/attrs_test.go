package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// importTicketWithAttrs stores, as an import would, a ticket of 王芳's whose
// unmapped columns are kept as the ticket's attributes: a hostile value, a
// very long one and a Chinese one.
func importTicketWithAttrs(t *testing.T, st *db.Store) {
	t.Helper()
	csat := 2
	_, err := st.ImportBatch(context.Background(), "importer", "zendesk", []model.ImportRecord{{
		Line: 2, Customer: model.Customer{Email: "wang.fang@example.cn"}, CustomerRef: true,
		FeedbackKey: "Z-1", Feedback: &model.Feedback{Subject: "Export is stuck", CSAT: &csat, CreatedAt: fixedNow,
			Attrs: map[string]string{
				"Geography":   "France",
				"Evil\x1b[2J": "red\x1b]0;pwned\x07 value\u202e",
				"Notes":       strings.Repeat("very long note ", 20),
				"门店":          "杭州西湖店",
			}},
	}}, false)
	if err != nil {
		t.Fatal(err)
	}
}

// TestInboxPreviewShowsTicketAttrs: the preview of a ticket lists its
// imported columns, cleaned, each value cut with an ellipsis.
func TestInboxPreviewShowsTicketAttrs(t *testing.T) {
	st := testStore(t)
	importTicketWithAttrs(t, st)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2")...)
	if f, ok := m.inbox.selected(); !ok || f.Subject != "Export is stuck" {
		t.Fatalf("selected %+v", f)
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "inbox_attrs", frame)
	for _, want := range []string{"Geography France", "Evil red value", "Notes very long note", "…", "门店 杭州西湖店"} {
		if !strings.Contains(frame, want) {
			t.Errorf("preview lacks %q:\n%s", want, frame)
		}
	}
	if strings.Contains(frame, strings.Repeat("very long note ", 3)) {
		t.Errorf("the long value was not cut:\n%s", frame)
	}
}

func TestAttrLinesFitAndCount(t *testing.T) {
	st := NewStyles(lipgloss.DefaultRenderer())
	attrs := map[string]string{"empty": "  "} // k00 is empty too: 29 attributes to show
	for i := range 30 {
		attrs[fmt.Sprintf("k%02d", i)] = strings.Repeat("值", i)
	}
	lines := attrLines(st, attrs, 60, 2)
	if len(lines) != 2 || !strings.HasSuffix(lines[1], "more") {
		t.Fatalf("lines: %q", lines)
	}
	for _, l := range lines {
		if lipgloss.Width(l) > 60 {
			t.Errorf("%d cells: %q", lipgloss.Width(l), l)
		}
	}
	if strings.Contains(strings.Join(lines, ""), "empty") {
		t.Error("a blank value is shown")
	}
	if got := attrLines(st, nil, 60, 2); got != nil {
		t.Errorf("no attrs: %q", got)
	}
	rows := attrRows(attrs, 12)
	if len(rows) != 13 || rows[12][1] != "17 more attributes (customers show REF lists them all)" ||
		lipgloss.Width(rows[11][1]) > attrValueWidth {
		t.Errorf("profile rows: %q", rows)
	}
}

// TestInsightsByAttribute: a steps through the attribute names in the
// database; a feedback-level one groups each ticket by its own value, and
// enter drills into the customers with that value.
func TestInsightsByAttribute(t *testing.T) {
	st := testStore(t)
	importTicketWithAttrs(t, st)
	m := newTestModel(t, st, 120, 24)
	send(t, m, nil, keys("4", "a")...)
	in := m.insights
	var found []string
	for _, k := range in.attr.keys {
		found = append(found, k.Name+"/"+k.Level)
	}
	if got := strings.Join(found, " "); got != "Evil\x1b[2J/feedback Geography/feedback Notes/feedback industry/customer 门店/feedback" {
		t.Fatalf("attribute names: %q", got)
	}
	send(t, m, nil, keys("a")...)
	frame := m.View()
	assertFrame(t, frame, 120, 24)
	golden(t, "insights_attr", frame)
	if in.dimension() != "attr.Geography" || in.sum == nil || len(in.sum.Groups) != 2 ||
		in.sum.Groups[0].Key != model.SummaryNone || in.sum.Groups[0].FeedbackN != 5 ||
		in.sum.Groups[1].Key != "France" || in.sum.Groups[1].FeedbackN != 1 {
		t.Fatalf("by attr.Geography: %+v", in.sum)
	}
	if !strings.Contains(frame, "attr.Geography (feedback attribute)") {
		t.Errorf("title:\n%s", frame)
	}
	send(t, m, nil, keys("j", "enter")...)
	if m.tab != tabCustomers || m.customers.where != `attr."Geography" = "France"` || names(m.customers.rows) != "王芳" {
		t.Errorf("drill: tab %d where %q rows %q", m.tab, m.customers.where, names(m.customers.rows))
	}
	// d goes back to the fixed dimensions; a customer-level attribute
	// groups by the customer's value.
	send(t, m, nil, keys("4", "d")...)
	if in.dimension() != "region" {
		t.Errorf("d: %s", in.dimension())
	}
	send(t, m, nil, keys("a", "a", "a", "a")...)
	if in.dimension() != "attr.industry" || len(in.sum.Groups) != 2 || in.sum.Groups[0].Key != "retail" || in.sum.Groups[0].FeedbackN != 4 {
		t.Errorf("by attr.industry: %s %+v", in.dimension(), in.sum.Groups)
	}
}

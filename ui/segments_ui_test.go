package ui

import (
	"context"
	"strings"
	"testing"
)

func TestSaveSegmentFromWherePrompt(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	c := m.customers
	send(t, m, nil, keys("w", "lifecycle in (paying, at_risk)", "ctrl+s")...)
	if c.form() == nil || !strings.Contains(m.View(), "Segment name") {
		t.Fatalf("ctrl+s in the where prompt should ask the segment's name:\n%s", m.View())
	}
	send(t, m, nil, keys("流失预警 华东", "tab", "y", "ctrl+s")...)
	g, err := st.Segment(context.Background(), "流失预警 华东")
	if err != nil || g.Expression != "lifecycle in (paying, at_risk)" || !g.Warn || g.CreatedBy != "tester" {
		t.Fatalf("saved segment: %+v, %v", g, err)
	}
	if c.editWhere || c.where != "lifecycle in (paying, at_risk)" || names(c.rows) != "王芳,陈静" {
		t.Errorf("after saving, the list should show the expression's customers: where=%q rows=%s", c.where, names(c.rows))
	}
	if s := lastLine(m.View()); !strings.Contains(s, `saved segment "流失预警 华东" (2 customers)`) || !strings.Contains(s, "churn w") {
		t.Errorf("status bar: %s", s)
	}
	// Members of a warning line carry it.
	if cu, _ := st.Customer(context.Background(), c.rows[0].ID); strings.Join(cu.Warnings, ",") != "流失预警 华东" {
		t.Errorf("warnings: %v", cu.Warnings)
	}

	// A reference to an unknown segment is refused: the prompt stays open
	// with the text and says why, pointing at the reference.
	send(t, m, nil, keys("esc", "w", `plan = pro or segment:"nope"`, "ctrl+s", "x", "ctrl+s")...)
	if _, err := st.Segment(context.Background(), "x"); err == nil {
		t.Error("a segment with an unknown reference was saved")
	}
	frame := m.View()
	if !c.editWhere || c.whereInput.Value() != `plan = pro or segment:"nope"` || !strings.Contains(frame, `^ unknown segment "nope"`) {
		t.Errorf("a refused save should keep the prompt and say why:\n%s", frame)
	}
	assertFrame(t, frame, 100, 30)
	// Nothing typed: nothing to save.
	send(t, m, nil, keys("esc", "w", "ctrl+s")...)
	if c.form() != nil || c.whereErr == nil {
		t.Error("ctrl+s on an empty prompt should say to type an expression")
	}
}

func TestPickSavedSegment(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	for _, g := range []struct {
		name, expr string
		warn       bool
	}{
		{"东区", `region = "华东"`, false},
		{"vip east", `segment:"东区" and tag:vip`, true},
		{"free plan", `plan = free`, false},
	} {
		if _, err := st.SaveSegment(ctx, "emma", g.name, g.expr, g.warn); err != nil {
			t.Fatal(err)
		}
	}
	m := newTestModel(t, st, 100, 30)
	c := m.customers
	send(t, m, nil, keys("W")...)
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "segments_pick", frame)
	for _, want := range []string{"Saved segments", "vip east", `segment:"东区" and tag:vip`, "1 customer ", "33 customers", "⚠"} {
		if !strings.Contains(frame, want) {
			t.Errorf("the picker lacks %q:\n%s", want, frame)
		}
	}
	// The list is by name: free plan, vip east, 东区. Pick "vip east".
	send(t, m, nil, keys("j", "enter")...)
	if c.segs != nil || c.where != `segment:"vip east"` || names(c.rows) != "王芳" {
		t.Errorf("picking vip east: where=%q rows=%s", c.where, names(c.rows))
	}
	// esc closes the picker without changing the filter.
	send(t, m, nil, keys("W", "esc")...)
	if c.segs != nil || c.where != `segment:"vip east"` {
		t.Errorf("esc: picker %v where %q", c.segs != nil, c.where)
	}
}

func TestWhereWithUnknownSegmentStaysOpen(t *testing.T) {
	st := testStore(t)
	if _, err := st.SaveSegment(context.Background(), "emma", "东区", `region = "华东"`, false); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, st, 100, 30)
	c := m.customers
	send(t, m, nil, keys("w", `plan = pro or segment = "nope"`, "enter")...)
	if !c.editWhere || c.where != "" || !strings.Contains(m.View(), `^ unknown segment "nope"`) {
		t.Errorf("enter on an unknown segment should keep the prompt, pointing at it:\n%s", m.View())
	}
	// The caret is under the reference (column 15 of the expression).
	if line := strings.Split(m.View(), "\n")[2]; strings.Index(line, "^")-len(c.whereInput.Prompt) != 14 {
		t.Errorf("caret line %q", line)
	}
	send(t, m, nil, keys("esc", "w", `segment:"东区" and plan = enterprise`, "enter")...)
	if c.editWhere || c.where != `segment:"东区" and plan = enterprise` || names(c.rows) != "王芳" {
		t.Errorf("a known segment applies: where %q rows %s", c.where, names(c.rows))
	}
}

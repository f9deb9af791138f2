package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func TestInsightsGroupsAndDrill(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 24)
	send(t, m, nil, keys("4")...)
	frame := m.View()
	assertFrame(t, frame, 120, 24)
	golden(t, "insights_plan", frame)
	in := m.insights
	if in.sum == nil || in.sum.Overall.FeedbackN != 5 || len(in.sum.Groups) != 2 {
		t.Fatalf("summary by plan: %+v", in.sum)
	}
	// enterprise (王芳: 3 feedback) comes first; pro (陈静, Emma) second.
	if in.sum.Groups[0].Key != "enterprise" || in.sum.Groups[1].Key != "pro" {
		t.Errorf("groups: %s, %s", in.sum.Groups[0].Key, in.sum.Groups[1].Key)
	}
	// d switches the dimension to region.
	send(t, m, nil, keys("d")...)
	if insightDims[in.dim] != "region" || in.sum.Groups[0].Key != "华东" {
		t.Errorf("by region: %+v", in.sum.Groups)
	}
	// enter on 华南 drills into its customers.
	for in.sum.Groups[in.sel].Key != "华南" {
		send(t, m, nil, keys("j")...)
	}
	send(t, m, nil, keys("enter")...)
	if m.tab != tabCustomers || m.customers.where != `region = "华南"` || names(m.customers.rows) != "陈静" {
		t.Errorf("drill: tab %d where %q rows %q", m.tab, m.customers.where, names(m.customers.rows))
	}
	// Back in Insights, a feedback dimension drills into the Inbox.
	send(t, m, nil, keys("4")...)
	for insightDims[m.insights.dim] != "channel" {
		send(t, m, nil, keys("d")...)
	}
	for m.insights.sum.Groups[m.insights.sel].Key != "email" {
		send(t, m, nil, keys("j")...)
	}
	send(t, m, nil, keys("enter")...)
	if m.tab != tabInbox || m.inbox.filter.channel != "email" || len(m.inbox.rows) != 2 {
		t.Errorf("channel drill: tab %d filter %+v rows %d", m.tab, m.inbox.filter, len(m.inbox.rows))
	}
}

// TestInsightsDemand: D shows the demand ranking; enter opens the top
// category's feedback in the Inbox.
func TestInsightsDemand(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	ids, _ := st.ListFeedback(ctx, model.FeedbackQuery{Limit: 10})
	cat := "Billing/Refund"
	if _, err := st.SetFeedback(ctx, "lead", []int64{ids[0].ID, ids[1].ID}, model.FeedbackPatch{Category: &cat}, 0); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("4", "D")...)
	frame := m.View()
	assertFrame(t, frame, 120, 30)
	golden(t, "insights_demand", frame)
	d := m.insights.demand
	if !d.on || len(d.rows) != 2 || d.rows[0].Key != "Billing/Refund" {
		t.Fatalf("demand rows: %+v", d.rows)
	}
	send(t, m, nil, keys("enter")...)
	if m.tab != tabInbox || m.inbox.filter.category != "Billing/Refund" || len(m.inbox.rows) != 2 {
		t.Errorf("enter: tab %d filter %+v rows %d", m.tab, m.inbox.filter, len(m.inbox.rows))
	}
}

// TestInsightsNoStaleGroups: while the next dimension's summary is being
// computed, the previous dimension's groups are not shown under its title.
func TestInsightsNoStaleGroups(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 24)
	send(t, m, nil, keys("4")...)
	if !strings.Contains(m.View(), "enterprise") {
		t.Fatalf("by plan:\n%s", m.View())
	}
	m.Update(keys("d")[0]) // its query is not run: still computing
	if f := m.View(); strings.Contains(f, "enterprise") || !strings.Contains(f, "by region") || !strings.Contains(f, "computing") {
		t.Errorf("while computing by region:\n%s", f)
	}
	// A long wait is counted in seconds.
	m.env.now = func() time.Time { return fixedNow.Add(7 * time.Second) }
	if f := m.View(); !strings.Contains(f, "computing… 7s") {
		t.Errorf("after 7 s:\n%s", f)
	}
}

// TestInsightsDemandPeriod: d and p in the demand view drop the old
// ranking while the new one computes, and the satisfaction table, which
// was for the old period, is computed again on the way back.
func TestInsightsDemandPeriod(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 24)
	send(t, m, nil, keys("4", "D")...)
	in := m.insights
	if len(in.demand.rows) == 0 {
		t.Fatal("no demand rows")
	}
	m.Update(keys("d")[0]) // by tag; its query is not run
	if in.demand.rows != nil || !in.demand.byTag {
		t.Errorf("by tag while computing: %+v", in.demand.rows)
	}
	send(t, m, nil, keys("p", "D")...)
	if in.demand.on || insightPeriods[in.period].name != "last 12 months" || in.sum == nil || in.loading {
		t.Errorf("back from demand: on %v period %q sum %v loading %v", in.demand.on, insightPeriods[in.period].name, in.sum != nil, in.loading)
	}
	// The test feedback is older than a year: all five items drop out.
	if f := m.View(); !strings.Contains(f, "last 12 months") || in.sum.Overall.FeedbackN != 0 || !strings.Contains(f, "no feedback in this period") {
		t.Errorf("satisfaction for the new period:\n%s", f)
	}
}

// TestInsightsCache: a dimension already computed comes back at once when
// d cycles round to it, until the data changes.
func TestInsightsCache(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 24)
	send(t, m, nil, keys("4")...)
	in := m.insights
	for range insightDims { // round to plan again (dimensions of one group are passed over)
		send(t, m, nil, keys("d")...)
		if insightDims[in.dim] == "plan" {
			break
		}
	}
	if insightDims[in.dim] != "plan" {
		t.Fatalf("dimension %s", insightDims[in.dim])
	}
	in.sum = nil
	m.Update(keys("d")[0]) // region: cached, so shown without a query
	if in.loading || in.sum == nil || in.sum.Groups[0].Key != "华东" {
		t.Errorf("cached region: loading %v sum %v", in.loading, in.sum)
	}
	m.Update(changesMsg{changed: true, last: 1})
	m.Update(keys("d")[0]) // lifecycle: the cache was emptied
	if !in.loading || in.sum != nil {
		t.Errorf("after a change: loading %v sum %v", in.loading, in.sum != nil)
	}
}

// An attribute of numbers shows ranges in their order, and enter on one
// opens the customers with a value in it.
func TestInsightsAttributeRanges(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	for id := int64(1); id <= 37; id++ {
		age := map[int64]int{1: 25, 2: 47, 3: 66}[id]
		if age == 0 {
			age = 18 + 2*int(id)
		}
		if _, err := st.UpdateCustomer(ctx, "t", id, model.CustomerPatch{SetAttrs: map[string]string{"age": strconv.Itoa(age)}}, 0); err != nil {
			t.Fatal(err)
		}
	}
	m := newTestModel(t, st, 120, 24)
	send(t, m, nil, keys("4")...)
	for i := 0; i < 10 && m.insights.dimension() != "attr.age"; i++ {
		send(t, m, nil, keys("a")...)
	}
	in := m.insights
	var got []string
	for _, g := range in.sum.Groups {
		got = append(got, g.Key)
	}
	if !in.banded || strings.Join(got, " ") != "20–29 40–49 60–69" || !strings.Contains(m.View(), "sort range") {
		t.Fatalf("by attr.age: banded %v, groups %v:\n%s", in.banded, got, m.View())
	}
	// b shows the values one by one, and back
	send(t, m, nil, keys("b")...)
	if in.banded || len(in.sum.Groups) != 3 || in.sum.Groups[0].Key == "20–29" {
		t.Errorf("b should show each value: banded %v, %+v", in.banded, in.sum.Groups)
	}
	send(t, m, nil, keys("b")...)
	if !in.banded {
		t.Error("b again should show the ranges")
	}
	send(t, m, nil, keys("j", "enter")...)
	c2, err := st.Customer(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	// every customer aged 40–49: 陈静 (47) and five without feedback
	if m.tab != tabCustomers || m.customers.where != `attr."age" in (40, 41, 42, 43, 44, 45, 46, 47, 48, 49)` ||
		len(m.customers.rows) != 6 || !strings.Contains(names(m.customers.rows), c2.Name) {
		t.Errorf("drill: tab %d where %q rows %q, want %s among six", m.tab, m.customers.where, names(m.customers.rows), c2.Name)
	}
}

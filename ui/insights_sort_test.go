package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// insightsStore adds, to the usual seed, months of unequal size and two
// plans far from the whole: enterprise above it, free below.
func insightsStore(t *testing.T) *db.Store {
	st := testStore(t)
	ctx := context.Background()
	page, err := st.ListCustomers(ctx, model.CustomerQuery{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]int64{}
	for _, c := range page.Rows {
		byName[c.Name] = c.ID
	}
	add := func(month time.Month, name string, n, csat int) {
		for i := 0; i < n; i++ {
			at := time.Date(2026, month, 3+i, 10, 0, 0, 0, time.UTC)
			st.Now = func() time.Time { return at }
			if _, err := st.AddFeedback(ctx, "li.na", model.Feedback{CustomerID: byName[name], Channel: "email",
				Kind: model.KindFeedback, Subject: "s", CSAT: ptr(csat)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	add(time.March, "王芳", 12, 5)          // enterprise, satisfied
	add(time.June, "Lucas Martin", 20, 1) // free, unhappy
	add(time.September, "王芳", 3, 5)
	st.Now = func() time.Time { return fixedNow }
	return st
}

// Insights by month lists months in time order; o cycles the sort (named
// in the header); the cursor never hides a group's ▲/▼ (issue 16,
// defect 10).
func TestInsightsOrderSortAndMarks(t *testing.T) {
	m := newTestModel(t, insightsStore(t), 120, 24)
	send(t, m, nil, keys("4")...)
	in := m.insights
	for insightDims[in.dim] != "month" {
		send(t, m, nil, keys("d")...)
	}
	keysOf := func() []string {
		var ks []string
		for _, g := range in.sum.Groups {
			ks = append(ks, g.Key)
		}
		return ks
	}
	got := keysOf()
	for i := 1; i < len(got); i++ {
		if got[i-1] >= got[i] {
			t.Fatalf("months should be in time order, got %v", got)
		}
	}
	if !strings.Contains(m.View(), "sort time") {
		t.Errorf("the header should name the order:\n%s", m.View())
	}
	// o: by n, largest first (June's 20).
	send(t, m, nil, keys("o")...)
	if in.sum.Groups[0].Key != "2026-06" || !strings.Contains(m.View(), "sort n") {
		t.Errorf("sort n: %v", keysOf())
	}
	send(t, m, nil, keys("o")...)
	if !strings.Contains(m.View(), "sort satisfied") || *in.sum.Groups[0].CSATSatPct != 100 ||
		in.sum.Groups[len(in.sum.Groups)-1].Key != "2026-06" {
		t.Errorf("sort satisfied: %v", keysOf())
	}
	send(t, m, nil, keys("o")...)
	if !strings.Contains(m.View(), "sort NPS") {
		t.Errorf("sort NPS:\n%s", m.View())
	}
	send(t, m, nil, keys("o")...)
	if !strings.Contains(m.View(), "sort name") {
		t.Errorf("sort name:\n%s", m.View())
	}
	send(t, m, nil, keys("o")...)
	if !strings.Contains(m.View(), "sort time") {
		t.Errorf("o should come back to time:\n%s", m.View())
	}

	// By plan: enterprise ▲ and free ▼; on each, the cursor keeps the mark.
	for insightDims[in.dim] != "plan" {
		send(t, m, nil, keys("d")...)
	}
	frame := m.View()
	assertFrame(t, frame, 120, 24)
	golden(t, "insights_marks", frame)
	for i, g := range in.sum.Groups {
		for in.sel != i {
			send(t, m, nil, keys("j")...)
		}
		want := map[string]string{"above": "›▲", "below": "›▼"}[g.Flag]
		if want != "" && !strings.Contains(m.View(), want+g.Key) {
			t.Errorf("selected %s (%s) should show %q:\n%s", g.Key, g.Flag, want, m.View())
		}
	}
}

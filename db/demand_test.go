package db

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// TestDemandRanking checks the ranking against figures worked out by hand:
// A (LTV 99, weight 1 + log10(100) = 3), B (LTV 9, weight 2), C (LTV 0,
// weight 1); a customer who complained counts ×1.5.
func TestDemandRanking(t *testing.T) {
	s := openTemp(t)
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	a := mustCreate(t, s, model.Customer{Name: "A", LTV: 99})
	b := mustCreate(t, s, model.Customer{Name: "B", LTV: 9})
	c := mustCreate(t, s, model.Customer{Name: "C"})
	add := func(cid int64, kind model.Kind, cat string, tags ...string) {
		t.Helper()
		if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: cid, Kind: kind, Category: cat, Tags: tags, Body: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	add(a.ID, model.KindComplaint, "Billing/Refund", "退款")
	add(a.ID, model.KindComplaint, "Billing/Refund")
	add(b.ID, model.KindFeedback, "Billing/Refund", "退款")
	add(c.ID, model.KindComplaint, "Product/Bug")
	add(c.ID, model.KindQuestion, "Billing/Refund", "退款")

	rows, err := s.Demand(ctx, model.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, r := range rows {
		got += fmt.Sprintf("%s %d %d %d %.0f %.2f; ", r.Key, r.FeedbackN, r.ComplaintsN, r.CustomersN, r.LTVSum, r.Score)
	}
	if want := "Billing/Refund 4 2 3 108 7.50; Product/Bug 1 1 1 0 1.50; "; got != want {
		t.Errorf("by category:\n got %s\nwant %s", got, want)
	}
	tags, err := s.Demand(ctx, model.DemandQuery{By: "tag"})
	if err != nil || len(tags) != 1 || tags[0].Key != "退款" || tags[0].CustomersN != 3 || math.Abs(tags[0].Score-7.5) > 1e-9 {
		t.Errorf("by tag: %+v %v", tags, err)
	}
	complaints, err := s.Demand(ctx, model.DemandQuery{Kind: model.KindComplaint})
	if err != nil || len(complaints) != 2 || complaints[0].Key != "Billing/Refund" || complaints[0].CustomersN != 1 || complaints[0].Score != 4.5 {
		t.Errorf("complaints only: %+v %v", complaints, err)
	}
	if rows, _ := s.Demand(ctx, model.DemandQuery{Since: now.Add(time.Hour)}); len(rows) != 0 {
		t.Errorf("since later: %+v", rows)
	}
	if _, err := s.Demand(ctx, model.DemandQuery{By: "plan"}); err == nil {
		t.Error("demand by plan should be refused")
	}
}

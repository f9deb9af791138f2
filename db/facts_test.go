package db

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// factsQueries are the summaries the snapshot must answer as the scan
// does: every dimension, attributes, saved segments, a --where, time
// bounds (at midnight and inside a day), each without and with trends.
func factsQueries() []model.SummaryQuery {
	mid := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	inDay := time.Date(2025, 4, 17, 13, 45, 12, 345e6, time.UTC)
	var out []model.SummaryQuery
	dims := append(append([]string{""}, model.SummaryDimensions...), "attr.signup_source", "attr.ticket_group", "attr.nothing")
	for _, trend := range []string{"", "month", "week"} {
		for _, by := range dims {
			out = append(out, model.SummaryQuery{By: by, Trend: trend})
		}
		out = append(out,
			model.SummaryQuery{Segments: true, Trend: trend},
			model.SummaryQuery{Segments: true, Trend: trend, Where: "plan = pro", Since: mid},
			model.SummaryQuery{By: "city", Trend: trend, Where: "csat_avg < 3 or tag:vip"},
			model.SummaryQuery{By: "tag", Trend: trend, Since: mid, Until: inDay},
			model.SummaryQuery{By: "agent", Trend: trend, Since: inDay},
			model.SummaryQuery{By: "attr.ticket_group", Trend: trend, Until: inDay, Where: "plan != free"},
			// ranges of a numeric and a date attribute, and one that is neither
			model.SummaryQuery{By: "attr.age", Trend: trend, Bands: true},
			model.SummaryQuery{By: "attr.age", Trend: trend, Bands: true, Where: "plan = pro", Since: mid},
			model.SummaryQuery{By: "attr.visit", Trend: trend, Bands: true},
			model.SummaryQuery{By: "attr.ticket_group", Trend: trend, Bands: true},
		)
	}
	return out
}

// sameAsScan compares each of factsQueries from the snapshot with the
// SQL scan, in the CLI's JSON.
func sameAsScan(t *testing.T, s *Store, when string) {
	t.Helper()
	// loaded first, so that the aggregates' dimensions are the snapshot's
	// too (Summary takes the aggregates while it would have to load)
	if _, _, _, err := s.FactsSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	sameAsScanNoLoad(t, s, when)
}

func sameAsScanNoLoad(t *testing.T, s *Store, when string) {
	t.Helper()
	for _, q := range factsQueries() {
		if a, b := fastAndExact(t, s, q); a != b {
			t.Errorf("%s, %+v: the snapshot differs from the scan\n facts %.2000s\n scan  %.2000s", when, q, a, b)
		}
	}
}

func overallN(t *testing.T, s *Store, q model.SummaryQuery) int {
	t.Helper()
	sum, err := s.Summary(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	return sum.Overall.FeedbackN
}

func groupN(t *testing.T, s *Store, q model.SummaryQuery, key string) int {
	t.Helper()
	sum, err := s.Summary(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range sum.Groups {
		if g.Key == key {
			return g.FeedbackN
		}
	}
	return 0
}

// TestFactsMatchTheScan: on random data (a demo with random feedback
// attributes, tags, empty values and edge times added), the snapshot gives
// the scan's figures for every query; and after each kind of write the
// next summary reflects it.
func TestFactsMatchTheScan(t *testing.T) {
	if raceOn {
		t.Skip("single-goroutine and slow under -race; runs in the plain pass")
	}
	s := demoTestStore(t, 11)
	r := rand.New(rand.NewPCG(11, 20))
	groups := []string{"L1", "L2", "", "vip-desk"}
	for id := 1; id <= 10000; id += 1 + r.IntN(40) {
		mustExec(t, s, "UPDATE feedback SET attrs = json_object('ticket_group', ?) WHERE id = ?", groups[r.IntN(len(groups))], id)
	}
	for id := 3; id <= 2000; id += 1 + r.IntN(30) {
		mustExec(t, s, "UPDATE customers SET attrs = json_set(attrs, '$.ticket_group', ?), city = '' WHERE id = ?", r.IntN(3), id)
	}
	for id := 2; id <= 10000; id += 1 + r.IntN(25) {
		age := any(18 + r.IntN(60)) // a JSON number or, one in three, text
		if r.IntN(3) == 0 {
			age = fmt.Sprint(age)
		}
		mustExec(t, s, "UPDATE feedback SET attrs = json_set(attrs, '$.age', ?) WHERE id = ?", age, id)
		visit := fmt.Sprintf("202%d-%02d-%02d", 4+r.IntN(2), 1+r.IntN(12), 1+r.IntN(28))
		if r.IntN(4) == 0 {
			visit += " 10:30"
		}
		mustExec(t, s, "UPDATE feedback SET attrs = json_set(attrs, '$.visit', ?) WHERE id = ?", visit, id+1)
	}
	for id := 7; id <= 2000; id += 1 + r.IntN(20) {
		mustExec(t, s, "UPDATE customers SET attrs = json_set(attrs, '$.age', ?) WHERE id = ?", 16+r.IntN(70), id)
	}
	mustExec(t, s, "UPDATE feedback SET created_at = '2025-04-17T13:45:12.345Z' WHERE id IN (5, 6)")
	mustExec(t, s, "UPDATE feedback SET created_at = '2025-04-17T13:45:12.344Z' WHERE id = 7")
	mustExec(t, s, "UPDATE feedback SET created_at = '2025-03-01T00:00:00.000Z', agent = '(none)' WHERE id IN (8, 9)")
	mustExec(t, s, "UPDATE feedback SET created_at = '2025-02-28T23:59:59.999Z', source = '' WHERE id = 10")
	if _, err := s.SaveSegment(ctx, "t", "broken later", "city = 北京", false); err != nil {
		t.Fatal(err)
	}
	mustExec(t, s, "UPDATE segments SET expression = 'nosuchfield = 1' WHERE name = 'broken later'")
	sameAsScan(t, s, "random data")
	for by, want := range map[string]string{"attr.age": "[10–19 20–29 30–39 40–49 50–59 60–69 70–79 80–89 (none)]",
		"attr.visit": "24 months", "attr.ticket_group": "not banded"} {
		sum, err := s.Summary(ctx, model.SummaryQuery{By: by, Bands: true})
		if err != nil {
			t.Fatal(err)
		}
		keys := strings.Split(groupKeys(sum.Groups), ",")
		slices.SortFunc(keys, func(x, y string) int { return cmpBool(model.BandLess(x, y), model.BandLess(y, x)) })
		got := fmt.Sprint(keys)
		switch {
		case !sum.Banded:
			got = "not banded"
		case by == "attr.visit":
			got = fmt.Sprintf("%d months", len(keys)-1)
		}
		if got != want {
			t.Errorf("%s in ranges: %s, want %s", by, got, want)
		}
	}

	// Each write shows in the next summary, and the figures still equal
	// the scan's.
	s.Now = func() time.Time { return demoTestNow.Add(24 * time.Hour) }
	before := overallN(t, s, model.SummaryQuery{})
	f, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: 5, Kind: model.KindComplaint, Body: "new", CSAT: ptrInt(2), Channel: "fax"})
	if err != nil {
		t.Fatal(err)
	}
	if got := overallN(t, s, model.SummaryQuery{}); got != before+1 {
		t.Errorf("after adding feedback: %d, want %d", got, before+1)
	}
	if got := groupN(t, s, model.SummaryQuery{By: "channel"}, "fax"); got != 1 {
		t.Errorf("the new channel's group has %d feedback, want 1", got)
	}
	cat := "Billing/Refund"
	if _, err := s.SetFeedback(ctx, "t", []int64{f.ID}, model.FeedbackPatch{Category: &cat}, 0); err != nil {
		t.Fatal(err)
	}
	if got := groupN(t, s, model.SummaryQuery{By: "category"}, "Billing/Refund"); got == 0 {
		t.Error("reclassified feedback missing from its category")
	}
	plan := "plan-x"
	if _, err := s.UpdateCustomer(ctx, "t", 5, model.CustomerPatch{Plan: &plan}, 0); err != nil {
		t.Fatal(err)
	}
	if got := groupN(t, s, model.SummaryQuery{By: "plan"}, "plan-x"); got == 0 {
		t.Error("a customer's new plan is not in the summary")
	}
	if _, err := s.MergeCustomers(ctx, "t", 5, 6, model.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := groupN(t, s, model.SummaryQuery{By: "plan"}, "plan-x"); got != 0 {
		t.Errorf("after merging the plan-x customer away its group still has %d", got)
	}
	sameAsScan(t, s, "after writes")
}

// TestFactsSeeOtherConnections: a commit made by another connection (as
// another process would) is in the next summary.
func TestFactsSeeOtherConnections(t *testing.T) {
	s := openTemp(t)
	c, err := s.CreateCustomer(ctx, "t", model.Customer{Name: "A", Plan: "pro"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: "x", CSAT: ptrInt(5)}); err != nil {
		t.Fatal(err)
	}
	if got := overallN(t, s, model.SummaryQuery{By: "plan"}); got != 1 {
		t.Fatalf("overall %d", got)
	}
	other, err := Open(ctx, s.path, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.AddFeedback(ctx, "u", model.Feedback{CustomerID: c.ID, Body: "y", NPS: ptrInt(3)}); err != nil {
		t.Fatal(err)
	}
	if got := overallN(t, s, model.SummaryQuery{By: "plan"}); got != 2 {
		t.Errorf("after another connection's commit: %d feedback, want 2", got)
	}
	sameAsScan(t, s, "two connections")
}

func TestFactsSnapshotIsSmall(t *testing.T) {
	s := demoTestStore(t, 3)
	snap, _, _, err := s.FactsSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Rows() != 10000 || snap.Customers() != 2000 {
		t.Fatalf("%d rows, %d customers", snap.Rows(), snap.Customers())
	}
	// two-byte codes and one-byte scores: about 20 bytes a feedback
	if per := snap.Bytes() / snap.Rows(); per > 24 {
		t.Errorf("%d bytes a feedback row", per)
	}
}

// TestFactsUnfitFallsBackToTheScan: a value the snapshot's loader cannot
// carry (the separator of its packed text columns) makes Summary scan,
// with the same figures.
func TestFactsUnfitFallsBackToTheScan(t *testing.T) {
	s := openTemp(t)
	c, err := s.CreateCustomer(ctx, "t", model.Customer{Name: "A", Plan: "pro"})
	if err != nil {
		t.Fatal(err)
	}
	for _, agent := range []string{"ann", "bob"} {
		if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: "x", CSAT: ptrInt(4), Agent: agent}); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(t, s, "UPDATE feedback SET agent = 'b' || char(31) || 'ob' WHERE agent = 'bob'")
	if _, _, _, err := s.FactsSnapshot(ctx); err == nil {
		t.Fatal("the snapshot loaded a separator")
	}
	if got := groupN(t, s, model.SummaryQuery{By: "agent"}, "b\x1fob"); got != 1 {
		t.Errorf("agent group %d, want 1", got)
	}
	sameAsScanNoLoad(t, s, "separator in an agent")
}

// TestFactsConcurrentSummaries: sessions asking for summaries while
// another writes share one snapshot safely (run with -race), and each
// answer is a complete one.
func TestFactsConcurrentSummaries(t *testing.T) {
	s := openTemp(t)
	c, err := s.CreateCustomer(ctx, "t", model.Customer{Name: "A", Plan: "pro", City: "Oslo"})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 3)
	for _, by := range []string{"city", "agent"} {
		go func() {
			for i := 0; i < 20; i++ {
				sum, err := s.Summary(ctx, model.SummaryQuery{By: by, Trend: "month"})
				if err == nil && len(sum.Groups) > 0 && sum.Groups[0].FeedbackN != sum.Overall.FeedbackN {
					err = fmt.Errorf("by %s: group %d of %d", by, sum.Groups[0].FeedbackN, sum.Overall.FeedbackN)
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	go func() {
		for i := 0; i < 20; i++ {
			if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: "x", CSAT: ptrInt(1 + i%5), Agent: "ann"}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if got := overallN(t, s, model.SummaryQuery{By: "city"}); got != 20 {
		t.Errorf("after the writes: %d feedback, want 20", got)
	}
}

// cmpBool orders by two Less answers.
func cmpBool(less, greater bool) int {
	switch {
	case less:
		return -1
	case greater:
		return 1
	}
	return 0
}

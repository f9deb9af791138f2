package db

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func near(p *float64, want float64) bool { return p != nil && math.Abs(*p-want) < 1e-9 }

func groupKeys(gs []model.GroupFigures) string {
	var k []string
	for _, g := range gs {
		k = append(k, g.Key)
	}
	return strings.Join(k, ",")
}

func TestSummaryByHand(t *testing.T) {
	s, _ := segmentFixture(t)
	ctx := context.Background()

	sum, err := s.Summary(ctx, model.SummaryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	o := sum.Overall
	// csat 2,1,5,4,3: mean 3, 2 of 5 satisfied; nps 3,10,9: 2 promoters, 1 detractor
	if o.FeedbackN != 5 || o.CustomersN != 3 || o.CSATN != 5 || !near(o.CSATAvg, 3) || !near(o.CSATSatPct, 40) ||
		o.NPSN != 3 || !near(o.NPS, 100.0/3) || o.ComplaintsN != 2 || len(sum.Groups) != 0 || o.Trend == nil {
		t.Errorf("overall = %+v", o)
	}
	lo, hi := model.WilsonInterval(2, 5, model.Z95)
	if !near(o.CSATCILow, lo*100) || !near(o.CSATCIHigh, hi*100) {
		t.Errorf("overall interval %v–%v", *o.CSATCILow, *o.CSATCIHigh)
	}
	// p = d = ... : p 2/3, d 1/3 → 1.96·√((1 − 1/9)/3)·100
	if !near(o.NPSMoE, 1.96*math.Sqrt((1-1.0/9)/3)*100) {
		t.Errorf("nps moe %v", *o.NPSMoE)
	}

	sum, err = s.Summary(ctx, model.SummaryQuery{By: "plan"})
	if err != nil {
		t.Fatal(err)
	}
	if groupKeys(sum.Groups) != "pro,enterprise" || sum.By != "plan" {
		t.Fatalf("by plan: %s", groupKeys(sum.Groups))
	}
	pro, ent := sum.Groups[0], sum.Groups[1]
	if pro.FeedbackN != 3 || pro.CustomersN != 2 || !near(pro.CSATAvg, 4) || !near(pro.CSATSatPct, 200.0/3) ||
		pro.NPSN != 2 || !near(pro.NPS, 100) || pro.ComplaintsN != 1 || pro.Flag != model.FlagSmall {
		t.Errorf("pro = %+v", pro)
	}
	if ent.FeedbackN != 2 || ent.CustomersN != 1 || !near(ent.CSATAvg, 1.5) || !near(ent.CSATSatPct, 0) ||
		!near(ent.NPS, -100) || ent.ComplaintsN != 1 {
		t.Errorf("enterprise = %+v", ent)
	}

	// A feedback counts in each of its customer's tags; no tags is (none).
	sum, _ = s.Summary(ctx, model.SummaryQuery{By: "tag"})
	if groupKeys(sum.Groups) != "vip,beta,(none)" || sum.Groups[0].FeedbackN != 4 || !near(sum.Groups[0].CSATAvg, 3) ||
		sum.Groups[1].FeedbackN != 2 || sum.Groups[2].FeedbackN != 1 || sum.Overall.FeedbackN != 5 {
		t.Errorf("by tag: %s %+v", groupKeys(sum.Groups), sum.Groups)
	}
	sum, _ = s.Summary(ctx, model.SummaryQuery{By: "channel"})
	if groupKeys(sum.Groups) != "email,(none),chat,phone" || !near(sum.Groups[0].CSATAvg, 3.5) {
		t.Errorf("by channel: %s", groupKeys(sum.Groups))
	}
	sum, _ = s.Summary(ctx, model.SummaryQuery{By: "kind"})
	if groupKeys(sum.Groups) != "complaint,feedback,praise" {
		t.Errorf("by kind: %s", groupKeys(sum.Groups))
	}
	sum, _ = s.Summary(ctx, model.SummaryQuery{By: "attr.城市"})
	if groupKeys(sum.Groups) != "(none),上海" || sum.Groups[0].FeedbackN != 3 {
		t.Errorf("by attr.城市: %s", groupKeys(sum.Groups))
	}
	sum, _ = s.Summary(ctx, model.SummaryQuery{By: "month"})
	if groupKeys(sum.Groups) != "2026-05,2026-06,2026-03" {
		t.Errorf("by month: %s", groupKeys(sum.Groups))
	}
	// 2026-06-14 is a Sunday (ISO week 24), 06-05 a Friday (week 23).
	sum, _ = s.Summary(ctx, model.SummaryQuery{By: "week", Since: daysAgo(11)})
	if groupKeys(sum.Groups) != "2026-W23,2026-W24" {
		t.Errorf("by week: %s", groupKeys(sum.Groups))
	}

	// Filters: a segment expression on the customer, and a time window.
	sum, _ = s.Summary(ctx, model.SummaryQuery{Where: "plan = pro"})
	if sum.Overall.FeedbackN != 3 {
		t.Errorf("where plan = pro: %d", sum.Overall.FeedbackN)
	}
	sum, _ = s.Summary(ctx, model.SummaryQuery{Since: daysAgo(30)})
	if sum.Overall.FeedbackN != 2 || !near(sum.Overall.CSATAvg, 2.5) {
		t.Errorf("since 30 days: %+v", sum.Overall)
	}
	sum, _ = s.Summary(ctx, model.SummaryQuery{Since: daysAgo(50), Until: daysAgo(20)})
	if sum.Overall.FeedbackN != 2 || !near(sum.Overall.CSATAvg, 4.5) {
		t.Errorf("window: %+v", sum.Overall)
	}

	// Trend: monthly points, oldest first.
	sum, _ = s.Summary(ctx, model.SummaryQuery{By: "plan", Trend: "month"})
	var periods []string
	for _, p := range sum.Overall.Trend {
		periods = append(periods, p.Period)
	}
	if strings.Join(periods, ",") != "2026-03,2026-05,2026-06" || sum.Overall.Trend[1].N != 2 || !near(sum.Overall.Trend[1].CSATAvg, 4.5) {
		t.Errorf("overall trend %+v", sum.Overall.Trend)
	}
	if tr := sum.Groups[0].Trend; len(tr) != 2 || tr[0].Period != "2026-05" || !near(tr[0].NPS, 100) || tr[1].NPS != nil {
		t.Errorf("pro trend %+v", tr)
	}

	// Saved segments as groups.
	s.SaveSegment(ctx, "t", "unhappy", "csat_avg < 3", false)
	s.SaveSegment(ctx, "t", "vips", "tag:vip", false)
	sum, err = s.Summary(ctx, model.SummaryQuery{Segments: true, Trend: "week"})
	if err != nil || sum.By != "segment" || groupKeys(sum.Groups) != "vips,unhappy" || sum.Groups[1].FeedbackN != 2 ||
		len(sum.Groups[0].Trend) != 4 {
		t.Errorf("by segment: %s %+v %v", groupKeys(sum.Groups), sum.Groups, err)
	}

	var se *model.SegmentError
	if _, err := s.Summary(ctx, model.SummaryQuery{Where: "plan ="}); !errors.As(err, &se) {
		t.Errorf("bad where: %v", err)
	}
	if _, err := s.Summary(ctx, model.SummaryQuery{By: "colour"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad dimension: %v", err)
	}
	if _, err := s.Summary(ctx, model.SummaryQuery{Trend: "day"}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("bad trend: %v", err)
	}
}

// Flags on larger groups: 20 answers each, one group clearly happier.
func TestSummaryFlags(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	s.Now = func() time.Time { return segBase }
	mk := func(plan string, csats ...int) {
		c, err := s.CreateCustomer(ctx, "t", model.Customer{Name: plan, Plan: plan})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range csats {
			if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Subject: "x", CSAT: ip(v)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep := func(v, n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = v
		}
		return out
	}
	mk("happy", rep(5, 20)...)
	mk("sad", rep(1, 20)...)
	mk("mixed", append(rep(5, 10), rep(1, 10)...)...)
	mk("tiny", 1, 1)
	sum, err := s.Summary(ctx, model.SummaryQuery{By: "plan"})
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]string{}
	for _, g := range sum.Groups {
		flags[g.Key] = g.Flag
	}
	if flags["happy"] != model.FlagAbove || flags["sad"] != model.FlagBelow || flags["mixed"] != "" || flags["tiny"] != model.FlagSmall {
		t.Errorf("flags %v", flags)
	}
}

// TestPeriodOfMatchesStrftime: the scan's trend buckets are the ones
// SQLite's strftime names, across year ends where ISO weeks straddle years.
func TestPeriodOfMatchesStrftime(t *testing.T) {
	s := openTemp(t)
	for _, trend := range []string{"month", "week"} {
		sc := &summaryScan{trend: trend}
		for d := time.Date(2020, 12, 20, 23, 59, 59, 0, time.UTC); d.Year() < 2027; d = d.Add(24 * time.Hour) {
			if d.Month() != time.December && d.Month() != time.January && d.Day() != 15 {
				continue
			}
			var want string
			created := fmtTime(d)
			if err := s.db.QueryRow("SELECT "+strings.ReplaceAll(periodExprs[trend], "f.created_at", "?"), created).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if got := sc.periodOf(created); got != want {
				t.Errorf("%s of %s = %q, strftime says %q", trend, created, got, want)
			}
		}
	}
}

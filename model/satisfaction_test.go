package model

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

const figureTol = 5e-5 // figures are checked to 4 decimals

func nearFigure(a, b float64) bool { return math.Abs(a-b) < figureTol }

// Wilson with z = 1.96, z² = 3.8416:
//
//	denom  = 1 + z²/n
//	centre = (p + z²/2n) / denom
//	half   = z·√(p(1−p)/n + z²/4n²) / denom
func TestWilsonInterval(t *testing.T) {
	for _, c := range []struct {
		s, n      int
		low, high float64
	}{
		// p = .8, z²/n = .38416, denom = 1.38416
		// centre = (.8 + .19208)/1.38416 = .716737
		// half = 1.96·√(.016 + .009604)/1.38416 = 1.96·.160012/1.38416 = .226580
		{8, 10, 0.4902, 0.9433},
		// p = 0: centre = half = .19208/1.38416 = .138770 → (0, .277540)
		{0, 10, 0, 0.2775},
		// p = 1: mirror image → (1 − .277540, 1)
		{10, 10, 0.7225, 1},
		// n = 1, p = 1: denom = 4.8416, centre = (1 + 1.9208)/4.8416 = .603272,
		// half = 1.96·√(3.8416/4)/4.8416 = 1.9208/4.8416 = .396728
		{1, 1, 0.2065, 1},
		// n = 1, p = 0: (0, 2·1.9208/4.8416 = .793457)
		{0, 1, 0, 0.7935},
		// p = .6, z²/n = .76832, denom = 1.76832
		// centre = (.6 + .38416)/1.76832 = .556551
		// half = 1.96·√(.048 + .038416)/1.76832 = 1.96·.293966/1.76832 = .325831
		{3, 5, 0.2307, 0.8824},
		// n = 0: no interval, by convention (0, 0)
		{0, 0, 0, 0},
		// successes beyond n are clamped to n
		{12, 10, 0.7225, 1},
	} {
		low, high := WilsonInterval(c.s, c.n, Z95)
		if !nearFigure(low, c.low) || !nearFigure(high, c.high) {
			t.Errorf("Wilson(%d, %d) = (%.6f, %.6f), want (%.4f, %.4f)", c.s, c.n, low, high, c.low, c.high)
		}
		if low < 0 || high > 1 || low > high {
			t.Errorf("Wilson(%d, %d) = (%v, %v) leaves [0, 1]", c.s, c.n, low, high)
		}
	}
	// p = 0 computes centre − half ≈ −3e-17 in floating point; it must clamp.
	if low, _ := WilsonInterval(0, 10, Z95); low != 0 {
		t.Errorf("Wilson(0, 10) low = %v, want exactly 0", low)
	}
}

func TestScoreTally(t *testing.T) {
	var a ScoreTally
	for _, s := range []int{5, 4, 4, 3, 1, 0, 6, -1} { // 0, 6, -1 are not CSAT scores
		a.AddCSAT(s)
	}
	for _, s := range []int{10, 9, 8, 7, 6, 0, 11, -1} { // 11, -1 are not NPS scores
		a.AddNPS(s)
	}
	want := ScoreTally{CSATN: 5, CSATSum: 17, CSATSat: 3, NPSN: 6, Promoters: 2, Detractors: 2}
	if a != want {
		t.Errorf("tally = %+v, want %+v", a, want)
	}
	var b ScoreTally
	b.AddCSAT(2)
	b.AddNPS(9)
	a.Merge(b)
	want = ScoreTally{CSATN: 6, CSATSum: 19, CSATSat: 3, NPSN: 7, Promoters: 3, Detractors: 2}
	if a != want {
		t.Errorf("merged = %+v, want %+v", a, want)
	}
}

func npsTally(promoters, passives, detractors int) ScoreTally {
	var t ScoreTally
	for range promoters {
		t.AddNPS(10)
	}
	for range passives {
		t.AddNPS(7)
	}
	for range detractors {
		t.AddNPS(3)
	}
	return t
}

func TestFigures(t *testing.T) {
	tally := npsTally(50, 30, 20)
	for _, s := range []int{5, 4, 4, 3, 1} {
		tally.AddCSAT(s)
	}
	g := Figures("enterprise", tally)
	if g.Key != "enterprise" || g.CSATN != 5 || g.NPSN != 100 {
		t.Fatalf("figures = %+v", g)
	}
	for _, c := range []struct {
		name string
		got  *float64
		want float64
	}{
		{"csat_avg", g.CSATAvg, 3.4},       // (5+4+4+3+1)/5 = 17/5
		{"csat_sat_pct", g.CSATSatPct, 60}, // 3 of 5 are 4–5
		{"csat_ci_low", g.CSATCILow, 23.0720},
		{"csat_ci_high", g.CSATCIHigh, 88.2382}, // Wilson(3, 5) above, in percent
		{"nps", g.NPS, 30},                      // 50% − 20%
		// p = .5, d = .2: p + d − (p − d)² = .7 − .09 = .61
		// 1.96·√(.61/100)·100 = 1.96·.0781025·100 = 15.3081
		{"nps_moe", g.NPSMoE, 15.3081},
	} {
		if c.got == nil || !nearFigure(*c.got, c.want) {
			t.Errorf("%s = %v, want %.4f", c.name, figureOrNil(c.got), c.want)
		}
	}

	// All promoters: p = 1, d = 0, p + d − (p − d)² = 0, so no margin.
	g = Figures("fans", npsTally(7, 0, 0))
	if *g.NPS != 100 || *g.NPSMoE != 0 {
		t.Errorf("all promoters: nps %v ± %v, want 100 ± 0", *g.NPS, *g.NPSMoE)
	}
	// All detractors: −100.
	if g = Figures("angry", npsTally(0, 0, 3)); *g.NPS != -100 {
		t.Errorf("all detractors: nps %v, want -100", *g.NPS)
	}

	empty := Figures("(none)", ScoreTally{})
	if empty.CSATAvg != nil || empty.CSATSatPct != nil || empty.CSATCILow != nil ||
		empty.CSATCIHigh != nil || empty.NPS != nil || empty.NPSMoE != nil {
		t.Errorf("empty figures = %+v, want nils", empty)
	}
	if (ScoreTally{}).CSATAvg() != nil {
		t.Error("CSATAvg of nothing is not nil")
	}
}

func figureOrNil(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func TestGroupFiguresJSON(t *testing.T) {
	b, err := json.Marshal(Figures("web", ScoreTally{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"key":"web"`, `"feedback_n":0`, `"customers_n":0`, `"csat_n":0`,
		`"csat_avg":null`, `"csat_sat_pct":null`, `"csat_ci_low":null`, `"csat_ci_high":null`,
		`"nps_n":0`, `"nps":null`, `"nps_moe":null`, `"complaints_n":0`, `"flag":""`, `"trend":`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON %s lacks %s", b, key)
		}
	}
	b, _ = json.Marshal(TrendPoint{Period: "2026-11", N: 3})
	if string(b) != `{"period":"2026-11","n":3,"csat_avg":null,"nps":null}` {
		t.Errorf("trend point JSON = %s", b)
	}
}

func csatTally(sat, n int) ScoreTally {
	var t ScoreTally
	for i := range n {
		if i < sat {
			t.AddCSAT(5)
		} else {
			t.AddCSAT(2)
		}
	}
	return t
}

func TestFlagGroup(t *testing.T) {
	overall90 := Figures("", csatTally(90, 100)) // 90% satisfied
	overall60 := Figures("", csatTally(60, 100)) // 60% satisfied
	overallNPS := Figures("", npsTally(50, 30, 20))
	for _, c := range []struct {
		name    string
		group   ScoreTally
		overall GroupFigures
		want    string
	}{
		// 3 of 5: interval 23.07–88.24; 90 lies above it → the group is below
		{"below", csatTally(3, 5), overall90, FlagBelow},
		// 8 of 10: 49.02–94.33 holds 90
		{"inside", csatTally(8, 10), overall90, ""},
		// 10 of 10: 72.25–100; 60 lies below it → the group is above
		{"above", csatTally(10, 10), overall60, FlagAbove},
		// 4 CSAT and 4 NPS answers are too few to compare
		{"small", func() ScoreTally { s := csatTally(0, 4); s.Merge(npsTally(0, 0, 4)); return s }(), overall90, FlagSmall},
		{"empty", ScoreTally{}, overall90, FlagSmall},
		// 4 CSAT but 5 NPS: not small; CSAT 4 of 4 → 51.01–100 holds 90
		{"few csat", func() ScoreTally { s := csatTally(4, 4); s.Merge(npsTally(5, 0, 0)); return s }(), overall90, ""},
		// NPS only, 9 promoters and 1 passive of 10: nps 90,
		// moe = 1.96·√((.9 − .81)/10)·100 = 1.96·.0948683·100 = 18.594 → 71.41–108.59;
		// overall 30 lies below → above
		{"nps above", npsTally(9, 1, 0), overallNPS, FlagAbove},
		// NPS only, 5 passives: nps 0 ± 0; overall 30 lies above → below
		{"nps below", npsTally(0, 5, 0), overallNPS, FlagBelow},
		// NPS only, 3 promoters, 2 detractors of 5: nps 20,
		// moe = 1.96·√((.6 + .4 − .04)/5)·100 = 1.96·.438178·100 = 85.88; holds 30
		{"nps inside", npsTally(3, 0, 2), overallNPS, ""},
		// nothing overall to compare with
		{"no overall", csatTally(3, 5), Figures("", ScoreTally{}), ""},
	} {
		if got := FlagGroup(Figures(c.name, c.group), c.overall); got != c.want {
			t.Errorf("%s: flag %q, want %q", c.name, got, c.want)
		}
	}
}

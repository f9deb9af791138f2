package model

import "math"

// Satisfaction figures for a group of feedback (a plan, a region, a month, a
// saved segment): CSAT on 1–5 and NPS on 0–10, with the uncertainty that
// tells an ops lead whether a difference between groups is worth acting on.

// Z95 is the normal quantile for a two-sided 95% interval.
const Z95 = 1.96

// Flags on a group in a summary.
const (
	FlagSmall = "small" // fewer than 5 CSAT and fewer than 5 NPS answers
	FlagBelow = "below" // the overall figure lies above the group's interval ▼
	FlagAbove = "above" // the overall figure lies below the group's interval ▲
)

// MinGroupAnswers is how many answers a group needs before it is compared
// with the overall figure.
const MinGroupAnswers = 5

// WilsonInterval is the Wilson score interval for successes out of n at
// normal quantile z, as proportions in [0, 1]. Unlike p ± z·√(p(1−p)/n) it
// stays inside [0, 1] and does not collapse to a point at 0 or n successes,
// which is what small groups need. With n = 0 there is no interval and it
// returns (0, 0); callers show that as "no figure" (Figures gives nil).
// Successes outside 0…n are clamped.
func WilsonInterval(successes, n int, z float64) (low, high float64) {
	if n <= 0 {
		return 0, 0
	}
	successes = max(0, min(successes, n))
	nf := float64(n)
	p := float64(successes) / nf
	z2 := z * z
	denom := 1 + z2/nf
	center := (p + z2/(2*nf)) / denom
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / denom
	return clamp01(center - half), clamp01(center + half)
}

func clamp01(x float64) float64 { return max(0, min(1, x)) }

// ScoreTally accumulates the answers of a group. The zero value is empty.
type ScoreTally struct {
	CSATN      int // answers with a CSAT
	CSATSum    int // their total
	CSATSat    int // of them, satisfied: 4 or 5
	NPSN       int // answers with an NPS
	Promoters  int // 9–10
	Detractors int // 0–6
}

// AddCSAT counts one CSAT answer; scores outside 1–5 are ignored.
func (t *ScoreTally) AddCSAT(score int) {
	if score < 1 || score > 5 {
		return
	}
	t.CSATN++
	t.CSATSum += score
	if CSATSatisfied(score) {
		t.CSATSat++
	}
}

// The satisfaction rules, stated once: every tally (ScoreTally, the
// Insights snapshot, the store's scans) and the SQLite aggregate triggers
// (through SQL functions registered by package db) call these.

// CSATSatisfied reports whether a CSAT answer (1–5) counts as satisfied.
func CSATSatisfied(score int) bool { return score >= 4 }

// NPSPromoter reports whether an NPS answer (0–10) is a promoter's.
func NPSPromoter(score int) bool { return score >= 9 }

// NPSDetractor reports whether an NPS answer (0–10) is a detractor's.
func NPSDetractor(score int) bool { return score <= 6 }

// AddNPS counts one NPS answer; scores outside 0–10 are ignored.
func (t *ScoreTally) AddNPS(score int) {
	if score < 0 || score > 10 {
		return
	}
	t.NPSN++
	switch {
	case NPSPromoter(score):
		t.Promoters++
	case NPSDetractor(score):
		t.Detractors++
	}
}

// Merge adds another tally's answers to t.
func (t *ScoreTally) Merge(o ScoreTally) {
	t.CSATN += o.CSATN
	t.CSATSum += o.CSATSum
	t.CSATSat += o.CSATSat
	t.NPSN += o.NPSN
	t.Promoters += o.Promoters
	t.Detractors += o.Detractors
}

// GroupFigures is one row of a satisfaction summary, shaped as the CLI's JSON
// prints it. Percentages are 0–100 and not rounded; a nil figure means its n
// is 0 and prints as null.
type GroupFigures struct {
	Key         string       `json:"key"`
	FeedbackN   int          `json:"feedback_n"`
	CustomersN  int          `json:"customers_n"`
	CSATN       int          `json:"csat_n"`
	CSATAvg     *float64     `json:"csat_avg"`
	CSATSatPct  *float64     `json:"csat_sat_pct"`
	CSATCILow   *float64     `json:"csat_ci_low"`
	CSATCIHigh  *float64     `json:"csat_ci_high"`
	NPSN        int          `json:"nps_n"`
	NPS         *float64     `json:"nps"`
	NPSMoE      *float64     `json:"nps_moe"`
	ComplaintsN int          `json:"complaints_n"`
	Flag        string       `json:"flag"`
	Trend       []TrendPoint `json:"trend"`
}

// TrendPoint is a group's figures over one week or month.
type TrendPoint struct {
	Period  string   `json:"period"`
	N       int      `json:"n"`
	CSATAvg *float64 `json:"csat_avg"`
	NPS     *float64 `json:"nps"`
}

// Figures computes a group's CSAT and NPS figures from its tally:
//   - csat_avg: mean score; csat_sat_pct: share of 4–5 in percent, with its
//     95% Wilson interval (z = 1.96) in percent;
//   - nps: % promoters − % detractors; nps_moe: 1.96·√((p + d − (p − d)²)/n)·100
//     with p and d the promoter and detractor proportions.
//
// FeedbackN, CustomersN, ComplaintsN, Flag and Trend are left for the caller,
// which knows the rows behind the tally (Flag from FlagGroup).
func Figures(key string, t ScoreTally) GroupFigures {
	g := GroupFigures{Key: key, CSATN: t.CSATN, NPSN: t.NPSN}
	if t.CSATN > 0 {
		n := float64(t.CSATN)
		low, high := WilsonInterval(t.CSATSat, t.CSATN, Z95)
		g.CSATAvg = t.CSATAvg()
		g.CSATSatPct = figurePtr(float64(t.CSATSat) / n * 100)
		g.CSATCILow = figurePtr(low * 100)
		g.CSATCIHigh = figurePtr(high * 100)
	}
	g.NPS, g.NPSMoE = t.NPS()
	return g
}

// NPS gives the net promoter score and its 95% margin of error, in points,
// or nils when the tally has no NPS answers.
func (t ScoreTally) NPS() (nps, moe *float64) {
	if t.NPSN <= 0 {
		return nil, nil
	}
	n := float64(t.NPSN)
	p := float64(t.Promoters) / n
	d := float64(t.Detractors) / n
	v := p + d - (p-d)*(p-d)
	return figurePtr((p - d) * 100), figurePtr(Z95 * math.Sqrt(max(0, v)/n) * 100)
}

// CSATAvg gives the mean CSAT, or nil when the tally has no CSAT answers;
// handy for trend points.
func (t ScoreTally) CSATAvg() *float64 {
	if t.CSATN <= 0 {
		return nil
	}
	return figurePtr(float64(t.CSATSum) / float64(t.CSATN))
}

// FlagGroup marks a group against the overall figures: FlagSmall when it has
// fewer than 5 CSAT and fewer than 5 NPS answers; FlagBelow when the overall
// % satisfied lies above the group's Wilson interval, FlagAbove when it lies
// below; "" when the interval holds it. A group without CSAT answers is
// compared on NPS instead: the overall NPS outside the group's nps ± moe.
func FlagGroup(g, overall GroupFigures) string {
	if g.CSATN < MinGroupAnswers && g.NPSN < MinGroupAnswers {
		return FlagSmall
	}
	if g.CSATN > 0 {
		return flagOutside(overall.CSATSatPct, g.CSATCILow, g.CSATCIHigh)
	}
	if g.NPS != nil && g.NPSMoE != nil {
		return flagOutside(overall.NPS, figurePtr(*g.NPS-*g.NPSMoE), figurePtr(*g.NPS+*g.NPSMoE))
	}
	return ""
}

// flagOutside says where the group sits when the overall value x falls outside
// its interval [low, high]: below it when x is above high.
func flagOutside(x, low, high *float64) string {
	switch {
	case x == nil || low == nil || high == nil:
		return ""
	case *x > *high:
		return FlagBelow
	case *x < *low:
		return FlagAbove
	}
	return ""
}

func figurePtr(f float64) *float64 { return &f }

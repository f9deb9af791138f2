package model

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Bands groups the values of a numeric or date attribute into ranges, so
// Insights by attr.age compares 20–29 with 30–39 instead of one row per
// year of age: numbers into about ten ranges of a round width (1, 2 or 5
// times a power of ten), ISO dates (2021-03-14, with or without a time)
// into months. The ranges come from the attribute's whole set of values,
// so every summary of it, filtered or not, on either store, has the same
// ones.
type Bands struct {
	dates    bool
	lo, w    float64 // the first range's lower edge, the width
	hi       float64 // the last range's upper edge: at or above it, one open range
	integers bool    // every value a whole number: ranges say 20–29
	decimals int     // the width's decimals, for the labels
}

// bandsMinValues is how many distinct values an attribute needs before
// its values are banded: fewer are clearer one by one (a 1–5 rating).
const bandsMinValues = 13

// NewBands makes the ranges for an attribute's distinct values (none
// left out); nil when they are not all numbers or all ISO dates, or too
// few to band.
func NewBands(values []string) *Bands {
	n, dates := 0, 0
	var nums []float64
	integers := true
	for _, v := range values {
		if v == "" || v == SummaryNone {
			continue
		}
		n++
		if isoDate(v) {
			dates++
			continue
		}
		f, ok := bandNumber(v)
		if !ok {
			return nil
		}
		nums = append(nums, f)
		integers = integers && f == math.Trunc(f)
	}
	switch {
	case n < bandsMinValues:
		return nil
	case dates == n:
		return &Bands{dates: true}
	case len(nums) != n:
		return nil
	}
	slices.Sort(nums)
	lo, hi := nums[0], nums[len(nums)-1]
	if len(nums) >= 20 { // a few extreme values do not stretch every range
		lo, hi = nums[len(nums)*5/100], nums[len(nums)*95/100]
	}
	w := niceWidth((hi - lo) / 10)
	if integers {
		w = max(w, 1)
	}
	b := &Bands{w: w, integers: integers && w == math.Trunc(w)}
	b.lo = math.Floor(lo/w) * w
	b.hi = (math.Floor(hi/w+1e-9) + 1) * w
	if w < 1 {
		b.decimals = int(math.Ceil(-math.Log10(w) - 1e-9))
	}
	return b
}

// Of names the range of a value; none stays none, and a value that is not
// of the attribute's kind (a write since the ranges were made) keeps its
// own name.
func (b *Bands) Of(v string) string {
	if v == "" || v == SummaryNone {
		return SummaryNone
	}
	if b.dates {
		if isoDate(v) {
			return v[:7]
		}
		return v
	}
	f, ok := bandNumber(v)
	switch {
	case !ok:
		return v
	case f < b.lo:
		return "<" + b.num(b.lo)
	case f >= b.hi-b.w*1e-9:
		return "≥" + b.num(b.hi)
	}
	i := math.Floor((f-b.lo)/b.w + 1e-9) // 0.06 / 0.02 is 2.9999…
	from := b.lo + i*b.w
	to := from + b.w
	if b.integers {
		return b.num(from) + "–" + b.num(to-1)
	}
	return b.num(from) + "–<" + b.num(to)
}

// BandWhere is the segment condition on attribute name that the
// customers of a range (a name Bands.Of gave) meet, for a drill from
// Insights: 20–29 is in (20, …, 29), 7.5–<10 is [7.5, 10), 2021-03 the
// month, <20 and ≥70 open.
func BandWhere(name, band string) (string, bool) {
	field := "attr." + quoteSegmentString(name)
	if len(band) == 7 && isoDate(band+"-01") {
		return field + " ~ " + quoteSegmentString(band+"-"), true
	}
	if x, ok := strings.CutPrefix(band, "<"); ok {
		if _, ok := bandNumber(x); ok {
			return field + " < " + x, true
		}
	}
	if x, ok := strings.CutPrefix(band, "≥"); ok {
		if _, ok := bandNumber(x); ok {
			return field + " >= " + x, true
		}
	}
	from, to, ok := strings.Cut(band, "–")
	if !ok {
		return "", false
	}
	upper := "<"
	if t, open := strings.CutPrefix(to, "<"); open {
		to = t
	} else {
		upper = "<="
	}
	if _, ok := bandNumber(from); !ok {
		return "", false
	}
	if _, ok := bandNumber(to); !ok {
		return "", false
	}
	if lo, hi, ok := smallIntRange(from, to); ok && upper == "<=" {
		// one condition: the same value is in the range, on the customer
		// or on one feedback item (two conditions may hold on two items)
		list := make([]string, 0, hi-lo+1)
		for v := lo; v <= hi; v++ {
			list = append(list, strconv.Itoa(v))
		}
		return field + " in (" + strings.Join(list, ", ") + ")", true
	}
	return field + " >= " + from + " and " + field + " " + upper + " " + to, true
}

// smallIntRange reads a range of at most 20 whole numbers.
func smallIntRange(from, to string) (lo, hi int, ok bool) {
	lo, err1 := strconv.Atoi(from)
	hi, err2 := strconv.Atoi(to)
	return lo, hi, err1 == nil && err2 == nil && hi >= lo && hi-lo < 20
}

// BandLess orders ranges by their lower edge (months as text), none last.
func BandLess(x, y string) bool {
	if x == SummaryNone || y == SummaryNone {
		return y == SummaryNone && x != SummaryNone
	}
	fx, okx := bandEdge(x)
	fy, oky := bandEdge(y)
	if okx && oky && fx != fy {
		return fx < fy
	}
	return x < y
}

// bandEdge is a range's lower edge: minus infinity for <X.
func bandEdge(band string) (float64, bool) {
	if x, ok := strings.CutPrefix(band, "<"); ok {
		_, ok := bandNumber(x)
		return math.Inf(-1), ok
	}
	if x, ok := strings.CutPrefix(band, "≥"); ok {
		return bandNumber(x)
	}
	from, _, _ := strings.Cut(band, "–")
	return bandNumber(from)
}

func (b *Bands) num(f float64) string {
	return strconv.FormatFloat(f, 'f', b.decimals, 64)
}

// niceWidth is the smallest of 1, 2 and 5 times a power of ten at least
// raw (1 for a range of nothing).
func niceWidth(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

// bandNumber reads a plain decimal number (no thousands separators, no
// exponent, not NaN or infinite).
func bandNumber(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsAny(v, "eEnNxX_") {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return 0, false
	}
	return f, true
}

// isoDate reports whether v starts with a date written YYYY-MM-DD and
// holds nothing else but a time after it.
func isoDate(v string) bool {
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return false
	}
	for i, r := range v[:10] {
		if i != 4 && i != 7 && (r < '0' || r > '9') {
			return false
		}
	}
	if len(v) > 10 && v[10] != ' ' && v[10] != 'T' {
		return false
	}
	m, d := (v[5]-'0')*10+v[6]-'0', (v[8]-'0')*10+v[9]-'0'
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

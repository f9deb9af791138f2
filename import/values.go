package importer

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// errNoValue marks an empty or placeholder cell: not an error, no value.
var errNoValue = errors.New("no value")

// noValue lists the placeholders exports use for "not answered".
var noValue = map[string]bool{"": true, "-": true, "n/a": true, "na": true, "null": true, "none": true,
	"offered": true, "unoffered": true, "not offered": true, "—": true, "无": true}

// isEmptyMarker tells a cell that says "nothing here" in any column:
// empty (U+00A0 and other spaces are trimmed before), -, —, NA, N/A,
// null. Such a cell is stored as empty, never as text.
func isEmptyMarker(v string) bool {
	switch len(v) {
	case 0:
		return true
	case 1:
		return v == "-"
	case 2, 3, 4:
		return v == "—" || strings.EqualFold(v, "na") || strings.EqualFold(v, "n/a") || strings.EqualFold(v, "null")
	}
	return false
}

var fractionRE = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*/\s*(\d+)$`)

// ParseCSAT reads a satisfaction answer as 1–5: numbers 1–5 (also "4.0",
// "4/5", "8/10"), words in English, Chinese and Portuguese, and percent
// ("80%") or 0–100 scales scaled to 1–5. The raw text is kept by the
// caller. Empty cells and placeholders give errNoValue.
func ParseCSAT(raw string) (int, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	if noValue[s] {
		return 0, errNoValue
	}
	if v, ok := csatWords[s]; ok {
		return v, nil
	}
	if m := fractionRE.FindStringSubmatch(s); m != nil {
		num, _ := strconv.ParseFloat(m[1], 64)
		den, _ := strconv.ParseFloat(m[2], 64)
		if den <= 0 || num > den {
			return 0, fmt.Errorf("score %q is not a fraction of its scale", raw)
		}
		return int(math.Round(1 + 4*num/den)), nil
	}
	pct := strings.HasSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || math.IsNaN(f) {
		return 0, fmt.Errorf("%q is not a satisfaction score (1–5, a percentage or a word like satisfied/满意)", raw)
	}
	switch {
	case pct:
		if f < 0 || f > 100 {
			return 0, fmt.Errorf("percentage %q is outside 0–100", raw)
		}
		return int(math.Round(1 + 4*f/100)), nil
	case f >= 1 && f <= 5:
		return int(math.Round(f)), nil
	default:
		return 0, fmt.Errorf("CSAT %q is outside 1–5", raw)
	}
}

// ParseNPS reads a 0–10 recommendation score.
func ParseNPS(raw string) (int, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	if noValue[s] {
		return 0, errNoValue
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) {
		return 0, fmt.Errorf("%q is not an NPS score (a whole number 0–10)", raw)
	}
	if f < 0 || f > 10 {
		return 0, fmt.Errorf("NPS %q is outside 0–10", raw)
	}
	return int(f), nil
}

// dateLayouts are tried in order; day-first layouts come after month-first
// ones and are chosen per column by DayFirst.
var dateLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	"2006/1/2 15:04:05", "2006/1/2 15:04", "2006/1/2",
	"2/Jan/06 3:04 PM", "2/Jan/06 15:04", "2/Jan/2006 3:04 PM", "2/Jan/2006 15:04", "2-Jan-06", "2 Jan 2006",
	"2 Jan 2006 15:04", "2. Jan 2006", "2. Jan 2006 15:04", "Jan 2 2006", "02-Jan-2006", "Jan 2, 2006", "Jan 2, 2006 3:04 PM",
	"2006年1月2日 15:04", "2006年1月2日 15:04:05", "2006年1月2日",
}

var (
	usLayouts  = []string{"1/2/2006 3:04:05 PM", "1/2/2006 3:04 PM", "1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/2006", "1-2-2006"}
	dayLayouts = []string{"2/1/2006 3:04:05 PM", "2/1/2006 3:04 PM", "2/1/2006 15:04:05", "2/1/2006 15:04", "2/1/2006", "2-1-2006", "2.1.2006 15:04", "2.1.2006"}
)

// ParseTime reads a date or time as exports write them; times without a
// zone are in loc. dayFirst says how to read 05/03/2024 (a column's dates
// decide it together, see DayFirst). Excel serial numbers are accepted.
func ParseTime(raw string, loc *time.Location, dayFirst bool) (time.Time, error) {
	return parseTime(raw, loc, dayFirst, nil)
}

// parseTime is ParseTime with a column's last layout tried first (a
// column's dates share one layout, so the search runs once per column,
// not once per row); hint receives the layout that read the value.
func parseTime(raw string, loc *time.Location, dayFirst bool, hint *string) (time.Time, error) {
	s := strings.TrimSpace(raw)
	if noValue[strings.ToLower(s)] {
		return time.Time{}, errNoValue
	}
	s = englishMonths(s)
	if hint != nil && *hint != "" {
		if t, err := time.ParseInLocation(*hint, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	order := [3][]string{dateLayouts, usLayouts, dayLayouts}
	if dayFirst {
		order[1], order[2] = dayLayouts, usLayouts
	}
	for _, layouts := range order {
		for _, l := range layouts {
			if t, err := time.ParseInLocation(l, s, loc); err == nil {
				if hint != nil {
					*hint = l
				}
				return t.UTC(), nil
			}
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
		// Excel's day count from 1899-12-30, in local time
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, loc)
		return base.Add(time.Duration(f * 24 * float64(time.Hour))).Round(time.Second).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date this importer reads", raw)
}

var slashDate = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}`)

// DayFirst decides from a column's values whether a/b/yyyy dates are
// day-first: yes as soon as one first part is over 12, no as soon as one
// second part is.
func DayFirst(values []string) bool {
	for _, v := range values {
		m := slashDate.FindStringSubmatch(strings.TrimSpace(v))
		if m == nil {
			continue
		}
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[2])
		if a > 12 {
			return true
		}
		if b > 12 {
			return false
		}
	}
	return false
}

// ParseTags splits a tag cell on spaces, commas and semicolons (also the
// full-width ones of Chinese input).
func ParseTags(raw string) []string { return splitTags(raw, true) }

// ParseTagList splits a tag cell on commas and semicolons only: tags of
// exports that write lists ("Carclo Mitcham, carclo") may hold spaces.
func ParseTagList(raw string) []string { return splitTags(raw, false) }

func splitTags(raw string, onSpaces bool) []string {
	f := strings.FieldsFunc(raw, func(r rune) bool {
		return r == ',' || r == ';' || r == '，' || r == '；' || r == '、' || r == '|' ||
			onSpaces && (r == ' ' || r == '\t')
	})
	out := f[:0]
	seen := map[string]bool{}
	for _, t := range f {
		// tags cannot hold spaces: "Carclo Mitcham" is one tag, Carclo-Mitcham
		if t = strings.Join(strings.Fields(t), "-"); t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// NormalizeID turns an id an exporter wrote in scientific notation
// ("1.03531E+12") back into digits where it is a whole number.
func NormalizeID(raw string) string {
	s := strings.TrimSpace(raw)
	if strings.ContainsAny(s, "eE") {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e18 {
			return strconv.FormatInt(int64(f), 10)
		}
	}
	return strings.TrimSuffix(s, ".0")
}

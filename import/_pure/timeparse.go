package importer

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DateOrder says how to read an all-numeric date whose year comes last,
// such as 03/05/2024: March 5 (US) or 3 May (most of the world).
type DateOrder string

const (
	// DateAuto decides per value: a first part above 12 is a day
	// (31/08/2021), a second part above 12 is a day (08/31/2021), and a
	// date that fits both (03/05/2024) is read month first, as US exports
	// write it. DetectDateOrder settles a whole column instead.
	DateAuto DateOrder = ""
	DateMDY  DateOrder = "mdy"
	DateDMY  DateOrder = "dmy"
)

// ParseDateOrder accepts "", "auto", "mdy" or "dmy".
func ParseDateOrder(s string) (DateOrder, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return DateAuto, nil
	case "mdy", "us", "month-first":
		return DateMDY, nil
	case "dmy", "day-first":
		return DateDMY, nil
	}
	return DateAuto, fmt.Errorf("unknown date order %q (expected auto, mdy or dmy)", s)
}

// clockRe finds the time of day in a date-time: 14:22, 2:22 PM,
// 14:22:05.123, followed perhaps by a zone (Z, +08:00, -0700, UTC).
var clockRe = regexp.MustCompile(`(?i)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([ap])\.?m\.?)?(?:\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?))?`)

// chineseDate turns 2024年3月5日 into 2024-3-5.
var chineseDate = strings.NewReplacer("年", "-", "月", "-", "日", " ", "号", " ")

// findClock is clockRe.FindStringSubmatchIndex written out by hand: it is
// run on every date of every row, and the regular expression was a sixth
// of an import's time. TestFindClockMatchesRegexp keeps the two equal.
func findClock(s string) []int {
	for from := 0; ; {
		c := strings.IndexByte(s[from:], ':')
		if c < 0 {
			return nil
		}
		c += from
		from = c + 1
		start := c
		for start > 0 && c-start < 2 && isDigit(s[start-1]) {
			start--
		}
		if start == c || !digitsAt(s, c+1, 2) {
			continue
		}
		m := []int{start, 0, start, c, c + 1, c + 3, -1, -1, -1, -1, -1, -1, -1, -1}
		i := c + 3
		if i < len(s) && s[i] == ':' && digitsAt(s, i+1, 2) {
			m[6], m[7] = i+1, i+3
			i += 3
			if i < len(s) && (s[i] == '.' || s[i] == ',') && digitsAt(s, i+1, 1) {
				j := i + 1
				for j < len(s) && j-i-1 < 9 && isDigit(s[j]) {
					j++
				}
				m[8], m[9] = i+1, j
				i = j
			}
		}
		if j := skipSpaces(s, i); j < len(s) && (lower(s[j]) == 'a' || lower(s[j]) == 'p') {
			k := j + 1
			if k < len(s) && s[k] == '.' {
				k++
			}
			if k < len(s) && lower(s[k]) == 'm' {
				k++
				if k < len(s) && s[k] == '.' {
					k++
				}
				m[10], m[11] = j, j+1
				i = k
			}
		}
		if j := skipSpaces(s, i); j < len(s) {
			if end := zoneEnd(s, j); end > j {
				m[12], m[13] = j, end
				i = end
			}
		}
		m[1] = i
		return m
	}
}

// zoneEnd returns where a zone (Z, UTC, GMT, +08:00, -0700, +08) starting
// at i ends, or i when there is none.
func zoneEnd(s string, i int) int {
	rest := strings.ToLower(s[i:])
	switch {
	case strings.HasPrefix(rest, "utc"), strings.HasPrefix(rest, "gmt"):
		return i + 3
	case rest[0] == 'z':
		return i + 1
	case (rest[0] == '+' || rest[0] == '-') && digitsAt(s, i+1, 2):
		j := i + 3
		if j < len(s) && s[j] == ':' && digitsAt(s, j+1, 2) {
			return j + 3
		}
		if digitsAt(s, j, 2) {
			return j + 2
		}
		return j
	}
	return i
}

func digitsAt(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for k := i; k < i+n; k++ {
		if !isDigit(s[k]) {
			return false
		}
	}
	return true
}

func skipSpaces(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f') {
		i++
	}
	return i
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// ParseTime reads a date or date-time as exports write it, deciding
// ambiguous numeric dates with DateAuto. See ParseTimeOrder.
func ParseTime(raw string, loc *time.Location) (*time.Time, error) {
	return ParseTimeOrder(raw, loc, DateAuto)
}

// ParseTimeOrder reads a date or date-time and returns nil for an empty
// cell or a placeholder such as "-". It understands, among others:
//
//	2024-03-05T14:22:05Z (RFC 3339)   2024-03-05 14:22:05   2024-03-05
//	2024/3/5 14:22                    03/05/2024 (order)    3/5/2024 2:22 PM
//	22-04-2015                        22-Apr-15             05/Mar/24 2:22 PM (Jira)
//	Mar 5, 2024                       5th Jan 2020          05.03.2024
//	2024年3月5日 14:22                  45356.5 (an Excel serial day number)
//	1709648525 (Unix seconds)         1709648525000 (Unix milliseconds)
//
// Times without a zone are in loc (time.Local when nil); a zone written in
// the value wins.
func ParseTimeOrder(raw string, loc *time.Location, order DateOrder) (*time.Time, error) {
	if loc == nil {
		loc = time.Local
	}
	s := strings.TrimSpace(foldWidth(raw))
	if IsNull(s) {
		return nil, nil
	}
	if t, ok := parseSerial(s, loc); ok {
		return &t, nil
	}
	fail := func() (*time.Time, error) {
		return nil, fmt.Errorf("cannot read %q as a date", raw)
	}
	if !isASCII(s) {
		s = chineseDate.Replace(s)
	}
	s = splitISOT(s)

	hour, minute, sec, nsec := 0, 0, 0, 0
	zone := loc
	datePart := s
	if m := findClock(s); m != nil {
		if strings.TrimSpace(s[m[1]:]) != "" {
			return fail()
		}
		datePart = s[:m[0]]
		sub := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		hour, _ = strconv.Atoi(sub(1))
		minute, _ = strconv.Atoi(sub(2))
		sec, _ = strconv.Atoi(sub(3))
		if f := sub(4); f != "" {
			nsec, _ = strconv.Atoi((f + "00000000")[:9])
		}
		if ap := strings.ToLower(sub(5)); ap != "" {
			if hour < 1 || hour > 12 {
				return fail()
			}
			hour %= 12
			if ap == "p" {
				hour += 12
			}
		}
		if z := sub(6); z != "" {
			var ok bool
			if zone, ok = parseZone(z); !ok {
				return fail()
			}
		}
		if hour > 23 || minute > 59 || sec > 59 {
			return fail()
		}
	}
	y, mo, d, ok := parseDatePart(datePart, order)
	if !ok {
		return fail()
	}
	t := time.Date(y, time.Month(mo), d, hour, minute, sec, nsec, zone)
	if t.Day() != d || int(t.Month()) != mo {
		return fail() // 31/02, 29/02 outside a leap year
	}
	return &t, nil
}

// splitISOT turns the T of 2024-03-05T14:22 into a space.
func splitISOT(s string) string {
	for i := 1; i+1 < len(s); i++ {
		if (s[i] == 'T' || s[i] == 't') && isDigit(s[i-1]) && isDigit(s[i+1]) {
			return s[:i] + " " + s[i+1:]
		}
	}
	return s
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func parseZone(z string) (*time.Location, bool) {
	switch strings.ToLower(z) {
	case "z", "utc", "gmt":
		return time.UTC, true
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(z[1:], ":", "")
	h, err := strconv.Atoi(digits[:2])
	if err != nil {
		return nil, false
	}
	m := 0
	if len(digits) == 4 {
		if m, err = strconv.Atoi(digits[2:]); err != nil {
			return nil, false
		}
	}
	if h > 14 || m > 59 {
		return nil, false
	}
	off := sign * (h*3600 + m*60)
	if off == 0 {
		return time.UTC, true
	}
	return time.FixedZone("", off), true
}

// parseSerial reads an all-numeric value as an Excel serial day number
// (10000–99999.x, 1927–2173) or as Unix seconds or milliseconds.
func parseSerial(s string, loc *time.Location) (time.Time, bool) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if !allDigits(intPart) || (hasDot && (frac == "" || !allDigits(frac))) {
		return time.Time{}, false
	}
	switch {
	case len(intPart) == 5:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || x < 10000 {
			return time.Time{}, false
		}
		days := math.Floor(x)
		secs := math.Round((x - days) * 86400)
		base := time.Date(1899, 12, 30, 0, 0, 0, 0, loc).AddDate(0, 0, int(days))
		return base.Add(time.Duration(secs) * time.Second), true
	case !hasDot && (len(intPart) == 9 || len(intPart) == 10):
		n, _ := strconv.ParseInt(intPart, 10, 64)
		return time.Unix(n, 0).In(loc), true
	case !hasDot && (len(intPart) == 12 || len(intPart) == 13):
		n, _ := strconv.ParseInt(intPart, 10, 64)
		return time.UnixMilli(n).In(loc), true
	}
	return time.Time{}, false
}

var monthNames = map[string]int{
	"jan": 1, "feb": 2, "fev": 2, "mar": 3, "apr": 4, "abr": 4, "may": 5, "mai": 5, "jun": 6,
	"jul": 7, "aug": 8, "ago": 8, "sep": 9, "set": 9, "oct": 10, "out": 10, "nov": 11,
	"dec": 12, "dez": 12, "dic": 12, "ene": 1,
}

var weekdayNames = map[string]bool{
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
}

// dateTokens splits the date part on - / . , and spaces, drops weekday names
// and ordinal suffixes (5th), and reads month names.
func dateTokens(s string) (nums []string, month int, ok bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '-' || r == '/' || r == '.' || r == ',' || r == ' '
	})
	for _, p := range parts {
		if allDigits(p) {
			nums = append(nums, p)
			continue
		}
		low := strings.ToLower(p)
		if n, isOrdinal := cutOrdinal(low); isOrdinal {
			nums = append(nums, n)
			continue
		}
		if len(low) >= 3 {
			if weekdayNames[low[:3]] {
				continue
			}
			if m, found := monthNames[low[:3]]; found && month == 0 {
				month = m
				continue
			}
		}
		return nil, 0, false
	}
	return nums, month, true
}

// cutOrdinal reads "5th", "1st", "22nd" as their number.
func cutOrdinal(s string) (string, bool) {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if t, cut := strings.CutSuffix(s, suf); cut && t != "" && allDigits(t) {
			return t, true
		}
	}
	return "", false
}

func parseDatePart(s string, order DateOrder) (y, m, d int, ok bool) {
	nums, month, ok := dateTokens(s)
	if !ok {
		return 0, 0, 0, false
	}
	atoi := func(t string) int { n, _ := strconv.Atoi(t); return n }
	switch {
	case month == 0 && len(nums) == 3:
		a, b, c := nums[0], nums[1], nums[2]
		if len(a) == 4 {
			y, m, d = atoi(a), atoi(b), atoi(c)
			break
		}
		if len(c) != 4 && len(c) != 2 {
			return 0, 0, 0, false
		}
		y = fullYear(c)
		p, q := atoi(a), atoi(b)
		switch {
		case order == DateDMY || (order == DateAuto && p > 12):
			d, m = p, q
		default:
			m, d = p, q
		}
	case month != 0 && len(nums) == 2:
		m = month
		switch {
		case len(nums[0]) == 4:
			y, d = atoi(nums[0]), atoi(nums[1])
		default:
			d, y = atoi(nums[0]), fullYear(nums[1])
		}
	default:
		return 0, 0, 0, false
	}
	if y < 1000 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func fullYear(t string) int {
	n, _ := strconv.Atoi(t)
	if len(t) == 2 {
		if n < 70 {
			return 2000 + n
		}
		return 1900 + n
	}
	return n
}

// DetectDateOrder reads a column's values and says whether its numeric
// dates are day first (some first part exceeds 12: 31/08/2021), month
// first (some second part exceeds 12: 08/31/2021), or cannot tell
// (DateAuto), including when the column holds both.
func DetectDateOrder(values []string) DateOrder {
	dayFirst, monthFirst := false, false
	for _, raw := range values {
		s := strings.TrimSpace(foldWidth(raw))
		if m := findClock(s); m != nil {
			s = s[:m[0]]
		}
		nums, month, ok := dateTokens(s)
		if !ok || month != 0 || len(nums) != 3 || len(nums[0]) == 4 {
			continue
		}
		p, _ := strconv.Atoi(nums[0])
		q, _ := strconv.Atoi(nums[1])
		switch {
		case p > 12 && q <= 12:
			dayFirst = true
		case q > 12 && p <= 12:
			monthFirst = true
		}
	}
	switch {
	case dayFirst && !monthFirst:
		return DateDMY
	case monthFirst && !dayFirst:
		return DateMDY
	}
	return DateAuto
}

// ParseClock reads a time of day without a date (3:53:50 PM, 14:22) as
// hours, minutes and seconds.
func ParseClock(raw string) (h, m, s int, ok bool) {
	t := strings.TrimSpace(raw)
	loc := findClock(t)
	if loc == nil || loc[0] != 0 || loc[1] != len(t) || loc[12] >= 0 {
		return 0, 0, 0, false
	}
	parsed, err := ParseTimeOrder("2000-01-01 "+t, time.UTC, DateAuto)
	if err != nil || parsed == nil {
		return 0, 0, 0, false
	}
	return parsed.Hour(), parsed.Minute(), parsed.Second(), true
}

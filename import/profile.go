package importer

import (
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// A column profile says what a column's values are, on a sample of the
// file's first rows: e-mails, phones, numbers and their range, dates,
// words of a satisfaction scale. Together with the header it decides the
// column's meaning once per file (decide.go).
type colProfile struct {
	n        int // values, empty markers left out
	emails   int
	phones   int
	ints     int // whole numbers
	nums     int // numbers, whole or not (also "80%", "4/5")
	percent  int
	min, max float64
	dates    int
	dayFirst bool
	lists    int            // values holding a comma or semicolon
	words    map[string]int // non-numeric values known to a satisfaction scale, by scale name
	seven    bool           // a word only a 7-point scale has
	unknown  int            // non-numeric values no scale knows
	distinct map[string]struct{}
	example  string
	na       int // cells holding exactly "NA"
	codes    int // other values that are 2–5 capital letters (APAC, EMEA, US)
	entities int // values holding an HTML entity (&amp; &#x27;)
	bareAmps int // values holding an '&' that starts none
}

// htmlEscaped tells a column written HTML-escaped (entities.go).
func (p *colProfile) htmlEscaped() bool { return p.entities > 0 && p.bareAmps == 0 }

// naIsValue tells a column whose "NA" is a code among codes — North
// America beside APAC and EMEA — rather than R's or Excel's "not
// available": there it is a value like the others, never emptied.
func (p *colProfile) naIsValue() bool {
	return p.na > 0 && p.codes > 0 && p.codes == p.n
}

// isCode tells a short code of capital letters.
func isCode(v string) bool {
	if len(v) < 2 || len(v) > 5 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 'A' || v[i] > 'Z' {
			return false
		}
	}
	return true
}

// maxDistinct bounds the distinct values a profile remembers.
const maxDistinct = 4096

// profileColumns profiles every column of the sample rows.
func profileColumns(ncol int, sample []Row) []colProfile {
	ps := make([]colProfile, ncol)
	for i := range ps {
		ps[i].words = map[string]int{}
		ps[i].distinct = map[string]struct{}{}
		var vals []string
		for _, r := range sample {
			if i < len(r.Fields) {
				vals = append(vals, r.Fields[i])
			}
		}
		ps[i].dayFirst = DayFirst(vals)
		for _, v := range vals {
			ps[i].add(v)
		}
	}
	return ps
}

// add profiles one value.
func (p *colProfile) add(raw string) {
	v := cleanCell(raw)
	if v == "NA" {
		p.na++
	}
	if isEmptyMarker(v) {
		return
	}
	p.n++
	if e, b := ampersands(v); e > 0 || b > 0 {
		p.entities += min(e, 1)
		p.bareAmps += min(b, 1)
	}
	if isCode(v) {
		p.codes++
	}
	if p.example == "" {
		p.example = v
	}
	if len(p.distinct) < maxDistinct {
		p.distinct[v] = struct{}{}
	}
	if strings.ContainsAny(v, ",;，；") {
		p.lists++
	}
	if strings.IndexByte(v, '@') > 0 && model.ValidateEmail(v) == nil {
		p.emails++
		return
	}
	low := strings.ToLower(v)
	if f, ok := number(low); ok {
		p.nums++
		if strings.HasSuffix(low, "%") {
			p.percent++
		}
		if p.nums == 1 || f < p.min {
			p.min = f
		}
		if p.nums == 1 || f > p.max {
			p.max = f
		}
		if f == float64(int64(f)) && !strings.ContainsAny(low, "%/") {
			p.ints++
		}
		return
	}
	if len(v) >= 6 && len(v) <= 40 && hasDigitRun(v) {
		if _, err := ParseTime(v, time.UTC, p.dayFirst); err == nil {
			p.dates++
			return
		}
	}
	if d := model.PhoneDigits(v); len(d) >= 7 && len(d) <= 15 && strings.Trim(v, "+0123456789 ()-./") == "" {
		p.phones++
		return
	}
	if noValue[low] {
		p.n-- // "Offered", "None": not an answer
		return
	}
	if name := scaleOfWord(low); name != "" {
		p.words[name]++
		p.seven = p.seven || sevenPointWords[low]
		return
	}
	p.unknown++
}

// number reads "4", "4.5", "80%" and "4/5" (as 4).
func number(s string) (float64, bool) {
	if m := fractionRE.FindStringSubmatch(s); m != nil {
		f, err := strconv.ParseFloat(m[1], 64)
		return f, err == nil
	}
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || f != f || f > 1e15 || f < -1e15 {
		return 0, false
	}
	return f, true
}

// share is the part of the profiled values k is, 0–1.
func (p *colProfile) share(k int) float64 {
	if p.n == 0 {
		return 0
	}
	return float64(k) / float64(p.n)
}

// unique tells values all distinct in the sample (at least two of them).
func (p *colProfile) unique() bool { return p.n > 1 && len(p.distinct) == p.n }

// wordTotal counts the values known to a word scale.
func (p *colProfile) wordTotal() int {
	n := 0
	for _, c := range p.words {
		n += c
	}
	return n
}

// scaleNames lists the word scales a column's words come from.
func (p *colProfile) scaleNames() string {
	var names []string
	for _, s := range wordScales {
		if p.words[s.name] > 0 {
			names = append(names, s.name)
		}
	}
	if p.seven {
		names = append(names, "7-point satisfaction words")
	}
	return strings.Join(names, ", ")
}

// cleanCell is a cell as the converter reads it: trimmed (also of
// U+00A0), without NUL bytes or a spreadsheet's formula guard.
func cleanCell(raw string) string {
	return unquoteFormula(strings.TrimSpace(strings.ReplaceAll(raw, "\x00", "")))
}

// hasDigitRun tells a value with two digits in a row, as every date has.
func hasDigitRun(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] >= '0' && s[i-1] <= '9' && s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

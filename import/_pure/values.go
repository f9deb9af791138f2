package importer

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Scale says how the plain numbers of a CSAT column are to be read. Words,
// fractions ("4/5") and percentages ("80%") carry their own scale and are
// read the same under every Scale.
type Scale string

const (
	// ScaleAuto reads plain numbers as 1–5 and refuses anything above 5:
	// a 7 could be a 1–10 or a 0–100 answer, and guessing would skew every
	// average. DetectCSATScale picks a scale from a column's values.
	ScaleAuto Scale = ""
	Scale5    Scale = "5"   // 1–5
	Scale10   Scale = "10"  // 1–10 (0 is read as 1)
	Scale100  Scale = "100" // 0–100, a percentage
)

// ParseScale accepts "", "auto", "5", "10" or "100".
func ParseScale(s string) (Scale, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "", "auto":
		return ScaleAuto, nil
	case "5", "1-5":
		return Scale5, nil
	case "10", "1-10":
		return Scale10, nil
	case "100", "0-100", "%":
		return Scale100, nil
	}
	return ScaleAuto, fmt.Errorf("unknown CSAT scale %q (expected auto, 5, 10 or 100)", s)
}

// nullWords are the placeholders exports put where there is no value. A
// cell holding one of them has no value; it is not an error.
var nullWords = map[string]bool{
	"": true, "-": true, "--": true, "—": true, "–": true, "n/a": true, "na": true,
	"#n/a": true, "null": true, "nil": true, "none": true, "nan": true,
	"offered": true, "unoffered": true, "not offered": true, "not answered": true,
	"无": true, "暂无": true, "未评价": true, "未评分": true,
}

// IsNull reports whether a cell holds nothing or a placeholder such as
// "-", "n/a", "NULL" or Zendesk's "Offered".
func IsNull(raw string) bool {
	t := strings.TrimSpace(raw)
	if t == "" {
		return true
	}
	switch t[0] { // the first bytes of the placeholders: most values are rejected here
	case '-', '#', 'n', 'N', 'o', 'O', 'u', 'U', 0xE2, 0xE6:
	default:
		return false
	}
	return len(t) <= 24 && nullWords[strings.ToLower(strings.Join(strings.Fields(t), " "))]
}

// csatWords maps the answers survey tools write instead of numbers (the
// table in CONTRACT.md, and a few more) to 1–5.
var csatWords = map[string]int{
	// Zendesk
	"good": 5, "bad": 1, "good, i'm satisfied": 5, "bad, i'm unsatisfied": 1,
	// Help Scout and Freshdesk
	"great": 5, "okay": 3, "ok": 3, "not good": 1, "awesome": 5, "just okay": 3,
	// five-point wording
	"very satisfied": 5, "extremely satisfied": 5, "satisfied": 4, "neutral": 3,
	"dissatisfied": 2, "unsatisfied": 2, "very dissatisfied": 1, "very unsatisfied": 1,
	"extremely dissatisfied": 1, "excellent": 5, "very good": 5, "average": 3,
	"poor": 2, "very poor": 1, "terrible": 1,
	// Chinese
	"非常满意": 5, "很满意": 5, "满意": 4, "比较满意": 4, "较满意": 4, "一般": 3, "还行": 3,
	"不满意": 2, "不太满意": 2, "非常不满意": 1, "很不满意": 1,
	"好评": 5, "中评": 3, "差评": 1,
	// Portuguese and Spanish
	"muito satisfeito": 5, "satisfeito": 4, "neutro": 3, "insatisfeito": 2, "muito insatisfeito": 1,
	"muy satisfecho": 5, "satisfecho": 4, "insatisfecho": 2, "muy insatisfecho": 1,
}

// ParseCSAT reads a CSAT answer with ScaleAuto; see ParseCSATScale.
func ParseCSAT(raw string) (*int, error) { return ParseCSATScale(raw, ScaleAuto) }

// ParseCSATScale reads a CSAT answer and returns it on 1–5, or nil when the
// cell is empty or a placeholder ("-", "n/a", "offered", "unoffered").
//
//   - Words: good/bad, great/okay/not good, awesome/just okay/not good,
//     very satisfied … very dissatisfied, 非常满意 … 非常不满意.
//   - Stars: "★★★★☆" is 4; "4星", "4分" and "五星" are 4, 4 and 5.
//   - Fractions and percentages: "4/5", "8/10", "80%".
//   - Plain numbers on the column's scale: 1–5 as they are ("4.0" is 4,
//     "3.5" rounds to 4); other scales map linearly onto 1–5, rounded half
//     up: on 1–10, 1–2→1, 3–4→2 … 9–10→5; on 0–100, 0–12→1, 13–37→2,
//     38–62→3, 63–87→4, 88–100→5.
func ParseCSATScale(raw string, scale Scale) (*int, error) {
	s := normalizeScore(raw)
	if nullWords[s] {
		return nil, nil
	}
	if v, ok := csatWords[strings.TrimRight(s, ".!")]; ok {
		return &v, nil
	}
	if n, ok := countStars(s); ok {
		if n < 1 || n > 5 {
			return nil, fmt.Errorf("CSAT %q has %d stars, expected 1–5", raw, n)
		}
		return &n, nil
	}
	s = trimScoreSuffix(s)
	if num, den, ok := strings.Cut(s, "/"); ok {
		x, err1 := parseScoreNumber(num)
		y, err2 := parseScoreNumber(den)
		if err1 != nil || err2 != nil || y <= 0 || x < 0 || x > y {
			return nil, fmt.Errorf("cannot read CSAT %q as a score", raw)
		}
		switch y {
		case 5:
			return linearCSAT(x, 1, 5), nil
		case 10:
			return linearCSAT(x, 1, 10), nil
		}
		return linearCSAT(x, 0, y), nil
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		x, err := parseScoreNumber(p)
		if err != nil || x < 0 || x > 100 {
			return nil, fmt.Errorf("cannot read CSAT %q as a percentage", raw)
		}
		return linearCSAT(x, 0, 100), nil
	}
	x, err := parseScoreNumber(s)
	if err != nil {
		return nil, fmt.Errorf("cannot read CSAT %q (expected 1–5, a fraction, a percentage or a word such as good/bad)", raw)
	}
	switch scale {
	case Scale10:
		if x < 0 || x > 10 {
			return nil, fmt.Errorf("CSAT %s is outside 1–10", s)
		}
		return linearCSAT(x, 1, 10), nil
	case Scale100:
		if x < 0 || x > 100 {
			return nil, fmt.Errorf("CSAT %s is outside 0–100", s)
		}
		return linearCSAT(x, 0, 100), nil
	}
	if x < 0.5 || x >= 5.5 {
		hint := ""
		if x > 5 && x <= 100 {
			hint = ` (for a 1–10 or 0–100 survey, set scale = "10" or "100" on this column in the mapping)`
		}
		return nil, fmt.Errorf("CSAT %s is outside 1–5%s", s, hint)
	}
	v := int(math.Floor(x + 0.5))
	return &v, nil
}

// linearCSAT maps x on lo…hi onto 1…5, rounding half up and clamping.
func linearCSAT(x, lo, hi float64) *int {
	v := int(math.Floor(1 + (x-lo)*4/(hi-lo) + 0.5))
	v = max(1, min(5, v))
	return &v
}

// DetectCSATScale looks at a column's values and says which scale its
// plain numbers use. It answers Scale10 or Scale100 only when numbers
// above 5 (or above 10) are common, at least two and a tenth of the
// numbers: a 1–10 survey has many 6–10 answers, while a stray 9 in a 1–5
// column is a mistake to report, not a reason to read every 5 as a 3.
// Words, fractions and percentages do not count.
func DetectCSATScale(values []string) Scale {
	n, over5, over10, top := 0, 0, 0, 0.0
	for _, raw := range values {
		s := trimScoreSuffix(normalizeScore(raw))
		if nullWords[s] || strings.ContainsAny(s, "/%") {
			continue
		}
		x, err := parseScoreNumber(s)
		if err != nil {
			continue
		}
		n++
		top = max(top, x)
		if x >= 5.5 {
			over5++
		}
		if x > 10 {
			over10++
		}
	}
	common := func(k int) bool { return k >= 2 && k*10 >= n }
	switch {
	case top > 100:
		return ScaleAuto // not a scale we know; let the rows say so
	case common(over10):
		return Scale100
	case top <= 10 && common(over5):
		return Scale10
	}
	return ScaleAuto
}

// ParseNPS reads a likelihood-to-recommend answer: a whole number 0–10
// ("9", "9.0", "9/10", "9分"), or nil for an empty cell or placeholder.
func ParseNPS(raw string) (*int, error) {
	s := normalizeScore(raw)
	if nullWords[s] {
		return nil, nil
	}
	s = trimScoreSuffix(s)
	if num, den, ok := strings.Cut(s, "/"); ok {
		if strings.TrimSpace(den) != "10" {
			return nil, fmt.Errorf("cannot read NPS %q (expected a score out of 10)", raw)
		}
		s = strings.TrimSpace(num)
	}
	x, err := parseScoreNumber(s)
	if err != nil {
		return nil, fmt.Errorf("cannot read NPS %q (expected a whole number 0–10)", raw)
	}
	if x != math.Trunc(x) {
		return nil, fmt.Errorf("NPS %s is not a whole number", s)
	}
	if x < 0 || x > 10 {
		return nil, fmt.Errorf("NPS %s is outside 0–10", s)
	}
	v := int(x)
	return &v, nil
}

// normalizeScore lower-cases, folds full-width characters and collapses
// spaces, so that "４／５", " Very  Satisfied " and "4 / 5" read alike.
func normalizeScore(raw string) string {
	s := strings.ToLower(strings.Join(strings.Fields(foldWidth(raw)), " "))
	return strings.ReplaceAll(strings.ReplaceAll(s, " / ", "/"), " %", "%")
}

// trimScoreSuffix drops units typed after a score: "4分", "5星", "4 stars".
func trimScoreSuffix(s string) string {
	for _, suf := range []string{"分", "星", " stars", " star", "stars", "star", " points", " pts"} {
		if t, ok := strings.CutSuffix(s, suf); ok {
			return strings.TrimSpace(t)
		}
	}
	return s
}

var chineseDigits = map[string]float64{"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

func parseScoreNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if v, ok := chineseDigits[s]; ok {
		return v, nil
	}
	s = strings.Replace(s, ",", ".", 1) // "4,5" from a European spreadsheet
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return x, nil
}

// countStars reads "★★★☆☆" as 3; ok is false unless s is all stars.
func countStars(s string) (n int, ok bool) {
	if s == "" {
		return 0, false
	}
	for _, r := range s {
		switch r {
		case '★', '⭐':
			n++
		case '☆', ' ':
		default:
			return 0, false
		}
	}
	return n, true
}

// foldWidth turns full-width ASCII from Chinese input methods (digits,
// letters, ／, ％, ：) into plain ASCII and the ideographic space into a
// space.
func foldWidth(s string) string {
	if isASCII(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isTagSeparator splits a tags cell: commas, semicolons, pipes and
// whitespace, in ASCII and in Chinese punctuation.
func isTagSeparator(r rune) bool {
	switch r {
	case ',', ';', '|', '、', '；', '，':
		return true
	}
	return unicode.IsSpace(r)
}

// ParseTags splits a cell of tags ("vip billing", "vip,billing",
// "vip；退款、物流") into tags, dropping empty ones and repeats and keeping
// the order. Tags cannot contain spaces (model.ValidateTag), so a space
// separates too.
func ParseTags(raw string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.FieldsFunc(raw, isTagSeparator) {
		t = stripControls(strings.TrimPrefix(t, "#"))
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// ParseTag reads a cell that holds one tag (Jira's repeated Labels
// columns, tag_1 … tag_9) and joins its words with "-": "Technical
// Support" becomes "Technical-Support".
func ParseTag(raw string) string {
	return stripControls(strings.Join(strings.FieldsFunc(raw, isTagSeparator), "-"))
}

func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}

// ParseBool reads yes/no answers in the languages of the exports we see:
// yes/no, y/n, true/false, 1/0, sim/não, sí/no, ja/nein, oui/non, 是/否.
// ok is false for anything else, an empty cell included.
func ParseBool(raw string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(raw)) {
	case "yes", "y", "true", "t", "1", "sim", "s", "sí", "si", "ja", "oui", "是", "对", "有", "已解决":
		return true, true
	case "no", "n", "false", "f", "0", "não", "nao", "nein", "non", "否", "不", "无", "未解决":
		return false, true
	}
	return false, false
}

// NormalizeID tidies an identifier that went through a spreadsheet:
// "1.03531E+12" becomes "1035310000000" and "12345.0" becomes "12345".
// Other text comes back trimmed and otherwise unchanged, leading zeros
// included. (Scientific notation has already lost digits; this only makes
// the loss consistent, so that the same cell always gives the same id.)
func NormalizeID(raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" || !isDigit(s[0]) {
		return s
	}
	if mant, exp, ok := cutExponent(s); ok {
		intPart, frac, _ := strings.Cut(mant, ".")
		e, err := strconv.Atoi(exp)
		if err != nil || e < len(frac) || e > 40 || !allDigits(intPart) || !allDigits(frac) {
			return s
		}
		digits := strings.TrimLeft(intPart+frac+strings.Repeat("0", e-len(frac)), "0")
		if digits == "" {
			digits = "0"
		}
		return digits
	}
	if intPart, frac, ok := strings.Cut(s, "."); ok && allDigits(intPart) && frac != "" && strings.Trim(frac, "0") == "" {
		return intPart
	}
	return s
}

func cutExponent(s string) (mant, exp string, ok bool) {
	i := strings.IndexAny(s, "eE")
	if i <= 0 || i == len(s)-1 {
		return "", "", false
	}
	mant, exp = s[:i], strings.TrimPrefix(s[i+1:], "+")
	if exp == "" || !allDigits(exp) {
		return "", "", false
	}
	return mant, exp, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// ParseAmount reads a money amount such as a lifetime value: "12,345.50",
// "1.234,50", "¥8,000", "$120", "1.2万" (×10 000); nil for an empty cell.
func ParseAmount(raw string) (*float64, error) {
	s := foldWidth(strings.TrimSpace(raw))
	if IsNull(s) {
		return nil, nil
	}
	mult := 1.0
	if t, ok := strings.CutSuffix(s, "万"); ok {
		s, mult = t, 10000
	}
	for _, cur := range []string{"R$", "RMB", "CNY", "USD", "EUR", "¥", "￥", "$", "€", "£", "元", " ", "\u00a0"} {
		s = strings.ReplaceAll(s, cur, "")
	}
	comma, dot := strings.LastIndex(s, ","), strings.LastIndex(s, ".")
	switch {
	case comma >= 0 && dot >= 0 && comma > dot: // 1.234,50
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case comma >= 0 && dot >= 0: // 1,234.50
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0 && len(s)-comma-1 == 3: // 12,345
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0: // 12,5
		s = strings.Replace(s, ",", ".", 1)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return nil, fmt.Errorf("cannot read %q as an amount", raw)
	}
	x *= mult
	return &x, nil
}

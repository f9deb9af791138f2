package importer

import (
	"fmt"
	"strings"
)

// A score column is read on the scale its values show, decided once per
// file from a sample (see profile.go): a column on another scale than
// its target is kept as an attribute, never a reason to reject rows.

// wordScale is a family of satisfaction words: its name (for the
// evidence a report shows) and each word's place on 1–5.
type wordScale struct {
	name  string
	words map[string]int
}

// wordScales are the satisfaction wordings of helpdesks, surveys and
// review sites, each mapped onto 1–5.
var wordScales = []wordScale{
	{"Zendesk Good/Bad", map[string]int{"good": 5, "bad": 1}},
	{"Help Scout Great/Okay/Not good", map[string]int{"great": 5, "okay": 3, "ok": 3, "not good": 1}},
	{"Freshdesk Awesome/Just okay/Not good", map[string]int{"awesome": 5, "just okay": 3, "not good": 1}},
	{"satisfied…dissatisfied words", map[string]int{"very satisfied": 5, "extremely satisfied": 5, "satisfied": 4,
		"neutral": 3, "dissatisfied": 2, "unsatisfied": 2, "very dissatisfied": 1, "very unsatisfied": 1,
		"extremely dissatisfied": 1, "very happy": 5, "happy": 4, "unhappy": 2, "very unhappy": 1}},
	{"满意度 words", map[string]int{"非常满意": 5, "很满意": 5, "满意": 4, "比较满意": 4, "一般": 3, "不满意": 2,
		"非常不满意": 1, "很不满意": 1}},
	{"Douban star words 力荐…很差", map[string]int{"力荐": 5, "推荐": 4, "还行": 3, "较差": 2, "很差": 1}},
	{"好评/中评/差评", map[string]int{"好评": 5, "中评": 3, "差评": 1}},
	{"Portuguese satisfeito words", map[string]int{"muito satisfeito": 5, "satisfeito": 4, "insatisfeito": 2,
		"muito insatisfeito": 1}},
	{"Spanish satisfecho words", map[string]int{"muy satisfecho": 5, "satisfecho": 4, "insatisfecho": 2,
		"muy insatisfecho": 1}},
	{"French satisfait words", map[string]int{"très satisfait": 5, "satisfait": 4, "neutre": 3, "insatisfait": 2,
		"pas satisfait": 2, "très insatisfait": 1}},
	{"German zufrieden words", map[string]int{"sehr zufrieden": 5, "zufrieden": 4, "unzufrieden": 2,
		"sehr unzufrieden": 1}},
}

// sevenPointWords are the words only a 7-point scale has (Freshdesk's
// extended rating): they have no unambiguous place on 1–5.
var sevenPointWords = map[string]bool{"slightly satisfied": true, "slightly dissatisfied": true,
	"moderately satisfied": true, "moderately dissatisfied": true}

// csatWords is every 1–5 word of every scale.
var csatWords = map[string]int{}

func init() {
	for _, s := range wordScales {
		for w, v := range s.words {
			csatWords[w] = v
		}
	}
}

// scaleOfWord names the word scale a word belongs to ("" when none).
func scaleOfWord(w string) string {
	for _, s := range wordScales {
		if _, ok := s.words[w]; ok {
			return s.name
		}
	}
	if sevenPointWords[w] {
		return "7-point satisfaction words"
	}
	return ""
}

// numScale is a numeric answer scale, as a column's values show it.
type numScale struct {
	lo, hi  int
	percent bool
}

func (s numScale) String() string {
	if s.percent {
		return "percentage"
	}
	return fmt.Sprintf("%d–%d", s.lo, s.hi)
}

// scaleOf names the numeric scale values between min and max most likely
// belong to: 1–5, 0–5, 1–7, 0–10 or 0–100.
func scaleOf(min, max float64) numScale {
	switch {
	case min >= 1 && max <= 5:
		return numScale{1, 5, false}
	case min >= 0 && max <= 5:
		return numScale{0, 5, false}
	case min >= 1 && max <= 7:
		return numScale{1, 7, false}
	case min >= 0 && max <= 10:
		// 1–10 scales are rare; a sample without a 0 is a 0–10 scale too
		return numScale{0, 10, false}
	}
	return numScale{0, 100, true}
}

// errUnknownScore marks a score cell whose text no scale knows: the
// score stays empty, the raw text is kept and the report counts it.
var errUnknownScore = fmt.Errorf("unknown score word")

// ParseScore reads a satisfaction answer onto 1–5 like ParseCSAT, but a
// word no scale knows (or one of a 7-point scale) gives errUnknownScore
// instead of an error: only numbers off the scale are wrong values.
func ParseScore(raw string) (int, error) {
	v, err := ParseCSAT(raw)
	if err == nil || err == errNoValue {
		return v, err
	}
	s := strings.ToLower(strings.TrimSpace(raw))
	// A number (as the column profiler reads numbers: fractions, percents,
	// nothing past ±1e15) off the scale is an error; anything else is a
	// word no scale knows, kept raw and counted, never a rejected row.
	if _, isNum := number(s); isNum || fractionRE.MatchString(s) {
		return 0, err
	}
	return 0, errUnknownScore
}

package db

import (
	"strings"
	"unicode"
)

// cjkBigrams returns the space-separated two-character pieces of every run
// of CJK characters in the texts: "杭州云栖科技" gives "杭州 州云 云栖 栖科 科技".
// The trigram index cannot find a two-character term such as the full name
// 陈静, so these go into customers_grams.
func cjkBigrams(texts ...string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, t := range texts {
		var prev rune
		for _, r := range t {
			if !isCJK(r) {
				prev = 0
				continue
			}
			if prev != 0 {
				g := string([]rune{prev, r})
				if !seen[g] {
					seen[g] = true
					if b.Len() > 0 {
						b.WriteByte(' ')
					}
					b.WriteString(g)
				}
			}
			prev = r
		}
	}
	return b.String()
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// hasCJK reports whether s holds any CJK character.
func hasCJK(s string) bool {
	for _, r := range s {
		if isCJK(r) {
			return true
		}
	}
	return false
}

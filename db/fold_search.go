package db

import (
	"strings"
	"sync"
	"unicode"
)

// Search words and ~ patterns with a non-ASCII character match by one
// rule on every store (fold_ascii.go says the ASCII one): the text and
// the word lower-cased rune by rune as foldText does — Go's
// unicode.ToLower, with the final sigma ς as σ — and the word's form
// found in the text's. É finds é, ẞ finds ß (never "ss"), Σ, σ and ς
// find each other, the full-width Ａ finds ａ and not the ASCII A, the
// Turkish İ and the Kelvin sign K find i and k; kana and Chinese have no
// case and match themselves.
//
// Each index is asked for a superset of those matches and the rule then
// confirmed on the rows:
//   - SQLite (FTS5 trigram tables) with every spelling of the word's
//     trigrams that the rule folds together (ftsFoldedPieces), confirmed
//     by rapport_fold (Go's foldText);
//   - PostgreSQL (pg_trgm) with a regular expression that spells each
//     letter as the class of every rune that folds to it, [σΣς]
//     (pgFoldPattern): pg_trgm's GIN index answers it like ILIKE, and the
//     match on the C-collated text compares code points, which is the
//     rule itself. (ILIKE on those columns folds ASCII letters only.)

// foldRune is foldText for one rune.
func foldRune(r rune) rune {
	r = unicode.ToLower(r)
	if r == 'ς' {
		return 'σ'
	}
	return r
}

// foldClasses maps each folded rune that other runes fold to onto all of
// them, itself first. No rune above U+1FFFF has a case.
var foldClasses = sync.OnceValue(func() map[rune][]rune {
	m := map[rune][]rune{}
	for r := rune(0); r <= 0x1FFFF; r++ {
		if f := foldRune(r); f != r {
			if m[f] == nil {
				m[f] = []rune{f}
			}
			m[f] = append(m[f], r)
		}
	}
	return m
})

// foldClass is every rune that folds as r does, r's folded form first.
func foldClass(r rune) []rune {
	f := foldRune(r)
	if c := foldClasses()[f]; c != nil {
		return c
	}
	return []rune{f}
}

// isASCII reports whether s is all ASCII: such a word matches by the
// ASCII rule.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// foldsByRule reports whether a search word matches by the folding rule:
// it has a non-ASCII character and is not all CJK (which has no case, and
// which the bigram and trigram indexes match exactly).
func foldsByRule(w string) bool { return !isASCII(w) && !allCJK(w) }

// pgFoldPattern is a PostgreSQL regular expression (ARE) that finds w by
// the folding rule: each rune as the class of the runes folding to the
// same one, other punctuation escaped.
func pgFoldPattern(w string) string {
	var b strings.Builder
	for _, r := range w {
		c := foldClass(r)
		switch {
		case len(c) > 1:
			b.WriteByte('[')
			b.WriteString(string(c))
			b.WriteByte(']')
		case r < 0x80 && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ftsFoldedPieces is trigramPieces for a word matched by the folding
// rule: each 3-character piece of the folded word becomes an FTS5 OR of
// its spellings (foldSpellings: FTS5 folds ASCII case, and non-ASCII case
// by tables of its own that need not agree with Go's), so the trigram
// index finds every row the rule matches; rapport_fold confirms them.
func ftsFoldedPieces(w string) []string {
	var out []string
	for _, piece := range threeRunePieces(foldText(w)) {
		spellings := foldSpellings(piece, true)
		for i, s := range spellings {
			spellings[i] = ftsString(s)
		}
		out = append(out, "("+strings.Join(spellings, " OR ")+")")
	}
	return out
}

// foldSpellings are the strings that match w by the folding rule, rune
// by rune from each rune's class; with asciiFolded (a matcher that folds
// ASCII case itself: SQLite's LIKE, FTS5) a class's other ASCII letters
// are left out. A text matches w by the rule if and only if it contains
// one of them: a short word's test without folding the text, which on a
// million rows is many times faster (one character: SQLite 94 s through
// rapport_fold, PostgreSQL 36 s through a regular expression; 3 s with
// LIKE). There are at most 3ⁿ for n runes.
func foldSpellings(w string, asciiFolded bool) []string {
	spellings := []string{""}
	for _, r := range w {
		alts := []rune{foldRune(r)}
		for _, m := range foldClass(r)[1:] {
			if m >= 0x80 || !asciiFolded {
				alts = append(alts, m)
			}
		}
		next := make([]string, 0, len(spellings)*len(alts))
		for _, s := range spellings {
			for _, a := range alts {
				next = append(next, s+string(a))
			}
		}
		spellings = next
	}
	return spellings
}

// shortFoldWord is the length below which a folded word is tested by its
// spellings (foldSpellings) rather than by folding the text: words the
// trigram indexes cannot serve.
const shortFoldWord = 3

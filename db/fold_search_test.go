package db

import (
	"slices"
	"testing"
)

func TestFoldClass(t *testing.T) {
	for _, c := range []struct {
		r    rune
		want []rune
	}{
		{'σ', []rune{'σ', 'Σ', 'ς'}},
		{'ς', []rune{'σ', 'Σ', 'ς'}},
		{'ß', []rune{'ß', 'ẞ'}},
		{'Д', []rune{'д', 'Д'}},
		{'Ａ', []rune{'ａ', 'Ａ'}},
		{'i', []rune{'i', 'I', 'İ'}},
		{'k', []rune{'k', 'K', '\u212A'}},
		{'陈', []rune{'陈'}},
		{'タ', []rune{'タ'}},
	} {
		if got := foldClass(c.r); !slices.Equal(got, c.want) {
			t.Errorf("foldClass(%q) = %q, want %q", c.r, got, c.want)
		}
	}
}

func TestPGFoldPattern(t *testing.T) {
	for term, want := range map[string]string{
		"Σπ.":    `[σΣς][πΠ]\.`,
		"上海acme": "上海[aA][cC][mM][eE]",
		"a b*(":  `[aA]\ [bB]\*\(`,
		"ｉ5%":    `[ｉＩ]5\%`,
	} {
		if got := pgFoldPattern(term); got != want {
			t.Errorf("pgFoldPattern(%q) = %q, want %q", term, got, want)
		}
	}
}

func TestFTSFoldedPieces(t *testing.T) {
	for term, want := range map[string][]string{
		"ÉLO": {`("élo" OR "Élo")`},
		"дмитрий": {`("дми" OR "дмИ" OR "дМи" OR "дМИ" OR "Дми" OR "ДмИ" OR "ДМи" OR "ДМИ")`,
			`("три" OR "трИ" OR "тРи" OR "тРИ" OR "Три" OR "ТрИ" OR "ТРи" OR "ТРИ")`,
			`("рий" OR "риЙ" OR "рИй" OR "рИЙ" OR "Рий" OR "РиЙ" OR "РИй" OR "РИЙ")`},
		`a"é`: {`("a""é" OR "a""É")`},
		"kö":  nil,
	} {
		if got := ftsFoldedPieces(term); !slices.Equal(got, want) {
			t.Errorf("ftsFoldedPieces(%q) = %q, want %q", term, got, want)
		}
	}
}

func TestFoldSpellings(t *testing.T) {
	for _, c := range []struct {
		w           string
		asciiFolded bool
		want        []string
	}{
		{"é", true, []string{"é", "É"}},
		{"Д", false, []string{"д", "Д"}},
		{"ak", true, []string{"ak", "a\u212A"}},
		{"ak", false, []string{"ak", "aK", "a\u212A", "Ak", "AK", "A\u212A"}},
		{"陈", false, []string{"陈"}},
	} {
		if got := foldSpellings(c.w, c.asciiFolded); !slices.Equal(got, c.want) {
			t.Errorf("foldSpellings(%q, %v) = %q, want %q", c.w, c.asciiFolded, got, c.want)
		}
	}
}

package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanLine makes untrusted text (imported or typed) safe to show in one
// line of a terminal: invalid UTF-8 becomes U+FFFD, escape sequences (CSI,
// OSC, DCS and the like) are removed whole, other C0/C1 controls and bidi
// overrides are dropped, and tabs and newlines become single spaces.
func CleanLine(s string) string { return clean(s, false) }

// CleanText is CleanLine but keeps newlines, for multi-line views.
func CleanText(s string) string { return clean(s, true) }

func clean(s string, keepNewlines bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	lastSpace := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune('\uFFFD')
			i++
			lastSpace = false
			continue
		}
		switch {
		case r == 0x1b: // ESC: skip the whole sequence
			i = skipEscape(s, i+1)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d || r == 0x90 || r == 0x9e || r == 0x9f: // C1 OSC, DCS, PM, APC
			i = skipString(s, i+size)
			continue
		case r == '\n' && keepNewlines:
			b.WriteByte('\n')
			lastSpace = false
		case r == '\n' || r == '\t' || r == '\r' || r == '\v' || r == '\f':
			if !lastSpace {
				b.WriteByte(' ')
				lastSpace = true
			}
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			// other controls: dropped
		case isBidiControl(r):
			// dropped: they reorder what follows and can disguise text
		case r == '\u200b' || r == '\ufeff':
			// zero-width space and stray BOMs: invisible, dropped
		default:
			b.WriteRune(r)
			lastSpace = unicode.IsSpace(r)
		}
		i += size
	}
	return b.String()
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			for _, r := range s[i:] {
				if r < 0x20 || r == 0x7f || r == utf8.RuneError || (r >= 0x80 && r < 0xa0) || isBidiControl(r) || r == '\u200b' || r == '\ufeff' {
					return false
				}
			}
			return utf8.ValidString(s)
		}
	}
	return true
}

func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}

// skipEscape returns the index after the escape sequence whose ESC was
// just before i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', '^', '_', 'X':
		return skipString(s, i+1)
	default:
		// two-character sequence (ESC c, ESC 7, ESC ( B ...)
		if s[i] >= 0x20 && s[i] <= 0x2f && i+1 < len(s) {
			return i + 2
		}
		return i + 1
	}
}

// skipCSI skips parameter and intermediate bytes up to the final byte.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		i++
		if c >= 0x40 && c <= 0x7e {
			return i
		}
		if c < 0x20 || c > 0x7e {
			return i - 1 // malformed: stop at the stray byte
		}
	}
	return i
}

// skipString skips an OSC/DCS/PM/APC body up to BEL or ST (ESC \ or 0x9c).
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\':
			return i + 2
		case s[i] == 0xc2 && i+1 < len(s) && s[i+1] == 0x9c:
			return i + 2
		}
		i++
	}
	return i
}

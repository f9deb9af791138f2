package model

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// segKind says what a segment token is.
type segKind int

const (
	segEOF      segKind = iota
	segWord             // field name, keyword or bare value: plan, and, 华东
	segNumber           // 42, -1.5
	segDuration         // 30d, 12h, 2w
	segString           // "..." or '...'; text holds the unescaped content
	segTag              // tag:NAME; text holds NAME
	segAttr             // attr.NAME; text holds NAME
	segRef              // segment:NAME; text holds NAME (segment_ref.go)
	segOp               // = != < <= > >= ~
	segLParen
	segRParen
	segComma
	segError // the lexer stopped here; err says why
)

// segToken is one token of a segment expression. Columns count runes from 1
// so that a caret drawn under the input lines up with Chinese text too.
type segToken struct {
	kind segKind
	text string // the meaning: unescaped string, tag or attr name, operator
	raw  string // the source as written, for messages
	pos  int    // column of the first rune
	err  *SegmentError
}

// lexSegment splits src into tokens. It stops at the first bad character or
// unterminated string with a segError, so that the parser reports problems in
// the order a reader meets them.
func lexSegment(src string) []segToken {
	if !utf8.ValidString(src) {
		col := utf8.RuneCountInString(src[:firstInvalidUTF8(src)]) + 1
		return []segToken{{kind: segError, pos: col, err: &SegmentError{Pos: col, Msg: "invalid UTF-8"}}}
	}
	l := segLexer{rs: []rune(src)}
	for {
		t := l.next()
		l.toks = append(l.toks, t)
		if t.kind == segEOF || t.kind == segError {
			return l.toks
		}
	}
}

func firstInvalidUTF8(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

type segLexer struct {
	rs   []rune
	i    int
	toks []segToken
}

func (l *segLexer) tok(kind segKind, start int, text string) segToken {
	return segToken{kind: kind, text: text, raw: string(l.rs[start:l.i]), pos: start + 1}
}

func (l *segLexer) fail(col int, msg string) segToken {
	return segToken{kind: segError, pos: col, err: &SegmentError{Pos: col, Msg: msg}}
}

func (l *segLexer) peekRune(off int) rune {
	if l.i+off < len(l.rs) {
		return l.rs[l.i+off]
	}
	return -1
}

func (l *segLexer) next() segToken {
	for l.i < len(l.rs) && unicode.IsSpace(l.rs[l.i]) {
		l.i++
	}
	start := l.i
	if l.i >= len(l.rs) {
		return segToken{kind: segEOF, pos: start + 1}
	}
	r := l.rs[l.i]
	switch r {
	// Full-width brackets and comma come from Chinese input methods.
	case '(', '（':
		l.i++
		return l.tok(segLParen, start, "(")
	case ')', '）':
		l.i++
		return l.tok(segRParen, start, ")")
	case ',', '，':
		l.i++
		return l.tok(segComma, start, ",")
	case '=', '~':
		l.i++
		return l.tok(segOp, start, string(r))
	case '<', '>':
		l.i++
		if l.peekRune(0) == '=' {
			l.i++
		}
		return l.tok(segOp, start, string(l.rs[start:l.i]))
	case '!':
		if l.peekRune(1) == '=' {
			l.i += 2
			return l.tok(segOp, start, "!=")
		}
	case '"', '\'':
		return l.quoted(start)
	}
	if l.hasPrefixFold("tag:") {
		return l.prefixed(segTag, start, 4, isTagRune)
	}
	if l.hasPrefixFold("segment:") {
		return l.prefixed(segRef, start, 8, isTagRune)
	}
	if l.hasPrefixFold("attr.") {
		return l.prefixed(segAttr, start, 5, isWordRune)
	}
	if isWordRune(r) && (r != '-' || isASCIIDigit(l.peekRune(1))) {
		for l.i < len(l.rs) && isWordRune(l.rs[l.i]) {
			l.i++
		}
		word := string(l.rs[start:l.i])
		switch {
		case isNumberLiteral(word):
			return l.tok(segNumber, start, word)
		case isDurationLiteral(word):
			return l.tok(segDuration, start, word)
		}
		return l.tok(segWord, start, word)
	}
	return l.fail(start+1, "unexpected character "+quoteRuneForMessage(r))
}

// quoted reads a string in double or single quotes. A backslash takes the
// next character literally, so \" and \\ are the only escapes anyone needs.
func (l *segLexer) quoted(start int) segToken {
	q := l.rs[l.i]
	l.i++
	var b strings.Builder
	for l.i < len(l.rs) {
		r := l.rs[l.i]
		l.i++
		switch {
		case r == q:
			return l.tok(segString, start, b.String())
		case r == '\\' && l.i < len(l.rs):
			b.WriteRune(l.rs[l.i])
			l.i++
		case r == '\\':
			// a trailing backslash leaves the string open
		default:
			b.WriteRune(r)
		}
	}
	return l.fail(start+1, "unterminated string starting")
}

// prefixed reads tag:NAME or attr.NAME, where NAME is either bare (runes
// accepted by ok) or a quoted string right after the prefix.
func (l *segLexer) prefixed(kind segKind, start, n int, ok func(rune) bool) segToken {
	l.i += n
	if r := l.peekRune(0); r == '"' || r == '\'' {
		s := l.quoted(l.i)
		if s.kind == segError {
			return s
		}
		return l.tok(kind, start, s.text)
	}
	for l.i < len(l.rs) && ok(l.rs[l.i]) {
		l.i++
	}
	return l.tok(kind, start, string(l.rs[start+n:l.i]))
}

func (l *segLexer) hasPrefixFold(p string) bool {
	if len(l.rs)-l.i < len(p) {
		return false
	}
	return strings.EqualFold(string(l.rs[l.i:l.i+len(p)]), p)
}

// isWordRune says whether r may appear in a bare word: field names, attribute
// names and unquoted values such as paying, zh-CN, bob@example.com or 华东.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) ||
		r == '_' || r == '-' || r == '.' || r == '@'
}

// isTagRune says whether r may appear in an unquoted tag name. Tags may hold
// almost anything (see ValidateTag), so a bare one runs to the next space,
// bracket, comma or quote.
func isTagRune(r rune) bool {
	switch r {
	case '(', ')', ',', '（', '）', '，', '"', '\'':
		return false
	}
	return r > ' ' && r != 0x7f && !unicode.IsSpace(r) && !unicode.IsControl(r)
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// isNumberLiteral matches -?digits(.digits)?.
func isNumberLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(s, ".")
	return allASCIIDigits(intPart) && (!hasDot || allASCIIDigits(frac))
}

// isDurationLiteral matches a number followed by d, h or w (any case).
func isDurationLiteral(s string) bool {
	if len(s) < 2 {
		return false
	}
	switch s[len(s)-1] {
	case 'd', 'D', 'h', 'H', 'w', 'W':
		return isNumberLiteral(s[:len(s)-1])
	}
	return false
}

func allASCIIDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(rune(s[i])) {
			return false
		}
	}
	return true
}

// quoteRuneForMessage shows r in single quotes, escaped when it would not
// print (NUL, escape, bidi overrides).
func quoteRuneForMessage(r rune) string {
	if unicode.IsPrint(r) {
		return "'" + string(r) + "'"
	}
	return strconv.QuoteRuneToASCII(r)
}

package importer

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SniffSize is how much of a file the sniffers read: enough for a few
// hundred rows of any export, small enough to read at once.
const SniffSize = 64 << 10

// ErrNotDelimited says a file is not delimited text at all: empty, binary,
// or a known binary format (an Excel workbook, a PDF, a database). Nothing
// from it is imported; the message says what it looks like instead.
var ErrNotDelimited = errors.New("not a delimited text file")

// Sniffed is what Sniff found out about a file from its first bytes.
type Sniffed struct {
	Encoding  Encoding
	BOM       bool // the file starts with a byte-order mark
	Delimiter rune // one of , ; TAB |
}

// Delimiters are the field separators Sniff chooses among.
var Delimiters = []rune{',', ';', '\t', '|'}

// Sniff reads up to SniffSize bytes of r and guesses the encoding and the
// delimiter. A file that cannot be delimited text gives an error wrapping
// ErrNotDelimited with a reason a person can act on.
func Sniff(r io.Reader) (Sniffed, error) {
	head := make([]byte, SniffSize)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return Sniffed{}, err
	}
	return SniffBytes(head[:n], n == SniffSize)
}

// SniffBytes is Sniff on a sample already read; more says the file goes on
// after it (so the last line of the sample may be cut short).
func SniffBytes(head []byte, more bool) (Sniffed, error) {
	enc, bom, err := SniffEncoding(head)
	if err != nil {
		return Sniffed{}, err
	}
	return Sniffed{Encoding: enc, BOM: bom, Delimiter: SniffDelimiter(sampleText(head, enc, more))}, nil
}

// sampleText decodes the sample for the delimiter sniffer, whole lines
// only when the file goes on.
func sampleText(head []byte, enc Encoding, more bool) string {
	text := decodeString(head, enc)
	if more {
		if i := strings.LastIndexByte(text, '\n'); i > 0 {
			text = text[:i+1]
		}
	}
	return text
}

// SniffEncoding guesses the encoding of a sample and whether it starts
// with a byte-order mark:
//
//   - a BOM decides (UTF-8, UTF-16 LE/BE); so does UTF-16 without one,
//     recognised by its zero bytes;
//   - a known binary format, or NUL and control bytes, is ErrNotDelimited;
//   - valid UTF-8 (pure ASCII included) is UTF-8;
//   - otherwise GB18030 when the sample decodes cleanly as GB18030 into
//     mostly CJK that is not glued inside Latin words (Portuguese "ção" in
//     Windows-1252, E7 E3, is a valid GBK character, but it sits between
//     ASCII letters; Chinese runs do not);
//   - otherwise Windows-1252 or CP850, whichever decodes into more
//     plausible letters (see latinScore).
func SniffEncoding(head []byte) (enc Encoding, bom bool, err error) {
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		enc, bom = UTF8, true
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return UTF16LE, true, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return UTF16BE, true, nil
	}
	if !bom {
		if e, ok := sniffUTF16(head); ok {
			return e, false, nil
		}
	}
	if reason := binaryReason(head); reason != "" {
		return "", false, notDelimited(reason)
	}
	if bom {
		return UTF8, true, nil
	}
	body := wholeLines(head)
	if utf8.Valid(body) {
		return UTF8, false, nil
	}
	if looksGB18030(body) {
		return GB18030, false, nil
	}
	if latinScore(decodeString(body, CP850)) > latinScore(decodeString(body, Windows1252)) {
		return CP850, false, nil
	}
	return Windows1252, false, nil
}

func notDelimited(reason string) error {
	return &notDelimitedError{reason}
}

type notDelimitedError struct{ reason string }

func (e *notDelimitedError) Error() string { return ErrNotDelimited.Error() + ": " + e.reason }
func (e *notDelimitedError) Unwrap() error { return ErrNotDelimited }

// wholeLines cuts a sample after its last newline, so that a character cut
// in two at the end of the sample does not count as invalid. In GBK and
// GB18030 no byte of a multi-byte character is 0x0A, so the cut is safe.
func wholeLines(b []byte) []byte {
	if i := bytes.LastIndexByte(b, '\n'); i > 0 {
		return b[:i+1]
	}
	for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1] // a one-line sample: allow a cut character
	}
	return b
}

// sniffUTF16 recognises UTF-16 without a byte-order mark by the zero high
// bytes of ASCII text: most odd bytes zero and few even ones (LE), or the
// reverse (BE).
func sniffUTF16(head []byte) (Encoding, bool) {
	n := min(len(head), 1024) &^ 1
	if n < 4 {
		return "", false
	}
	zeroEven, zeroOdd := 0, 0
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			zeroEven++
		}
		if head[i+1] == 0 {
			zeroOdd++
		}
	}
	pairs := n / 2
	switch {
	case zeroOdd*10 >= pairs*6 && zeroEven*10 <= pairs:
		return UTF16LE, true
	case zeroEven*10 >= pairs*6 && zeroOdd*10 <= pairs:
		return UTF16BE, true
	}
	return "", false
}

// magic numbers of files people pick by mistake.
var magics = []struct {
	prefix, what string
}{
	{"PK\x03\x04", "it is a ZIP archive, such as an Excel .xlsx workbook; save the sheet as CSV and import that"},
	{"\xD0\xCF\x11\xE0", "it is an old Excel .xls workbook; save the sheet as CSV and import that"},
	{"%PDF", "it is a PDF document"},
	{"SQLite format 3\x00", "it is an SQLite database (perhaps a Rapport database: use rapport backup, not import)"},
	{"\x1F\x8B", "it is gzip-compressed; decompress it first"},
	{"\x89PNG", "it is a PNG image"},
	{"\xFF\xD8\xFF", "it is a JPEG image"},
	{"GIF8", "it is a GIF image"},
	{"{\\rtf", "it is an RTF document"},
}

// binaryReason says why a sample is not text, or "" when it may be. A few
// stray NUL bytes are tolerated (the reader drops them); many are binary.
func binaryReason(head []byte) string {
	if len(bytes.TrimSpace(bytes.TrimPrefix(head, utf8BOM))) == 0 {
		return "the file is empty"
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, []byte(m.prefix)) {
			return m.what
		}
	}
	nul, ctrl := 0, 0
	for _, b := range head {
		switch {
		case b == 0:
			nul++
		case b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != '\v' && b != 0x1A:
			ctrl++
		}
	}
	if (nul >= 8 && nul*100 >= len(head)) || (nul+ctrl >= 8 && (nul+ctrl)*20 >= len(head)) {
		return "it holds binary data (NUL and control bytes), not text"
	}
	return ""
}

// looksGB18030 decides whether bytes that are not UTF-8 are Chinese text in
// GB18030 (or its subset GBK).
func looksGB18030(b []byte) bool {
	text := decodeString(b, GB18030)
	bad, cjk, other, glued := 0, 0, 0, 0
	runes := []rune(text)
	for i, r := range runes {
		switch {
		case r < utf8.RuneSelf:
		case r == utf8.RuneError:
			bad++
		case isCJK(r):
			cjk++
			if i > 0 && i+1 < len(runes) && isASCIILetter(runes[i-1]) && isASCIILetter(runes[i+1]) {
				glued++
			}
		default:
			other++
		}
	}
	return cjk > 0 && bad*100 <= cjk && cjk*10 >= (cjk+other)*6 && glued*5 < cjk
}

func isCJK(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) || (r >= 0x3000 && r <= 0x303F) ||
		(r >= 0xFF00 && r <= 0xFFEF) || (r >= 0x20000 && r <= 0x2FA1F)
}

func isASCIILetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }

// latinScore rates how much a decoding reads like Latin-script words.
// Windows-1252 and CP850 put the same letters at different bytes, so the
// wrong one turns "Solução" into "Solu‡Æo" (CP850 read as Windows-1252) or
// "SoluÞÒo" (the reverse): a letter of the wrong case or a symbol inside a
// word. Each non-ASCII character scores +2 when it is a letter whose case
// fits its neighbours, 0 for punctuation between words, −2 for a symbol or
// a mismatched capital inside a word, −3 for a control character.
func latinScore(text string) int {
	score := 0
	runes := []rune(text)
	for i, r := range runes {
		if r < utf8.RuneSelf {
			continue
		}
		var prev, next rune = ' ', ' '
		if i > 0 {
			prev = runes[i-1]
		}
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		inWord := unicode.IsLetter(prev) && unicode.IsLetter(next)
		switch {
		case r == utf8.RuneError || unicode.IsControl(r):
			score -= 3
		case unicode.IsLower(r):
			if unicode.IsUpper(prev) && unicode.IsUpper(next) {
				score -= 2 // "JOSßE"
			} else {
				score += 2
			}
		case unicode.IsUpper(r):
			if unicode.IsLower(prev) {
				score -= 2 // "SoluÞÒo": a capital after a small letter
			} else {
				score += 2
			}
		case unicode.IsLetter(r):
			score++
		case inWord:
			score -= 2 // a symbol inside a word: "Solu‡Æo"
		case r >= 0x2500 && r <= 0x259F: // box drawing and shading: DOS art, not data
			score -= 2
		}
	}
	return score
}

// SniffDelimiter picks among , ; TAB and | the delimiter that splits the
// sample's first records (quotes respected, up to 50) into a header of two
// or more fields and the most records of the header's width; ties go to
// the one giving more fields, then to the order above. A sample that no
// candidate splits gets ','.
func SniffDelimiter(sample string) rune {
	best, bestMatch, bestWidth := ',', -1.0, 0
	for _, d := range Delimiters {
		rd := NewReader(strings.NewReader(sample), d)
		var widths []int
		for len(widths) < 50 {
			rec, _, err := rd.Read()
			if err != nil {
				break // io.EOF, or the record cut short by the sample's end
			}
			widths = append(widths, len(rec))
		}
		if len(widths) == 0 || widths[0] < 2 {
			continue
		}
		same := 0
		for _, w := range widths {
			if w == widths[0] {
				same++
			}
		}
		match := float64(same) / float64(len(widths))
		if match > bestMatch || (match == bestMatch && widths[0] > bestWidth) {
			best, bestMatch, bestWidth = d, match, widths[0]
		}
	}
	return best
}

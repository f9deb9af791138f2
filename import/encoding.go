package importer

import (
	"bytes"
	"fmt"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings Rapport reads, by the names --encoding accepts.
const (
	EncUTF8        = "utf-8"
	EncUTF16LE     = "utf-16le"
	EncUTF16BE     = "utf-16be"
	EncGB18030     = "gb18030"
	EncWindows1252 = "windows-1252"
	EncCP850       = "cp850"
	// EncMixedLatin is Windows-1252 text with DOS (cp850) letters mixed
	// in, as files edited on both write it: 0x80–0x9F, which Windows-1252
	// spends on punctuation, are read as cp850's é, â, à, ç…
	EncMixedLatin = "windows-1252+cp850"
)

// encodingByName resolves --encoding (and the sniffed name) to a decoder.
func encodingByName(name string) (encoding.Encoding, error) {
	switch name {
	case EncUTF8, "utf8":
		return xunicode.UTF8, nil // replaces invalid bytes with U+FFFD
	case "utf-16", EncUTF16LE:
		return xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), nil
	case EncUTF16BE:
		return xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM), nil
	case EncGB18030, "gbk", "gb2312":
		return simplifiedchinese.GB18030, nil // a superset of GBK
	case EncWindows1252, "cp1252", "latin1", "iso-8859-1":
		return charmap.Windows1252, nil
	case EncCP850, "ibm850":
		return charmap.CodePage850, nil
	case EncMixedLatin:
		return mixedLatin{}, nil
	}
	return nil, fmt.Errorf("unknown encoding %q (use utf-8, utf-16, gb18030, windows-1252 or cp850)", name)
}

// SniffEncoding guesses the encoding of a file from its first bytes:
// a BOM decides; valid UTF-8 is UTF-8; text whose high bytes are a large
// share of it is Chinese (GB18030, which covers GBK); other text is the
// single-byte code page whose decoding reads most like words.
func SniffEncoding(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return EncUTF8
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return EncUTF16LE
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return EncUTF16BE
	}
	// A cut in the middle of a character at the end of the sample is fine.
	trimmed := head
	for i := 0; i < utf8.UTFMax && len(trimmed) > 0 && !utf8.Valid(trimmed); i++ {
		trimmed = trimmed[:len(trimmed)-1]
	}
	if utf8.Valid(trimmed) {
		return EncUTF8
	}
	high, text := 0, 0
	for _, b := range head {
		if b >= 0x80 {
			high++
		}
		if b > ' ' {
			text++
		}
	}
	if text > 0 && float64(high)/float64(text) > 0.25 {
		return EncGB18030
	}
	cp850, cp1252 := singleByteScore(head, charmap.CodePage850.DecodeByte), singleByteScore(head, charmap.Windows1252.DecodeByte)
	if mixed := singleByteScore(head, mixedLatinByte); mixed > cp850 && mixed > cp1252 && mixedEvidence(head) {
		return EncMixedLatin
	}
	if cp850 > cp1252 {
		return EncCP850
	}
	return EncWindows1252
}

// mixedLatinByte decodes one byte of Windows-1252 with cp850's letters
// at 0x80–0x9F.
func mixedLatinByte(b byte) rune {
	if b >= 0x80 && b < 0xA0 {
		return charmap.CodePage850.DecodeByte(b)
	}
	return charmap.Windows1252.DecodeByte(b)
}

// mixedEvidence: both kinds of accented letters occur inside words,
// Windows-1252's (0xE0–0xFF) and cp850's (0x80–0x9F).
func mixedEvidence(head []byte) bool {
	low, dos := 0, 0
	for i, b := range head {
		if b < 0x80 || i == 0 || head[i-1] < 'a' || head[i-1] > 'z' {
			continue
		}
		switch {
		case b >= 0xE0:
			low++
		case b < 0xA0 && unicode.IsLower(charmap.CodePage850.DecodeByte(b)):
			dos++
		}
	}
	return low >= 3 && dos >= 3
}

// mixedLatin is the EncMixedLatin decoder (decoding only: Rapport never
// writes it).
type mixedLatin struct{}

func (mixedLatin) NewDecoder() *encoding.Decoder {
	return &encoding.Decoder{Transformer: mixedLatinDecoder{}}
}
func (mixedLatin) NewEncoder() *encoding.Encoder { return charmap.Windows1252.NewEncoder() }

type mixedLatinDecoder struct{ transform.NopResetter }

func (mixedLatinDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		b := src[nSrc]
		if b < 0x80 {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = b
			nDst++
			nSrc++
			continue
		}
		r := mixedLatinByte(b)
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc++
	}
	return nDst, nSrc, nil
}

// singleByteScore rates how much a decoding of Latin text reads like
// words: accented letters, lower case inside lower-case words, score; box
// drawing, symbols and undefined bytes count against.
func singleByteScore(head []byte, decode func(byte) rune) int {
	score := 0
	for i, b := range head {
		if b < 0x80 {
			continue
		}
		r := decode(b)
		prevLower := i > 0 && head[i-1] >= 'a' && head[i-1] <= 'z'
		nextLower := i+1 < len(head) && head[i+1] >= 'a' && head[i+1] <= 'z'
		switch {
		case r == utf8.RuneError:
			score -= 3
		case unicode.IsLower(r):
			score++
			if prevLower || nextLower {
				score++
			}
		case unicode.IsUpper(r):
			if prevLower && nextLower {
				score-- // ÒÆ in the middle of a word: the wrong page
			} else {
				score++
			}
		case r == 0xA0: // no-break space
		default:
			score -= 2
		}
	}
	return score
}

// isBinary reports data that is not delimited text: NUL bytes or many
// control characters in a sample that is not UTF-16.
func isBinary(head []byte, enc string) bool {
	if enc == EncUTF16LE || enc == EncUTF16BE || len(head) == 0 {
		return false
	}
	nul, ctrl := 0, 0
	for _, b := range head {
		switch {
		case b == 0:
			nul++
		case b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f':
			ctrl++
		}
	}
	return nul > 0 && nul*100 > len(head) || (nul+ctrl)*20 > len(head)
}

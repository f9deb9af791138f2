package importer

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names a character encoding the importer reads, by the names
// `--encoding` accepts and the import report shows.
type Encoding string

const (
	UTF8        Encoding = "utf-8"
	UTF16LE     Encoding = "utf-16le"
	UTF16BE     Encoding = "utf-16be"
	GB18030     Encoding = "gb18030" // a superset of GBK and GB2312: Chinese Excel's default
	Windows1252 Encoding = "windows-1252"
	CP850       Encoding = "cp850" // DOS Latin-1, still written by some Brazilian and Spanish systems
)

// ParseEncoding reads an `--encoding` value. "" and "auto" give "", which
// means: sniff. "utf-16" means UTF-16 with its byte-order mark (little
// endian without one); "gbk" and "gb2312" mean GB18030, which contains
// them; "latin1" and "cp1252" mean Windows-1252, which browsers and Excel
// use for ISO-8859-1 too.
func ParseEncoding(name string) (Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "auto":
		return "", nil
	case "utf-8", "utf8", "utf-8-sig", "utf8bom", "utf-8-bom":
		return UTF8, nil
	case "utf-16", "utf16", "utf-16le", "utf16le", "ucs-2", "unicode":
		return UTF16LE, nil
	case "utf-16be", "utf16be":
		return UTF16BE, nil
	case "gb18030", "gbk", "gb2312", "cp936", "936", "euc-cn":
		return GB18030, nil
	case "windows-1252", "cp1252", "1252", "latin1", "latin-1", "iso-8859-1", "iso8859-1", "ansi":
		return Windows1252, nil
	case "cp850", "ibm850", "850", "dos", "oem":
		return CP850, nil
	}
	return "", fmt.Errorf("unknown encoding %q (use auto, utf-8, utf-16, gb18030, windows-1252 or cp850)", name)
}

// textEncoding is the x/text encoding behind e. The UTF-16 decoders honour
// a byte-order mark when there is one (and drop it), so a file named
// utf-16le that turns out big-endian with a BOM still reads right.
func (e Encoding) textEncoding() encoding.Encoding {
	switch e {
	case UTF16LE:
		return xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM)
	case UTF16BE:
		return xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM)
	case GB18030:
		return simplifiedchinese.GB18030
	case Windows1252:
		return charmap.Windows1252
	case CP850:
		return charmap.CodePage850
	}
	return nil
}

// NewDecoder returns a reader of r's text as UTF-8. A UTF-8 byte-order mark
// at the start is dropped whatever e says. For UTF-8 the bytes pass through
// unchanged (invalid sequences included: the CSV reader replaces them with
// U+FFFD per field, which costs nothing on valid text); every other
// encoding is decoded by golang.org/x/text, which writes U+FFFD for bytes
// that mean nothing in it.
func NewDecoder(r io.Reader, e Encoding) io.Reader {
	r = &bomSkipper{r: r}
	te := e.textEncoding()
	if te == nil {
		return r
	}
	return transform.NewReader(r, te.NewDecoder())
}

// decodeString decodes a sample for sniffing.
func decodeString(b []byte, e Encoding) string {
	b = bytes.TrimPrefix(b, utf8BOM)
	te := e.textEncoding()
	if te == nil {
		return string(b)
	}
	out, _, err := transform.Bytes(te.NewDecoder(), b)
	if err != nil {
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(out)
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// bomSkipper drops a UTF-8 byte-order mark from the start of a stream.
type bomSkipper struct {
	r    io.Reader
	done bool
	held []byte // bytes read while looking for the mark, not yet returned
}

func (s *bomSkipper) Read(p []byte) (int, error) {
	if !s.done {
		var head [3]byte
		n, err := io.ReadFull(s.r, head[:])
		s.done = true
		if n == 3 && bytes.Equal(head[:], utf8BOM) {
			n = 0
		}
		s.held = append(s.held, head[:n]...)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return 0, err
		}
	}
	if len(s.held) > 0 {
		n := copy(p, s.held)
		s.held = s.held[n:]
		return n, nil
	}
	return s.r.Read(p)
}

// countingReader counts the bytes read from the file, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

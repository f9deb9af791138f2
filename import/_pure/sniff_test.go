package importer

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

const portuguese = "Ticker;Requerente;Categoria;Data Solução;Satisfação;Resolvido\r\n" +
	"40857;JOÃO DA CONCEIÇÃO;Manutenção predial;08/09/2021 15:30;-;não\r\n" +
	"40858;MARIA JOSÉ;Suporte > Webmail > Recuperação de senha;09/09/2021 10:00;5;sim\r\n" +
	"40859;Usuário Iteração;Instalação elétrica;-;-;não\r\n"

const chinese = "用户ID,评论内容,会员级别,得分,购买时间\n" +
	"11651140407,外观非常好，手感很好，屏幕高清晰，音质很好，待机时间长,PLUS会员,5,2018/6/28 16:16\n" +
	"11651140408,\"物流很快，包装完好，\n第二天就到了\",金牌会员,4,2018/6/29 9:05\n" +
	"11651140409,用了一周，电池不太行,银牌会员,2,2018/7/1 20:00\n"

func TestSniffEncoding(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want Encoding
		bom  bool
	}{
		{"ascii", []byte("id,name\n1,Ann\n"), UTF8, false},
		{"utf-8", []byte("id,name\n1,王芳\n2,José\n"), UTF8, false},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, "id,name\n1,王芳\n"...), UTF8, true},
		{"utf-16le bom", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), "id\tname\r\n1\t王芳\r\n"), UTF16LE, true},
		{"utf-16be bom", encode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM), "id,name\n1,José\n"), UTF16BE, true},
		{"utf-16le no bom", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), "id,name,email\n1,Ann,ann@example.com\n"), UTF16LE, false},
		{"utf-16be no bom", encode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), "id,name,email\n1,Ann,ann@example.com\n"), UTF16BE, false},
		{"gbk", encode(t, simplifiedchinese.GBK, chinese), GB18030, false},
		{"gb18030 with emoji", encode(t, simplifiedchinese.GB18030, chinese+"1,很好😀,注册会员,5,2019/2/20 16:13\n"), GB18030, false},
		{"windows-1252", encode(t, charmap.Windows1252, portuguese), Windows1252, false},
		{"cp850", encode(t, charmap.CodePage850, portuguese), CP850, false},
		{"windows-1252 french", encode(t, charmap.Windows1252, "nom,ville\nRené Lefèvre,Besançon\nFrançoise,Orléans\n"), Windows1252, false},
		{"cp850 spanish", encode(t, charmap.CodePage850, "nombre,ciudad\nJosé Núñez,Córdoba\nMaría,Logroño\n"), CP850, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, bom, err := SniffEncoding(c.data)
			if err != nil || got != c.want || bom != c.bom {
				t.Errorf("SniffEncoding = %q, bom %v, %v; want %q, bom %v", got, bom, err, c.want, c.bom)
			}
		})
	}
}

// The same text in Windows-1252 and CP850 must decode to the same string.
func TestDecodeSameText(t *testing.T) {
	for _, e := range []struct {
		enc  encoding.Encoding
		name Encoding
	}{{charmap.Windows1252, Windows1252}, {charmap.CodePage850, CP850}, {simplifiedchinese.GB18030, GB18030},
		{xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), UTF16LE}, {xunicode.UTF8BOM, UTF8}} {
		text := portuguese
		if e.name == GB18030 {
			text = chinese
		}
		raw := encode(t, e.enc, text)
		got, err := io.ReadAll(NewDecoder(bytes.NewReader(raw), e.name))
		if err != nil || string(got) != text {
			t.Errorf("%s: decoded %q, %v", e.name, got, err)
		}
	}
}

func TestBOMSkipper(t *testing.T) {
	for in, want := range map[string]string{"\uFEFFabc": "abc", "ab": "ab", "": "", "\uFEFF": "", "\xEF\xBB": "\xEF\xBB"} {
		got, _ := io.ReadAll(NewDecoder(iotestOneByte(strings.NewReader(in)), UTF8))
		if string(got) != want {
			t.Errorf("NewDecoder(%q) read %q, want %q", in, got, want)
		}
	}
}

// iotestOneByte reads one byte at a time, to test readers at every split.
func iotestOneByte(r io.Reader) io.Reader { return oneByte{r} }

type oneByte struct{ r io.Reader }

func (o oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

func TestNotDelimited(t *testing.T) {
	cases := map[string][]byte{
		"empty":     nil,
		"blank":     []byte(" \r\n\n\t"),
		"bom only":  {0xEF, 0xBB, 0xBF},
		"xlsx":      append([]byte("PK\x03\x04"), bytes.Repeat([]byte{1, 2, 3}, 100)...),
		"xls":       []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
		"pdf":       []byte("%PDF-1.7\n..."),
		"sqlite":    []byte("SQLite format 3\x00..."),
		"nul bytes": bytes.Repeat([]byte("a\x00b\x00\x00\x01"), 200),
		"controls":  bytes.Repeat([]byte{0x01, 0x02, 0x03, 'a', 0x04}, 100),
	}
	for name, data := range cases {
		_, err := SniffBytes(data, false)
		if !errors.Is(err, ErrNotDelimited) {
			t.Errorf("%s: SniffBytes = %v, want ErrNotDelimited", name, err)
		}
	}
	_, err := SniffBytes([]byte("PK\x03\x04"), false)
	if err == nil || !strings.Contains(err.Error(), "xlsx") {
		t.Errorf("an xlsx should be named as such: %v", err)
	}
	// a stray NUL in a text file is not binary
	if _, err := SniffBytes([]byte("id,name\n1,A\x00nn\n2,Bob\n"), false); err != nil {
		t.Errorf("one NUL: %v", err)
	}
}

func TestSniffDelimiter(t *testing.T) {
	cases := []struct {
		name, sample string
		want         rune
	}{
		{"comma", "a,b,c\n1,2,3\n4,5,6\n", ','},
		{"semicolon", "Ticker;Requerente;Grupo\n1;JOÃO, filho;x\n2;y;z\n", ';'},
		{"tab", "a\tb\tc\n1\t2,5\t3\n", '\t'},
		{"pipe", "a|b|c\n1|2|3\n", '|'},
		{"quoted commas", "Airline,CustomerID,Score\n\"Schmeler, Schimmel and Collier\",013d950,6\n\"A, B\",x,7\n", ','},
		{"quoted header", "Country,Name,\"If you wouldn't, why?\",\"If you would, why?\"\nEngland,Ann,,Nice\n", ','},
		{"multi-line quoted", "id;text\n1;\"line one;\nline two\"\n2;x\n", ';'},
		{"one column", "email\na@x.com\nb@y.com\n", ','},
		{"semicolon with decimal commas", "name;amount\nA;1,5\nB;2,25\n", ';'},
		{"cut short", "a,b\n1,\"open", ','},
	}
	for _, c := range cases {
		if got := SniffDelimiter(c.sample); got != c.want {
			t.Errorf("%s: SniffDelimiter = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestSniff(t *testing.T) {
	data := encode(t, charmap.CodePage850, portuguese)
	s, err := Sniff(bytes.NewReader(data))
	if err != nil || s.Encoding != CP850 || s.Delimiter != ';' || s.BOM {
		t.Errorf("Sniff = %+v, %v", s, err)
	}
}

func TestParseEncoding(t *testing.T) {
	cases := map[string]Encoding{"": "", "auto": "", "UTF-8": UTF8, "utf-16": UTF16LE, "gbk": GB18030,
		"GB2312": GB18030, "cp1252": Windows1252, "latin1": Windows1252, "CP850": CP850, "utf-16be": UTF16BE}
	for in, want := range cases {
		if got, err := ParseEncoding(in); err != nil || got != want {
			t.Errorf("ParseEncoding(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseEncoding("ebcdic"); err == nil {
		t.Error("ParseEncoding(ebcdic): want an error")
	}
}

package model

import "testing"

func TestCleanLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain", "plain"},
		{"王芳 杭州云栖科技", "王芳 杭州云栖科技"},
		// after a wide character, controls are still controls
		{"王\x1b[31m芳\x1b]0;pwned\x07\r\n云栖", "王芳 云栖"},
		{"a\tb\nc\r\nd", "a b c d"},
		{"title\x1b]0;pwned\x07 after", "title after"},
		{"osc-st\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "osc-stlink"},
		{"red\x1b[31;1mtext\x1b[0m", "redtext"},
		{"c1\u009b31mcsi", "c1csi"},
		{"bell\x07back\bspace", "bellbackspace"},
		{"bidi\u202eevil\u202c", "bidievil"},
		{"iso\u2066late\u2069", "isolate"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"nul\x00byte", "nulbyte"},
		{"zero\u200bwidth\ufeff", "zerowidth"},
		{"dangling esc\x1b", "dangling esc"},
		{"unterminated\x1b]0;title", "unterminated"},
		{"esc-charset\x1b(Bok", "esc-charsetok"},
	}
	for _, c := range cases {
		if got := CleanLine(c.in); got != c.want {
			t.Errorf("CleanLine(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := CleanText("line1\nline2\x1b[2J"); got != "line1\nline2" {
		t.Errorf("CleanText kept %q", got)
	}
}

func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"a\x1b[31mb", "\x1b]0;x\x07", "王芳\u202e", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := CleanLine(s)
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidiControl(r) {
				t.Fatalf("CleanLine(%q) kept control %U", s, r)
			}
		}
	})
}

package model

import "testing"

// An escape sequence after non-ASCII text (a Chinese subject, a name with
// an accent) is removed too: the fast path for plain text once stopped
// looking for controls at the first non-ASCII character.
func TestCleanAfterNonASCII(t *testing.T) {
	for in, want := range map[string]string{
		"发票抬头错误 \x1b[2J x":           "发票抬头错误  x",
		"催得很紧\x1b]0;pwned\x07，请尽快处理": "催得很紧，请尽快处理",
		"José\x1b[31m red\x1b[0m":    "José red",
		"第一行\n第二行\x07":               "第一行 第二行",
		"Zoë \x7f":                   "Zoë ",
		"上海\u202eevil":               "上海evil",
	} {
		if got := CleanLine(in); got != want {
			t.Errorf("CleanLine(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanText("第一行\n第二行\x1b[1m"); got != "第一行\n第二行" {
		t.Errorf("CleanText kept a control: %q", got)
	}
}

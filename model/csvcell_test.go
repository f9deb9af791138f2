package model

import "testing"

// TestCSVCell: formulas are defused, escapes and control characters go,
// newlines survive only in multi-line cells.
func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+86 138": "'+86 138", "-5": "'-5", "@SUM(A1)": "'@SUM(A1)",
		"\t=cmd": "' =cmd", "plain": "plain", "": "", "a\x1b[31mb": "ab", "line\nbreak": "line break",
	} {
		if got := CSVCell(in, false); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CSVCell("two\r\nlines\x07", true); got != "two\nlines" {
		t.Errorf("multi-line CSVCell = %q", got)
	}
}

package model

import "strings"

// CSVCell makes a value safe for a spreadsheet: control characters and
// escape sequences are removed (newlines survive only in multi-line text),
// and a cell that starts with = + - @ tab or CR gets a leading ' so that it
// is never run as a formula. Every CSV that Rapport writes (exports, lists,
// rejected rows) goes through it.
func CSVCell(s string, multiline bool) string {
	raw := s
	if multiline {
		s = CleanText(strings.ReplaceAll(s, "\r\n", "\n"))
	} else {
		s = CleanLine(s)
	}
	if startsFormula(s) || (s != "" && startsFormula(raw)) {
		s = "'" + s
	}
	return s
}

func startsFormula(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// monthNames maps month names and abbreviations in Spanish, French,
// German, Portuguese and Italian (accents removed, lower case, no final
// dot) to the English abbreviations Go's time layouts read. Names that
// are English already ("jan", "nov", "march") are read by the layouts.
var monthNames = map[string]string{}

func init() {
	months := [12][]string{
		{"enero", "ene", "janvier", "janv", "januar", "janeiro", "gennaio", "gen", "jänner", "janner", "january"},
		{"febrero", "fevrier", "fevr", "fev", "februar", "fevereiro", "febbraio", "february"},
		{"marzo", "mars", "marz", "mrz", "marco", "march"},
		{"abril", "abr", "avril", "avr", "aprile", "april"},
		{"mayo", "mai", "maio", "maggio", "mag"},
		{"junio", "juin", "juni", "junho", "giugno", "giu", "june"},
		{"julio", "juillet", "juil", "juli", "julho", "luglio", "lug", "july"},
		{"agosto", "ago", "aout", "august"},
		{"septiembre", "setiembre", "sept", "set", "septembre", "setembro", "settembre", "september"},
		{"octubre", "octobre", "oktober", "okt", "outubro", "out", "ottobre", "ott", "october"},
		{"noviembre", "novembre", "novembro", "november"},
		{"diciembre", "dic", "dec", "decembre", "dezember", "dez", "dezembro", "dicembre", "december"},
	}
	en := [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	for i, names := range months {
		for _, n := range names {
			monthNames[n] = en[i]
		}
	}
}

// englishMonths rewrites a date's month name into English ("10/nov/25",
// "5 févr. 2024", "3. März 2024") and Spanish "p. m." into "PM", so the
// layouts read it. A string of digits and punctuation is returned as is,
// at no cost: only dates with letters are looked at.
func englishMonths(s string) string {
	letters := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || (c|0x20) >= 'a' && (c|0x20) <= 'z' && c != 'T' && c != 'Z' {
			letters = true
			break
		}
	}
	if !letters {
		return s
	}
	if strings.Contains(s, ".m.") || strings.Contains(s, ". m.") {
		r := strings.NewReplacer("p. m.", "PM", "a. m.", "AM", "p.m.", "PM", "a.m.", "AM")
		s = r.Replace(s)
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsLetter(r) {
				break
			}
			j += n
		}
		word := s[i:j]
		if en, ok := monthNames[foldWord(word)]; ok {
			b.WriteString(en)
			changed = true
			if j < len(s) && s[j] == '.' { // "févr." "dic."
				j++
			}
		} else {
			b.WriteString(word)
		}
		i = j
	}
	if !changed {
		return s
	}
	return b.String()
}

// foldWord lower-cases a word and drops its accents.
func foldWord(w string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

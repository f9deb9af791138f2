package db

import (
	"strings"
	"unicode/utf8"
)

// Search on PostgreSQL finds what SQLite's FTS5 indexes find, through the
// indexes of migrations_pg/0001:
//   - three or more characters: ILIKE over the fields joined by chr(31),
//     which the pg_trgm GIN index (customers_search, feedback_search)
//     answers, Chinese included; a word with a non-ASCII letter is a
//     regular expression instead (pgFoldPattern), which the index answers
//     too;
//   - two CJK characters (陈静, 退款): the CJK bigrams — customers_grams
//     kept by the store as on SQLite (grams.go), and for feedback the
//     expression index over rapport_bigrams — queried with @>;
//   - anything shorter: as on SQLite (a name prefix for customers, LIKE
//     over the rows the other words leave for feedback).

// customerText is the searched text of customer c, as indexed.
const customerText = "(c.name || chr(31) || c.email || chr(31) || c.phone_digits || chr(31) || c.company)"

// feedbackText is the searched text of feedback f, as indexed.
const feedbackText = "(f.subject || chr(31) || f.body)"

// containsPattern is the ILIKE pattern of a substring.
func containsPattern(term string) string { return "%" + likeEscape(term) + "%" }

// pgCustomerSearch plans a customer search of three or more characters
// (trigrams) or of two with a CJK one (bigrams), in id order as on SQLite.
func (p *listPlan) pgCustomerSearch(term string, n int) {
	if n >= 3 && foldsByRule(term) {
		p.where = append(p.where, customerText+" ~ ?")
		p.args = append(p.args, pgFoldPattern(term))
		return
	}
	if n >= 3 {
		p.where = append(p.where, customerText+` ILIKE ? ESCAPE '\'`)
		p.args = append(p.args, containsPattern(term))
		return
	}
	p.from = "customers_grams g JOIN customers c ON c.id = g.rowid"
	p.idCol = "g.rowid"
	p.where = append(p.where, "string_to_array(g.grams, ' ') @> ARRAY[?]::text[]")
	p.args = append(p.args, term)
}

// planSearchPG is planSearch for PostgreSQL: every word is an ILIKE over
// subject and body, or its folding pattern when it has a non-ASCII letter
// (fold_search.go); the trigram index serves those of three or more
// characters, and a two-character CJK word also asks the bigram index.
func planSearchPG(search string) feedbackSearch {
	s := feedbackSearch{pg: true}
	for _, w := range strings.Fields(search) {
		n := utf8.RuneCountInString(w)
		if n == 2 && allCJK(w) {
			s.bigrams = append(s.bigrams, w)
		}
		// an index serves the search, in id order, where SQLite's would
		s.indexed = s.indexed || n >= 3 || n == 2 && allCJK(w)
		if foldsByRule(w) {
			s.fold = append(s.fold, w)
		} else {
			s.like = append(s.like, w)
		}
	}
	return s
}

func (fs feedbackSearch) conditionsPG() ([]string, []any) {
	var where []string
	var args []any
	for _, b := range fs.bigrams {
		where = append(where, "rapport_bigrams"+feedbackText+" @> ARRAY[?]::text[]")
		args = append(args, b)
	}
	for _, w := range fs.like {
		where = append(where, feedbackText+` ILIKE ? ESCAPE '\'`)
		args = append(args, containsPattern(w))
	}
	for _, w := range fs.fold {
		if utf8.RuneCountInString(w) < shortFoldWord { // no trigram: spelled out (fold_search.go)
			var or []string
			for _, sp := range foldSpellings(w, false) {
				or = append(or, feedbackText+` LIKE ? ESCAPE '\'`)
				args = append(args, containsPattern(sp))
			}
			where = append(where, "("+strings.Join(or, " OR ")+")")
			continue
		}
		where = append(where, feedbackText+" ~ ?")
		args = append(args, pgFoldPattern(w))
	}
	return where, args
}

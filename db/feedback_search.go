package db

import (
	"database/sql/driver"
	"strings"
	"unicode/utf8"

	"modernc.org/sqlite"
)

// rapport_cjk_bigrams(text, ...) gives the CJK bigrams of its arguments
// (see cjkBigrams). The feedback triggers and migration 0003 call it to
// keep feedback_grams in step with feedback, so every connection of this
// driver has it.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("rapport_cjk_bigrams", -1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			texts := make([]string, 0, len(args))
			for _, a := range args {
				switch v := a.(type) {
				case string:
					texts = append(texts, v)
				case []byte:
					texts = append(texts, string(v))
				}
			}
			return cjkBigrams(texts...), nil
		})
}

// feedbackSearch is how a search over subject and body runs: one index
// drives (the trigram index, else the CJK bigram index, else none), and
// LIKE confirms what the index cannot say exactly.
type feedbackSearch struct {
	table string // "feedback_fts", "feedback_grams" or "" (no index)
	match string // the FTS5 query for table
	like  []string
	// fold are the words matched by the folding rule (fold_search.go),
	// confirmed on the rows by it.
	fold []string
	// pg: PostgreSQL's plan (pg_search.go); bigrams are its two-character
	// CJK words.
	pg      bool
	bigrams []string
	indexed bool
}

// planSearch splits the search into words; each must occur in the
// subject or the body, in any case.
//   - 3+ characters: its trigrams go to the trigram index. That index
//     keeps no positions (detail='none'), so from 4 characters on the
//     trigrams only narrow the rows down and LIKE confirms the word.
//   - 2 CJK characters (退款): the bigram index answers it exactly.
//   - anything shorter: LIKE alone, over the rows the other words leave.
//
// A word with a non-ASCII letter (not all CJK) matches by the folding rule
// of fold_search.go instead.
func planSearch(search string) feedbackSearch {
	var tri, bi []string
	var s feedbackSearch
	for _, w := range strings.Fields(search) {
		n := utf8.RuneCountInString(w)
		switch {
		case n >= 3 && foldsByRule(w):
			tri = append(tri, ftsFoldedPieces(w)...)
			s.fold = append(s.fold, w)
		case n >= 3:
			tri = append(tri, trigramPieces(w)...)
			if n > 3 {
				s.like = append(s.like, w)
			}
		case n == 2 && allCJK(w):
			bi = append(bi, ftsString(w))
		case foldsByRule(w):
			s.fold = append(s.fold, w)
		default:
			s.like = append(s.like, w)
		}
	}
	switch {
	case len(tri) > 0:
		s.table, s.match = "feedback_fts", strings.Join(tri, " AND ")
		for _, b := range bi { // confirmed by LIKE instead
			s.like = append(s.like, strings.Trim(b, `"`))
		}
	case len(bi) > 0:
		s.table, s.match = "feedback_grams", strings.Join(bi, " ")
	}
	return s
}

// trigramPieces covers a word with 3-character pieces, each quoted as one
// FTS5 string (one trigram each, ANDed): every third one and the last, so
// a long word asks for a third of its trigrams.
func trigramPieces(w string) []string {
	out := threeRunePieces(w)
	for i, p := range out {
		out[i] = ftsString(p)
	}
	return out
}

// threeRunePieces are trigramPieces' pieces, unquoted.
func threeRunePieces(w string) []string {
	r := []rune(w)
	var out []string
	for i := 0; i+3 <= len(r); i += 3 {
		out = append(out, string(r[i:i+3]))
	}
	if len(r)%3 != 0 && len(r) > 3 {
		out = append(out, string(r[len(r)-3:]))
	}
	return out
}

func allCJK(s string) bool {
	for _, r := range s {
		if !isCJK(r) {
			return false
		}
	}
	return s != ""
}

// conditions are the search's SQL conditions on f (and the index
// table's alias s), with their arguments.
func (fs feedbackSearch) conditions() ([]string, []any) {
	if fs.pg {
		return fs.conditionsPG()
	}
	var where []string
	var args []any
	if fs.table != "" {
		where = append(where, fs.table+" MATCH ?")
		args = append(args, fs.match)
	}
	for _, w := range fs.like {
		pat := "%" + likeEscape(w) + "%"
		where = append(where, `(f.subject LIKE ? ESCAPE '\' OR f.body LIKE ? ESCAPE '\')`)
		args = append(args, pat, pat)
	}
	for _, w := range fs.fold {
		if utf8.RuneCountInString(w) < shortFoldWord {
			var or []string
			for _, sp := range foldSpellings(w, true) {
				or = append(or, `f.subject LIKE ? ESCAPE '\' OR f.body LIKE ? ESCAPE '\'`)
				args = append(args, containsPattern(sp), containsPattern(sp))
			}
			where = append(where, "("+strings.Join(or, " OR ")+")")
			continue
		}
		where = append(where, "(instr(rapport_fold(f.subject), ?) > 0 OR instr(rapport_fold(f.body), ?) > 0)")
		args = append(args, foldText(w), foldText(w))
	}
	return where, args
}

// from is the FROM clause that reads the index first, in rowid order.
func (fs feedbackSearch) from() string {
	if fs.pg && fs.indexed { // s.rowid is the id, as in SQLite's index tables
		return "feedback f CROSS JOIN LATERAL (SELECT f.id AS rowid) s"
	}
	if fs.table == "" || fs.pg {
		return "feedback f"
	}
	return fs.table + " s CROSS JOIN feedback f ON f.id = s.rowid" // SQLite only: PostgreSQL's is above
}

package db

import "strings"

// ASCII letters in a pattern match ASCII letters only, on every store and
// in every kind of match (segment ~, customer and feedback search): an
// "i" finds i and I, never the Turkish İ, and a "k" never the Kelvin sign
// K, although both lower-case to those letters. That is SQLite's LIKE,
// and PostgreSQL's ILIKE on our columns, which are COLLATE "C" whatever
// the database's collation (migrations_pg/0001).
//
// One matcher folds more: SQLite's FTS5 trigram index, which customer
// search reads, case-folds K to k and the long ſ to s. Its matches of a
// pattern with those letters are confirmed by LIKE.
//
// A pattern with a non-ASCII letter folds every script's case on both
// stores (segment_sql.go's fold; İ to i, as Go's strings.ToLower does).

// ftsFoldsOntoASCII are the letters SQLite's FTS5 trigram index matches a
// non-ASCII character to (K→k, ſ→s).
const ftsFoldsOntoASCII = "ks"

// foldsOntoASCII reports whether term is ASCII and holds one of letters
// (lower case), which some non-ASCII character folds onto in a matcher.
func foldsOntoASCII(term, letters string) bool {
	return isASCII(term) && strings.ContainsAny(strings.ToLower(term), letters)
}

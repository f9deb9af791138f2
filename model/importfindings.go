package model

// ImportFindings are what an import says of a file beyond its counts:
// the rows whose values were kept without being understood, or read by
// a rule the user should know of. Values are the file's (untrusted text).
type ImportFindings struct {
	UnknownScores int           // score answers no scale knows: score empty, text kept in csat_raw
	UnknownWords  []ImportValue // their words, the most frequent first
	Undated       int           // feedback without a creation date
	NoPerson      int           // rows in which no column names a person
	Rescaled      int           // answers rescaled to CSAT 1–5 by the scale the user chose
	UnknownValues []ImportValue // status and channel values no table knows
	Notes         []string      // all of the above in words
}

// ImportValue is a value of a column and on how many rows it was found.
type ImportValue struct {
	Column string // "status", "channel" or "score"
	Value  string
	Rows   int
}

// Package model holds Rapport's domain: customers, feedback, follow-ups,
// notes, tags and categories, their validation, and the pure logic the rest
// of the program shares (text sanitising, list queries). It imports no other
// package of this module, so every other package can depend on it.
//
// It owns the rules stated once for everyone: satisfaction (ScoreTally:
// CSAT 4–5 satisfied, NPS promoters and detractors) and the dimensions
// Insights groups by (SummaryDims); the segment language (ParseSegment);
// sanitising text from outside before it is shown (sanitize.go, CleanLine,
// CSVCell); and the store contract, Store and the narrower services it
// composes (store.go), with the errors every store speaks (errors.go).
// `go doc ./model Store` is the place to start.
//
// What it may import: the standard library only. No package of this
// module, no database driver, no terminal library (arch_test.go at the
// module root checks this).
package model

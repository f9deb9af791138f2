// Package model holds Rapport's domain: customers, feedback, follow-ups,
// notes, tags and categories, their validation, and the pure logic the rest
// of the program shares (text sanitising, list queries). It imports no other
// package of this module, so every other package can depend on it.
package model

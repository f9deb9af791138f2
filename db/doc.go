// Package db is Rapport's SQLite store and the only package that speaks SQL.
//
// It opens the file with the pragmas a shared file needs (WAL, busy_timeout,
// foreign keys, BEGIN IMMEDIATE for writes), applies the embedded migrations
// under PRAGMA user_version, and answers the questions the UI, the CLI and
// the importer ask, in terms of package model. No *sql.DB, driver error or
// SQL text leaves this package: driver errors become model.ErrNotFound,
// ErrStale, ErrBusy, ErrConflict or ErrInvalid.
package db

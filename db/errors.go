package db

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/rapportcrm/rapport/model"
)

// translate turns driver errors into the domain errors of package model,
// keeping a readable reason; other errors pass through.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return model.ErrNotFound
	}
	if e, ok := translatePG(err); ok {
		return e
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	code := se.Code()
	switch code & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return model.ErrBusy
	case sqlite3.SQLITE_CONSTRAINT:
		switch code {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			// the identity indexes of migration 9, for a writer that did not ask first
			if d := constraintDetail(se); strings.Contains(d, "customers.email_key") {
				return &model.DuplicateError{Field: "email"}
			} else if strings.Contains(d, "customers.phone_digits") {
				return &model.DuplicateError{Field: "phone"}
			}
			return fmt.Errorf("%w (%s)", model.ErrConflict, constraintDetail(se))
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%w: it refers to a record that does not exist", model.ErrNotFound)
		default:
			return fmt.Errorf("%w (%s)", model.ErrInvalid, constraintDetail(se))
		}
	case sqlite3.SQLITE_READONLY:
		return errors.New("the database is read-only")
	case sqlite3.SQLITE_FULL:
		return errors.New("the disk is full")
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return errors.New("the database file is damaged or not a database")
	}
	return err
}

// constraintDetail keeps the part of SQLite's message that names the
// column, without the driver's prefix.
func constraintDetail(se *sqlite.Error) string {
	msg := se.Error()
	if i := strings.Index(msg, "constraint failed: "); i >= 0 {
		return msg[i+len("constraint failed: "):]
	}
	return msg
}

// describe words an error from opening or migrating for a one-line message.
func describe(err error) string {
	err = translate(err)
	return err.Error()
}

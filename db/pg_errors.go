package db

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rapportcrm/rapport/model"
)

// translatePG turns a PostgreSQL error into the domain errors the SQLite
// store gives for the same event, so that no driver error or SQL text
// crosses the store contract. ok is false for errors that are not the
// server's (those are looked at by lostConnection).
func translatePG(err error) (error, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err, false
	}
	switch pe.Code {
	case "23505": // unique_violation
		// the identity indexes, for a writer that did not ask first
		switch pe.ConstraintName {
		case "customers_email_unique":
			return &model.DuplicateError{Field: "email"}, true
		case "customers_phone_unique":
			return &model.DuplicateError{Field: "phone"}, true
		}
		return fmt.Errorf("%w (%s)", model.ErrConflict, constraintColumns(pe)), true
	case "23503": // foreign_key_violation
		return fmt.Errorf("%w: it refers to a record that does not exist", model.ErrNotFound), true
	case "23502", "23514": // not_null_violation, check_violation
		return fmt.Errorf("%w (%s)", model.ErrInvalid, constraintColumns(pe)), true
	case "40001", "40P01", "55P03": // serialization failure, deadlock, lock not available
		return model.ErrBusy, true
	case "53100":
		return errors.New("the database server's disk is full"), true
	case "25006":
		return errors.New("the database is read-only"), true
	case "57P01", "57P02", "57P03": // the server ended the session (restart, shutdown, terminated)
		return errConnLost, true
	case "28P01", "28000":
		return errors.New("the database server refused the user name or password"), true
	case "3D000":
		return errors.New("no such database on the server"), true
	}
	if debugPG {
		return fmt.Errorf("database error %s: %s (%s)", pe.Code, pe.Message, pe.Where), true
	}
	return fmt.Errorf("database error %s", pe.Code), true
}

// debugPG (RAPPORT_DEBUG_PG=1) keeps the server's message in errors the
// store has no words for, for a developer.
var debugPG = os.Getenv("RAPPORT_DEBUG_PG") != ""

// constraintColumns names what a constraint is about without the
// server's SQL: "customers.email", else the constraint's name.
func constraintColumns(pe *pgconn.PgError) string {
	if pe.TableName != "" && pe.ColumnName != "" {
		return pe.TableName + "." + pe.ColumnName
	}
	if pe.ConstraintName != "" {
		return pe.ConstraintName
	}
	return pe.TableName
}

// lostConnection tells whether err means the server could not be reached
// or the connection broke.
func lostConnection(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.Is(err, errConnLost) || errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed")
}

// errConnLost is a session the server ended; Store.translate names the
// server.
var errConnLost = errors.New("lost the connection to the database server, retrying…")

// ErrConnection is a PostgreSQL store's lost or refused connection,
// worded for a person; database/sql opens a new connection for the next
// call, so the screen that shows it retries by itself.
type ErrConnection struct{ Host string }

func (e *ErrConnection) Error() string {
	return "lost the connection to " + e.Host + ", retrying…"
}

// translate is the package's translate with the PostgreSQL store's
// connection errors worded for a person.
func (s *Store) translate(err error) error {
	err = translate(err)
	if err != nil && s.d.pg && lostConnection(err) {
		return &ErrConnection{Host: s.host}
	}
	return err
}

package db

import (
	"context"
	"database/sql"
	"time"
)

// OldestFeedbackAt is the creation time of the oldest feedback stored
// (false when there is none). An import dates feedback that has no date
// just before it, so undated rows sort below every dated one.
func (s *Store) OldestFeedbackAt(ctx context.Context) (time.Time, bool, error) {
	var oldest sql.NullString
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT min(created_at) FROM feedback").Scan(&oldest)
	})
	if err != nil || !oldest.Valid || oldest.String == "" {
		return time.Time{}, false, err
	}
	t := parseTime(oldest.String)
	return t, !t.IsZero(), nil
}

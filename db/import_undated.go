package db

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/rapportcrm/rapport/model"
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

// KeepUndatedBelow keeps feedback that came without a date (attribute
// undated = yes) below every dated item: when an import brought dated
// feedback older than some undated rows — a file without dates imported
// first, into an empty database, took the import's own time — those rows
// move to one second before the oldest dated feedback. Their time was
// never the customer's, so nothing true is changed; each move is
// audited, versioned, and the figures and summaries follow (the
// aggregate triggers on created_at, and each customer's derived figures).
// It reports how many rows moved.
func (s *Store) KeepUndatedBelow(ctx context.Context, agent string) (int, error) {
	ctx = requires(ctx, model.RoleLead, "import")
	moved := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		var oldest sql.NullString
		// From the oldest up, past the undated rows, which are the oldest
		// when all is well: the scan stops at the first dated one.
		if err := tx.QueryRowContext(ctx, `SELECT created_at FROM feedback
			WHERE coalesce(json_extract(attrs, '$.undated'), '') <> 'yes' ORDER BY created_at LIMIT 1`).Scan(&oldest); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			return err
		}
		target := fmtTime(parseTime(oldest.String).Add(-time.Second))
		rows, err := tx.QueryContext(ctx, `SELECT id, customer_id, created_at FROM feedback
			WHERE attrs <> '{}' AND created_at > ? AND json_extract(attrs, '$.undated') = 'yes' ORDER BY id`, target)
		if err != nil {
			return err
		}
		type row struct {
			id, customer int64
			was          string
		}
		var move []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.customer, &r.was); err != nil {
				rows.Close()
				return err
			}
			move = append(move, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(move) == 0 {
			return err
		}
		now := s.now()
		customers := map[int64]bool{}
		for _, r := range move {
			if _, err := tx.ExecContext(ctx, "UPDATE feedback SET created_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
				target, fmtTime(now), r.id); err != nil {
				return err
			}
			if err := writeAudit(ctx, tx, now, agent, "feedback", r.id, "update",
				map[string][2]any{"created_at": {r.was, target}}); err != nil {
				return err
			}
			customers[r.customer] = true
		}
		ids := make([]int64, 0, len(customers))
		for id := range customers {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		moved = len(move)
		return refreshDerived(ctx, tx, ids...)
	})
	return moved, err
}

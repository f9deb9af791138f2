package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

const followUpCols = `u.id, u.customer_id, c.name, ` + nameLabel + `, u.feedback_id, u.assignee, u.due_at, u.note, u.status,
	u.campaign, u.created_by, u.created_at, u.done_at, u.version`

func scanFollowUp(r rowScanner) (model.FollowUp, error) {
	var f model.FollowUp
	var fb sql.NullInt64
	var due, status, created string
	var done sql.NullString
	err := r.Scan(&f.ID, &f.CustomerID, &f.CustomerName, &f.CustomerLabel, &fb, &f.Assignee, &due, &f.Note, &status,
		&f.Campaign, &f.CreatedBy, &created, &done, &f.Version)
	if err != nil {
		return f, err
	}
	if fb.Valid {
		f.FeedbackID = &fb.Int64
	}
	f.Due, f.CreatedAt, f.DoneAt = parseTime(due), parseTime(created), parseTimeNull(done)
	f.Status = model.FollowUpStatus(status)
	return f, nil
}

// followUpFilters turns a queue section into conditions on u.
func followUpFilters(q model.FollowUpQuery) ([]string, []any, error) {
	var where []string
	var args []any
	if q.Assignee != "" {
		where, args = append(where, "u.assignee = ?"), append(args, q.Assignee)
	}
	now, end := fmtTime(q.Now), fmtTime(q.DayEnd)
	switch q.State {
	case model.StateOverdue:
		where, args = append(where, "u.status = 'open'", "u.due_at < ?"), append(args, now)
	case model.StateToday:
		where, args = append(where, "u.status = 'open'", "u.due_at >= ?", "u.due_at < ?"), append(args, now, end)
	case model.StateUpcoming:
		where, args = append(where, "u.status = 'open'", "u.due_at >= ?"), append(args, end)
	case model.StateOpen, "":
		where = append(where, "u.status = 'open'")
	case model.StateAll:
		where = append(where, "1 = 1")
	case model.StateDone:
		where = append(where, "u.status = 'done'")
	default:
		return nil, nil, fmt.Errorf("%w: unknown follow-up state %q", model.ErrInvalid, q.State)
	}
	return where, args, nil
}

// FollowUpPage returns one window of a queue section: open follow-ups by
// due time, soonest first; done ones latest closed first (migration 11).
// Pages are keyset pages on the (assignee,) status, due_at, id indexes
// and the done ones' close-time indexes.
func (s *Store) FollowUpPage(ctx context.Context, q model.FollowUpQuery) (model.FollowUpPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultPageSize
	}
	where, args, err := followUpFilters(q)
	if err != nil {
		return model.FollowUpPage{}, err
	}
	desc := q.State == model.StateDone
	from := "followups u"
	sortKey, keyOf := "u.due_at", func(f model.FollowUp) string { return fmtTime(f.Due) }
	if desc {
		// Without statistics the planner takes followups_by_due for its
		// status = 'done' and sorts every done row; these are never
		// dropped by a first load.
		from = "followups u" + s.d.indexedBy("followups_done_order")
		if q.Assignee != "" {
			from = "followups u" + s.d.indexedBy("followups_done_by_assignee")
		}
		sortKey = "coalesce(u.done_at, u.due_at)"
		keyOf = func(f model.FollowUp) string {
			if f.DoneAt != nil {
				return fmtTime(*f.DoneAt)
			}
			return fmtTime(f.Due)
		}
	}
	reverse := q.Before != nil || q.Last
	cur := q.After
	if q.Before != nil {
		cur = q.Before
	}
	if q.Last {
		cur = nil
	}
	var page model.FollowUpPage
	err = s.read(ctx, func(tx *sql.Tx) error {
		var err error
		page.Rows, page.Cursors, page.HasMore, err = keysetPage(ctx, tx,
			"SELECT "+followUpCols+" FROM "+from+" JOIN customers c ON c.id = u.customer_id",
			where, args, keysetScans(sortKey, "u.id", cur, desc != reverse), limit,
			func(r rowScanner) (model.FollowUp, model.Cursor, error) {
				f, err := scanFollowUp(r)
				return f, model.Cursor{Key: keyOf(f), ID: f.ID}, err
			})
		return err
	})
	if err != nil {
		return model.FollowUpPage{}, fmt.Errorf("list follow-ups: %w", err)
	}
	if reverse {
		reversePage(page.Rows, page.Cursors)
	}
	return page, nil
}

// CountFollowUps counts a queue section.
func (s *Store) CountFollowUps(ctx context.Context, q model.FollowUpQuery) (int, error) {
	where, args, err := followUpFilters(q)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM followups u WHERE "+strings.Join(where, " AND "), args...).Scan(&n)
	})
	return n, err
}

// SnoozeFollowUp moves an open follow-up's due time.
func (s *Store) SnoozeFollowUp(ctx context.Context, agent string, id int64, until time.Time) error {
	ctx = requires(ctx, model.RoleAgent, "snooze follow-ups")
	return s.write(ctx, func(tx *sql.Tx) error {
		var due, status string
		err := tx.QueryRowContext(ctx, "SELECT due_at, status FROM followups WHERE id = ?", id).Scan(&due, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("follow-up %d: %w", id, model.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if status != string(model.FollowUpOpen) {
			return fmt.Errorf("%w: follow-up %d is already done", model.ErrInvalid, id)
		}
		now := fmtTime(s.now())
		if _, err := tx.ExecContext(ctx, "UPDATE followups SET due_at = ?, updated_at = ?, version = version + 1 WHERE id = ?",
			fmtTime(until), now, id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, s.now(), agent, "followup", id, "update", map[string][2]any{"due_at": {due, fmtTime(until)}})
	})
}

// ReassignFollowUp gives a follow-up to another agent.
func (s *Store) ReassignFollowUp(ctx context.Context, agent string, id int64, to string) error {
	ctx = requires(ctx, model.RoleAgent, "reassign follow-ups")
	to = strings.TrimSpace(to)
	if to == "" {
		return fmt.Errorf("%w: reassign to whom?", model.ErrInvalid)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		var from string
		err := tx.QueryRowContext(ctx, "SELECT assignee FROM followups WHERE id = ?", id).Scan(&from)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("follow-up %d: %w", id, model.ErrNotFound)
		}
		if err != nil || from == to {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE followups SET assignee = ?, updated_at = ?, version = version + 1 WHERE id = ?",
			to, fmtTime(s.now()), id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, s.now(), agent, "followup", id, "update", map[string][2]any{"assignee": {from, to}})
	})
}

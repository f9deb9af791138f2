package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// FeedbackPage returns one window of feedback, newest first, paged by
// cursor on (created_at, id) like the customer list: after a cursor it
// reads two index ranges (the rest of the cursor's second, then older
// ones), so any page of five million items is a couple of seeks.
func (s *Store) FeedbackPage(ctx context.Context, q model.FeedbackQuery) (model.FeedbackPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultPageSize
	}
	where, args := feedbackFilters(q)
	reverse := q.Before != nil || q.Last
	cur := q.After
	if q.Before != nil {
		cur = q.Before
	}
	if q.Last {
		cur = nil
	}
	// newest first; reversed for the rows before a cursor and the last page
	scans := keysetScans("f.created_at", "f.id", cur, !reverse)
	var page model.FeedbackPage
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		page.Rows, page.Cursors, page.HasMore, err = keysetPage(ctx, tx, "SELECT "+feedbackCols+feedbackFrom,
			where, args, scans, limit, func(r rowScanner) (model.Feedback, model.Cursor, error) {
				f, err := scanFeedback(r)
				return f, model.Cursor{Key: fmtTime(f.CreatedAt), ID: f.ID}, err
			})
		if err != nil {
			return err
		}
		ids := make([]int64, len(page.Rows))
		for i, f := range page.Rows {
			ids[i] = f.ID
		}
		tags, err := feedbackTagsOf(ctx, tx, ids)
		for i := range page.Rows {
			if t := tags[page.Rows[i].ID]; t != nil {
				page.Rows[i].Tags = t
			}
		}
		return err
	})
	if err != nil {
		return model.FeedbackPage{}, fmt.Errorf("list feedback: %w", err)
	}
	if reverse {
		reversePage(page.Rows, page.Cursors)
	}
	return page, nil
}

// CountFeedback counts the feedback a query matches, stopping at max when
// max > 0.
func (s *Store) CountFeedback(ctx context.Context, q model.FeedbackQuery, max int) (int, bool, error) {
	where, args := feedbackFilters(q)
	query := "SELECT 1 FROM feedback f"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	if max > 0 {
		query += " LIMIT ?"
		args = append(args, max+1)
	}
	var n int
	err := s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM ("+query+")", args...).Scan(&n)
	})
	if err != nil {
		return 0, false, fmt.Errorf("count feedback: %w", err)
	}
	if max > 0 && n > max {
		return max, true, nil
	}
	return n, false, nil
}

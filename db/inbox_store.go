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
		for _, sc := range scans {
			want := limit + 1 - len(page.Rows)
			if want <= 0 {
				break
			}
			w := append(append([]string{}, where...), sc.where...)
			a := append(append([]any{}, args...), sc.args...)
			query := "SELECT " + feedbackCols + feedbackFrom
			if len(w) > 0 {
				query += " WHERE " + strings.Join(w, " AND ")
			}
			query += " ORDER BY " + sc.order + " LIMIT ?"
			rows, err := tx.QueryContext(ctx, query, append(a, want)...)
			if err != nil {
				return err
			}
			for rows.Next() {
				f, err := scanFeedback(rows)
				if err != nil {
					rows.Close()
					return err
				}
				page.Rows = append(page.Rows, f)
				page.Cursors = append(page.Cursors, model.Cursor{Key: fmtTime(f.CreatedAt), ID: f.ID})
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		if len(page.Rows) > limit {
			page.Rows, page.Cursors, page.HasMore = page.Rows[:limit], page.Cursors[:limit], true
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
		for i, j := 0, len(page.Rows)-1; i < j; i, j = i+1, j-1 {
			page.Rows[i], page.Rows[j] = page.Rows[j], page.Rows[i]
			page.Cursors[i], page.Cursors[j] = page.Cursors[j], page.Cursors[i]
		}
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

package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// FeedbackPage returns one window of feedback in the query's order
// (newest first; open, unclassified items first with Triage; newest
// entered first with a Search), paged by cursor like the customer list:
// after a cursor it reads a couple of index ranges, so any page of five
// million items costs a few seeks.
func (s *Store) FeedbackPage(ctx context.Context, q model.FeedbackQuery) (model.FeedbackPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultPageSize
	}
	reverse := q.Before != nil || q.Last
	cur := q.After
	if q.Before != nil {
		cur = q.Before
	}
	if q.Last {
		cur = nil
	}
	var page model.FeedbackPage
	err := s.read(ctx, func(tx *sql.Tx) error {
		p, err := planFeedbackFor(ctx, s.d, tx, q)
		if err != nil {
			return err
		}
		// reversed for the rows before a cursor and the last page
		page.Rows, page.Cursors, page.HasMore, err = keysetPage(ctx, tx, p.selectFrom(),
			p.where, p.args, p.scans(cur, !reverse), limit, func(r rowScanner) (model.Feedback, model.Cursor, error) {
				f, err := scanFeedback(r)
				return f, p.cursor(f), err
			})
		if err != nil {
			return err
		}
		return addFeedbackTags(ctx, tx, page.Rows)
	})
	if err != nil {
		return model.FeedbackPage{}, fmt.Errorf("list feedback: %w", err)
	}
	if reverse {
		reversePage(page.Rows, page.Cursors)
	}
	return page, nil
}

// addFeedbackTags fills in the tags of a page of feedback.
func addFeedbackTags(ctx context.Context, q querier, rows []model.Feedback) error {
	ids := make([]int64, len(rows))
	for i, f := range rows {
		ids[i] = f.ID
	}
	tags, err := feedbackTagsOf(ctx, q, ids)
	for i := range rows {
		if t := tags[rows[i].ID]; t != nil {
			rows[i].Tags = t
		}
	}
	return err
}

// CountFeedback counts the feedback a query matches, stopping at max when
// max > 0.
func (s *Store) CountFeedback(ctx context.Context, q model.FeedbackQuery, max int) (int, bool, error) {
	var n int
	err := s.read(ctx, func(tx *sql.Tx) error {
		p, err := planFeedbackFor(ctx, s.d, tx, q)
		if err != nil {
			return err
		}
		query := "SELECT 1 FROM " + p.from
		args := p.args
		if len(p.where) > 0 {
			query += " WHERE " + strings.Join(p.where, " AND ")
		}
		if max > 0 {
			query += " LIMIT ?"
			args = append(append([]any{}, args...), max+1)
		}
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM ("+query+") AS page", args...).Scan(&n)
	})
	if err != nil {
		return 0, false, fmt.Errorf("count feedback: %w", err)
	}
	if max > 0 && n > max {
		return max, true, nil
	}
	return n, false, nil
}

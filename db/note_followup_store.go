package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// AddNote stores a note on a customer's profile.
func (s *Store) AddNote(ctx context.Context, agent string, n model.Note) (model.Note, error) {
	ctx = requires(ctx, model.RoleAgent, "add notes")
	if err := n.Validate(); err != nil {
		return model.Note{}, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := getCustomer(ctx, tx, n.CustomerID); err != nil {
			return err
		}
		n.Agent = agent
		n.CreatedAt = s.now()
		res, err := insertReturningID(ctx, tx, "INSERT INTO notes(customer_id, agent, body, created_at) VALUES (?,?,?,?)",
			n.CustomerID, agent, n.Body, fmtTime(n.CreatedAt))
		if err != nil {
			return err
		}
		if n.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return writeAudit(ctx, tx, n.CreatedAt, agent, "note", n.ID, "create",
			map[string][2]any{"customer_id": {nil, n.CustomerID}, "body": {nil, n.Body}})
	})
	if err != nil {
		return model.Note{}, err
	}
	return n, nil
}

// AddFollowUp records a promise to get back to a customer.
func (s *Store) AddFollowUp(ctx context.Context, agent string, f model.FollowUp) (model.FollowUp, error) {
	ctx = requires(ctx, model.RoleAgent, "promise follow-ups")
	if f.Assignee == "" {
		f.Assignee = agent
	}
	f.Status = model.FollowUpOpen
	f.CreatedBy = agent
	if err := f.Validate(); err != nil {
		return model.FollowUp{}, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		c, err := getCustomer(ctx, tx, f.CustomerID)
		if err != nil {
			return err
		}
		f.CustomerName, f.CustomerLabel = c.Name, c.Label()
		now := s.now()
		f.CreatedAt = now
		var fb any
		if f.FeedbackID != nil {
			fb = *f.FeedbackID
		}
		res, err := insertReturningID(ctx, tx, `INSERT INTO followups(customer_id, feedback_id, assignee, due_at, note,
			status, campaign, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
			f.CustomerID, fb, f.Assignee, fmtTime(f.Due), f.Note, string(f.Status), f.Campaign, agent,
			fmtTime(now), fmtTime(now))
		if err != nil {
			return err
		}
		if f.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		f.Version = 1
		if err := refreshDerived(ctx, tx, f.CustomerID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, now, agent, "followup", f.ID, "create", map[string][2]any{
			"customer_id": {nil, f.CustomerID}, "due_at": {nil, fmtTime(f.Due)}, "assignee": {nil, f.Assignee}})
	})
	if err != nil {
		return model.FollowUp{}, err
	}
	f.Due = f.Due.UTC().Truncate(time.Millisecond)
	return f, nil
}

// FollowUpDone marks a follow-up done.
func (s *Store) FollowUpDone(ctx context.Context, agent string, id int64) error {
	ctx = requires(ctx, model.RoleAgent, "close follow-ups")
	return s.write(ctx, func(tx *sql.Tx) error {
		var customer int64
		var status string
		if err := tx.QueryRowContext(ctx, "SELECT customer_id, status FROM followups WHERE id = ?", id).Scan(&customer, &status); err != nil {
			return fmt.Errorf("follow-up %d: %w", id, translate(err))
		}
		if status == string(model.FollowUpDone) {
			return nil
		}
		now := fmtTime(s.now())
		if _, err := tx.ExecContext(ctx, `UPDATE followups SET status = 'done', done_at = ?, updated_at = ?,
			version = version + 1 WHERE id = ?`, now, now, id); err != nil {
			return err
		}
		if err := refreshDerived(ctx, tx, customer); err != nil {
			return err
		}
		return writeAudit(ctx, tx, s.now(), agent, "followup", id, "update", map[string][2]any{"status": {"open", "done"}})
	})
}

// Stats are the counts the status bar shows.
func (s *Store) Stats(ctx context.Context, agent string) (model.Stats, error) {
	var st model.Stats
	err := s.read(ctx, func(tx *sql.Tx) error {
		// max(id) is instant and equals the count while nothing was
		// deleted; the exact count of millions of rows is not needed here.
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM customers").Scan(&st.Customers); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM feedback").Scan(&st.Feedback); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM followups WHERE status = 'open'").Scan(&st.OpenFollowups); err != nil {
			return err
		}
		now := s.now()
		local := now.In(time.Local)
		dayEnd := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, time.Local)
		return tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE due_at < ?), count(*) FILTER (WHERE due_at >= ?)
			FROM followups WHERE assignee = ? AND status = 'open' AND due_at < ?`,
			fmtTime(now), fmtTime(now), agent, fmtTime(dayEnd)).Scan(&st.Overdue, &st.DueToday)
	})
	return st, err
}

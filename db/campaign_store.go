package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// recallBatch is how many follow-ups one transaction of a recall writes:
// big enough to be fast, small enough that other agents' writes
// interleave within a few milliseconds.
const recallBatch = 5000

// Recall creates one open follow-up for each member of a segment that has
// none open in the campaign, in batches of recallBatch per IMMEDIATE
// transaction, each with its audit row and the customers' open counts.
// progress (may be nil) hears how many members were handled so far. A
// second run over the same members creates nothing.
func (s *Store) Recall(ctx context.Context, agent string, req model.RecallRequest, progress func(done, total int)) (model.RecallResult, error) {
	ctx = requires(ctx, model.RoleLead, "run a recall")
	var res model.RecallResult
	req.Campaign = strings.TrimSpace(req.Campaign)
	if req.Campaign == "" {
		return res, fmt.Errorf("%w: a recall needs a campaign name, so that running it again creates nothing", model.ErrInvalid)
	}
	if req.Due.IsZero() {
		return res, fmt.Errorf("%w: a recall needs a due date", model.ErrInvalid)
	}
	expr := req.Where
	if req.Segment != "" {
		g, err := s.Segment(ctx, req.Segment)
		if err != nil {
			return res, err
		}
		expr = g.Expression
	}
	expr, err := s.expandWhere(ctx, expr)
	if err != nil {
		return res, err
	}
	e, err := model.ParseSegment(expr)
	if err != nil {
		return res, err
	}
	where, args, err := compileSegmentFor(s.d, e, s.now())
	if err != nil {
		return res, err
	}
	var assignees []string
	for _, a := range req.Assignees {
		if a = strings.TrimSpace(a); a != "" {
			assignees = append(assignees, a)
		}
	}
	if len(assignees) == 0 {
		assignees = []string{agent}
	}
	var ids []int64
	err = s.readMapped(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT c.id FROM customers c WHERE "+where+" ORDER BY c.id", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return res, err
	}
	res.Members = len(ids)
	if progress != nil {
		progress(0, len(ids))
	}
	assigneesJSON, _ := json.Marshal(assignees)
	for start := 0; start < len(ids); start += recallBatch {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		batch := ids[start:min(start+recallBatch, len(ids))]
		created, err := s.recallBatch(ctx, agent, req, batch, start, string(assigneesJSON), len(assignees))
		if err != nil {
			return res, err
		}
		res.Created += created
		res.Skipped += len(batch) - created
		if progress != nil {
			progress(start+len(batch), len(ids))
		}
	}
	return res, nil
}

// recallBatch writes one batch: the follow-ups that do not exist yet,
// one audit row naming them all (recall_audit.go), and the members' open
// follow-up counts.
func (s *Store) recallBatch(ctx context.Context, agent string, req model.RecallRequest, ids []int64, offset int, assignees string, n int) (int, error) {
	idsJSON, _ := json.Marshal(ids)
	at := s.now()
	now := fmtTime(at)
	var created int
	err := s.write(ctx, func(tx *sql.Tx) error {
		var before int64
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM followups").Scan(&before); err != nil {
			return err
		}
		// Round-robin by the member's place in the whole segment, so the
		// split does not depend on the batch size.
		r, err := tx.ExecContext(ctx, `INSERT INTO followups(customer_id, assignee, due_at, note, status, campaign,
				created_by, created_at, updated_at)
			SELECT m.value, `+s.d.jsonElement("?1", "(m.key + ?2) % ?3")+`, ?4, ?5, 'open', ?6, ?7, ?8, ?8
			FROM `+s.d.idRowsNumbered("?9")+` m
			WHERE NOT EXISTS (SELECT 1 FROM followups f
				WHERE f.campaign = ?6 AND f.customer_id = m.value AND f.status = 'open')`,
			assignees, offset, n, fmtTime(req.Due), strings.TrimSpace(req.Note), req.Campaign, agent, now, string(idsJSON))
		if err != nil {
			return err
		}
		k, _ := r.RowsAffected()
		created = int(k)
		if created == 0 {
			return nil
		}
		if err := auditRecallBatch(ctx, tx, at, agent, req.Campaign, fmtTime(req.Due), strings.TrimSpace(req.Note),
			before, created); err != nil {
			return err
		}
		return countOpenedFollowUps(ctx, tx, s.d, before)
	})
	return created, err
}

// Campaigns reports each recall campaign's progress, newest first.
func (s *Store) Campaigns(ctx context.Context) ([]model.CampaignProgress, error) {
	out := []model.CampaignProgress{}
	now := fmtTime(s.now())
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT campaign,
				count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'done'),
				count(*) FILTER (WHERE status = 'open' AND due_at < ?), min(due_at), max(due_at)
			FROM followups WHERE campaign <> '' GROUP BY campaign ORDER BY max(id) DESC`, now)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c model.CampaignProgress
			var first, last string
			if err := rows.Scan(&c.Name, &c.Open, &c.Done, &c.Overdue, &first, &last); err != nil {
				return err
			}
			c.FirstDue, c.LastDue = parseTime(first), parseTime(last)
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

const feedbackCols = `f.id, f.customer_id, c.name, ` + nameLabel + `, f.source, coalesce(f.external_id, ''), f.channel, f.kind,
	f.subject, f.body, f.category_id, coalesce(cat.path, ''), f.priority, f.status, f.csat,
	coalesce(f.csat_raw, ''), f.nps, f.agent, f.created_at, f.resolved_at, f.version, f.attrs`

const feedbackFrom = ` FROM feedback f JOIN customers c ON c.id = f.customer_id
	LEFT JOIN categories cat ON cat.id = f.category_id`

func scanFeedback(r rowScanner) (model.Feedback, error) {
	var f model.Feedback
	var kind, priority, status, created string
	var catID, csat, nps sql.NullInt64
	var resolved sql.NullString
	var attrs string
	err := r.Scan(&f.ID, &f.CustomerID, &f.CustomerName, &f.CustomerLabel, &f.Source, &f.ExternalID, &f.Channel, &kind,
		&f.Subject, &f.Body, &catID, &f.Category, &priority, &status, &csat,
		&f.CSATRaw, &nps, &f.Agent, &created, &resolved, &f.Version, &attrs)
	if err != nil {
		return f, err
	}
	if attrs != "" && attrs != "{}" {
		json.Unmarshal([]byte(attrs), &f.Attrs) // written by attrsJSON: always an object of strings
	}
	f.Kind, f.Priority, f.Status = model.Kind(kind), model.Priority(priority), model.Status(status)
	if catID.Valid {
		f.CategoryID = &catID.Int64
	}
	f.CSAT, f.NPS = intPtr(csat), intPtr(nps)
	f.CreatedAt = parseTime(created)
	f.ResolvedAt = parseTimeNull(resolved)
	f.Tags = []string{}
	return f, nil
}

// Feedback returns one feedback item with its tags.
func (s *Store) Feedback(ctx context.Context, id int64) (model.Feedback, error) {
	var f model.Feedback
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		f, err = getFeedback(ctx, tx, id)
		return err
	})
	return f, err
}

func getFeedback(ctx context.Context, q querier, id int64) (model.Feedback, error) {
	f, err := scanFeedback(q.QueryRowContext(ctx, "SELECT "+feedbackCols+feedbackFrom+" WHERE f.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("feedback %d: %w", id, model.ErrNotFound)
	}
	if err != nil {
		return f, err
	}
	tags, err := feedbackTagsOf(ctx, q, []int64{id})
	if t := tags[id]; t != nil {
		f.Tags = t
	}
	return f, err
}

func feedbackTagsOf(ctx context.Context, q querier, ids []int64) (map[int64][]string, error) {
	return tagNames(ctx, q, "SELECT ft.feedback_id, t.name FROM feedback_tags ft JOIN tags t ON t.id = ft.tag_id WHERE ft.feedback_id IN (%s) ORDER BY 1, 2", ids)
}

// categoryID finds a category by path ("Billing/Refund"), creating it and
// its parent when missing.
func categoryID(ctx context.Context, tx querier, path string) (int64, error) {
	parts, err := model.SplitCategoryPath(path)
	if err != nil {
		return 0, err
	}
	var parent any
	var id int64
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		err := tx.QueryRowContext(ctx, "SELECT id FROM categories WHERE path = ?", p).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			res, err := insertReturningID(ctx, tx, "INSERT INTO categories(parent_id, name, path) VALUES (?, ?, ?)", parent, parts[i], p)
			if err != nil {
				return 0, err
			}
			if id, err = res.LastInsertId(); err != nil {
				return 0, err
			}
		} else if err != nil {
			return 0, err
		}
		parent = id
	}
	return id, nil
}

// AddFeedback stores a new feedback item and brings its customer's derived
// figures up to date, in one transaction.
func (s *Store) AddFeedback(ctx context.Context, agent string, f model.Feedback) (model.Feedback, error) {
	ctx = requires(ctx, model.RoleAgent, "log feedback")
	f.Normalize()
	if f.Source == "" {
		f.Source = "manual"
	}
	if f.Agent == "" {
		f.Agent = agent
	}
	if err := f.Validate(); err != nil {
		return model.Feedback{}, err
	}
	var out model.Feedback
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if f.CreatedAt.IsZero() {
			f.CreatedAt = now
		}
		rules, err := loadRules(ctx, tx)
		if err != nil {
			return err
		}
		fillFromRules(&f, rules)
		var cat any
		if f.Category != "" {
			id, err := categoryID(ctx, tx, f.Category)
			if err != nil {
				return err
			}
			cat = id
		} else if f.CategoryID != nil {
			cat = *f.CategoryID
		}
		var ext any
		if f.ExternalID != "" {
			ext = f.ExternalID
		}
		var resolved any
		if f.ResolvedAt != nil {
			resolved = fmtTime(*f.ResolvedAt)
		} else if f.Status == model.StatusResolved || f.Status == model.StatusClosed {
			resolved = fmtTime(now)
		}
		res, err := insertReturningID(ctx, tx, `INSERT INTO feedback(customer_id, source, external_id, channel, kind,
			subject, body, category_id, priority, status, csat, csat_raw, nps, agent, created_at, resolved_at, updated_at, attrs)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			f.CustomerID, f.Source, ext, f.Channel, string(f.Kind), f.Subject, f.Body, cat,
			string(f.Priority), string(f.Status), intOrNil(f.CSAT), nullable(f.CSATRaw), intOrNil(f.NPS),
			f.Agent, fmtTime(f.CreatedAt), resolved, fmtTime(now), attrsJSON(f.Attrs))
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for _, t := range f.Tags {
			tid, err := tagID(ctx, tx, t)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO feedback_tags(feedback_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, tid); err != nil {
				return err
			}
		}
		if err := refreshDerived(ctx, tx, f.CustomerID); err != nil {
			return err
		}
		if out, err = getFeedback(ctx, tx, id); err != nil {
			return err
		}
		changes := map[string][2]any{
			"customer_id": {nil, f.CustomerID}, "kind": {nil, string(f.Kind)}, "subject": {nil, nullable(f.Subject)}}
		if out.Category != "" {
			changes["category"] = [2]any{nil, out.Category}
		}
		if len(out.Tags) > 0 {
			changes["tags"] = [2]any{nil, out.Tags}
		}
		return writeAudit(ctx, tx, now, agent, "feedback", id, "create", changes)
	})
	return out, err
}

// intPtr turns a nullable column into a nil-able int.
func intPtr(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	i := int(v.Int64)
	return &i
}

func intOrNil(v *int) any {
	if v == nil {
		return nil
	}
	return *v
}

// ListFeedback returns feedback in the query's order (see FeedbackPage),
// by offset: for the CLI's --offset; lists page by cursor.
func (s *Store) ListFeedback(ctx context.Context, q model.FeedbackQuery) ([]model.Feedback, error) {
	var out []model.Feedback
	err := s.read(ctx, func(tx *sql.Tx) error {
		p, err := planFeedbackFor(ctx, s.d, tx, q)
		if err != nil {
			return err
		}
		query, args := p.selectFrom(), append([]any{}, p.args...)
		if len(p.where) > 0 {
			query += " WHERE " + strings.Join(p.where, " AND ")
		}
		query += " ORDER BY " + p.orderBy()
		switch {
		case q.Limit < 0:
			query += " LIMIT -1"
		case q.Limit == 0:
			query += fmt.Sprintf(" LIMIT %d", defaultPageSize)
		default:
			query += " LIMIT ?"
			args = append(args, q.Limit)
		}
		if q.Offset > 0 {
			query += " OFFSET ?"
			args = append(args, q.Offset)
		}
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFeedback(rows)
			if err != nil {
				return err
			}
			out = append(out, f)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return addFeedbackTags(ctx, tx, out)
	})
	if out == nil {
		out = []model.Feedback{}
	}
	return out, err
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

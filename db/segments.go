package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

const segmentCols = "id, name, expression, warn, created_by, created_at, updated_at, version"

func scanSegment(r rowScanner) (model.Segment, error) {
	var g model.Segment
	var warn int
	var created, updated string
	if err := r.Scan(&g.ID, &g.Name, &g.Expression, &warn, &g.CreatedBy, &created, &updated, &g.Version); err != nil {
		return g, err
	}
	g.Warn = warn != 0
	g.CreatedAt, g.UpdatedAt = parseTime(created), parseTime(updated)
	return g, nil
}

// SaveSegment stores a segment expression under name, replacing the one of
// that name (any case) if there is one. The expression is checked first; a
// mistake comes back as a *model.SegmentError.
func (s *Store) SaveSegment(ctx context.Context, agent, name, expr string, warn bool) (model.Segment, error) {
	ctx = requires(ctx, model.RoleLead, "change segments")
	name = strings.TrimSpace(name)
	expr = strings.TrimSpace(expr)
	if name == "" {
		return model.Segment{}, fmt.Errorf("%w: a segment needs a name", model.ErrInvalid)
	}
	if model.CleanLine(name) != name {
		return model.Segment{}, fmt.Errorf("%w: segment name %q has control characters", model.ErrInvalid, name)
	}
	if _, err := model.ParseSegment(expr); err != nil {
		return model.Segment{}, err
	}
	var out model.Segment
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := checkSegmentRefs(ctx, tx, name, expr); err != nil {
			return err
		}
		now := s.now()
		old, err := scanSegment(tx.QueryRowContext(ctx, "SELECT "+segmentCols+" FROM segments WHERE name = ?", name))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := insertReturningID(ctx, tx, `INSERT INTO segments(name, expression, warn, created_by, created_at, updated_at)
				VALUES (?,?,?,?,?,?)`, name, expr, boolInt(warn), agent, fmtTime(now), fmtTime(now))
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if out, err = getSegment(ctx, tx, id); err != nil {
				return err
			}
			return writeAudit(ctx, tx, now, agent, "segment", id, "create", map[string][2]any{
				"name": {nil, name}, "expression": {nil, expr}, "warn": {nil, warn}})
		case err != nil:
			return err
		}
		changes := map[string][2]any{}
		if old.Name != name {
			changes["name"] = [2]any{old.Name, name}
		}
		if old.Expression != expr {
			changes["expression"] = [2]any{old.Expression, expr}
		}
		if old.Warn != warn {
			changes["warn"] = [2]any{old.Warn, warn}
		}
		if len(changes) == 0 {
			out = old
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE segments SET name = ?, expression = ?, warn = ?, updated_at = ?,
			version = version + 1 WHERE id = ?`, name, expr, boolInt(warn), fmtTime(now), old.ID); err != nil {
			return err
		}
		if out, err = getSegment(ctx, tx, old.ID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, now, agent, "segment", old.ID, "update", changes)
	})
	return out, err
}

func getSegment(ctx context.Context, q querier, id int64) (model.Segment, error) {
	return scanSegment(q.QueryRowContext(ctx, "SELECT "+segmentCols+" FROM segments WHERE id = ?", id))
}

// Segments lists the saved segments by name.
func (s *Store) Segments(ctx context.Context) ([]model.Segment, error) {
	out := []model.Segment{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = segmentsWhere(ctx, tx, "")
		return err
	})
	return out, err
}

func segmentsWhere(ctx context.Context, q querier, cond string) ([]model.Segment, error) {
	query := "SELECT " + segmentCols + " FROM segments"
	if cond != "" {
		query += " WHERE " + cond
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY name, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []model.Segment{}
	for rows.Next() {
		g, err := scanSegment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// Segment returns the saved segment of that name (any case).
func (s *Store) Segment(ctx context.Context, name string) (model.Segment, error) {
	var g model.Segment
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		g, err = scanSegment(tx.QueryRowContext(ctx, "SELECT "+segmentCols+" FROM segments WHERE name = ?", strings.TrimSpace(name)))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no segment named %q: %w", strings.TrimSpace(name), model.ErrNotFound)
		}
		return err
	})
	return g, err
}

// DeleteSegment removes the saved segment of that name.
func (s *Store) DeleteSegment(ctx context.Context, agent, name string) error {
	ctx = requires(ctx, model.RoleLead, "change segments")
	name = strings.TrimSpace(name)
	return s.write(ctx, func(tx *sql.Tx) error {
		old, err := scanSegment(tx.QueryRowContext(ctx, "SELECT "+segmentCols+" FROM segments WHERE name = ?", name))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no segment named %q: %w", name, model.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if err := refusedWhileUsed(ctx, tx, old.Name); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM segments WHERE id = ?", old.ID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, s.now(), agent, "segment", old.ID, "delete", map[string][2]any{
			"name": {old.Name, nil}, "expression": {old.Expression, nil}, "warn": {old.Warn, nil}})
	})
}

// SegmentCount counts the customers in the saved segment of that name.
func (s *Store) SegmentCount(ctx context.Context, name string) (int, error) {
	g, err := s.Segment(ctx, name)
	if err != nil {
		return 0, err
	}
	expr, err := s.expandWhere(ctx, g.Expression)
	if err != nil {
		return 0, err
	}
	e, err := model.ParseSegment(expr)
	if err != nil {
		return 0, err
	}
	where, args, err := compileSegmentFor(s.d, e, s.now())
	if err != nil {
		return 0, err
	}
	var n int
	err = s.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT count(*) FROM customers c WHERE "+where, args...).Scan(&n)
	})
	return n, err
}

// warningsOf names, for each customer id, the warn segments it is in,
// sorted by name: one query per warn segment over the given ids. A saved
// expression that no longer parses is skipped.
func warningsOf(ctx context.Context, d dialect, q querier, now time.Time, ids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	segs, err := segmentsWhere(ctx, q, "warn <> 0")
	if err != nil {
		return nil, err
	}
	for _, g := range segs {
		expr, err := expandSegmentText(ctx, q, g.Expression)
		if err != nil {
			continue
		}
		e, err := model.ParseSegment(expr)
		if err != nil {
			continue
		}
		where, args, err := compileSegmentFor(d, e, now)
		if err != nil {
			continue
		}
		idArgs := make([]any, 0, len(ids)+len(args))
		for _, id := range ids {
			idArgs = append(idArgs, id)
		}
		rows, err := q.QueryContext(ctx, "SELECT c.id FROM customers c WHERE c.id IN ("+placeholders(len(ids))+") AND ("+where+")",
			append(idArgs, args...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], g.Name)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for id := range out {
		sort.Strings(out[id])
	}
	return out, nil
}

// boolInt stores a bool as SQLite's 0 or 1.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

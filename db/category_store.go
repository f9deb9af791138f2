package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// Categories lists the taxonomy, parents before their children, by path.
func (s *Store) Categories(ctx context.Context) ([]model.Category, error) {
	out := []model.Category{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, parent_id, name, path FROM categories ORDER BY path COLLATE "+s.d.binary())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c model.Category
			var parent sql.NullInt64
			if err := rows.Scan(&c.ID, &parent, &c.Name, &c.Path); err != nil {
				return err
			}
			if parent.Valid {
				c.ParentID = &parent.Int64
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	return out, nil
}

// AddCategory creates a category ("Parent" or "Parent/Child"), and its
// parent when missing. A path that exists (in any case) is a conflict.
func (s *Store) AddCategory(ctx context.Context, agent, path string) (model.Category, error) {
	ctx = requires(ctx, model.RoleLead, "change categories")
	parts, err := model.SplitCategoryPath(path)
	if err != nil {
		return model.Category{}, err
	}
	path = strings.Join(parts, "/")
	var c model.Category
	err = s.write(ctx, func(tx *sql.Tx) error {
		var have string
		err := tx.QueryRowContext(ctx, "SELECT path FROM categories WHERE path = ?", path).Scan(&have)
		if err == nil {
			return fmt.Errorf("%w: category %q exists", model.ErrConflict, have)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var parentNew bool
		if len(parts) == 2 {
			err := tx.QueryRowContext(ctx, "SELECT 1 FROM categories WHERE path = ?", parts[0]).Scan(new(int))
			parentNew = errors.Is(err, sql.ErrNoRows)
		}
		id, err := categoryID(ctx, tx, path)
		if err != nil {
			return err
		}
		if c, err = categoryByID(ctx, tx, id); err != nil {
			return err
		}
		if parentNew {
			if err := writeAudit(ctx, tx, s.now(), agent, "category", *c.ParentID, "create",
				map[string][2]any{"path": {nil, parts[0]}}); err != nil {
				return err
			}
		}
		return writeAudit(ctx, tx, s.now(), agent, "category", id, "create", map[string][2]any{"path": {nil, path}})
	})
	return c, err
}

func categoryByID(ctx context.Context, q querier, id int64) (model.Category, error) {
	var c model.Category
	var parent sql.NullInt64
	err := q.QueryRowContext(ctx, "SELECT id, parent_id, name, path FROM categories WHERE id = ?", id).
		Scan(&c.ID, &parent, &c.Name, &c.Path)
	if parent.Valid {
		c.ParentID = &parent.Int64
	}
	return c, err
}

// RemoveCategory deletes a category and, for a parent, its children. It
// refuses while feedback or rules use any of them: reclassify first, so
// that no item loses its category without a record of it.
func (s *Store) RemoveCategory(ctx context.Context, agent, path string) error {
	ctx = requires(ctx, model.RoleLead, "change categories")
	return s.write(ctx, func(tx *sql.Tx) error {
		ids, err := categoryFamily(ctx, tx, path)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return fmt.Errorf("category %q: %w", strings.TrimSpace(path), model.ErrNotFound)
		}
		in, args := placeholders(len(ids)), anySlice(ids)
		var used, rules int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM feedback
			WHERE category_id IN (`+in+`) LIMIT 1000000) AS used`, args...).Scan(&used); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM rules WHERE category_id IN (`+in+`)`, args...).Scan(&rules); err != nil {
			return err
		}
		if used > 0 || rules > 0 {
			return fmt.Errorf("%w: category %q is used by %d feedback item(s) and %d rule(s); reclassify them first",
				model.ErrConflict, strings.TrimSpace(path), used, rules)
		}
		for i := len(ids) - 1; i >= 0; i-- { // children first
			c, err := categoryByID(ctx, tx, ids[i])
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM categories WHERE id = ?", c.ID); err != nil {
				return err
			}
			if err := writeAudit(ctx, tx, s.now(), agent, "category", c.ID, "delete",
				map[string][2]any{"path": {c.Path, nil}}); err != nil {
				return err
			}
		}
		return nil
	})
}

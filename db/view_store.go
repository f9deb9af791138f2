package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rapportcrm/rapport/model"
)

// Saved views: a screen's filters under a name, shared by everyone who
// opens the file. Saving a name that exists (any case) replaces its
// filters; each save and delete is audited as entity "view".

const viewCols = "id, screen, name, filters, created_by, created_at, updated_at, version"

func scanView(r rowScanner) (model.SavedView, error) {
	var v model.SavedView
	var filters, created, updated string
	if err := r.Scan(&v.ID, &v.Screen, &v.Name, &filters, &v.CreatedBy, &created, &updated, &v.Version); err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(filters), &v.Filters); err != nil {
		return v, fmt.Errorf("view %q: filters: %w", v.Name, err)
	}
	v.CreatedAt, v.UpdatedAt = parseTime(created), parseTime(updated)
	return v, nil
}

// SaveView stores v under its screen and name, replacing the view of that
// name if there is one.
func (s *Store) SaveView(ctx context.Context, agent string, v model.SavedView) (model.SavedView, error) {
	ctx = requires(ctx, model.RoleAgent, "save Inbox views")
	if v.Screen == "" {
		v.Screen = "inbox"
	}
	if err := v.Validate(); err != nil {
		return model.SavedView{}, err
	}
	js, err := json.Marshal(v.Filters)
	if err != nil {
		return model.SavedView{}, err
	}
	var out model.SavedView
	err = s.write(ctx, func(tx *sql.Tx) error {
		now := s.now()
		old, err := scanView(tx.QueryRowContext(ctx, "SELECT "+viewCols+" FROM saved_views WHERE screen = ? AND name = ?", v.Screen, v.Name))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := insertReturningID(ctx, tx, `INSERT INTO saved_views(screen, name, filters, created_by, created_at, updated_at)
				VALUES (?,?,?,?,?,?)`, v.Screen, v.Name, string(js), agent, fmtTime(now), fmtTime(now))
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			if out, err = getView(ctx, tx, id); err != nil {
				return err
			}
			return writeAudit(ctx, tx, now, agent, "view", id, "create",
				map[string][2]any{"name": {nil, v.Name}, "filters": {nil, string(js)}})
		case err != nil:
			return err
		}
		oldJS, _ := json.Marshal(old.Filters)
		if string(oldJS) == string(js) && old.Name == v.Name {
			out = old
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE saved_views SET name = ?, filters = ?, updated_at = ?, version = version + 1
			WHERE id = ?`, v.Name, string(js), fmtTime(now), old.ID); err != nil {
			return err
		}
		if out, err = getView(ctx, tx, old.ID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, now, agent, "view", old.ID, "update",
			map[string][2]any{"name": {old.Name, v.Name}, "filters": {string(oldJS), string(js)}})
	})
	return out, err
}

func getView(ctx context.Context, q querier, id int64) (model.SavedView, error) {
	v, err := scanView(q.QueryRowContext(ctx, "SELECT "+viewCols+" FROM saved_views WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("view %d: %w", id, model.ErrNotFound)
	}
	return v, err
}

// Views lists a screen's saved views by name.
func (s *Store) Views(ctx context.Context, screen string) ([]model.SavedView, error) {
	out := []model.SavedView{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+viewCols+" FROM saved_views WHERE screen = ? ORDER BY name COLLATE NOCASE, id", screen)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scanView(rows)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// DeleteView removes a saved view.
func (s *Store) DeleteView(ctx context.Context, agent string, id int64) error {
	ctx = requires(ctx, model.RoleAgent, "delete Inbox views")
	return s.write(ctx, func(tx *sql.Tx) error {
		v, err := getView(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM saved_views WHERE id = ?", id); err != nil {
			return err
		}
		js, _ := json.Marshal(v.Filters)
		return writeAudit(ctx, tx, s.now(), agent, "view", id, "delete",
			map[string][2]any{"name": {v.Name, nil}, "filters": {string(js), nil}})
	})
}

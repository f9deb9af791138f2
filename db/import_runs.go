package db

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/rapportcrm/rapport/model"
)

// RecordImportRun keeps one file's import in import_runs. A run stopped
// early is kept too, with what it committed.
func (s *Store) RecordImportRun(ctx context.Context, r model.ImportRun) (int64, error) {
	ctx = requires(ctx, model.RoleLead, "import")
	sample, _ := json.Marshal(r.ErrorSample)
	if r.ErrorSample == nil {
		sample = []byte("[]")
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := insertReturningID(ctx, tx, `INSERT INTO import_runs(file, preset, encoding, delimiter, source, rows,
			customers_created, customers_updated, feedback_created, feedback_updated, unchanged, skipped, errors,
			error_sample, agent, started_at, finished_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			r.File, r.Preset, r.Encoding, r.Delimiter, r.Source, r.Rows, r.CustomersCreated, r.CustomersUpdated,
			r.FeedbackCreated, r.FeedbackUpdated, r.Unchanged, r.Skipped, r.Errors, string(sample), r.Agent,
			fmtTime(r.StartedAt), fmtTime(r.FinishedAt))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}

// ImportRuns lists the latest imports, newest first.
func (s *Store) ImportRuns(ctx context.Context, limit int) ([]model.ImportRun, error) {
	if limit <= 0 {
		limit = 50
	}
	out := []model.ImportRun{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, file, preset, encoding, delimiter, source, rows, customers_created,
			customers_updated, feedback_created, feedback_updated, unchanged, skipped, errors, error_sample, agent,
			started_at, coalesce(finished_at, '') FROM import_runs ORDER BY id DESC LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r model.ImportRun
			var sample, started, finished string
			if err := rows.Scan(&r.ID, &r.File, &r.Preset, &r.Encoding, &r.Delimiter, &r.Source, &r.Rows,
				&r.CustomersCreated, &r.CustomersUpdated, &r.FeedbackCreated, &r.FeedbackUpdated, &r.Unchanged,
				&r.Skipped, &r.Errors, &sample, &r.Agent, &started, &finished); err != nil {
				return err
			}
			json.Unmarshal([]byte(sample), &r.ErrorSample)
			r.StartedAt, r.FinishedAt = parseTime(started), parseTime(finished)
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

package db

import "context"

// A batch's deferred indexing (migration 6): while bulk_load names a
// table, its full-text triggers skip the rows the batch creates, and
// flush indexes them all in one statement per index. One statement is
// one FTS5 flush; a row at a time was one flush per following statement.

type bulkIndex struct {
	firstCustomer, firstFeedback int64
	pg                           bool // PostgreSQL: only customers_grams waits (pg_search.go)
}

// beginBulk records the first ids this batch will create.
func beginBulk(ctx context.Context, d dialect, tx querier) (bulkIndex, error) {
	b := bulkIndex{pg: d.pg}
	err := tx.QueryRowContext(ctx, `SELECT (SELECT coalesce(max(id), 0) + 1 FROM customers),
		(SELECT coalesce(max(id), 0) + 1 FROM feedback)`).Scan(&b.firstCustomer, &b.firstFeedback)
	if err != nil || b.pg {
		return b, err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO bulk_load(tbl, first_id) VALUES ('customers', ?), ('feedback', ?)",
		b.firstCustomer, b.firstFeedback)
	return b, err
}

// created reports whether the batch created the customer (so its indexing
// waits for flush).
func (b bulkIndex) created(customer int64) bool { return customer >= b.firstCustomer }

// flush indexes the rows created since beginBulk, with their final
// values, and ends the deferral.
func (b bulkIndex) flush(ctx context.Context, tx querier) error {
	if b.pg {
		return b.flushGrams(ctx, tx)
	}
	for _, q := range []struct {
		sql string
		arg int64
	}{
		{`INSERT INTO customers_fts(rowid, name, email, phone_digits, company)
			SELECT id, name, email, phone_digits, company FROM customers WHERE id >= ?`, b.firstCustomer},
		{`INSERT INTO customers_grams(rowid, grams) SELECT id, g FROM
			(SELECT id, rapport_cjk_bigrams(name, company) AS g FROM customers WHERE id >= ?) WHERE g <> ''`, b.firstCustomer},
		{`INSERT INTO feedback_fts(rowid, subject, body) SELECT id, subject, body FROM feedback WHERE id >= ?`, b.firstFeedback},
		{`INSERT INTO feedback_grams(rowid, grams) SELECT id, g FROM
			(SELECT id, rapport_cjk_bigrams(subject, body) AS g FROM feedback WHERE id >= ?) WHERE g <> ''`, b.firstFeedback},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.arg); err != nil {
			return err
		}
	}
	// Only its own rows: the aggregates' deferral ends with their finish.
	_, err := tx.ExecContext(ctx, "DELETE FROM bulk_load WHERE tbl IN ('customers', 'feedback')")
	return err
}

// flushGrams writes the CJK bigrams of the customers the batch created,
// computed in Go (PostgreSQL indexes the rest by itself).
func (b bulkIndex) flushGrams(ctx context.Context, tx querier) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, name, company FROM customers WHERE id >= ?", b.firstCustomer)
	if err != nil {
		return err
	}
	type named struct {
		id            int64
		name, company string
	}
	var created []named
	for rows.Next() {
		var n named
		if err := rows.Scan(&n.id, &n.name, &n.company); err != nil {
			rows.Close()
			return err
		}
		created = append(created, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range created {
		if err := setGrams(ctx, tx, n.id, n.name, n.company, true); err != nil {
			return err
		}
	}
	return nil
}

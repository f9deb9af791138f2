package db

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// duplicatesSQL finds customers that are likely one person: the same
// e-mail address once dots and a "+tag" are taken out of its local part
// (gmail style), the same last nine digits of a phone (one written with a
// country prefix, one without), or the same name and company. Each group
// of customers sharing a key gives pairs of its first (lowest id) with
// each other one; the pairs whose two customers hold the most feedback
// come first. It reads every customer once (a sort of the keys), which
// is why it runs on demand, off the UI thread.
const duplicatesSQL = `WITH keyed(id, why, k) AS (
	SELECT id, 'email', replace(substr(email_key, 1, instr(substr(email_key, 1, instr(email_key, '@') - 1) || '+', '+') - 1), '.', '')
		|| substr(email_key, instr(email_key, '@'))
	FROM customers WHERE email_key <> '' AND instr(email_key, '@') > 1
	UNION ALL
	SELECT id, 'phone', substr(phone_digits, length(phone_digits) - 8) FROM customers WHERE length(phone_digits) >= 9
	UNION ALL
	SELECT id, 'name', lower(name) || ? || lower(company) FROM customers WHERE name <> '' AND company <> ''
), firsts AS (
	SELECT id, why, first_value(id) OVER (PARTITION BY why, k ORDER BY id) AS a FROM keyed
), pairs AS (
	SELECT a, id AS b, group_concat(why) AS whys FROM firsts WHERE id <> a GROUP BY a, id
)
SELECT p.a, p.b, p.whys FROM pairs p JOIN customers ca ON ca.id = p.a JOIN customers cb ON cb.id = p.b
ORDER BY ca.feedback_n + cb.feedback_n DESC, p.a, p.b LIMIT ?`

// DuplicatePairs lists up to limit pairs of customers that are likely one
// person, largest (by feedback) first, for the duplicates view.
func (s *Store) DuplicatePairs(ctx context.Context, limit int) ([]model.DuplicatePair, error) {
	if limit <= 0 {
		limit = 200
	}
	out := []model.DuplicatePair{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, duplicatesSQL, "\x01", limit) // \x01 joins name and company
		if err != nil {
			return err
		}
		type pair struct {
			a, b int64
			why  []string
		}
		var pairs []pair
		var ids []int64
		for rows.Next() {
			var p pair
			var whys string
			if err := rows.Scan(&p.a, &p.b, &whys); err != nil {
				rows.Close()
				return err
			}
			p.why = strings.Split(whys, ",")
			sort.Strings(p.why)
			pairs = append(pairs, p)
			ids = append(ids, p.a, p.b)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		byID, err := customersByID(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, p := range pairs {
			out = append(out, model.DuplicatePair{A: byID[p.a], B: byID[p.b], Reasons: p.why})
		}
		return nil
	})
	return out, err
}

// customersByID loads several customers with their tags.
func customersByID(ctx context.Context, q querier, ids []int64) (map[int64]model.Customer, error) {
	out := map[int64]model.Customer{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, "SELECT "+customerCols+" FROM customers c WHERE c.id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, err
		}
		out[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	tags, err := tagsOf(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	for id, t := range tags {
		if c, ok := out[id]; ok {
			c.Tags = t
			out[id] = c
		}
	}
	return out, nil
}

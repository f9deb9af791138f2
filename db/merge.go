package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rapportcrm/rapport/model"
)

// Merging two customers found to be one person. MergeCustomers moves
// everything of one customer (feedback, notes, follow-ups, tags, source
// keys and the customer's audit entries) to the other, takes the chosen
// fields, recomputes the survivor's figures and the summary aggregates
// (through bulkAgg, as imports and bulk edits do), removes the merged
// customer and records ONE audit entry (entity customer, the survivor's
// id, action "merge"). That entry holds, under "merged", everything
// UnmergeCustomers needs to put both customers back.
//
// For an undo stack: MergeResult.AuditID names the entry; calling
// UnmergeCustomers(ctx, agent, auditID) restores the merged customer with
// its id, fields and history and the survivor's fields, or refuses
// (ErrStale when the survivor changed since, ErrConflict when the merged
// customer's id or e-mail/phone is taken or an item moved on) and changes
// nothing.

// mergeRecord is the undo half of a merge's audit entry.
type mergeRecord struct {
	From        customerRow `json:"from"`        // the merged customer as it was
	IntoBefore  customerRow `json:"into_before"` // the survivor as it was
	IntoVersion int64       `json:"into_version"`
	Feedback    []int64     `json:"feedback"`
	Notes       []int64     `json:"notes"`
	FollowUps   []int64     `json:"followups"`
	Keys        [][2]string `json:"keys"`       // (source, external id)
	TagsAdded   []string    `json:"tags_added"` // tags the survivor did not have
	Audit       []int64     `json:"audit"`      // the merged customer's audit entries
}

// customerRow is a customer's stored row, as merge and its undo copy it.
type customerRow struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	Phone     string   `json:"phone"`
	Company   string   `json:"company"`
	Plan      string   `json:"plan"`
	Region    string   `json:"region"`
	City      string   `json:"city"`
	Language  string   `json:"language"`
	Gender    string   `json:"gender"`
	Lifecycle string   `json:"lifecycle"`
	LTV       float64  `json:"ltv"`
	Attrs     string   `json:"attrs"`
	CreatedAt string   `json:"created_at"`
	UpdatedAt string   `json:"updated_at"`
	Version   int64    `json:"version"`
	EmailDup  int      `json:"email_dup"`
	PhoneDup  int      `json:"phone_dup"`
	Tags      []string `json:"tags"`
}

func loadCustomerRow(ctx context.Context, q querier, id int64) (customerRow, error) {
	var r customerRow
	err := q.QueryRowContext(ctx, `SELECT id, name, email, phone, company, plan, region, city, language, gender,
		lifecycle, ltv, attrs, created_at, updated_at, version, email_dup, phone_dup FROM customers WHERE id = ?`, id).
		Scan(&r.ID, &r.Name, &r.Email, &r.Phone, &r.Company, &r.Plan, &r.Region, &r.City, &r.Language, &r.Gender,
			&r.Lifecycle, &r.LTV, &r.Attrs, &r.CreatedAt, &r.UpdatedAt, &r.Version, &r.EmailDup, &r.PhoneDup)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("customer %d: %w", id, model.ErrNotFound)
	}
	if err != nil {
		return r, err
	}
	tags, err := tagsOf(ctx, q, []int64{id})
	r.Tags = tags[id]
	return r, err
}

// MergeCustomers merges customer from into customer into (see above).
// With opts.DryRun the same work is done and rolled back, so the result
// (counts and survivor) is exact and nothing is written.
func (s *Store) MergeCustomers(ctx context.Context, agent string, from, into int64, opts model.MergeOptions) (model.MergeResult, error) {
	ctx = requires(ctx, model.RoleLead, "merge customers")
	res := model.MergeResult{From: from, Into: into}
	if from == into {
		return res, fmt.Errorf("%w: a customer cannot be merged into itself", model.ErrInvalid)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		a, err := getCustomer(ctx, tx, from)
		if err != nil {
			return err
		}
		b, err := getCustomer(ctx, tx, into)
		if err != nil {
			return err
		}
		for _, c := range []struct {
			id, want, have int64
		}{{from, opts.FromVersion, a.Version}, {into, opts.IntoVersion, b.Version}} {
			if c.want > 0 && c.want != c.have {
				return &model.StaleError{Entity: "customer", ID: c.id, Want: c.want, Have: c.have,
					ByAgent: lastAgent(ctx, tx, "customer", c.id), Changes: staleChanges(ctx, tx, "customer", c.id, c.have-c.want)}
			}
		}
		rec := mergeRecord{}
		if rec.From, err = loadCustomerRow(ctx, tx, from); err != nil {
			return err
		}
		if rec.IntoBefore, err = loadCustomerRow(ctx, tx, into); err != nil {
			return err
		}
		take := opts.Take
		if !opts.Explicit {
			take = model.DefaultTake(a, b)
		}
		next := model.Merged(a, b, take)
		for _, list := range []struct {
			dst   *[]int64
			query string
		}{
			{&rec.Feedback, "SELECT id FROM feedback WHERE customer_id = ? ORDER BY id"},
			{&rec.Notes, "SELECT id FROM notes WHERE customer_id = ? ORDER BY id"},
			{&rec.FollowUps, "SELECT id FROM followups WHERE customer_id = ? ORDER BY id"},
			{&rec.Audit, "SELECT id FROM audit WHERE entity = 'customer' AND entity_id = ? ORDER BY id"},
		} {
			if *list.dst, err = queryColumn[int64](ctx, tx, list.query, from); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, "SELECT source, external_id FROM customer_keys WHERE customer_id = ? ORDER BY 1, 2", from)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k [2]string
			if err := rows.Scan(&k[0], &k[1]); err != nil {
				rows.Close()
				return err
			}
			rec.Keys = append(rec.Keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, t := range a.Tags {
			if !contains(b.Tags, t) {
				rec.TagsAdded = append(rec.TagsAdded, t)
			}
		}

		agg, err := beginBulkAgg(ctx, s.d, tx)
		if err != nil {
			return err
		}
		for _, id := range []int64{from, into} {
			if err := agg.take(ctx, tx, id); err != nil {
				return err
			}
		}
		for _, q := range []string{
			"UPDATE feedback SET customer_id = ?1 WHERE customer_id = ?2",
			"UPDATE notes SET customer_id = ?1 WHERE customer_id = ?2",
			"UPDATE followups SET customer_id = ?1 WHERE customer_id = ?2",
			"UPDATE customer_keys SET customer_id = ?1, matched = 1 WHERE customer_id = ?2", // the survivor's fields were chosen by a person: these only fill
			"INSERT INTO customer_tags(customer_id, tag_id) SELECT ?1, tag_id FROM customer_tags WHERE customer_id = ?2 ON CONFLICT DO NOTHING",
			"UPDATE audit SET entity_id = ?1 WHERE entity = 'customer' AND entity_id = ?2",
		} {
			if _, err := tx.ExecContext(ctx, q, into, from); err != nil {
				return err
			}
		}
		for _, q := range []string{"DELETE FROM customers_grams WHERE rowid = ?", "DELETE FROM customers WHERE id = ?"} {
			if _, err := tx.ExecContext(ctx, q, from); err != nil {
				return err
			}
		}
		// From is gone, so the survivor may take its e-mail or phone; no
		// third customer may have them.
		if email, phone := changedIdentity(b, next); email != "" || phone != "" {
			if err := identityConflict(ctx, tx, into, email, phone); err != nil {
				return err
			}
		}
		created := min(rec.From.CreatedAt, rec.IntoBefore.CreatedAt) // the customer since the first of the two
		if _, err := tx.ExecContext(ctx, `UPDATE customers SET name=?, email=?, email_key=?, phone=?, phone_digits=?,
			company=?, plan=?, region=?, city=?, language=?, gender=?, lifecycle=?, ltv=?, attrs=?, created_at=?,
			updated_at=?, version=version+1 WHERE id=?`,
			next.Name, next.Email, model.NormalizeEmail(next.Email), next.Phone, model.PhoneDigits(next.Phone),
			next.Company, next.Plan, next.Region, next.City, next.Language, next.Gender, string(next.Lifecycle),
			next.LTV, attrsJSON(next.Attrs), created, fmtTime(s.now()), into); err != nil {
			return err
		}
		if err := setGrams(ctx, tx, into, next.Name, next.Company, true); err != nil {
			return err
		}
		if err := agg.finish(ctx, tx); err != nil {
			return err
		}
		if res.Survivor, err = getCustomer(ctx, tx, into); err != nil {
			return err
		}
		rec.IntoVersion = res.Survivor.Version
		res.Moved = model.MergeMoved{Feedback: len(rec.Feedback), Notes: len(rec.Notes), FollowUps: len(rec.FollowUps),
			Tags: len(rec.TagsAdded), Keys: len(rec.Keys)}
		changes := customerChanges(b, res.Survivor)
		changes["merged"] = [2]any{rec, nil}
		if err := writeAudit(ctx, tx, s.now(), agent, "customer", into, "merge", changes); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT max(id) FROM audit").Scan(&res.AuditID); err != nil {
			return err
		}
		if err := addWarnings(ctx, s.d, tx, s.now(), &res.Survivor); err != nil {
			return err
		}
		if opts.DryRun {
			res.AuditID = 0
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

// LastMerge returns the audit id of the latest merge into a customer, or
// 0, for an undo offered right after a merge.
func (s *Store) LastMerge(ctx context.Context, into int64) (int64, error) {
	var id int64
	err := s.read(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id FROM audit WHERE entity = 'customer' AND entity_id = ? AND action = 'merge'
			ORDER BY id DESC LIMIT 1`, into).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return id, err
}

// describeMerge words a merge or unmerge audit entry for the timeline.
func describeMerge(action, changes string) string {
	if action == "unmerge" {
		var ch struct {
			Unmerged [2]int64 `json:"unmerged"`
		}
		json.Unmarshal([]byte(changes), &ch)
		return fmt.Sprintf("merge undone: customer %d restored", ch.Unmerged[1])
	}
	var ch struct {
		Merged [2]*mergeRecord `json:"merged"`
	}
	if json.Unmarshal([]byte(changes), &ch) != nil || ch.Merged[0] == nil {
		return "merged another customer into this one"
	}
	r := ch.Merged[0]
	who := r.From.Name
	if who == "" {
		who = r.From.Email
	}
	return fmt.Sprintf("merged customer %d (%s): %d feedback, %d notes, %d follow-ups moved here",
		r.From.ID, model.CleanLine(who), len(r.Feedback), len(r.Notes), len(r.FollowUps))
}

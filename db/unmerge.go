package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rapportcrm/rapport/model"
)

// UnmergeCustomers undoes the merge recorded in audit entry auditID: the
// merged customer comes back with its id, fields, tags, attributes and
// times, its feedback, notes, follow-ups, source keys and audit entries
// move back, the survivor gets its fields and tags from before the merge,
// and both customers' figures and the summary aggregates are recomputed —
// in one transaction, recorded as one audit entry (action "unmerge").
//
// It is refused, changing nothing, when the survivor changed since the
// merge (*model.StaleError, naming who), or when the merged customer's id,
// e-mail or phone has been taken or one of the moved items has moved on
// since (model.ErrConflict with the reason).
func (s *Store) UnmergeCustomers(ctx context.Context, agent string, auditID int64) (model.MergeResult, error) {
	ctx = requires(ctx, model.RoleLead, "merge customers")
	var res model.MergeResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		var entity, action, changes string
		var into int64
		err := tx.QueryRowContext(ctx, "SELECT entity, entity_id, action, changes FROM audit WHERE id = ?", auditID).
			Scan(&entity, &into, &action, &changes)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (entity != "customer" || action != "merge") {
			return fmt.Errorf("audit entry %d is not a merge: %w", auditID, model.ErrNotFound)
		}
		if err != nil {
			return err
		}
		var ch struct {
			Merged [2]*mergeRecord `json:"merged"`
		}
		if err := json.Unmarshal([]byte(changes), &ch); err != nil || ch.Merged[0] == nil {
			return fmt.Errorf("%w: audit entry %d holds no merge record", model.ErrInvalid, auditID)
		}
		rec := ch.Merged[0]
		from := rec.From.ID
		res.From, res.Into = from, into

		var taken bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ?)", from).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("%w: customer id %d is in use again (the merge was undone already, or the id was reused)", model.ErrConflict, from)
		}
		cur, err := getCustomer(ctx, tx, into)
		if errors.Is(err, model.ErrNotFound) {
			return fmt.Errorf("%w: customer %d, the merge's survivor, no longer exists", model.ErrConflict, into)
		}
		if err != nil {
			return err
		}
		if cur.Version != rec.IntoVersion {
			return &model.StaleError{Entity: "customer", ID: into, Want: rec.IntoVersion, Have: cur.Version,
				ByAgent: lastAgent(ctx, tx, "customer", into), Changes: staleChanges(ctx, tx, "customer", into, cur.Version-rec.IntoVersion)}
		}
		for _, items := range []struct {
			what, table string
			ids         []int64
		}{{"feedback", "feedback", rec.Feedback}, {"note", "notes", rec.Notes}, {"follow-up", "followups", rec.FollowUps}} {
			if len(items.ids) == 0 {
				continue
			}
			list, _ := json.Marshal(items.ids)
			var moved int64
			err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT coalesce((SELECT ids.value FROM %s
				WHERE NOT EXISTS (SELECT 1 FROM %s t WHERE t.id = ids.value AND t.customer_id = ?2) LIMIT 1), 0)`, s.d.idRows("?1"), items.table),
				string(list), into).Scan(&moved)
			if err != nil {
				return err
			}
			if moved != 0 {
				return fmt.Errorf("%w: %s %d no longer belongs to customer %d", model.ErrConflict, items.what, moved, into)
			}
		}

		agg, err := beginBulkAgg(ctx, s.d, tx)
		if err != nil {
			return err
		}
		if err := agg.take(ctx, tx, into); err != nil {
			return err
		}
		// The survivor first, so the e-mail or phone it took is free again.
		b := rec.IntoBefore
		if _, err := tx.ExecContext(ctx, `UPDATE customers SET name=?, email=?, email_key=?, phone=?, phone_digits=?,
			company=?, plan=?, region=?, city=?, language=?, gender=?, lifecycle=?, ltv=?, attrs=?, created_at=?,
			updated_at=?, version=version+1 WHERE id=?`,
			b.Name, b.Email, model.NormalizeEmail(b.Email), b.Phone, model.PhoneDigits(b.Phone), b.Company, b.Plan,
			b.Region, b.City, b.Language, b.Gender, b.Lifecycle, b.LTV, b.Attrs, b.CreatedAt,
			fmtTime(s.now()), into); err != nil {
			return err
		}
		// its old-duplicate marks too (apart: a changed e-mail clears them)
		if _, err := tx.ExecContext(ctx, "UPDATE customers SET email_dup = ?, phone_dup = ? WHERE id = ?",
			b.EmailDup, b.PhoneDup, into); err != nil {
			return err
		}
		if err := setGrams(ctx, tx, into, b.Name, b.Company, true); err != nil {
			return err
		}
		if err := setCustomerTags(ctx, tx, into, nil, rec.TagsAdded); err != nil {
			return err
		}
		// The merged customer, held to the identity rule unless it was an
		// old duplicate (migration 9) before.
		f := rec.From
		email, phone := f.Email, f.Phone
		if f.EmailDup != 0 {
			email = ""
		}
		if f.PhoneDup != 0 {
			phone = ""
		}
		if err := identityConflict(ctx, tx, from, email, phone); err != nil {
			return fmt.Errorf("%w: %w", model.ErrConflict, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO customers(id, name, email, email_key, phone, phone_digits,
			company, plan, region, city, language, gender, lifecycle, ltv, attrs, created_at, updated_at, version,
			email_dup, phone_dup) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			f.ID, f.Name, f.Email, model.NormalizeEmail(f.Email), f.Phone, model.PhoneDigits(f.Phone), f.Company, f.Plan,
			f.Region, f.City, f.Language, f.Gender, f.Lifecycle, f.LTV, f.Attrs, f.CreatedAt, fmtTime(s.now()),
			f.Version+1, f.EmailDup, f.PhoneDup); err != nil {
			return err
		}
		if err := setGrams(ctx, tx, from, f.Name, f.Company, false); err != nil {
			return err
		}
		if err := setCustomerTags(ctx, tx, from, f.Tags, nil); err != nil {
			return err
		}
		if err := agg.take(ctx, tx, from); err != nil { // no rows yet: finish counts what moves back
			return err
		}
		for _, mv := range []struct {
			query string
			ids   []int64
		}{
			{"UPDATE feedback SET customer_id = ?1 WHERE id IN (SELECT value FROM " + s.d.idRows("?2") + ")", rec.Feedback},
			{"UPDATE notes SET customer_id = ?1 WHERE id IN (SELECT value FROM " + s.d.idRows("?2") + ")", rec.Notes},
			{"UPDATE followups SET customer_id = ?1 WHERE id IN (SELECT value FROM " + s.d.idRows("?2") + ")", rec.FollowUps},
			{"UPDATE audit SET entity_id = ?1 WHERE entity = 'customer' AND id IN (SELECT value FROM " + s.d.idRows("?2") + ")", rec.Audit},
		} {
			if len(mv.ids) == 0 {
				continue
			}
			list, _ := json.Marshal(mv.ids)
			if _, err := tx.ExecContext(ctx, mv.query, from, string(list)); err != nil {
				return err
			}
		}
		for _, k := range rec.Keys {
			if _, err := tx.ExecContext(ctx, "UPDATE customer_keys SET customer_id = ? WHERE source = ? AND external_id = ? AND customer_id = ?",
				from, k[0], k[1], into); err != nil {
				return err
			}
		}
		if err := agg.finish(ctx, tx); err != nil {
			return err
		}
		if res.Survivor, err = getCustomer(ctx, tx, into); err != nil {
			return err
		}
		res.Moved = model.MergeMoved{Feedback: len(rec.Feedback), Notes: len(rec.Notes), FollowUps: len(rec.FollowUps),
			Tags: len(rec.TagsAdded), Keys: len(rec.Keys)}
		diff := customerChanges(cur, res.Survivor)
		diff["unmerged"] = [2]any{auditID, from}
		if err := writeAudit(ctx, tx, s.now(), agent, "customer", into, "unmerge", diff); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT max(id) FROM audit").Scan(&res.AuditID); err != nil {
			return err
		}
		return addWarnings(ctx, s.d, tx, s.now(), &res.Survivor)
	})
	return res, err
}

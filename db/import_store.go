package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// errDryRun rolls a dry run's transaction back after counting.
var errDryRun = errors.New("dry run")

// ImportBatch applies converted rows in one transaction: customers are
// found by (source, their id), then email (case-folded), then phone
// digits, else created; feedback by (source, ticket id), else created.
// Only what differs is written, so importing a file twice changes nothing
// the second time and counts every row unchanged. With dryRun the same
// work is done and rolled back, so the counts are exact.
func (s *Store) ImportBatch(ctx context.Context, agent, source string, recs []model.ImportRecord, dryRun bool) (_ model.ImportCounts, err error) {
	ctx = requires(ctx, model.RoleLead, "import")
	fl := s.firstLoad.Load()
	if fl != nil && !dryRun && s.pinned == nil {
		counts, ferr := s.importFirstLoad(ctx, fl, agent, source, recs)
		if !errors.Is(ferr, errHandOver) {
			return counts, ferr
		}
		// Another session wrote a row the load took for new: this batch
		// goes the exact way, and the load looks up what it names later.
		defer func() {
			if err == nil {
				fl.handOver(source, recs)
			}
		}()
	}
	var counts model.ImportCounts
	// A ticket exported once per interaction (GLPI) is one feedback item:
	// within a batch only its last row is applied, the others count as
	// unchanged, so a second import finds nothing to change.
	last := map[string]int{}
	for i, r := range recs {
		if r.Feedback != nil {
			last[r.FeedbackKey] = i
		}
	}
	err = s.write(ctx, func(sqlTx *sql.Tx) error {
		tx := newStmtCache(sqlTx)
		defer tx.close()
		now := fmtTime(s.now())
		// Classification rules fill what a row leaves empty; the same rules
		// give the same result, so a second import still changes nothing.
		rules, err := loadRules(ctx, tx)
		if err != nil {
			return err
		}
		bulk, err := beginBulk(ctx, s.d, tx)
		if err != nil {
			return err
		}
		agg, err := beginBulkAgg(ctx, s.d, tx)
		if err != nil {
			return err
		}
		cats := map[string]int64{} // category ids by path, for this batch
		for i, r := range recs {
			if r.Feedback != nil && last[r.FeedbackKey] != i {
				counts.Unchanged++
				continue
			}
			withRules(&r, rules)
			id, created, updated, err := s.importCustomer(ctx, tx, agent, source, r, now, bulk, agg)
			if dup := (*model.DuplicateError)(nil); errors.As(err, &dup) {
				counts.Errors++
				counts.Rejected = append(counts.Rejected, model.ImportRowError{Line: r.Line, Reason: dup.Error()})
				continue
			}
			if err != nil {
				return err
			}
			changed := created || updated
			if created {
				counts.CustomersCreated++
			} else if updated {
				counts.CustomersUpdated++
			}
			if r.Feedback != nil {
				fc, fu, err := importFeedback(ctx, tx, source, id, agent, r, now, agg, cats)
				if err != nil {
					return err
				}
				if fc {
					counts.FeedbackCreated++
				} else if fu {
					counts.FeedbackUpdated++
				}
				changed = changed || fc || fu
			}
			if !changed {
				counts.Unchanged++
			}
		}
		if err := agg.finish(ctx, tx); err != nil {
			return err
		}
		if err := bulk.flush(ctx, tx); err != nil {
			return err
		}
		if changed := counts.CustomersCreated + counts.CustomersUpdated + counts.FeedbackCreated + counts.FeedbackUpdated; changed > 0 {
			// The batch in the audit trail: who imported what from where.
			if err := writeAudit(ctx, tx, s.now(), agent, "import", 0, "import", map[string][2]any{
				"source": {nil, source}, "customers_created": {nil, counts.CustomersCreated},
				"customers_updated": {nil, counts.CustomersUpdated}, "feedback_created": {nil, counts.FeedbackCreated},
				"feedback_updated": {nil, counts.FeedbackUpdated}}); err != nil {
				return err
			}
		}
		if dryRun && s.pinned == nil {
			return errDryRun // inside DryRun the whole run is rolled back at its end
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return counts, err
}

func (s *Store) importCustomer(ctx context.Context, tx querier, agent, source string, r model.ImportRecord, now string, bulk bulkIndex, agg *bulkAgg) (id int64, created, updated bool, err error) {
	c := r.Customer
	trimCustomer(&c)
	found, byKey, matched := false, false, false
	if r.CustomerKey != "" {
		err = tx.QueryRowContext(ctx, "SELECT customer_id, matched FROM customer_keys WHERE source = ? AND external_id = ?",
			source, r.CustomerKey).Scan(&id, &matched)
		found, byKey = err == nil, err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, false, false, err
		}
	}
	// "<> ''" repeats the partial indexes' condition so SQLite uses them
	// (it cannot tell that a bound value is not empty).
	if !found && c.Email != "" {
		err = tx.QueryRowContext(ctx, "SELECT id FROM customers WHERE email_key = ? AND email_key <> '' ORDER BY id LIMIT 1",
			model.NormalizeEmail(c.Email)).Scan(&id)
		found = err == nil
	}
	byEmail := found && !byKey
	if d := model.PhoneDigits(c.Phone); !found && d != "" {
		err = tx.QueryRowContext(ctx, "SELECT id FROM customers WHERE phone_digits = ? AND phone_digits <> '' ORDER BY id LIMIT 1", d).Scan(&id)
		found = err == nil
	}
	// A row whose e-mail names one customer and whose phone (or, matched by
	// its source id, e-mail) names another would make one person two
	// customers, or move an identity between them: it is rejected, with
	// both named (identity.go), before anything of it is written. A match
	// by phone looked for the e-mail already and found no one.
	if found && !r.CustomerRef && (byKey || byEmail) {
		email := c.Email
		if byEmail {
			email = ""
		}
		if err := identityConflict(ctx, tx, id, email, c.Phone); err != nil {
			return 0, false, false, err
		}
	}
	if !found {
		if c.Lifecycle == "" {
			c.Lifecycle = model.LifecycleNew
		}
		res, err := insertReturningID(ctx, tx, `INSERT INTO customers(name, email, email_key, phone, phone_digits,
			company, plan, region, city, language, gender, lifecycle, ltv, attrs, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			c.Name, c.Email, model.NormalizeEmail(c.Email), c.Phone, model.PhoneDigits(c.Phone),
			c.Company, c.Plan, c.Region, c.City, c.Language, c.Gender, string(c.Lifecycle), c.LTV,
			attrsJSON(c.Attrs), now, now)
		if err != nil {
			return 0, false, false, err
		}
		if id, err = res.LastInsertId(); err != nil {
			return 0, false, false, err
		}
		created = true // indexed by bulk.flush
	} else {
		old, err := getCustomer(ctx, tx, id)
		if err != nil {
			return 0, false, false, err
		}
		// The same system's record of this customer (matched by its id)
		// is newer news and overwrites; a match by email or phone from
		// elsewhere only fills what is empty, so rows that disagree (two
		// names for one email) cannot flip a customer back and forth.
		next := mergeImported(old, c, byKey && !matched) // a key bound by a match only fills (migration 12)
		if r.CustomerRef {
			next = old // a later row of the file describes this customer
		} else if byKey && len(customerChanges(old, next)) > 0 {
			// Two of the source's customers that share an email or phone
			// are one customer here; neither id's rows may overwrite the
			// other's, or each import would flip it between them.
			var ids int
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM customer_keys WHERE source = ? AND customer_id = ?",
				source, id).Scan(&ids); err != nil {
				return 0, false, false, err
			}
			if ids > 1 {
				next = mergeImported(old, c, false)
			}
		}
		if ch := customerChanges(old, next); len(ch) > 0 {
			delete(ch, "tags") // tags are added below
			if len(ch) > 0 {
				if old.Plan != next.Plan || old.Region != next.Region || old.Lifecycle != next.Lifecycle {
					if err := agg.take(ctx, tx, id); err != nil {
						return 0, false, false, err
					}
				}
				_, err := tx.ExecContext(ctx, `UPDATE customers SET name=?, email=?, email_key=?, phone=?, phone_digits=?,
					company=?, plan=?, region=?, city=?, language=?, gender=?, ltv=?, attrs=?,
					updated_at=?, version=version+1 WHERE id=?`,
					next.Name, next.Email, model.NormalizeEmail(next.Email), next.Phone, model.PhoneDigits(next.Phone),
					next.Company, next.Plan, next.Region, next.City, next.Language, next.Gender, next.LTV,
					attrsJSON(next.Attrs), now, id)
				if err != nil {
					return 0, false, false, err
				}
				if (old.Name != next.Name || old.Company != next.Company) && !bulk.created(id) {
					if err := setGrams(ctx, tx, id, next.Name, next.Company, true); err != nil {
						return 0, false, false, err
					}
				}
				// One audit row per version, as every versioned write
				// leaves (the conflict view reads them).
				if err := writeAudit(ctx, tx, s.now(), agent, "customer", id, "import", ch); err != nil {
					return 0, false, false, err
				}
				updated = true
			}
		}
		for _, t := range c.Tags {
			if !contains(old.Tags, t) {
				updated = true
			}
		}
	}
	if len(c.Tags) > 0 {
		if err := setCustomerTags(ctx, tx, id, c.Tags, nil); err != nil {
			return 0, false, false, err
		}
	}
	if r.CustomerKey != "" && !byKey {
		if _, err := tx.ExecContext(ctx, "INSERT INTO customer_keys(source, external_id, customer_id, matched) VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
			source, r.CustomerKey, id, !created); err != nil {
			return 0, false, false, err
		}
	}
	return id, created, updated, nil
}

// mergeImported takes the imported values that are present over the
// stored ones; attributes are merged key by key.
func mergeImported(old, in model.Customer, overwrite bool) model.Customer {
	next := old
	set := func(dst *string, v string) {
		if v != "" && (overwrite || *dst == "") {
			*dst = v
		}
	}
	set(&next.Name, in.Name)
	set(&next.Email, in.Email)
	set(&next.Phone, in.Phone)
	set(&next.Company, in.Company)
	set(&next.Plan, in.Plan)
	set(&next.Region, in.Region)
	set(&next.City, in.City)
	set(&next.Language, in.Language)
	set(&next.Gender, in.Gender)
	if in.LTV > 0 && (overwrite || next.LTV == 0) {
		next.LTV = in.LTV
	}
	if len(in.Attrs) > 0 {
		attrs := map[string]string{}
		for k, v := range old.Attrs {
			attrs[k] = v
		}
		for k, v := range in.Attrs {
			if _, had := attrs[k]; overwrite || !had {
				attrs[k] = v
			}
		}
		next.Attrs = attrs
	}
	return next
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func importFeedback(ctx context.Context, tx querier, source string, customer int64, agent string, r model.ImportRecord, now string, agg *bulkAgg, cats map[string]int64) (created, updated bool, err error) {
	f := *r.Feedback
	f.Normalize()
	f.CustomerID = customer
	// A row without a date keeps the date it got when first imported.
	undated := f.CreatedAt.IsZero()
	if undated {
		f.CreatedAt = parseTime(now)
		if !r.UndatedAt.IsZero() {
			f.CreatedAt = r.UndatedAt.UTC() // the importer's rule for rows without a date
		}
	}
	var cat any
	if f.Category != "" {
		cid, ok := cats[f.Category]
		if !ok {
			if cid, err = categoryID(ctx, tx, f.Category); err != nil {
				return false, false, err
			}
			cats[f.Category] = cid
		}
		cat = cid
	}
	createdAt := fmtTime(f.CreatedAt)
	resolved := fmtTimePtr(f.ResolvedAt)
	var id, oldCustomer int64
	var oldSig, oldCreated string
	err = tx.QueryRowContext(ctx, `SELECT id, customer_id, created_at, channel||'|'||kind||'|'||subject||'|'||body||'|'||coalesce(CAST(category_id AS TEXT),'')||'|'||
		priority||'|'||status||'|'||coalesce(CAST(csat AS TEXT),'')||'|'||coalesce(csat_raw,'')||'|'||coalesce(CAST(nps AS TEXT),'')||'|'||agent||'|'||created_at||'|'||coalesce(resolved_at,'')||'|'||attrs
		FROM feedback WHERE source = ? AND external_id = ?`, source, r.FeedbackKey).Scan(&id, &oldCustomer, &oldCreated, &oldSig)
	if err == nil && undated {
		createdAt = oldCreated
	}
	newSig := strings.Join([]string{f.Channel, string(f.Kind), f.Subject, f.Body, sigAny(cat), string(f.Priority),
		string(f.Status), sigAny(intOrNil(f.CSAT)), f.CSATRaw, sigAny(intOrNil(f.NPS)), f.Agent, createdAt, sigAny(resolved),
		attrsJSON(f.Attrs)}, "|")
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := insertReturningID(ctx, tx, `INSERT INTO feedback(customer_id, source, external_id, channel, kind,
			subject, body, category_id, priority, status, csat, csat_raw, nps, agent, created_at, resolved_at, updated_at, attrs)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			customer, source, r.FeedbackKey, f.Channel, string(f.Kind), f.Subject, f.Body, cat,
			string(f.Priority), string(f.Status), intOrNil(f.CSAT), nullable(f.CSATRaw), intOrNil(f.NPS),
			f.Agent, createdAt, resolved, now, attrsJSON(f.Attrs))
		if err != nil {
			return false, false, err
		}
		if id, err = res.LastInsertId(); err != nil {
			return false, false, err
		}
		f.ID = id
		if err := agg.add(ctx, tx, id, customer); err != nil {
			return false, false, err
		}
		created = true
	case err != nil:
		return false, false, err
	case oldSig != newSig || oldCustomer != customer:
		for _, c := range []int64{oldCustomer, customer} {
			if err := agg.take(ctx, tx, c); err != nil {
				return false, false, err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE feedback SET customer_id=?, channel=?, kind=?, subject=?, body=?, category_id=?,
			priority=?, status=?, csat=?, csat_raw=?, nps=?, agent=?, created_at=?, resolved_at=?, updated_at=?,
			attrs=?, version=version+1 WHERE id=?`,
			customer, f.Channel, string(f.Kind), f.Subject, f.Body, cat, string(f.Priority), string(f.Status),
			intOrNil(f.CSAT), nullable(f.CSATRaw), intOrNil(f.NPS), f.Agent, createdAt, resolved, now, attrsJSON(f.Attrs), id)
		if err != nil {
			return false, false, err
		}
		updated = true
	}
	for _, t := range f.Tags {
		tid, err := tagID(ctx, tx, t)
		if err != nil {
			return false, false, err
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO feedback_tags(feedback_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, tid)
		if err != nil {
			return false, false, err
		}
		if n, _ := res.RowsAffected(); n > 0 && !created {
			updated = true
		}
	}
	return created, updated, nil
}

// sigAny writes a value as SQLite's || would, for comparing a stored row
// with an imported one.
func sigAny(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

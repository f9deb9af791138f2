package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// followupsOpenExpr is a customer's open follow-ups, kept in
// followup_counts (migration 13) rather than on the customer's row.
const followupsOpenExpr = "coalesce((SELECT fco.open FROM followup_counts fco WHERE fco.customer_id = c.id), 0)"

// customerCols is the column list every customer query selects, in the
// order scanCustomer reads.
const customerCols = `c.id, c.name, c.email, c.phone, c.company, c.plan, c.region, c.city,
	c.language, c.gender, c.lifecycle, c.ltv, c.attrs, c.csat_n, c.csat_avg, c.nps_last,
	c.feedback_n, c.complaints_open, ` + followupsOpenExpr + `, c.last_contact_at,
	c.created_at, c.updated_at, c.version`

type rowScanner interface{ Scan(dest ...any) error }

func scanCustomer(r rowScanner, extra ...any) (model.Customer, error) {
	var c model.Customer
	var lifecycle, attrs, created, updated string
	var csatAvg sql.NullFloat64
	var npsLast sql.NullInt64
	var lastContact sql.NullString
	dest := []any{&c.ID, &c.Name, &c.Email, &c.Phone, &c.Company, &c.Plan, &c.Region, &c.City,
		&c.Language, &c.Gender, &lifecycle, &c.LTV, &attrs, &c.CSATN, &csatAvg, &npsLast,
		&c.FeedbackN, &c.ComplaintsOpen, &c.FollowupsOpen, &lastContact,
		&created, &updated, &c.Version}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return c, err
	}
	c.Lifecycle = model.Lifecycle(lifecycle)
	if attrs != "" && attrs != "{}" {
		m := map[string]string{}
		if err := json.Unmarshal([]byte(attrs), &m); err == nil {
			c.Attrs = m
		} else {
			// attrs from older imports may hold non-string values
			var anyMap map[string]any
			if json.Unmarshal([]byte(attrs), &anyMap) == nil {
				for k, v := range anyMap {
					m[k] = fmt.Sprint(v)
				}
				c.Attrs = m
			}
		}
	}
	if csatAvg.Valid {
		v := csatAvg.Float64
		c.CSATAvg = &v
	}
	c.NPSLast = intPtr(npsLast)
	c.LastContactAt = parseTimeNull(lastContact)
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	c.Tags = []string{}
	c.Warnings = []string{}
	return c, nil
}

func attrsJSON(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m) // map[string]string always marshals
	return string(b)
}

// Customer returns one customer with tags and attributes.
func (s *Store) Customer(ctx context.Context, id int64) (model.Customer, error) {
	var c model.Customer
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = getCustomer(ctx, tx, id); err != nil {
			return err
		}
		return addWarnings(ctx, s.d, tx, s.now(), &c)
	})
	return c, err
}

// addWarnings fills in the warn segments one customer is in.
func addWarnings(ctx context.Context, d dialect, q querier, now time.Time, c *model.Customer) error {
	w, err := warningsOf(ctx, d, q, now, []int64{c.ID})
	if err != nil {
		return err
	}
	if w[c.ID] != nil {
		c.Warnings = w[c.ID]
	}
	return nil
}

func getCustomer(ctx context.Context, q querier, id int64) (model.Customer, error) {
	c, err := scanCustomer(q.QueryRowContext(ctx, "SELECT "+customerCols+" FROM customers c WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("customer %d: %w", id, model.ErrNotFound)
	}
	if err != nil {
		return c, err
	}
	tags, err := tagsOf(ctx, q, []int64{id})
	if err != nil {
		return c, err
	}
	if t := tags[id]; t != nil {
		c.Tags = t
	}
	return c, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// tagsOf loads the tags of several customers in one query.
func tagsOf(ctx context.Context, q querier, ids []int64) (map[int64][]string, error) {
	return tagNames(ctx, q, "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id IN (%s) ORDER BY 1, 2", ids)
}

// tagNames runs a (owner id, tag name) query over ids, with %s standing
// for the id placeholders.
func tagNames(ctx context.Context, q querier, query string, ids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf(query, placeholders(len(ids))), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = append(out[id], name)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

// FindCustomer resolves a reference typed by a person: an id, an email
// (any case) or a phone number (compared by digits).
func (s *Store) FindCustomer(ctx context.Context, ref string) (model.Customer, error) {
	ref = strings.TrimSpace(ref)
	var c model.Customer
	err := s.read(ctx, func(tx *sql.Tx) error {
		var id int64
		var err error
		switch {
		case isAllDigits(ref) && len(ref) < 12:
			id, err = strconv.ParseInt(ref, 10, 64)
			if err == nil {
				c, err = getCustomer(ctx, tx, id)
				if err == nil {
					return addWarnings(ctx, s.d, tx, s.now(), &c)
				}
				if !errors.Is(err, model.ErrNotFound) {
					return err
				}
			}
			fallthrough
		case isPhoneLike(ref):
			id, err = uniqueRef(ctx, tx, ref, "phone_digits", model.PhoneDigits(ref))
		case strings.Contains(ref, "@"):
			id, err = uniqueRef(ctx, tx, ref, "email_key", model.NormalizeEmail(ref))
		default:
			err = sql.ErrNoRows
		}
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no customer matches %q: %w", ref, model.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if c, err = getCustomer(ctx, tx, id); err != nil {
			return err
		}
		return addWarnings(ctx, s.d, tx, s.now(), &c)
	})
	return c, err
}

// uniqueRef finds the one customer an e-mail or phone names; two (from
// before the identity rule) are an *model.AmbiguousError, never a pick.
func uniqueRef(ctx context.Context, q querier, ref, column, key string) (int64, error) {
	ids, err := refIDs(ctx, q, column, key, 5)
	switch {
	case err != nil:
		return 0, err
	case len(ids) == 0:
		return 0, sql.ErrNoRows
	case len(ids) > 1:
		return 0, &model.AmbiguousError{Ref: ref, IDs: ids}
	}
	return ids[0], nil
}

func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isPhoneLike: digits with the usual separators, and enough digits to be a
// phone number rather than a word.
func isPhoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-() ./", r):
		default:
			return false
		}
	}
	return digits >= 3
}

// CreateCustomer validates and stores a new customer, with tags, search
// entries and an audit record, in one transaction.
func (s *Store) CreateCustomer(ctx context.Context, agent string, c model.Customer) (model.Customer, error) {
	ctx = requires(ctx, model.RoleAgent, "add customers")
	trimCustomer(&c)
	if c.Lifecycle == "" {
		c.Lifecycle = model.LifecycleNew
	}
	if err := c.Validate(); err != nil {
		return model.Customer{}, err
	}
	var out model.Customer
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := identityConflict(ctx, tx, 0, c.Email, c.Phone); err != nil {
			return err
		}
		now := fmtTime(s.now())
		res, err := insertReturningID(ctx, tx, `INSERT INTO customers(name, email, email_key, phone, phone_digits,
			company, plan, region, city, language, gender, lifecycle, ltv, attrs, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			c.Name, c.Email, model.NormalizeEmail(c.Email), c.Phone, model.PhoneDigits(c.Phone),
			c.Company, c.Plan, c.Region, c.City, c.Language, c.Gender, string(c.Lifecycle), c.LTV,
			attrsJSON(c.Attrs), now, now)
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if err := setGrams(ctx, tx, id, c.Name, c.Company, false); err != nil {
			return err
		}
		if err := setCustomerTags(ctx, tx, id, c.Tags, nil); err != nil {
			return err
		}
		out, err = getCustomer(ctx, tx, id)
		if err != nil {
			return err
		}
		return writeAudit(ctx, tx, s.now(), agent, "customer", id, "create", customerChanges(model.Customer{}, out))
	})
	return out, err
}

func trimCustomer(c *model.Customer) {
	for _, p := range []*string{&c.Name, &c.Email, &c.Phone, &c.Company, &c.Plan, &c.Region, &c.City, &c.Language, &c.Gender} {
		*p = strings.TrimSpace(*p)
	}
}

// setGrams keeps the two-character search index of a customer in step.
func setGrams(ctx context.Context, tx querier, id int64, name, company string, replace bool) error {
	if replace {
		if _, err := tx.ExecContext(ctx, "DELETE FROM customers_grams WHERE rowid = ?", id); err != nil {
			return err
		}
	}
	if g := cjkBigrams(name, company); g != "" {
		_, err := tx.ExecContext(ctx, "INSERT INTO customers_grams(rowid, grams) VALUES (?, ?)", id, g)
		return err
	}
	return nil
}

// tagID returns the id of a tag, creating it on first use.
func tagID(ctx context.Context, tx querier, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM tags WHERE name = ?", name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		res, err := insertReturningID(ctx, tx, "INSERT INTO tags(name) VALUES (?)", name)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	return id, err
}

// storedTagNames spells each tag as the tags table does. Tag names are
// unique regardless of (ASCII) case, so "VIP" names the stored "vip"; the
// patch must say "vip" too, or removing "VIP" would look like no change.
func storedTagNames(ctx context.Context, q querier, names []string) ([]string, error) {
	if len(names) == 0 {
		return names, nil
	}
	out := make([]string, len(names))
	for i, n := range names {
		err := q.QueryRowContext(ctx, "SELECT name FROM tags WHERE name = ?", n).Scan(&out[i])
		if errors.Is(err, sql.ErrNoRows) {
			out[i] = n
		} else if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func setCustomerTags(ctx context.Context, tx querier, id int64, add, remove []string) error {
	for _, t := range add {
		tid, err := tagID(ctx, tx, t)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO customer_tags(customer_id, tag_id) VALUES (?, ?) ON CONFLICT DO NOTHING", id, tid); err != nil {
			return err
		}
	}
	for _, t := range remove {
		if _, err := tx.ExecContext(ctx, `DELETE FROM customer_tags WHERE customer_id = ?
			AND tag_id = (SELECT id FROM tags WHERE name = ?)`, id, t); err != nil {
			return err
		}
	}
	return nil
}

// UpdateCustomer applies a patch. With ifVersion > 0 the write is refused
// with a *model.StaleError when someone changed the customer since.
func (s *Store) UpdateCustomer(ctx context.Context, agent string, id int64, p model.CustomerPatch, ifVersion int64) (model.Customer, error) {
	ctx = requires(ctx, model.RoleAgent, "edit customers")
	var out model.Customer
	err := s.write(ctx, func(tx *sql.Tx) error {
		old, err := getCustomer(ctx, tx, id)
		if err != nil {
			return err
		}
		if ifVersion > 0 && old.Version != ifVersion {
			return &model.StaleError{Entity: "customer", ID: id, Want: ifVersion, Have: old.Version,
				ByAgent: lastAgent(ctx, tx, "customer", id),
				Changes: staleChanges(ctx, tx, "customer", id, old.Version-ifVersion)}
		}
		if p.AddTags, err = storedTagNames(ctx, tx, p.AddTags); err != nil {
			return err
		}
		if p.RemoveTags, err = storedTagNames(ctx, tx, p.RemoveTags); err != nil {
			return err
		}
		next, err := p.Apply(old)
		if err != nil {
			return err
		}
		trimCustomer(&next)
		changes := customerChanges(old, next)
		if len(changes) == 0 {
			out = old
			return nil
		}
		if email, phone := changedIdentity(old, next); email != "" || phone != "" {
			if err := identityConflict(ctx, tx, id, email, phone); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE customers SET name=?, email=?, email_key=?, phone=?, phone_digits=?,
			company=?, plan=?, region=?, city=?, language=?, gender=?, lifecycle=?, ltv=?, attrs=?,
			updated_at=?, version=version+1 WHERE id=?`,
			next.Name, next.Email, model.NormalizeEmail(next.Email), next.Phone, model.PhoneDigits(next.Phone),
			next.Company, next.Plan, next.Region, next.City, next.Language, next.Gender, string(next.Lifecycle),
			next.LTV, attrsJSON(next.Attrs), fmtTime(s.now()), id)
		if err != nil {
			return err
		}
		if old.Name != next.Name || old.Company != next.Company {
			if err := setGrams(ctx, tx, id, next.Name, next.Company, true); err != nil {
				return err
			}
		}
		if err := setCustomerTags(ctx, tx, id, p.AddTags, p.RemoveTags); err != nil {
			return err
		}
		if err := writeAudit(ctx, tx, s.now(), agent, "customer", id, "update", changes); err != nil {
			return err
		}
		out, err = getCustomer(ctx, tx, id)
		return err
	})
	return out, err
}

// customerChanges lists the fields that differ, as [old, new] pairs.
func customerChanges(a, b model.Customer) map[string][2]any {
	ch := map[string][2]any{}
	str := func(name, x, y string) {
		if x != y {
			ch[name] = [2]any{nullable(x), nullable(y)}
		}
	}
	str("name", a.Name, b.Name)
	str("email", a.Email, b.Email)
	str("phone", a.Phone, b.Phone)
	str("company", a.Company, b.Company)
	str("plan", a.Plan, b.Plan)
	str("region", a.Region, b.Region)
	str("city", a.City, b.City)
	str("language", a.Language, b.Language)
	str("gender", a.Gender, b.Gender)
	str("lifecycle", string(a.Lifecycle), string(b.Lifecycle))
	if a.LTV != b.LTV {
		ch["ltv"] = [2]any{a.LTV, b.LTV}
	}
	if attrsJSON(a.Attrs) != attrsJSON(b.Attrs) {
		ch["attrs"] = [2]any{a.Attrs, b.Attrs}
	}
	at, bt := sortedCopy(a.Tags), sortedCopy(b.Tags)
	if strings.Join(at, "\x00") != strings.Join(bt, "\x00") {
		ch["tags"] = [2]any{at, bt}
	}
	return ch
}

func sortedCopy(ss []string) []string {
	out := append([]string{}, ss...)
	sort.Strings(out)
	return out
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// writeAudit records one change with the agent who made it.
func writeAudit(ctx context.Context, tx querier, at time.Time, agent, entity string, id int64, action string, changes map[string][2]any) error {
	if changes == nil {
		changes = map[string][2]any{}
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit(at, agent, entity, entity_id, action, changes) VALUES (?,?,?,?,?,?)`,
		fmtTime(at), agent, entity, id, action, string(b))
	return err
}

// lastAgent names who last changed a record, for stale-write messages.
func lastAgent(ctx context.Context, q querier, entity string, id int64) string {
	var agent string
	q.QueryRowContext(ctx, "SELECT agent FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT 1",
		entity, id).Scan(&agent)
	return agent
}

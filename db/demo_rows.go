package db

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// demoRows writes a model.DemoSource's rows through a demoLoader: it is
// the source's model.DemoSink, turning each value into the rows of its
// tables (the customer's e-mail and phone keys, bigrams and tags; the
// feedback's category id and tags).
type demoRows struct {
	l                                 *demoLoader
	catIDs                            map[string]int64
	tagIDs                            map[string]int64
	customers, customerTags, grams    *demoTable
	feedback, feedbackTags, followUps *demoTable
	notes                             *demoTable
}

// setup creates the taxonomy, the tags and the saved segments, reusing
// any that exist, and keeps the ids the rows refer to.
func (d *demoRows) setup(ctx context.Context, conn *sql.Conn, setup model.DemoSetup) error {
	d.catIDs, d.tagIDs = map[string]int64{}, map[string]int64{}
	for _, path := range setup.Categories {
		parent, child, _ := strings.Cut(path, "/")
		for _, p := range []string{parent, path} {
			if _, ok := d.catIDs[p]; ok {
				continue
			}
			var parentID any
			name := p
			if p == path {
				parentID, name = d.catIDs[parent], child
			}
			if _, err := conn.ExecContext(ctx, `INSERT INTO categories(parent_id, name, path) VALUES (?, ?, ?)
				ON CONFLICT (path) DO NOTHING`, parentID, name, p); err != nil {
				return err
			}
			var id int64
			if err := conn.QueryRowContext(ctx, `SELECT id FROM categories WHERE path = ?`, p).Scan(&id); err != nil {
				return err
			}
			d.catIDs[p] = id
		}
	}
	for _, name := range setup.Tags {
		if _, err := conn.ExecContext(ctx, `INSERT INTO tags(name) VALUES (?) ON CONFLICT (name) DO NOTHING`, name); err != nil {
			return err
		}
		var id int64
		if err := conn.QueryRowContext(ctx, `SELECT id FROM tags WHERE name = ?`, name).Scan(&id); err != nil {
			return err
		}
		d.tagIDs[name] = id
	}
	for _, seg := range setup.Segments {
		if _, err := conn.ExecContext(ctx, `INSERT INTO segments(name, expression, warn, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`, seg.Name, seg.Expression, boolInt(seg.Warn),
			seg.CreatedBy, fmtTime(seg.CreatedAt), fmtTime(seg.UpdatedAt)); err != nil {
			return err
		}
	}
	return nil
}

// load prepares the tables, has src generate every row, and ends when the
// writer has committed them.
func (d *demoRows) load(l *demoLoader, src model.DemoSource) error {
	d.l = l
	for _, t := range []struct {
		dst  **demoTable
		name string
		cols []string
	}{
		{&d.customers, "customers", []string{"id", "name", "email", "email_key", "phone", "phone_digits",
			"company", "plan", "region", "city", "language", "gender", "lifecycle", "ltv", "attrs",
			"created_at", "updated_at"}},
		{&d.customerTags, "customer_tags", []string{"customer_id", "tag_id"}},
		{&d.grams, "customers_grams", []string{"rowid", "grams"}},
		{&d.feedback, "feedback", []string{"id", "customer_id", "source", "external_id", "channel", "kind",
			"subject", "body", "category_id", "priority", "status", "csat", "nps", "agent",
			"created_at", "resolved_at", "updated_at"}},
		{&d.feedbackTags, "feedback_tags", []string{"feedback_id", "tag_id"}},
		{&d.followUps, "followups", []string{"id", "customer_id", "assignee", "due_at", "note", "status",
			"campaign", "created_by", "created_at", "done_at", "updated_at"}},
		{&d.notes, "notes", []string{"id", "customer_id", "agent", "body", "created_at"}},
	} {
		var err error
		if *t.dst, err = l.table(t.name, t.cols...); err != nil {
			return err
		}
	}
	l.begin()
	if err := src.Generate(d); err != nil {
		return err
	}
	l.commit()
	return l.sync()
}

func (d *demoRows) DemoCustomer(c *model.Customer) error {
	if err := d.customers.add(c.ID, c.Name, c.Email, model.NormalizeEmail(c.Email), c.Phone, model.PhoneDigits(c.Phone),
		c.Company, c.Plan, c.Region, c.City, c.Language, c.Gender, string(c.Lifecycle), c.LTV, attrsJSON(c.Attrs),
		fmtTime(c.CreatedAt), fmtTime(c.UpdatedAt)); err != nil {
		return err
	}
	if gr := cjkBigrams(c.Name, c.Company); gr != "" {
		if err := d.grams.add(c.ID, gr); err != nil {
			return err
		}
	}
	for _, t := range c.Tags {
		if err := d.customerTags.add(c.ID, d.tagIDs[t]); err != nil {
			return err
		}
	}
	return d.l.row()
}

func (d *demoRows) DemoFeedback(f *model.Feedback, updatedAt time.Time) error {
	var category, csat, nps any
	if f.Category != "" {
		category = d.catIDs[f.Category]
	}
	if f.CSAT != nil {
		csat = *f.CSAT
	}
	if f.NPS != nil {
		nps = *f.NPS
	}
	if err := d.feedback.add(f.ID, f.CustomerID, f.Source, f.ExternalID, f.Channel, string(f.Kind), f.Subject, f.Body,
		category, string(f.Priority), string(f.Status), csat, nps, f.Agent, fmtTime(f.CreatedAt), fmtTimePtr(f.ResolvedAt),
		fmtTime(updatedAt)); err != nil {
		return err
	}
	for _, t := range f.Tags {
		if err := d.feedbackTags.add(f.ID, d.tagIDs[t]); err != nil {
			return err
		}
	}
	return d.l.row()
}

func (d *demoRows) DemoFollowUp(f *model.FollowUp, updatedAt time.Time) error {
	if err := d.followUps.add(f.ID, f.CustomerID, f.Assignee, fmtTime(f.Due), f.Note, string(f.Status), f.Campaign,
		f.CreatedBy, fmtTime(f.CreatedAt), fmtTimePtr(f.DoneAt), fmtTime(updatedAt)); err != nil {
		return err
	}
	return d.l.row()
}

func (d *demoRows) DemoNote(n *model.Note) error {
	if err := d.notes.add(n.ID, n.CustomerID, n.Agent, n.Body, fmtTime(n.CreatedAt)); err != nil {
		return err
	}
	return d.l.row()
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// Rules lists the classification rules in the order they apply (oldest
// first), compiled.
func (s *Store) Rules(ctx context.Context) ([]model.Rule, error) {
	var out []model.Rule
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = loadRules(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return out, nil
}

func loadRules(ctx context.Context, q querier) ([]model.Rule, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.pattern, coalesce(c.path, ''), r.tags, coalesce(r.kind, ''),
		coalesce(r.priority, ''), r.created_by, r.created_at
		FROM rules r LEFT JOIN categories c ON c.id = r.category_id WHERE r.enabled <> 0 ORDER BY r.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []model.Rule{}
	for rows.Next() {
		var r model.Rule
		var tags, kind, priority, created string
		if err := rows.Scan(&r.ID, &r.Pattern, &r.Category, &tags, &kind, &priority, &r.CreatedBy, &created); err != nil {
			return nil, err
		}
		r.Kind, r.Priority, r.CreatedAt = model.Kind(kind), model.Priority(priority), parseTime(created)
		if json.Unmarshal([]byte(tags), &r.Tags) != nil || r.Tags == nil {
			r.Tags = []string{}
		}
		r.Compile() // stored patterns were checked; a bad one matches nothing
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddRule stores a rule after checking it: a pattern that is not a valid
// regular expression is refused with a *model.RuleError giving the
// column; the category must exist.
func (s *Store) AddRule(ctx context.Context, agent string, r model.Rule) (model.Rule, error) {
	ctx = requires(ctx, model.RoleLead, "change rules")
	r.Pattern = strings.TrimSpace(r.Pattern)
	r.Category = strings.TrimSpace(r.Category)
	if r.Kind != "" {
		k, err := model.ParseKind(string(r.Kind))
		if err != nil {
			return model.Rule{}, err
		}
		r.Kind = k
	}
	if r.Priority != "" {
		p, err := model.ParsePriority(string(r.Priority))
		if err != nil {
			return model.Rule{}, err
		}
		r.Priority = p
	}
	r.Tags = model.EditTags(nil, r.Tags, nil)
	if err := r.Validate(); err != nil {
		return model.Rule{}, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var cat any
		if r.Category != "" {
			e := &feedbackEditor{ctx: ctx, d: s.d, tx: tx}
			id, err := e.categoryID(r.Category, false)
			if err != nil {
				return err
			}
			cat = id
			if err := tx.QueryRowContext(ctx, "SELECT path FROM categories WHERE id = ?", id).Scan(&r.Category); err != nil {
				return err
			}
		}
		tags, _ := json.Marshal(r.Tags) // []string always marshals
		now := s.now()
		res, err := insertReturningID(ctx, tx, `INSERT INTO rules(pattern, category_id, tags, kind, priority, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, r.Pattern, cat, string(tags), nullable(string(r.Kind)),
			nullable(string(r.Priority)), agent, fmtTime(now))
		if err != nil {
			return err
		}
		if r.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		r.CreatedBy, r.CreatedAt = agent, now
		return writeAudit(ctx, tx, now, agent, "rule", r.ID, "create", map[string][2]any{
			"pattern": {nil, r.Pattern}, "category": {nil, nullable(r.Category)}, "tags": {nil, r.Tags},
			"kind": {nil, nullable(string(r.Kind))}, "priority": {nil, nullable(string(r.Priority))}})
	})
	if err != nil {
		return model.Rule{}, err
	}
	return r, nil
}

// RemoveRule deletes a rule.
func (s *Store) RemoveRule(ctx context.Context, agent string, id int64) error {
	ctx = requires(ctx, model.RoleLead, "change rules")
	return s.write(ctx, func(tx *sql.Tx) error {
		var pattern string
		if err := tx.QueryRowContext(ctx, "SELECT pattern FROM rules WHERE id = ?", id).Scan(&pattern); err != nil {
			return fmt.Errorf("rule %d: %w", id, translate(err))
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM rules WHERE id = ?", id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, s.now(), agent, "rule", id, "delete", map[string][2]any{"pattern": {pattern, nil}})
	})
}

// withRules fills an imported record's feedback from the rules, on a copy
// (the caller's record and its tags are left alone).
func withRules(r *model.ImportRecord, rules []model.Rule) {
	if r.Feedback == nil || len(rules) == 0 {
		return
	}
	fb := *r.Feedback
	fb.Tags = append([]string(nil), fb.Tags...)
	fillFromRules(&fb, rules)
	r.Feedback = &fb
}

// fillFromRules gives a new item what the rules say that it lacks
// (AddFeedback and imports): category, kind, priority, tags.
func fillFromRules(f *model.Feedback, rules []model.Rule) {
	if len(rules) == 0 {
		return
	}
	seen := *f
	if seen.Category == "" && seen.CategoryID != nil {
		seen.Category = "-" // set by id: not empty
	}
	sg, ok := model.Classify(rules, seen, false)
	if !ok {
		return
	}
	if sg.Category != "" {
		f.Category = sg.Category
	}
	if sg.Kind != "" {
		f.Kind = sg.Kind
	}
	if sg.Priority != "" {
		f.Priority = sg.Priority
	}
	f.Tags = append(f.Tags, sg.Tags...)
}

// rulesBatch is how many items one transaction of ApplyRules reads, so
// that other agents' writes get in between.
const rulesBatch = 2000

// ApplyRules runs the rules over every feedback item: matched counts the
// items any rule matches, changed those it changed. Only empty fields are
// filled (kind "feedback" and priority "normal" count as empty) unless
// all is set, when the first matching rule's category, kind and priority
// replace what is there; tags are only ever added. Each change is audited
// as action "rules". It works in batches of short transactions.
func (s *Store) ApplyRules(ctx context.Context, agent string, all bool) (matched, changed int, err error) {
	ctx = requires(ctx, model.RoleLead, "apply rules")
	rules, err := s.Rules(ctx)
	if err != nil || len(rules) == 0 {
		return 0, 0, err
	}
	var last int64
	for {
		n := 0
		err := s.write(ctx, func(tx *sql.Tx) error {
			items, err := rulesBatchItems(ctx, tx, last)
			if err != nil {
				return err
			}
			n = len(items)
			if n == 0 {
				return nil
			}
			last = items[n-1].ID
			e, err := newFeedbackEditor(ctx, s.d, tx, agent, s.now(), n)
			if err != nil {
				return err
			}
			defer e.close()
			e.action = "rules"
			for _, f := range items {
				sg, _ := model.Classify(rules, f, all)
				if len(sg.RuleIDs) == 0 {
					continue
				}
				matched++
				if sg.Empty() {
					continue
				}
				rp, err := e.resolve(sg.Patch(), false)
				if err != nil {
					return err
				}
				states, err := e.load([]int64{f.ID})
				if err != nil {
					return err
				}
				ok, err := e.apply(states[0], rp, false)
				if err != nil {
					return err
				}
				if ok {
					changed++
				}
			}
			return e.finish()
		})
		if err != nil {
			return matched, changed, err
		}
		if n < rulesBatch {
			return matched, changed, nil
		}
	}
}

// rulesBatchItems reads the next batch of items after id last with what
// the rules look at.
func rulesBatchItems(ctx context.Context, tx *sql.Tx, last int64) ([]model.Feedback, error) {
	rows, err := tx.QueryContext(ctx, `SELECT f.id, f.subject, f.body, coalesce(c.path, ''), f.kind, f.priority
		FROM feedback f LEFT JOIN categories c ON c.id = f.category_id WHERE f.id > ? ORDER BY f.id LIMIT ?`, last, rulesBatch)
	if err != nil {
		return nil, err
	}
	var items []model.Feedback
	for rows.Next() {
		var f model.Feedback
		var kind, priority string
		if err := rows.Scan(&f.ID, &f.Subject, &f.Body, &f.Category, &kind, &priority); err != nil {
			rows.Close()
			return nil, err
		}
		f.Kind, f.Priority = model.Kind(kind), model.Priority(priority)
		items = append(items, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return items, addFeedbackTags(ctx, tx, items)
}

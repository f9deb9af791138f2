package db

// Undo and redo of the TUI's writes, per agent, derived from the audit.
//
// A write made with a model.RecordActions context (every write of the TUI)
// is kept as an action: besides the audit rows it writes, its transaction
// adds one audit row of entity "action" and action "do", whose entity_id
// is the first audit row of the write (the action's id) and whose changes
// are {"event": [null, actionEvent]}. An undo replays the old values of
// those rows through the same write paths the forward action used
// (UpdateCustomer, SnoozeFollowUp, the feedback editor …) in one
// transaction, labels the rows it wrote "undo" and adds an "undo" action
// row; a redo replays the new values and adds a "redo" row. An action's
// state is its latest action row, so the stack is the same in every
// session of the agent and survives restarts. Before replaying, the
// versions the action's latest event left are compared with the stored
// ones: when anyone changed a record since, the step is refused and names
// who did.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

type txKey struct{}

// undoTx is the transaction an undo runs the write paths in, if any.
func undoTx(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(txKey{}).(*sql.Tx)
	return tx
}

// actionEvent is what one action row holds: the forward write ("do") or
// one undo or redo of it.
type actionEvent struct {
	Rows     [2]int64         `json:"rows"` // first and last audit row this event wrote
	Kind     string           `json:"kind,omitempty"`
	Summary  string           `json:"summary,omitempty"`
	Label    string           `json:"label,omitempty"`
	Customer int64            `json:"customer,omitempty"`
	Entity   string           `json:"entity,omitempty"`
	EntityID int64            `json:"entity_id,omitempty"`
	Items    int              `json:"items,omitempty"`
	Reason   string           `json:"reason,omitempty"`   // why it cannot be undone
	Versions map[string]int64 `json:"versions,omitempty"` // "feedback:12" → version after this event
	Deleted  []rowSnapshot    `json:"deleted,omitempty"`  // rows an undo removed, for the redo
}

// auditRow is one stored audit entry.
type auditRow struct {
	id, entityID          int64
	at                    string
	agent, entity, action string
	changes               map[string][2]any
}

// recorded runs fn and, when ctx asks for it, keeps what fn wrote as one
// action of its agent.
func (s *Store) recorded(ctx context.Context, tx *sql.Tx, fn func(*sql.Tx) error) error {
	if !model.RecordsActions(ctx) {
		return fn(tx)
	}
	var mark int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM audit").Scan(&mark); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	rows, err := auditRows(ctx, tx, mark+1, math.MaxInt64)
	if err != nil || len(rows) == 0 {
		return err
	}
	ev, err := describeAction(ctx, tx, rows)
	if err != nil {
		return err
	}
	ev.Rows = [2]int64{rows[0].id, rows[len(rows)-1].id}
	if ev.Versions, err = versionsOf(ctx, tx, rows); err != nil {
		return err
	}
	step, action := "do", rows[0].id
	if g := model.GroupOf(ctx); g != nil {
		// a later transaction of one command joins its first one ("more")
		var open bool
		if id := g.ID(); id != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit WHERE entity = 'action' AND entity_id = ?
				AND action = 'do' AND agent = ?)`, id, rows[0].agent).Scan(&open); err != nil {
				return err
			}
			if open {
				step, action = "more", id
			}
		}
		if !open {
			g.Start(action)
		}
	}
	return writeEvent(ctx, tx, fmtTime(s.now()), rows[0].agent, action, step, ev)
}

func writeEvent(ctx context.Context, tx querier, at, agent string, action int64, step string, ev actionEvent) error {
	b, err := json.Marshal(map[string][2]any{"event": {nil, ev}})
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit(at, agent, entity, entity_id, action, changes) VALUES (?,?,'action',?,?,?)`,
		at, agent, action, step, string(b))
	return err
}

// auditRows reads the entries from..to (inclusive) other than action rows.
func auditRows(ctx context.Context, q querier, from, to int64) ([]auditRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, at, agent, entity, entity_id, action, changes FROM audit
		WHERE id BETWEEN ? AND ? AND entity <> 'action' ORDER BY id`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		var js string
		if err := rows.Scan(&r.id, &r.at, &r.agent, &r.entity, &r.entityID, &r.action, &js); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(js), &r.changes); err != nil {
			r.changes = map[string][2]any{}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// versioned maps the audited entities that carry a version to their table.
var versioned = map[string]string{"customer": "customers", "feedback": "feedback", "followup": "followups", "note": "notes"}

// versionsOf reads the stored version of every record the rows touched;
// notes have none and count as version 1 while they exist. Deleted records
// are left out.
func versionsOf(ctx context.Context, q querier, rows []auditRow) (map[string]int64, error) {
	out := map[string]int64{}
	for _, r := range rows {
		k := fmt.Sprintf("%s:%d", r.entity, r.entityID)
		if _, done := out[k]; done {
			continue
		}
		v, ok, err := currentVersion(ctx, q, r.entity, r.entityID)
		if err != nil {
			return nil, err
		}
		if ok {
			out[k] = v
		}
	}
	return out, nil
}

func currentVersion(ctx context.Context, q querier, entity string, id int64) (int64, bool, error) {
	table, ok := versioned[entity]
	if !ok {
		return 0, false, nil
	}
	col := "version"
	if entity == "note" {
		col = "1"
	}
	var v int64
	err := q.QueryRowContext(ctx, "SELECT "+col+" FROM "+table+" WHERE id = ?", id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, err
}

// actionEvents reads the action rows of one action, oldest first.
type eventRow struct {
	id            int64
	at            string
	agent, action string
	ev            actionEvent
}

func actionEvents(ctx context.Context, q querier, action int64) ([]eventRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, at, agent, action, changes FROM audit
		WHERE entity = 'action' AND entity_id = ? ORDER BY id`, action)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []eventRow
	for rows.Next() {
		var e eventRow
		var js string
		if err := rows.Scan(&e.id, &e.at, &e.agent, &e.action, &js); err != nil {
			return nil, err
		}
		e.ev = parseEvent(js)
		out = append(out, e)
	}
	return out, rows.Err()
}

func parseEvent(js string) actionEvent {
	var wrap map[string][2]json.RawMessage
	var ev actionEvent
	if json.Unmarshal([]byte(js), &wrap) == nil {
		d := json.NewDecoder(strings.NewReader(string(wrap["event"][1])))
		d.UseNumber() // snapshots keep their integers
		d.Decode(&ev)
	}
	return ev
}

// Undo undoes one of the agent's actions: id, or with id 0 the newest one
// not undone. It is refused (*model.UndoError) when the action cannot be
// undone or anyone changed its records since.
func (s *Store) Undo(ctx context.Context, agent string, id int64) (model.Action, error) {
	ctx = requires(ctx, model.RoleAgent, "undo")
	return s.step(ctx, agent, id, false)
}

// Redo does again what the agent undid: id, or with id 0 the last undone
// action, unless the agent made a new action since.
func (s *Store) Redo(ctx context.Context, agent string, id int64) (model.Action, error) {
	ctx = requires(ctx, model.RoleAgent, "redo")
	return s.step(ctx, agent, id, true)
}

func (s *Store) step(ctx context.Context, agent string, id int64, redo bool) (model.Action, error) {
	ctx = model.WithoutActions(ctx) // the step writes its own action row
	verb, label := "undo", "undone"
	if redo {
		verb, label = "redo", "redone"
	}
	var out model.Action
	var kept *eventRow // the stack's top, which cannot be undone
	fromStack := id == 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		if id == 0 {
			var err error
			if id, err = stackTop(ctx, tx, agent, redo); err != nil {
				return err
			}
		}
		events, err := actionEvents(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(events) == 0 || events[0].action != "do" {
			return fmt.Errorf("action %d: %w", id, model.ErrNotFound)
		}
		first, last := events[0], events[len(events)-1]
		fw := forwardOf(events)
		what := first.ev.Kind
		if first.agent != agent {
			return &model.UndoError{Reason: fmt.Sprintf("cannot %s %s: it is %s's action; each agent undoes their own", verb, what, first.agent)}
		}
		if undone := last.action == "undo"; undone != redo {
			return &model.UndoError{Reason: fmt.Sprintf("%s is already %s", what, map[bool]string{true: "undone", false: "done"}[undone])}
		}
		if fw.Reason != "" {
			if fromStack {
				kept = &first
			}
			return &model.UndoError{Reason: fmt.Sprintf("cannot %s %s: %s", verb, what, fw.Reason)}
		}
		var forward []auditRow
		for _, e := range events {
			if e.action == "do" || e.action == "more" {
				rows, err := auditRows(ctx, tx, e.ev.Rows[0], e.ev.Rows[1])
				if err != nil {
					return err
				}
				forward = append(forward, rows...)
			}
		}
		since := last // what the latest undo or redo left; else what the forward writes left
		if last.action != "undo" && last.action != "redo" {
			since = eventRow{action: "do", ev: fw}
		}
		label := ""
		if a := actionFromEvents(events); a.Items == 1 {
			label = a.Label
		}
		if err := checkUnchanged(ctx, tx, agent, verb, what, label, since, forward, redo); err != nil {
			return err
		}
		var mark int64
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM audit").Scan(&mark); err != nil {
			return err
		}
		var ev actionEvent
		if err := s.replay(ctx, tx, agent, forward, redo, last.ev.Deleted, &ev); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE audit SET action = ? WHERE id > ? AND entity <> 'action'", verb, mark); err != nil {
			return err
		}
		written, err := auditRows(ctx, tx, mark+1, math.MaxInt64)
		if err != nil {
			return err
		}
		ev.Rows = [2]int64{mark + 1, mark}
		if len(written) > 0 {
			ev.Rows = [2]int64{written[0].id, written[len(written)-1].id}
		}
		if ev.Versions, err = versionsOf(ctx, tx, forward); err != nil {
			return err
		}
		if err := writeEvent(ctx, tx, fmtTime(s.now()), agent, id, verb, ev); err != nil {
			return err
		}
		out = actionFromEvents(append(events, eventRow{action: verb}))
		return nil
	})
	if kept != nil {
		// Said once: the next u goes on to the action before it.
		if werr := s.write(ctx, func(tx *sql.Tx) error {
			return writeEvent(ctx, tx, fmtTime(s.now()), agent, kept.ev.Rows[0], "kept", actionEvent{})
		}); werr != nil {
			return model.Action{}, werr
		}
		err = &model.UndoError{Reason: err.Error() + " (u again undoes the action before it)"}
	}
	if err != nil {
		var ue *model.UndoError
		if errors.As(err, &ue) {
			return model.Action{}, ue
		}
		return model.Action{}, fmt.Errorf("%s: %w", label, err)
	}
	return out, nil
}

// forwardOf merges the forward events of an action (its "do" and the
// "more" of the same command): the versions they left, the last audit row
// they wrote, and the first reason not to undo.
func forwardOf(events []eventRow) actionEvent {
	fw := actionEvent{Versions: map[string]int64{}}
	for _, e := range events {
		if e.action != "do" && e.action != "more" {
			continue
		}
		if fw.Reason == "" {
			fw.Reason = e.ev.Reason
		}
		for k, v := range e.ev.Versions {
			fw.Versions[k] = v
		}
		fw.Rows[1] = max(fw.Rows[1], e.ev.Rows[1])
	}
	return fw
}

// stackTop is the action u undoes (the newest not undone, passing over
// one that cannot be undone once u was refused on it: its "kept" row) or
// ctrl+y redoes (the last undone, unless a newer action cleared the redo).
func stackTop(ctx context.Context, q querier, agent string, redo bool) (int64, error) {
	var id int64
	if !redo {
		err := q.QueryRowContext(ctx, `SELECT d.entity_id FROM audit d
			WHERE d.entity = 'action' AND d.action = 'do' AND d.agent = ?
			AND (SELECT e.action FROM audit e WHERE e.entity = 'action' AND e.entity_id = d.entity_id
			     ORDER BY e.id DESC LIMIT 1) NOT IN ('undo', 'kept')
			ORDER BY d.entity_id DESC LIMIT 1`, agent).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, &model.UndoError{Reason: "nothing to undo"}
		}
		return id, err
	}
	var at int64
	err := q.QueryRowContext(ctx, `SELECT u.entity_id, u.id FROM audit u
		WHERE u.entity = 'action' AND u.action = 'undo' AND u.agent = ?
		AND u.id = (SELECT max(e.id) FROM audit e WHERE e.entity = 'action' AND e.entity_id = u.entity_id)
		ORDER BY u.id DESC LIMIT 1`, agent).Scan(&id, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, &model.UndoError{Reason: "nothing to redo"}
	}
	if err != nil {
		return 0, err
	}
	var newer bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM audit WHERE entity = 'action' AND action = 'do'
		AND agent = ? AND entity_id > ?)`, agent, at).Scan(&newer); err != nil {
		return 0, err
	}
	if newer {
		return 0, &model.UndoError{Reason: "nothing to redo: a newer action came after the last undo"}
	}
	return id, nil
}

func entityName(entity string) string {
	if entity == "followup" {
		return "follow-up"
	}
	return entity
}

// Activity lists the agent's actions newest first, a page of limit rows
// older than action before (0: from the newest).
func (s *Store) Activity(ctx context.Context, agent string, before int64, limit int) (model.ActionPage, error) {
	if limit <= 0 {
		limit = defaultPageSize
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	var page model.ActionPage
	err := s.read(ctx, func(tx *sql.Tx) error {
		ids, err := queryColumn[int64](ctx, tx, `SELECT entity_id FROM audit
			WHERE entity = 'action' AND action = 'do' AND agent = ? AND entity_id < ?
			ORDER BY entity_id DESC LIMIT ?`, agent, before, limit+1)
		if err != nil {
			return err
		}
		for _, id := range ids {
			events, err := actionEvents(ctx, tx, id)
			if err != nil {
				return err
			}
			if len(events) > 0 {
				page.Rows = append(page.Rows, actionFromEvents(events))
			}
		}
		return nil
	})
	if err != nil {
		return model.ActionPage{}, fmt.Errorf("activity: %w", err)
	}
	if len(page.Rows) > limit {
		page.Rows, page.HasMore = page.Rows[:limit], true
	}
	return page, nil
}

// actionFromEvents builds an action from its rows, oldest first: what
// the "do" row says, with the records of the same kind its "more" rows
// added, and the state its latest undo or redo left.
func actionFromEvents(events []eventRow) model.Action {
	do := events[0]
	a := model.Action{ID: do.ev.Rows[0], At: parseTime(do.at), Agent: do.agent, Kind: do.ev.Kind,
		Entity: do.ev.Entity, EntityID: do.ev.EntityID, Items: do.ev.Items, Summary: do.ev.Summary,
		Label: do.ev.Label, Customer: do.ev.Customer, Reason: do.ev.Reason, State: model.ActionDone}
	for _, e := range events[1:] {
		switch e.action {
		case "more":
			if e.ev.Entity == a.Entity {
				a.Items += e.ev.Items
			}
			if e.ev.Customer != a.Customer {
				a.Label, a.Customer = "", 0
			}
			if a.Reason == "" {
				a.Reason = e.ev.Reason
			}
		case "undo":
			a.State = model.ActionUndone
			a.Undos++
		case "redo":
			a.State = model.ActionRedone
		}
	}
	return a
}

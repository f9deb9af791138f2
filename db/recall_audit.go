package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"time"
)

// A recall audits each batch of follow-ups it creates in one row instead
// of one row each (a 100,000-member recall wrote 100,000 audit rows,
// about 6,000 pages with their indexes): entity recallAuditEntity,
// entity_id the batch's first follow-up, action "create", and changes
// naming the campaign, due time and note, the range of follow-up ids and,
// in id order, each one's customer and assignee. The ids of a batch are
// consecutive: one INSERT … SELECT makes them under the write lock.
//
// Lookups of one follow-up's history (Audit with entity "followup" and an
// id, the item view) expand the batch row into the follow-up's own
// creation entry, the one a single write records (writeAudit), so a
// recalled follow-up's creation is found as any other's.
const recallAuditEntity = "followups"

// recallBatchChanges is the changes document of a batch row.
type recallBatchChanges struct {
	Campaign    [2]*string   `json:"campaign"`
	DueAt       [2]*string   `json:"due_at"`
	Note        [2]*string   `json:"note"`
	Followups   [2]*[2]int64 `json:"followups"`
	CustomerIDs [2][]int64   `json:"customer_ids"`
	Assignees   [2][]string  `json:"assignees"`
}

// auditRecallBatch records the follow-ups after id before (created of
// them, just inserted) in one audit row. Should their ids not be
// consecutive, each gets its own row as before.
func auditRecallBatch(ctx context.Context, tx querier, at time.Time, agent, campaign, due, note string, before int64, created int) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, customer_id, assignee FROM followups WHERE id > ? ORDER BY id", before)
	if err != nil {
		return err
	}
	var ids, customers []int64
	var assignees []string
	for rows.Next() {
		var id, customer int64
		var assignee string
		if err := rows.Scan(&id, &customer, &assignee); err != nil {
			rows.Close()
			return err
		}
		ids, customers, assignees = append(ids, id), append(customers, customer), append(assignees, assignee)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	first, last := ids[0], ids[len(ids)-1]
	if len(ids) != created || last-first+1 != int64(len(ids)) {
		for i, id := range ids {
			if err := writeAudit(ctx, tx, at, agent, "followup", id, "create", map[string][2]any{
				"customer_id": {nil, customers[i]}, "assignee": {nil, assignees[i]}, "due_at": {nil, due},
				"note": {nil, note}, "campaign": {nil, campaign}}); err != nil {
				return err
			}
		}
		return nil
	}
	return writeAudit(ctx, tx, at, agent, recallAuditEntity, first, "create", map[string][2]any{
		"campaign": {nil, campaign}, "due_at": {nil, due}, "note": {nil, note},
		"followups": {nil, [2]int64{first, last}}, "customer_ids": {nil, customers}, "assignees": {nil, assignees}})
}

// recallCreation is the creation entry of follow-up id from the recall
// batch row that holds it, if one does: its audit row id, time, agent and
// the follow-up's own changes.
type recallCreation struct {
	auditID   int64
	at, agent string
	changes   map[string][2]any
}

// findRecallCreation looks for the batch row whose range holds follow-up
// id: the one with the greatest first id not above it.
func findRecallCreation(ctx context.Context, q querier, id int64) (recallCreation, bool, error) {
	var rc recallCreation
	var first int64
	var js string
	err := q.QueryRowContext(ctx, `SELECT id, at, agent, entity_id, changes FROM audit
		WHERE entity = ? AND entity_id <= ? ORDER BY entity_id DESC, id DESC LIMIT 1`, recallAuditEntity, id).
		Scan(&rc.auditID, &rc.at, &rc.agent, &first, &js)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return rc, false, nil
		}
		return rc, false, err
	}
	var ch recallBatchChanges
	if json.Unmarshal([]byte(js), &ch) != nil || ch.Followups[1] == nil {
		return rc, false, nil
	}
	k := id - first
	if id > ch.Followups[1][1] || k < 0 || k >= int64(len(ch.CustomerIDs[1])) || k >= int64(len(ch.Assignees[1])) {
		return rc, false, nil
	}
	text := func(p *string) any {
		if p == nil {
			return nil
		}
		return *p
	}
	rc.changes = map[string][2]any{
		"customer_id": {nil, float64(ch.CustomerIDs[1][k])}, "assignee": {nil, ch.Assignees[1][k]},
		"due_at": {nil, text(ch.DueAt[1])}, "note": {nil, text(ch.Note[1])}, "campaign": {nil, text(ch.Campaign[1])},
	}
	return rc, true, nil
}

// recallBatchSummary is what a batch row's changes show when it is listed
// itself: the campaign, due time, note, id range and count, without the
// per-follow-up lists.
func recallBatchSummary(changes map[string][2]any) map[string][2]any {
	out := map[string][2]any{}
	for k, v := range changes {
		switch k {
		case "customer_ids":
			if l, ok := v[1].([]any); ok {
				out["count"] = [2]any{nil, float64(len(l))}
			}
		case "assignees":
		default:
			out[k] = v
		}
	}
	return out
}

// withRecallCreation puts a follow-up's creation from its recall batch
// among its audit entries (newest first, by audit row id).
func withRecallCreation[T any](entries []T, ids []int64, rc recallCreation, entry T) []T {
	i := sort.Search(len(ids), func(i int) bool { return ids[i] < rc.auditID })
	entries = append(entries, entry)
	copy(entries[i+1:], entries[i:])
	entries[i] = entry
	return entries
}

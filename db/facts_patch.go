package db

import (
	"context"
	"database/sql"
	"slices"

	"github.com/rapportcrm/rapport/facts"
)

// Patching the snapshot after writes to some feedback rows. Migration 16
// (migrations_pg/0006) has the journal name, for a write to a feedback
// row, that row as well as its customer. A customer the journal names only
// through such entries — a bulk edit, an import adding feedback, feedback
// deleted or moved — keeps its row, tags, attributes and other feedback
// from the snapshot (facts.Update.Keep), and only the rows named are read
// again: a bulk edit of 10,000 feedback spread over 5M rows reads those
// 10,000 rows instead of every row of some 10,000 customers (1.0 s at
// 1M/5M). The entries say so whichever process wrote. A customer named by
// any other entry (its row, attributes or tags changed, a row whose id
// changed), or none of whose rows the snapshot or the database has, is
// read again in full.

// factsPatch gives the update the customers the journal named only
// through feedback rows (those not in plain): the rows fbIDs are read by
// id, and every other fact of those customers is kept from the snapshot.
// It returns the customers that must be read again in full.
func factsPatch(ctx context.Context, tx *sql.Tx, u *facts.Update, fbIDs []int64, ids []int64, plain map[int64]bool) ([]int64, error) {
	slices.Sort(fbIDs)
	fbIDs = slices.Compact(fbIDs)
	set := make(map[int64]struct{}, len(fbIDs))
	for _, id := range fbIDs {
		set[id] = struct{}{}
	}
	changed := func(fb uint32) bool {
		_, ok := set[int64(fb)]
		return ok
	}
	// The changed rows as they are now (copied: the driver's bytes last
	// one row).
	paths, err := categoryPaths(ctx, tx)
	if err != nil {
		return nil, err
	}
	fb := newFeedbackFacts(paths)
	var now []facts.Feedback
	hasNew := map[int64]bool{}
	for chunk := range slices.Chunk(fbIDs, factsIDChunk) {
		in, args := idList(chunk)
		err := fb.each(ctx, tx, " WHERE id IN "+in, args, func(f *facts.Feedback) error {
			g := *f
			g.Created = slices.Clone(f.Created)
			g.Values = make([][]byte, len(f.Values))
			for i, b := range f.Values {
				g.Values[i] = slices.Clone(b)
			}
			now = append(now, g)
			hasNew[g.Customer] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var again []int64
	kept := map[int64]bool{}
	for _, id := range ids {
		if !plain[id] && u.Keep(id, changed, hasNew[id]) {
			kept[id] = true
		} else {
			again = append(again, id)
		}
	}
	for _, g := range now {
		if kept[g.Customer] {
			if err := u.Feedback(g); err != nil {
				return nil, err
			}
		}
	}
	return again, nil
}

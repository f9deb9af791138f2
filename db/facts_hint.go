package db

import (
	"context"
	"database/sql"
	"slices"
	"sync"

	"github.com/rapportcrm/rapport/facts"
)

// Hints to the incremental refresh of the Insights snapshot. The journal
// (facts_changes) names customers only, so after a bulk edit of 10,000
// feedback spread over the table the refresh would read again some 10,000
// customers with all their feedback (1.2–1.8 s at 1M/5M). A write of this
// process that changes feedback columns only (SetFeedback) leaves a hint:
// the journal entries its transaction appended, (from, to], come from
// changes to these feedback. The refresh then reads those feedback rows
// alone and keeps everything else of their customers from the snapshot
// (facts.Update.Keep). A customer a hint does not explain — an entry
// outside every hint, or none of its feedback among the hint's — is read
// again in full, so a hint can only make a refresh cheaper, never wrong:
// another process's writes, which leave no hint here, are read as before.
// Writes are serialised (the write lock, PostgreSQL's advisory lock), so
// no other transaction's entry falls inside (from, to].
type factsHint struct {
	from, to int64   // journal positions: the entries seq > from, seq <= to
	ids      []int64 // the feedback changed, ascending
}

type factsHints []factsHint

// factsHintBook keeps the hints of recent writes, behind a lock of its
// own: a write must not wait for a snapshot being read.
type factsHintBook struct {
	mu   sync.Mutex
	list factsHints
	n    int // feedback ids held
}

// factsHintMax bounds the feedback ids the book holds; older hints go
// first (a refresh without them reads the customers again).
const factsHintMax = 1 << 20

func (b *factsHintBook) add(from, to int64, ids []int64) {
	if to <= from || len(ids) == 0 || len(ids) > factsHintMax {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.list = append(b.list, factsHint{from: from, to: to, ids: slices.Clone(ids)})
	b.n += len(ids)
	for b.n > factsHintMax {
		b.n -= len(b.list[0].ids)
		b.list = b.list[1:]
	}
}

// within gives the hints whose entries lie after pos and up to end, and
// forgets those at or before pos (no snapshot of this store goes back).
func (b *factsHintBook) within(pos, end int64) factsHints {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out factsHints
	keep := b.list[:0]
	for _, h := range b.list {
		if h.to <= pos {
			b.n -= len(h.ids)
			continue
		}
		keep = append(keep, h)
		if h.from >= pos && h.to <= end {
			out = append(out, h)
		}
	}
	clear(b.list[len(keep):])
	b.list = keep
	return out
}

// cover reports whether a hint explains the entry seq.
func (hs factsHints) cover(seq int64) bool {
	for _, h := range hs {
		if seq > h.from && seq <= h.to {
			return true
		}
	}
	return false
}

// factsHint records a committed write's hint. A write inside a larger
// transaction (an undo's replay, a dry run) leaves none: that transaction
// may still roll back, and SQLite gives a rolled-back seq again.
func (s *Store) factsHint(ctx context.Context, from, to int64, ids []int64) {
	if undoTx(ctx) != nil || s.pinned != nil {
		return
	}
	s.facts.hints.add(from, to, ids)
}

// factsSeq is the journal's last position inside a write transaction.
func factsSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var pos int64
	err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM facts_changes").Scan(&pos)
	return pos, err
}

// factsPatch gives the update the customers the hints explain (named by
// the journal only through the hints' feedback): the hints' feedback rows
// are read by id, and every other fact of those customers is kept from
// the snapshot. It returns the customers that must be read again in full.
func factsPatch(ctx context.Context, tx *sql.Tx, u *facts.Update, hints factsHints, ids []int64, plain map[int64]bool) ([]int64, error) {
	var fbIDs []int64
	for _, h := range hints {
		fbIDs = append(fbIDs, h.ids...)
	}
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

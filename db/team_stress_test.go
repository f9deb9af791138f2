package db

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// TestTeamStress is several agents on one file, each with its own
// connection pool as a separate process would have, doing mixed reads and
// writes: tags on the same customer, a counter kept in the customer's
// attributes (read, increment, write naming the version, retry when
// stale), notes, tags on the same feedback item and follow-up changes.
// No write may fail, no update may be lost, and the file must pass
// integrity_check. Short by default; RAPPORT_STRESS=1 runs 2, 4 and 8
// writers × 400 operations and logs throughput and the slowest write.
func TestTeamStress(t *testing.T) {
	writers, ops := []int{2, 4}, 40
	if os.Getenv("RAPPORT_STRESS") != "" {
		writers, ops = []int{2, 4, 8}, 400
	}
	for _, n := range writers {
		t.Run(fmt.Sprintf("%d-writers", n), func(t *testing.T) { stress(t, filepath.Join(t.TempDir(), "team.db"), n, ops) })
	}
}

// stress runs the team on the database at path (a file or a PostgreSQL
// URL, TestTeamStressPostgres).
func stress(t *testing.T, path string, writers, ops int) {
	seed, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := mustCreate(t, seed, model.Customer{Name: "共享客户", Attrs: map[string]string{"n": "0"}})
	fb, err := seed.AddFeedback(ctx, "seed", model.Feedback{CustomerID: c.ID, Subject: "shared item"})
	if err != nil {
		t.Fatal(err)
	}
	fu, err := seed.AddFollowUp(ctx, "seed", model.FollowUp{CustomerID: c.ID, Due: time.Now().Add(time.Hour), Assignee: "seed"})
	if err != nil {
		t.Fatal(err)
	}
	seed.Close()

	type tally struct {
		tags, fbTags []string
		incs, notes  int
		retries      int
		slowest      time.Duration
		failures     []error
	}
	results := make([]tally, writers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := &results[w]
			s, err := Open(ctx, path, Options{})
			if err != nil {
				r.failures = append(r.failures, err)
				return
			}
			defer s.Close()
			agent := fmt.Sprintf("agent-%d", w)
			timed := func(fn func() error) error {
				t0 := time.Now()
				err := fn()
				if d := time.Since(t0); d > r.slowest {
					r.slowest = d
				}
				return err
			}
			for i := 0; i < ops; i++ {
				var err error
				switch i % 5 {
				case 0: // a tag on the same customer: merges
					tag := fmt.Sprintf("w%d-%d", w, i)
					err = timed(func() error {
						_, err := s.UpdateCustomer(ctx, agent, c.ID, model.CustomerPatch{AddTags: []string{tag}}, 0)
						return err
					})
					if err == nil {
						r.tags = append(r.tags, tag)
					}
				case 1: // read, increment, write naming the version; retry when stale
					for {
						cur, rerr := s.Customer(ctx, c.ID)
						if rerr != nil {
							err = rerr
							break
						}
						n, _ := strconv.Atoi(cur.Attrs["n"])
						err = timed(func() error {
							_, err := s.UpdateCustomer(ctx, agent, c.ID,
								model.CustomerPatch{SetAttrs: map[string]string{"n": strconv.Itoa(n + 1)}}, cur.Version)
							return err
						})
						if !errors.Is(err, model.ErrStale) {
							break
						}
						r.retries++
					}
					if err == nil {
						r.incs++
					}
				case 2:
					err = timed(func() error {
						_, err := s.AddNote(ctx, agent, model.Note{CustomerID: c.ID, Body: fmt.Sprintf("note %d/%d", w, i)})
						return err
					})
					if err == nil {
						r.notes++
					}
				case 3: // a tag on the same feedback item: merges
					tag := fmt.Sprintf("f%d-%d", w, i)
					err = timed(func() error {
						_, err := s.SetFeedback(ctx, agent, []int64{fb.ID}, model.FeedbackPatch{AddTags: []string{tag}}, 0)
						return err
					})
					if err == nil {
						r.fbTags = append(r.fbTags, tag)
					}
				case 4: // follow-up changes and reads
					err = timed(func() error {
						return s.SnoozeFollowUp(ctx, agent, fu.ID, time.Now().Add(time.Duration(i)*time.Minute))
					})
					if err == nil {
						_, err = s.ListCustomers(ctx, model.CustomerQuery{Limit: 20})
					}
					if err == nil {
						_, err = s.FeedbackPage(ctx, model.FeedbackQuery{Limit: 20})
					}
				}
				if err != nil {
					r.failures = append(r.failures, fmt.Errorf("writer %d op %d: %w", w, i, err))
				}
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(start)

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wantTags, wantFbTags []string
	incs, notes, retries := 0, 0, 0
	var slowest time.Duration
	for _, r := range results {
		for _, f := range r.failures {
			t.Error(f)
		}
		wantTags = append(wantTags, r.tags...)
		wantFbTags = append(wantFbTags, r.fbTags...)
		incs, notes, retries = incs+r.incs, notes+r.notes, retries+r.retries
		slowest = max(slowest, r.slowest)
	}
	got, err := s.Customer(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !sameSet(got.Tags, wantTags) {
		t.Errorf("customer tags: %d present, %d added", len(got.Tags), len(wantTags))
	}
	if got.Attrs["n"] != strconv.Itoa(incs) {
		t.Errorf("counter = %s after %d increments (lost updates)", got.Attrs["n"], incs)
	}
	if n := countRows(t, s, "SELECT count(*) FROM notes WHERE customer_id = ?", c.ID); n != notes {
		t.Errorf("%d notes stored, %d added", n, notes)
	}
	f, err := s.Feedback(ctx, fb.ID)
	if err != nil || !sameSet(f.Tags, wantFbTags) {
		t.Errorf("feedback tags: %d present, %d added (%v)", len(f.Tags), len(wantFbTags), err)
	}
	if !IsURL(path) {
		if problems, err := s.IntegrityCheck(ctx); err != nil || len(problems) > 0 {
			t.Errorf("integrity_check: %v %v", problems, err)
		}
	}
	total := writers * ops
	t.Logf("%d writers × %d ops: %.0f ops/s, slowest write %v, %d stale retries, counter %d",
		writers, ops, float64(total)/elapsed.Seconds(), slowest.Round(time.Millisecond), retries, incs)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

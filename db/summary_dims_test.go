package db

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// The store's table of dimensions covers model.SummaryDims, in its order.
func TestStoreDimsFollowModel(t *testing.T) {
	if len(storeDims) != len(model.SummaryDims) {
		t.Fatalf("storeDims has %d dimensions, model.SummaryDims %d", len(storeDims), len(model.SummaryDims))
	}
	for i, d := range model.SummaryDims {
		if storeDims[i].name != d.Name || storeDims[i].of != d.Of {
			t.Errorf("storeDims[%d] = %s/%d, model says %s/%d", i, storeDims[i].name, storeDims[i].of, d.Name, d.Of)
		}
		if _, ok := summaryKeys[d.Name]; !ok {
			t.Errorf("no scan key for %s", d.Name)
		}
	}
	if aggDims[0].name != "all" || !aggDims[0].monthCustomers {
		t.Errorf("aggDims[0] = %+v, want 'all' counting monthly customers", aggDims[0])
	}
}

// keyOf, the Go side of keySQL, names the same cell for the values a
// column can hold.
func TestAggKeyOfMatchesSQL(t *testing.T) {
	s := openTemp(t)
	for _, d := range aggDims[1:] {
		for _, v := range []any{nil, "", "email", "(none)", int64(0), int64(7)} {
			if (d.byID && isString(v)) || (!d.byID && !isString(v)) {
				continue
			}
			var got string
			if err := s.db.QueryRow("SELECT "+d.keySQL("v", "v")+" FROM (SELECT ? AS "+d.col+") v", v).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := d.keyOf(v); got != want {
				t.Errorf("%s of %#v: SQL %q, Go %q", d.name, v, got, want)
			}
		}
	}
}

func isString(v any) bool { _, ok := v.(string); return ok }

// Open installs the generated triggers in place of the migrations', and
// leaves them be when they are the generated ones.
func TestOpenInstallsGeneratedAggTriggers(t *testing.T) {
	s := openTemp(t)
	if same, have, err := aggTriggersMatch(ctx, s.db, summaryAggTriggers()); err != nil || !same || have != 3+3 {
		t.Fatalf("after Open: same %v, %d triggers, %v; want the 6 generated ones", same, have, err)
	}
	if _, err := loadTestDemo(s, ctx, testDemo{Customers: 40, Seed: 3, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	reopen := func() *Store {
		t.Helper()
		s, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if same, _, err := aggTriggersMatch(ctx, s.db, summaryAggTriggers()); err != nil || !same {
			t.Fatalf("after reopening: same %v, %v; want the generated triggers", same, err)
		}
		return s
	}
	drift := func(s *Store) int {
		t.Helper()
		d, err := s.CheckCaches(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(d)
	}

	// A database upgraded from migration 15's hand-written triggers: they
	// count as the generated ones do, so Open swaps them without a
	// rebuild (a drift planted here stays).
	execMigration(t, s, 15)
	if same, have, _ := aggTriggersMatch(ctx, s.db, mustAggTriggers(t, 15)); !same || have != 6 {
		t.Fatalf("migration 15's 6 triggers do not read back as its text (%d triggers)", have)
	}
	if _, err := s.db.Exec("UPDATE summary_agg SET fb_n = fb_n + 5 WHERE dim = 'plan' AND month = ''"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s1 := reopen()
	if drift(s1) == 0 {
		t.Fatal("swapping migration 15's triggers rebuilt summary_agg")
	}

	// Triggers that are neither (one edited by hand): Open replaces them
	// and rebuilds summary_agg from the rows.
	gen := summaryAggTriggers()[3]
	if _, err := s1.db.Exec("DROP TRIGGER " + gen.name); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.db.Exec(strings.Replace(gen.sql, " BEGIN", " AND 1 BEGIN", 1)); err != nil {
		t.Fatal(err)
	}
	s1.Close()
	s2 := reopen()
	defer s2.Close()
	if n := drift(s2); n != 0 {
		t.Fatalf("after reopening: %d drifts; want summary_agg rebuilt", n)
	}

	// With the generated triggers in place, Open writes nothing.
	var before int64
	s2.db.QueryRow("PRAGMA data_version").Scan(&before)
	reopen().Close()
	var after int64
	s2.db.QueryRow("PRAGMA data_version").Scan(&after)
	if after != before {
		t.Errorf("reopening a current database wrote to it (data_version %d → %d)", before, after)
	}
}

func mustAggTriggers(t *testing.T, n int) []aggTrigger {
	t.Helper()
	ts, err := migrationAggTriggers(n)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// execMigration runs migration n's SQL again on s (its DROP TRIGGERs name
// the generated triggers too).
func execMigration(t *testing.T, s *Store, n int) {
	t.Helper()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(ms[n-1].sql); err != nil {
		t.Fatalf("migration %d: %v", n, err)
	}
}

// The generated triggers count every kind of write as the hand-written
// ones of migration 15 did: two stores, one with each, take the same
// random writes and end with the same summary_agg, which is also what a
// rebuild from the rows gives.
func TestGeneratedAggTriggersMatchMigration15(t *testing.T) {
	var stores [2]*Store
	for i := range stores {
		s, err := Open(ctx, filepath.Join(t.TempDir(), fmt.Sprintf("s%d.db", i)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := loadTestDemo(s, ctx, testDemo{Customers: 60, Seed: 9, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		stores[i] = s
	}
	execMigration(t, stores[1], 15)
	var maxFB, maxCust, maxCat int64
	stores[0].db.QueryRow("SELECT max(id) FROM feedback").Scan(&maxFB)
	stores[0].db.QueryRow("SELECT max(id) FROM customers").Scan(&maxCust)
	stores[0].db.QueryRow("SELECT coalesce(max(id), 0) FROM categories").Scan(&maxCat)
	rng := rand.New(rand.NewSource(1))
	var writes []string
	for range 300 {
		fb, cust := rng.Int63n(maxFB)+1, rng.Int63n(maxCust)+1
		cat := "NULL"
		if maxCat > 0 && rng.Intn(3) > 0 {
			cat = fmt.Sprint(rng.Int63n(maxCat) + 1)
		}
		kinds := []string{"feedback", "complaint", "praise", "question", "request"}
		switch rng.Intn(9) {
		case 0:
			writes = append(writes, fmt.Sprintf("UPDATE feedback SET kind = '%s' WHERE id = %d", kinds[rng.Intn(5)], fb))
		case 1:
			writes = append(writes, fmt.Sprintf("UPDATE feedback SET category_id = %s WHERE id = %d", cat, fb))
		case 2:
			writes = append(writes, fmt.Sprintf("UPDATE feedback SET channel = '%s' WHERE id = %d", []string{"", "email", "chat"}[rng.Intn(3)], fb))
		case 3:
			writes = append(writes, fmt.Sprintf("UPDATE feedback SET csat = %d, nps = %d, created_at = '2026-0%d-15T10:00:00.000000000Z' WHERE id = %d",
				rng.Intn(5)+1, rng.Intn(11), rng.Intn(9)+1, fb))
		case 4:
			writes = append(writes, fmt.Sprintf("UPDATE feedback SET customer_id = %d WHERE id = %d", cust, fb))
		case 5:
			writes = append(writes, fmt.Sprintf("DELETE FROM feedback WHERE id = %d", fb))
		case 6:
			writes = append(writes, fmt.Sprintf("INSERT INTO feedback(customer_id, source, channel, kind, subject, body, category_id, csat, created_at, updated_at)"+
				" VALUES (%d, 'test', 'phone', '%s', 's', 'b', %s, %d, '2026-10-0%dT08:00:00.000000000Z', '2026-10-01T00:00:00.000000000Z')",
				cust, kinds[rng.Intn(5)], cat, rng.Intn(5)+1, rng.Intn(9)+1))
		default:
			col := []string{"plan", "region", "lifecycle"}[rng.Intn(3)]
			val := []string{"", "pro", "north", "paying", "churned"}[rng.Intn(5)]
			if col == "lifecycle" && val != "paying" && val != "churned" {
				val = "new"
			}
			writes = append(writes, fmt.Sprintf("UPDATE customers SET %s = '%s' WHERE id = %d", col, val, cust))
		}
	}
	var cells [2]map[string][]int64
	for i, s := range stores {
		for _, w := range writes {
			if _, err := s.db.Exec(w); err != nil {
				t.Fatalf("store %d: %s: %v", i, w, err)
			}
		}
		c, err := summaryCells(ctx, s.db)
		if err != nil {
			t.Fatal(err)
		}
		cells[i] = c
		if drift, err := s.checkSummaryAgg(ctx); err != nil || len(drift) != 0 {
			t.Errorf("store %d (%s triggers): %d drifts from a rebuild, %v", i, []string{"generated", "migration 15's"}[i], len(drift), err)
		}
	}
	if !reflect.DeepEqual(cells[0], cells[1]) {
		t.Errorf("summary_agg differs between the generated and migration 15's triggers")
	}
	if len(cells[0]) < 50 {
		t.Errorf("only %d cells: the writes did not reach the aggregates", len(cells[0]))
	}
}

// A bulk edit's tally reads every feedback column the aggregates group by
// from the edited item: a column added to storeDims must be known there.
func TestPendingChangeKnowsEveryAggregatedColumn(t *testing.T) {
	st := &feedbackState{kind: "praise", channel: "chat", category: sql.NullInt64{Int64: 3, Valid: true}}
	c := pendingChange{st: st, kind: "complaint", cat: sql.NullInt64{Int64: 4, Valid: true}}
	for _, col := range aggFeedbackCols {
		if c.value(col, false) == nil || c.value(col, true) == nil {
			t.Errorf("pendingChange.value does not know feedback column %s", col)
		}
	}
}

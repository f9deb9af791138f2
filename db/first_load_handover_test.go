package db

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

// A first load takes a customer whose source id, e-mail and phone it has
// not met for new and writes them set-based. Another session on the same
// database may create that person meanwhile: the buffered row then hits
// the unique e-mail index, and the batch is rolled back and done again on
// the exact path, which finds the other session's customer by e-mail. The
// import does not fail, creates no second customer, and later rows of
// that source id find the customer by it. On SQLite (two stores on one
// file) and PostgreSQL (two stores on one database).
func TestFirstLoadHandsOverToAnotherSession(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "t.db")
		testFirstLoadHandOver(t, path)
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		testFirstLoadHandOver(t, pgtest.Open(t).Database(t))
	})
}

func testFirstLoadHandOver(t *testing.T, where string) {
	open := func() *Store {
		s, err := Open(ctx, where, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	loader, other := open(), open()
	if began, err := loader.BeginFirstLoad(ctx); err != nil || !began {
		t.Fatalf("BeginFirstLoad: %v %v", began, err)
	}
	rec := func(line int, key, name, email, ticket string) model.ImportRecord {
		return model.ImportRecord{Line: line, CustomerKey: key, Customer: model.Customer{Name: name, Email: email, Plan: "pro", Tags: []string{"imported"}},
			FeedbackKey: ticket, Feedback: &model.Feedback{Subject: "subject " + ticket, Tags: []string{"t"}}}
	}
	batch := func(want model.ImportCounts, recs ...model.ImportRecord) {
		t.Helper()
		got, err := loader.ImportBatch(ctx, "imp", "desk", recs, false)
		if err != nil {
			t.Fatalf("batch: %v", err)
		}
		if got.Rejected != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("batch counts %+v, want %+v", got, want)
		}
	}
	batch(model.ImportCounts{CustomersCreated: 1, FeedbackCreated: 1}, rec(2, "k1", "Ann", "ann@example.com", "t1"))
	bob, err := other.CreateCustomer(ctx, "agent", model.Customer{Name: "Bob (by hand)", Email: "Bob@Example.com"})
	if err != nil {
		t.Fatal(err)
	}
	// k2 is Bob by e-mail: the load's buffered INSERT of a new customer
	// hits the unique index; the exact path binds k2 to Bob, fills his
	// empty plan and adds his tag.
	batch(model.ImportCounts{CustomersCreated: 1, CustomersUpdated: 1, FeedbackCreated: 2},
		rec(3, "k3", "Cy", "cy@example.com", "t2"), rec(4, "k2", "Bob", "bob@example.com", "t3"))
	if n := loader.firstLoad.Load().handOvers; n != 1 {
		t.Errorf("%d batches handed over, want 1", n)
	}
	// Later: k2 again (found by its id), a new one, Bob's e-mail under
	// another id (found by e-mail): no conflict, nothing handed over.
	batch(model.ImportCounts{CustomersCreated: 1, FeedbackCreated: 3},
		rec(5, "k2", "Bob", "bob@example.com", "t4"), rec(6, "k4", "Dee", "dee@example.com", "t5"),
		rec(7, "k5", "Robert", "BOB@example.com", "t6"))
	if n := loader.firstLoad.Load().handOvers; n != 1 {
		t.Errorf("%d batches handed over, want 1", n)
	}
	if err := loader.EndFirstLoad(ctx); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, loader, "SELECT count(*) FROM customers"); n != 4 {
		t.Errorf("%d customers, want 4 (Ann, Bob, Cy, Dee)", n)
	}
	if ids := queryInts(t, loader, "SELECT customer_id FROM customer_keys WHERE external_id IN ('k2', 'k5') ORDER BY external_id"); len(ids) != 2 || ids[0] != bob.ID || ids[1] != bob.ID {
		t.Errorf("k2, k5 name customers %v, want Bob (%d)", ids, bob.ID)
	}
	got, err := loader.Customer(ctx, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Bob (by hand)" || got.Plan != "pro" || got.FeedbackN != 3 || len(got.Tags) != 1 {
		t.Errorf("Bob after the load: name %q plan %q feedback %d tags %v", got.Name, got.Plan, got.FeedbackN, got.Tags)
	}
	if n := queryInt(t, loader, "SELECT count(*) FROM feedback"); n != 6 {
		t.Errorf("%d feedback rows, want 6", n)
	}
	if n := queryInt(t, loader, "SELECT count(*) FROM deferred_index"); n != 0 {
		t.Errorf("%d deferred_index rows after the load", n)
	}
}

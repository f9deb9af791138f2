package db

import (
	"fmt"
	"testing"

	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

// A first load on PostgreSQL drops the text search indexes for the load
// and holds its lock: another session opening the database meanwhile
// leaves the load alone. When the loading process dies (its session and
// lock end) the next Open finishes the load's work: the indexes are back,
// the figures and customers' bigram rows computed, nothing pending.
func TestFirstLoadPGKilledIsRepaired(t *testing.T) {
	pg := pgtest.Open(t)
	url := pg.Database(t)
	s, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	began, err := s.BeginFirstLoad(ctx)
	if err != nil || !began {
		t.Fatalf("BeginFirstLoad on an empty database: %v %v", began, err)
	}
	var recs []model.ImportRecord
	two := 2
	for i := range 40 {
		c := model.Customer{Name: fmt.Sprintf("陈静 %d", i%10), Email: fmt.Sprintf("c%d@example.cn", i%10)}
		recs = append(recs, model.ImportRecord{Line: i + 2, CustomerKey: fmt.Sprint("u", i%10), Customer: c,
			FeedbackKey: fmt.Sprint("t", i), Feedback: &model.Feedback{Subject: "退款 refund", Body: "body", CSAT: &two, Tags: []string{"vip"}}})
	}
	if n, err := s.ImportBatch(ctx, "imp", "zendesk", recs, false); err != nil || n.FeedbackCreated != 40 || n.CustomersCreated != 10 {
		t.Fatalf("import: %+v %v", n, err)
	}
	indexes := func(st *Store) int {
		return queryInt(t, st, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('feedback_search', 'customers_search', 'feedback_grams')")
	}
	if n := indexes(s); n != 0 {
		t.Fatalf("%d text indexes during the load, want them dropped", n)
	}
	// Another session while the load runs: nothing repaired.
	other, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := indexes(other); n != 0 {
		t.Errorf("a second session rebuilt %d indexes under a running load", n)
	}
	other.Close()

	// The loading process dies: its lock goes with its session.
	s.firstLoad.Swap(nil).release()
	again, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if n := indexes(again); n != 3 {
		t.Errorf("after the repair %d of 3 text indexes", n)
	}
	if n := queryInt(t, again, "SELECT count(*) FROM deferred_index"); n != 0 {
		t.Errorf("%d deferred_index rows left", n)
	}
	if n := queryInt(t, again, "SELECT count(*) FROM customers WHERE feedback_n = 4 AND csat_n = 4"); n != 10 {
		t.Errorf("%d customers with their figures, want 10", n)
	}
	page, err := again.ListCustomers(ctx, model.CustomerQuery{Search: "陈静", Limit: 50})
	if err != nil || len(page.Rows) != 10 {
		t.Errorf("bigram search after the repair: %d rows, %v", len(page.Rows), err)
	}
	if n, _, err := again.CountFeedback(ctx, model.FeedbackQuery{Search: "退款"}, 0); err != nil || n != 40 {
		t.Errorf("feedback search after the repair: %d, %v", n, err)
	}
}

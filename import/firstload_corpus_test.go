package importer

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

// TestFirstLoadCorpusBothStores imports each of several real exports
// into four empty databases — SQLite and PostgreSQL, each by the first
// load's path and row by row — and finds what a person sees equal in all
// four: the report's counts and rejected rows, the customer and feedback
// counts, and every summary dimension with its monthly trend.
func TestFirstLoadCorpusBothStores(t *testing.T) {
	defer func(n int64) { firstLoadBytes = n }(firstLoadBytes)
	firstLoadBytes = 0 // each file takes the first load's path
	pgtest.Open(t)     // skips without RAPPORT_TEST_PG
	ctx := context.Background()
	clock := func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) }
	for _, file := range []string{"jsm-es-it-helpdesk.csv", "freshdesk-trial-moengage.csv", "douban-book-reviews-zh.csv",
		"comcast-telecom-complaints.csv", "multilang-helpdesk-customer-tickets.csv", "ibm-telco-churn-demographics.csv"} {
		t.Run(file, func(t *testing.T) {
			path := corpus(t, file)
			stores := map[string]*db.Store{}
			stores["SQLite first load"], _ = clockedStore(t, "fast.db")
			stores["SQLite row by row"], _ = clockedStore(t, "slow.db")
			stores["PostgreSQL first load"] = openClockedPG(t, pgtest.Database(t), clock)
			stores["PostgreSQL row by row"] = openClockedPG(t, pgtest.Database(t), clock)
			seen := map[string]map[string]string{} // what → store → JSON
			note := func(store, what string, v any, err error) {
				if err != nil {
					t.Fatalf("%s: %s: %v", store, what, err)
				}
				b, _ := json.Marshal(v)
				if seen[what] == nil {
					seen[what] = map[string]string{}
				}
				seen[what][store] = string(b)
			}
			for name, s := range stores {
				var st Store = s
				if name == "SQLite row by row" || name == "PostgreSQL row by row" {
					st = incremental{s}
				}
				rep, err := Run(ctx, st, path, Options{Loc: time.UTC, Agent: "importer"})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				note(name, "report", counts(rep), nil)
				n, _, err := s.CountCustomers(ctx, model.CustomerQuery{}, 0)
				note(name, "customers", n, err)
				fb, err := s.ListFeedback(ctx, model.FeedbackQuery{Limit: 1 << 20})
				note(name, "feedback", len(fb), err)
				for _, by := range append([]string{""}, model.SummaryDimensions...) {
					sum, err := s.Summary(ctx, model.SummaryQuery{By: by, Trend: "month"})
					note(name, "summary by "+by, sum, err)
				}
			}
			if r := seen["report"]["SQLite first load"]; r == "" || seen["customers"]["SQLite first load"] == "0" {
				t.Fatalf("nothing imported: %s", r)
			}
			for what, by := range seen {
				want := by["SQLite row by row"]
				for store, got := range by {
					if got != want {
						t.Errorf("%s: %s differs from SQLite row by row:\n%-24s %.500s\n%-24s %.500s", file, what, store, got, "SQLite row by row", want)
					}
				}
			}
		})
	}
}

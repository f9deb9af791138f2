package importer

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

// pgStore opens a PostgreSQL store on a new database pg_<random> of the
// server RAPPORT_TEST_PG names (dropped when t ends), or skips t.
func pgStore(t *testing.T) *db.Store {
	t.Helper()
	s, err := db.Open(context.Background(), pgtest.Database(t), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestImportSameOnPostgres imports the same real exports into a SQLite
// store and a PostgreSQL store and compares what a person sees: the
// import reports, customer and feedback counts, every summary dimension
// (with a monthly trend) as JSON, segment members, and searches.
func TestImportSameOnPostgres(t *testing.T) {
	pg := pgStore(t)
	lite := importStore(t)
	clock := func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) }
	lite.Now, pg.Now = clock, clock
	files := []string{"jsm-es-it-helpdesk.csv", "freshdesk-trial-moengage.csv", "preppindata-csbsco-nps-survey.csv",
		"douban-book-reviews-zh.csv", "glpi-helpdesk-uenp-utf8bom-comma.csv"}
	for _, f := range files {
		a, b := run(t, lite, f, Options{}), run(t, pg, f, Options{})
		ca, _ := json.Marshal(a.ImportCounts)
		cb, _ := json.Marshal(b.ImportCounts)
		if string(ca) != string(cb) {
			t.Errorf("%s: SQLite counts %s, PostgreSQL %s", f, ca, cb)
		}
	}
	ctx := context.Background()
	same := func(what string, get func(st *db.Store) (any, error)) {
		t.Helper()
		x, errA := get(lite)
		y, errB := get(pg)
		if errA != nil || errB != nil {
			t.Errorf("%s: SQLite %v, PostgreSQL %v", what, errA, errB)
			return
		}
		ja, _ := json.Marshal(x)
		jb, _ := json.Marshal(y)
		if string(ja) != string(jb) {
			t.Errorf("%s differs:\nSQLite     %.600s\nPostgreSQL %.600s", what, ja, jb)
		}
	}
	same("customers", func(st *db.Store) (any, error) {
		n, _, err := st.CountCustomers(ctx, model.CustomerQuery{}, 0)
		return n, err
	})
	same("feedback", func(st *db.Store) (any, error) {
		fb, err := st.ListFeedback(ctx, model.FeedbackQuery{Limit: 1 << 20})
		return len(fb), err
	})
	for _, by := range append([]string{""}, model.SummaryDimensions...) {
		same("summary by "+by, func(st *db.Store) (any, error) {
			return st.Summary(ctx, model.SummaryQuery{By: by, Trend: "month"})
		})
	}
	for _, where := range []string{"csat_avg < 3", "feedback_n >= 2 and last_contact_days > 30", `company ~ "a"`} {
		same("segment "+where, func(st *db.Store) (any, error) {
			page, err := st.ListCustomers(ctx, model.CustomerQuery{Where: where, Limit: 100000})
			ids := []int64{}
			for _, c := range page.Rows {
				ids = append(ids, c.ID)
			}
			return ids, err
		})
	}
	for _, term := range []string{"书", "小说", "password", "impresora", "não"} {
		same("search "+term, func(st *db.Store) (any, error) {
			fb, err := st.ListFeedback(ctx, model.FeedbackQuery{Search: term, Limit: 100000})
			return feedbackIDs(fb), err
		})
	}
}

func feedbackIDs(fb []model.Feedback) []int64 {
	ids := []int64{}
	for _, f := range fb {
		ids = append(ids, f.ID)
	}
	return ids
}

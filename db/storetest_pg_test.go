package db

import (
	"context"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection

	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/db/storetest"
	"github.com/rapportcrm/rapport/model"
)

// knownDefectsPG are the suite's findings on the PostgreSQL store that
// are not fixed yet, each skipped with its reason.
var knownDefectsPG = map[string]string{}

// TestConformancePostgres runs the store contract's conformance suite,
// unchanged, against the PostgreSQL store, each subtest on a new database.
func TestConformancePostgres(t *testing.T) {
	pg := pgtest.Open(t)
	storetest.RunWith(t, func(t *testing.T) model.Store {
		st, err := Open(context.Background(), pg.Database(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}, knownDefectsPG)
}

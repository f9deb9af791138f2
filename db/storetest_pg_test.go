package db

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

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

// TestConformancePostgresUnicodeCollation runs the suite's case-folding
// subtests on a database whose collation is not C (C.UTF-8, as a server's
// default often is), where ILIKE also folds non-ASCII capitals.
func TestConformancePostgresUnicodeCollation(t *testing.T) {
	pg := pgtest.Open(t)
	storetest.RunOnly(t, func(t *testing.T) model.Store {
		name := fmt.Sprintf("rapport_test_coll_%d_%d", os.Getpid(), time.Now().UnixNano())
		admin := pg.Admin()
		if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
		u := pg.URL()
		u.Path = "/" + name
		st, err := Open(context.Background(), u.String(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}, "ASCIIPatternsFoldASCII", "SegmentContainsFoldsCase", "SearchCustomers", "SearchFeedback", "SearchFoldsNonASCII", "SearchFoldRuleRandom")
}

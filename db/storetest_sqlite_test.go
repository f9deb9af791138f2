package db_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/db/storetest"
	"github.com/rapportcrm/rapport/model"
)

// knownDefects are the suite's findings on the SQLite store that are not
// fixed yet; each is skipped with its reason until it is.
var knownDefects = map[string]string{
	"ImportSinkIdempotentAfterIdentityMatch": "ImportBatch is not idempotent when a row first finds a customer by " +
		"e-mail or phone: the first import only fills empty fields and binds the source key, the second finds " +
		"the customer by that key and overwrites name, plan and e-mail (importCustomer: mergeImported with " +
		"byKey), reporting customers_updated 1 for an unchanged file",
	"AddFeedbackKeepsAttrs": "AddFeedback silently drops Feedback.Attrs (its INSERT has no attrs column; " +
		"only ImportBatch stores an item's attributes)",
}

// TestConformance runs the store contract's conformance suite against the
// SQLite store, each subtest on a new file in a temporary folder.
func TestConformance(t *testing.T) {
	storetest.RunWith(t, func(t *testing.T) model.Store {
		st, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "conformance.db"), db.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}, knownDefects)
}

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
// fixed yet; each is skipped with its reason until it is. None today: the
// two it found (a re-import after an identity match overwrote what the
// first only filled; AddFeedback dropped Feedback.Attrs) are mended.
var knownDefects = map[string]string{}

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

package db

import "github.com/rapportcrm/rapport/model"

// The SQLite store satisfies the whole store contract; db/storetest checks
// that it keeps its promises (db/storetest_sqlite_test.go).
var _ model.Store = (*Store)(nil)

package db

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// copySource is a small demo database with a history on top: edited
// customers (versions above 1), a merge, notes, a follow-up done, a
// segment, tags and a deleted customer, so that ids have a gap.
func copySource(t *testing.T) *Store {
	t.Helper()
	s := openTemp(t)
	if _, err := loadTestDemo(s, ctx, testDemo{Customers: 300, Feedback: 1500, Seed: 11, Now: demoTestNow}); err != nil {
		t.Fatal(err)
	}
	c := mustCreate(t, s, model.Customer{Name: "陈静", Company: "杭州云栖科技", Email: "chen.jing@example.cn"})
	for i := range 3 {
		name := fmt.Sprintf("陈静 %d", i)
		if _, err := s.UpdateCustomer(ctx, "li.na", c.ID, model.CustomerPatch{Name: &name}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddNote(ctx, "li.na", model.Note{CustomerID: c.ID, Body: "called back, 退款 agreed"}); err != nil {
		t.Fatal(err)
	}
	gone := mustCreate(t, s, model.Customer{Name: "To Be Merged", Email: "dup@example.com"})
	if _, err := s.MergeCustomers(ctx, "li.na", gone.ID, c.ID, model.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveSegment(ctx, "li.na", "unhappy", "csat_avg < 3", true); err != nil {
		t.Fatal(err)
	}
	return s
}

// tableDigest digests every row of a table in key order, with each
// value's type, so that equal digests mean equal ids, versions, times.
func tableDigest(t *testing.T, s *Store, table, order string) string {
	t.Helper()
	rows, err := s.db.Query("SELECT * FROM " + table + " ORDER BY " + order)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h := sha256.New()
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			fmt.Fprintf(h, "%T:%v|", v, v)
		}
		n++
	}
	return fmt.Sprintf("%d rows %x", n, h.Sum(nil)[:8])
}

func TestCopyFileToFile(t *testing.T) {
	src := copySource(t)
	dst, err := Open(ctx, filepath.Join(t.TempDir(), "copy.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dst.Close() })

	n, err := Copy(ctx, src, dst)
	if err != nil {
		t.Fatal(err)
	}
	want := CopyCounts{
		Customers: int64(queryInt(t, src, "SELECT count(*) FROM customers")),
		Feedback:  int64(queryInt(t, src, "SELECT count(*) FROM feedback")),
		FollowUps: int64(queryInt(t, src, "SELECT count(*) FROM followups")),
		Notes:     int64(queryInt(t, src, "SELECT count(*) FROM notes")),
		Audit:     int64(queryInt(t, src, "SELECT count(*) FROM audit")),
	}
	if n != want || n.Customers != 301 || n.Feedback != 1500 || n.Audit < 5 {
		t.Fatalf("counts %+v, want %+v (301 customers after the merge, 1500 feedback)", n, want)
	}
	// Every copied table, row for row; the derived ones rebuilt the same.
	tables := slices.Clone(copyTables)
	tables = append(tables, copyTable{"summary_agg", "dim, key, month"},
		copyTable{"customers_grams", "rowid"}, copyTable{"feedback_grams", "rowid"})
	for _, tb := range tables {
		if a, b := tableDigest(t, src, tb.name, tb.order), tableDigest(t, dst, tb.name, tb.order); a != b {
			t.Errorf("%s: source %s, copy %s", tb.name, a, b)
		}
	}
	if n := queryInt(t, dst, "SELECT count(*) FROM bulk_load"); n != 0 {
		t.Errorf("bulk_load holds %d rows after the copy", n)
	}
	// Search finds the same customers and feedback through the rebuilt
	// full-text and bigram indexes: a two-character Chinese term, a
	// substring, an e-mail, a feedback term.
	for _, q := range []string{"陈静", "云栖", "chen.jing", "王", "com"} {
		a, err := src.ListCustomers(ctx, model.CustomerQuery{Search: q, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		b, err := dst.ListCustomers(ctx, model.CustomerQuery{Search: q, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Rows) == 0 || !slices.Equal(rowIDs(a.Rows), rowIDs(b.Rows)) {
			t.Errorf("search %q: source %v, copy %v", q, rowIDs(a.Rows), rowIDs(b.Rows))
		}
	}
	for _, q := range []string{"退款", "refund", "物流"} {
		a, err := src.ListFeedback(ctx, model.FeedbackQuery{Search: q, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		b, err := dst.ListFeedback(ctx, model.FeedbackQuery{Search: q, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 || len(a) != len(b) {
			t.Errorf("feedback search %q: source %d items, copy %d", q, len(a), len(b))
		}
	}
	// A write after the copy takes the next id and leaves the copy sound.
	c := mustCreate(t, dst, model.Customer{Name: "After Copy"})
	if max := int64(queryInt(t, src, "SELECT max(id) FROM customers")); c.ID != max+1 {
		t.Errorf("new customer id %d, want %d", c.ID, max+1)
	}
	if bad, err := dst.IntegrityCheck(ctx); err != nil || len(bad) > 0 {
		t.Errorf("integrity check: %v %v", bad, err)
	}
}

func rowIDs(cs []model.Customer) []int64 {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// A second copy into the same destination is refused, names what the
// destination holds, and changes nothing: never duplicates.
func TestCopyRefusesNonEmptyDestination(t *testing.T) {
	src := copySource(t)
	dst := openTemp(t)
	if _, err := Copy(ctx, src, dst); err != nil {
		t.Fatal(err)
	}
	before := tableDigest(t, dst, "customers", "id") + tableDigest(t, dst, "audit", "id") + tableDigest(t, dst, "categories", "id")
	_, err := Copy(ctx, src, dst)
	if !errors.Is(err, ErrNotEmpty) {
		t.Fatalf("second copy: %v, want ErrNotEmpty", err)
	}
	if want := "customers"; !containsAll(err.Error(), want, "new database") {
		t.Errorf("message %q does not name %q", err, want)
	}
	after := tableDigest(t, dst, "customers", "id") + tableDigest(t, dst, "audit", "id") + tableDigest(t, dst, "categories", "id")
	if before != after {
		t.Errorf("refused copy changed the destination:\n%s\n%s", before, after)
	}
	if _, err := Copy(ctx, src, src); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("copy onto itself: %v", err)
	}
	// One note is enough to make a database not empty.
	other := openTemp(t)
	c := mustCreate(t, other, model.Customer{Name: "x"})
	if _, err := other.AddNote(ctx, "a", model.Note{CustomerID: c.ID, Body: "n"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Copy(ctx, src, other); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("copy into a database with data: %v", err)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// Every table of the schema is either copied or rebuilt: a migration
// that adds a table must say which (copyTables or copyDerived).
func TestCopyKnowsEveryTable(t *testing.T) {
	s := openTemp(t)
	tx, err := s.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := copyCheckTables(ctx, tx, false); err != nil {
		t.Error(err)
	}
	for _, tb := range copyTables {
		if !tableExists(ctx, tx, false, tb.name) {
			t.Errorf("copyTables names %s, which the schema does not have", tb.name)
		}
	}
}

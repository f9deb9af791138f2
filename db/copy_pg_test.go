package db

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

func openPGTemp(t *testing.T, pg *pgtest.Server) *Store {
	t.Helper()
	s, err := Open(ctx, pg.Database(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// pgSchemaShape lists a PostgreSQL database's indexes and constraints with
// their definitions, to compare with a freshly migrated one's.
func pgSchemaShape(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
		UNION ALL SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		WHERE connamespace = current_schema()::regnamespace ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestCopyIntoPostgres copies a database with history, and text that
// COPY's format must escape, from a file into PostgreSQL through COPY
// and back into a new file: every table is row for row the same on the
// way back, the derived tables are rebuilt the same, and PostgreSQL's
// indexes and foreign keys, dropped for the load, are all there again.
func TestCopyIntoPostgres(t *testing.T) {
	pg := pgtest.Open(t)
	src := copySource(t)
	odd := mustCreate(t, src, model.Customer{Name: "tab\there \\N back\\slash", Company: "line\nbreak\r\nend 陈氏", Email: "odd@example.com"})
	dst := openPGTemp(t, pg)
	fresh := pgSchemaShape(t, openPGTemp(t, pg))

	n, err := Copy(ctx, src, dst)
	if err != nil {
		t.Fatal(err)
	}
	if n.Customers != 302 || n.Feedback != 1500 || n.Audit != int64(queryInt(t, src, "SELECT count(*) FROM audit")) {
		t.Fatalf("counts %+v", n)
	}
	if got := pgSchemaShape(t, dst); !slices.Equal(got, fresh) {
		t.Errorf("indexes and constraints after the copy differ from a new database's:\n%s\nwant\n%s",
			strings.Join(got, "\n"), strings.Join(fresh, "\n"))
	}
	for _, tb := range copyTables {
		if a, b := tableDigest(t, src, tb.name, tb.order), tableDigest(t, dst, tb.name, tb.order); a != b {
			t.Errorf("%s: source %s, PostgreSQL %s", tb.name, a, b)
		}
	}
	got, err := dst.Customer(ctx, odd.ID)
	if err != nil || got.Name != odd.Name || got.Company != odd.Company {
		t.Errorf("escaped text: %q %q, %v", got.Name, got.Company, err)
	}
	// The bigram rows went in with the customers: a two-character term
	// finds the same customers as on the file.
	for _, q := range []string{"陈静", "陈氏", "云栖", "chen.jing"} {
		a, err := src.ListCustomers(ctx, model.CustomerQuery{Search: q, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		b, err := dst.ListCustomers(ctx, model.CustomerQuery{Search: q, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Rows) == 0 || !slices.Equal(rowIDs(a.Rows), rowIDs(b.Rows)) {
			t.Errorf("search %q: file %v, PostgreSQL %v", q, rowIDs(a.Rows), rowIDs(b.Rows))
		}
	}
	if a, b := tableDigest(t, src, "followup_counts", "customer_id"), tableDigest(t, dst, "followup_counts", "customer_id"); a != b {
		t.Errorf("followup_counts: file %s, PostgreSQL %s", a, b)
	}

	back, err := Open(ctx, filepath.Join(t.TempDir(), "back.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { back.Close() })
	if _, err := Copy(ctx, dst, back); err != nil {
		t.Fatal(err)
	}
	tables := append(slices.Clone(copyTables), copyTable{"summary_agg", "dim, key, month"},
		copyTable{"customers_grams", "rowid"}, copyTable{"feedback_grams", "rowid"})
	for _, tb := range tables {
		if a, b := tableDigest(t, src, tb.name, tb.order), tableDigest(t, back, tb.name, tb.order); a != b {
			t.Errorf("%s: source %s, after PostgreSQL %s", tb.name, a, b)
		}
	}
	c := mustCreate(t, dst, model.Customer{Name: "After Copy"})
	if c.ID != odd.ID+1 {
		t.Errorf("new customer id %d, want %d", c.ID, odd.ID+1)
	}
}

// A copy into PostgreSQL that fails part-way — here on a feedback row
// PostgreSQL cannot store, after the customers went in — leaves the
// destination as it was: empty, with every index and key; the same
// copy succeeds once the row is fixed.
func TestCopyIntoPostgresFailureLeavesNothing(t *testing.T) {
	pg := pgtest.Open(t)
	src := copySource(t)
	if _, err := src.db.Exec("UPDATE feedback SET body = 'a' || char(0) || 'b' WHERE id = (SELECT max(id) FROM feedback)"); err != nil {
		t.Fatal(err)
	}
	dst := openPGTemp(t, pg)
	fresh := pgSchemaShape(t, dst)
	if _, err := Copy(ctx, src, dst); err == nil || !strings.Contains(err.Error(), "copying feedback") {
		t.Fatalf("copy of a NUL byte: %v", err)
	}
	for _, tb := range copyTables {
		if tb.name == "categories" {
			continue
		}
		if n := queryInt(t, dst, "SELECT count(*) FROM "+tb.name); n != 0 {
			t.Errorf("a failed copy left %d rows in %s", n, tb.name)
		}
	}
	if n := queryInt(t, dst, "SELECT count(*) FROM categories"); n == 0 {
		t.Errorf("a failed copy removed the default categories")
	}
	if got := pgSchemaShape(t, dst); !slices.Equal(got, fresh) {
		t.Errorf("a failed copy changed the indexes or constraints:\n%s", strings.Join(got, "\n"))
	}
	if _, err := src.db.Exec("UPDATE feedback SET body = 'ab' WHERE id = (SELECT max(id) FROM feedback)"); err != nil {
		t.Fatal(err)
	}
	if n, err := Copy(ctx, src, dst); err != nil || n.Feedback != 1500 {
		t.Fatalf("second copy: %+v, %v", n, err)
	}
}

// rapport_bigrams of migration 3 gives, for every text, the array the
// body of migration 1 gave (feedback_grams built with either stays
// valid): runs of CJK, single characters, runs split by ASCII, repeats,
// accents, emoji, the unit separator between subject and body.
func TestBigramsSameAsFirstBody(t *testing.T) {
	s := openPGTemp(t, pgtest.Open(t))
	texts := []string{"", "a", "陈", "陈静", "退款 refund 退款", "物流太慢,退款!退款", "ab陈c静d", "café crème",
		"你好世界你好", "emoji 😀😀 ok 😀", "主题\x1f正文内容", "x\x1f陈静\x1fy", "ÅÄÖ", "한국어 텍스트", "日本語のテキスト"}
	rows, err := s.db.Query(`SELECT t, rapport_bigrams(t)::text, (SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
			SELECT substr(t, i, 2) AS g FROM generate_series(1, char_length(t) - 1) AS i) AS p
			WHERE g ~ '^[^\x01-\x7f]{2}$')::text FROM unnest(?::text[]) AS t`, "{"+quoteArray(texts)+"}")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var text, got, want string
		if err := rows.Scan(&text, &got, &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("rapport_bigrams(%q) = %s, first body %s", text, got, want)
		}
		n++
	}
	if n != len(texts) {
		t.Errorf("%d texts compared, want %d", n, len(texts))
	}
}

func quoteArray(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return strings.Join(q, ",")
}

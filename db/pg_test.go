package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT ? , ?", "SELECT $1 , $2"},
		{"UPDATE t SET a = ?1 WHERE b = ?2 OR c = ?1", "UPDATE t SET a = $1 WHERE b = $2 OR c = $1"},
		{"SELECT ?3, ?", "SELECT $3, $4"}, // a bare ? follows the largest number so far, as in SQLite
		{`SELECT '?', "a?b", ? -- what?` + "\n" + `FROM t WHERE x = ?`, `SELECT '?', "a?b", $1 -- what?` + "\n" + `FROM t WHERE x = $2`},
		{`SELECT 'it''s ?', ?`, `SELECT 'it''s ?', $1`},
		{`x LIKE ? ESCAPE '\'`, `x LIKE $1 ESCAPE '\'`},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTranslatePG(t *testing.T) {
	var dup *model.DuplicateError
	for _, c := range []struct {
		err  *pgconn.PgError
		want func(error) bool
	}{
		{&pgconn.PgError{Code: "23505", ConstraintName: "customers_email_unique"},
			func(e error) bool { return errors.As(e, &dup) && dup.Field == "email" }},
		{&pgconn.PgError{Code: "23505", ConstraintName: "customers_phone_unique"},
			func(e error) bool { return errors.As(e, &dup) && dup.Field == "phone" }},
		{&pgconn.PgError{Code: "23505", ConstraintName: "tags_name_key", Message: "duplicate key value violates unique constraint"},
			func(e error) bool { return errors.Is(e, model.ErrConflict) }},
		{&pgconn.PgError{Code: "23503"}, func(e error) bool { return errors.Is(e, model.ErrNotFound) }},
		{&pgconn.PgError{Code: "23514"}, func(e error) bool { return errors.Is(e, model.ErrInvalid) }},
		{&pgconn.PgError{Code: "40001"}, func(e error) bool { return errors.Is(e, model.ErrBusy) }},
		{&pgconn.PgError{Code: "40P01"}, func(e error) bool { return errors.Is(e, model.ErrBusy) }},
		{&pgconn.PgError{Code: "42601", Message: `syntax error at or near "SELECT"`},
			func(e error) bool { return !strings.Contains(e.Error(), "SELECT") || debugPG }},
	} {
		got := translate(fmt.Errorf("wrapped: %w", c.err))
		if !c.want(got) {
			t.Errorf("translate(%s) = %v", c.err.Code, got)
		}
	}
	s := &Store{d: dialect{pg: true}, host: "db.example:5432"}
	if got := s.translate(&pgconn.ConnectError{}); got == nil || got.Error() != "lost the connection to db.example:5432, retrying…" {
		t.Errorf("a lost connection reads %q", got)
	}
}

// TestOpenPostgres: the schema is created once, a second Open finds it,
// Path never shows the password, and a database of another program or of
// a newer Rapport is refused without being changed.
func TestOpenPostgres(t *testing.T) {
	pg := pgtest.Open(t)
	ctx := context.Background()
	url := pg.Database(t)
	withPassword := strings.Replace(url, "://"+pg.URL().User.Username()+"@", "://"+pg.URL().User.Username()+":not-shown@", 1)
	if _, err := Open(ctx, url, Options{MustExist: true}); err == nil || !strings.Contains(err.Error(), "no Rapport database") {
		t.Errorf("MustExist on an empty database: %v", err)
	}
	upgraded := false
	st, err := Open(ctx, withPassword, Options{OnUpgrade: func(int, int) { upgraded = true }})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(st.Path(), "not-shown") || !strings.HasPrefix(st.Path(), "postgres://") {
		t.Errorf("Path() = %q", st.Path())
	}
	if upgraded {
		t.Errorf("a new database was reported as an upgrade")
	}
	var jit string
	if err := st.db.QueryRowContext(ctx, "SHOW jit").Scan(&jit); err != nil || jit != "off" {
		t.Errorf("jit = %q, %v; want off on our connections", jit, err)
	}
	st.Close()
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	st, err = Open(ctx, url+sep+"jit=on", Options{})
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	if err := st.db.QueryRowContext(ctx, "SHOW jit").Scan(&jit); err != nil || jit != "on" {
		t.Errorf("jit = %q, %v with jit=on in the URL", jit, err)
	}
	st.Close()

	newer := pg.Database(t)
	st, err = Open(ctx, newer, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.ExecContext(ctx, "UPDATE rapport_meta SET schema_version = 99"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, err = Open(ctx, newer, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer Rapport (schema 99") {
		t.Errorf("a newer schema opened: %v", err)
	}

	foreign := pg.Database(t)
	other, err := Open(ctx, foreign, Options{})
	if err != nil {
		t.Fatal(err)
	}
	other.db.ExecContext(ctx, "DROP TABLE rapport_meta")
	other.Close()
	_, err = Open(ctx, foreign, Options{})
	if err == nil || !strings.Contains(err.Error(), "another program") {
		t.Errorf("another program's database opened: %v", err)
	}

	_, err = Open(ctx, "postgres://nobody:pw@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", Options{})
	if err == nil || strings.Contains(err.Error(), "pw@") || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("an unreachable server: %v", err)
	}
}

// TestTeamStressPostgres is the team stress of team_stress_test.go on
// PostgreSQL: writers on their own pools, no failure, no lost update.
func TestTeamStressPostgres(t *testing.T) {
	pg := pgtest.Open(t)
	writers, ops := []int{4}, 40
	if os.Getenv("RAPPORT_STRESS") != "" {
		writers, ops = []int{8, 16}, 400
	}
	for _, n := range writers {
		t.Run(fmt.Sprintf("%d-writers", n), func(t *testing.T) { stress(t, pg.Database(t), n, ops) })
	}
}

// TestSearchUsesIndexesPostgres: every kind of search the store plans on
// PostgreSQL can be answered by its GIN indexes (with sequential scans
// priced out, as they are on a large table), so none is a scan of every
// row: trigrams for three or more characters, the CJK bigrams for two.
func TestSearchUsesIndexesPostgres(t *testing.T) {
	pg := pgtest.Open(t)
	ctx := context.Background()
	st, err := Open(ctx, pg.Database(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.CreateCustomer(ctx, "t", model.Customer{Name: "陈静", Company: "杭州云栖科技"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Subject: "申请退款", Body: "invoice missing"}); err != nil {
		t.Fatal(err)
	}
	e, err := st.CreateCustomer(ctx, "t", model.Customer{Name: "ÉLODIE DURAND"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddFeedback(ctx, "t", model.Feedback{CustomerID: e.ID, Body: "ДОСТАВКА задержана"}); err != nil {
		t.Fatal(err)
	}
	conn, err := st.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query, arg, index string
	}{
		{"SELECT c.id FROM customers c WHERE " + customerText + ` ILIKE ? ESCAPE '\'`, "%云栖科%", "customers_search"},
		{"SELECT g.rowid FROM customers_grams g WHERE string_to_array(g.grams, ' ') @> ARRAY[?]::text[]", "陈静", "customers_grams_search"},
		{"SELECT f.id FROM feedback f WHERE " + feedbackText + ` ILIKE ? ESCAPE '\'`, "%invoice%", "feedback_search"},
		{"SELECT f.id FROM feedback f WHERE rapport_bigrams" + feedbackText + " @> ARRAY[?]::text[]", "退款", "feedback_grams"},
		// a word with a non-ASCII letter: its folding pattern (fold_search.go)
		{"SELECT c.id FROM customers c WHERE " + customerText + " ~ ?", pgFoldPattern("élodie"), "customers_search"},
		{"SELECT f.id FROM feedback f WHERE " + feedbackText + " ~ ?", pgFoldPattern("доставка"), "feedback_search"},
	} {
		rows, err := conn.QueryContext(ctx, "EXPLAIN "+c.query, c.arg)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			rows.Scan(&line)
			plan = append(plan, line)
		}
		rows.Close()
		if p := strings.Join(plan, "\n"); !strings.Contains(p, c.index) {
			t.Errorf("%s does not use %s:\n%s", c.arg, c.index, p)
		}
		var n int
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM ("+c.query+") AS hits", c.arg).Scan(&n); err != nil || n != 1 {
			t.Errorf("%s finds %d rows (%v), want 1", c.arg, n, err)
		}
	}
}

// TestLostConnectionPostgres: when the server drops the store's
// connections, a call fails with a sentence for a person (or succeeds on a
// new connection), never a driver error, and the next call works.
func TestLostConnectionPostgres(t *testing.T) {
	pg := pgtest.Open(t)
	ctx := context.Background()
	url := pg.Database(t)
	st, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := st.CreateCustomer(ctx, "t", model.Customer{Name: "Ann"})
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(strings.SplitN(strings.SplitN(url, "?", 2)[0], "/", 4)[3], "/")
	if _, err := pg.Admin().ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		t.Fatal(err)
	}
	_, err = st.Customer(ctx, c.ID)
	if err != nil && err.Error() != "lost the connection to "+pg.URL().Host+", retrying…" {
		t.Errorf("after the server dropped the connections: %v", err)
	}
	if _, err := st.Customer(ctx, c.ID); err != nil {
		t.Errorf("the next call: %v", err)
	}
}

package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/model"
)

var demoTestNow = time.Date(2025, 6, 18, 10, 30, 0, 0, time.UTC)

func demoTestStore(t *testing.T, seed int64) *Store {
	t.Helper()
	s := openTemp(t)
	rep, err := loadTestDemo(s, context.Background(), testDemo{Customers: 2000, Feedback: 10000, Seed: seed, Now: demoTestNow})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Customers != 2000 || rep.Feedback != 10000 || rep.FollowUps != 200 || rep.Notes != 250 {
		t.Fatalf("report %+v", rep)
	}
	return s
}

// demoHash digests every row the generator writes, in a fixed order.
func demoHash(t *testing.T, s *Store) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		"SELECT * FROM customers ORDER BY id",
		"SELECT * FROM feedback ORDER BY id",
		"SELECT * FROM followups ORDER BY id",
		"SELECT * FROM notes ORDER BY id",
		"SELECT * FROM customer_tags ORDER BY customer_id, tag_id",
		"SELECT * FROM feedback_tags ORDER BY feedback_id, tag_id",
		"SELECT rowid FROM customers_grams ORDER BY rowid",
		"SELECT id, path FROM categories ORDER BY id",
		"SELECT id, name FROM tags ORDER BY id",
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				fmt.Fprintf(h, "%T:%v|", v, v)
			}
			h.Write([]byte{'\n'})
		}
		rows.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func schemaText(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.db.Query(`SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var a, n, tb, q string
		rows.Scan(&a, &n, &tb, &q)
		fmt.Fprintf(&b, "%s %s %s %s\n", a, n, tb, q)
	}
	return b.String()
}

func queryInt(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func queryFloat(t *testing.T, s *Store, q string, args ...any) float64 {
	t.Helper()
	var f sql.NullFloat64
	if err := s.db.QueryRow(q, args...).Scan(&f); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return f.Float64
}

func TestDemoGenerate(t *testing.T) {
	if raceOn {
		t.Skip("single-goroutine and slow under -race; runs in the plain pass")
	}
	fresh := openTemp(t)
	before := schemaText(t, fresh)
	s := demoTestStore(t, 7)

	if after := schemaText(t, s); after != before {
		t.Errorf("schema changed by the demo load:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	for table, want := range map[string]int{"customers": 2000, "feedback": 10000, "followups": 200, "notes": 250, "segments": 3} {
		if n := queryInt(t, s, "SELECT count(*) FROM "+table); n != want {
			t.Errorf("%s: %d rows, want %d", table, n, want)
		}
	}
	if n := queryInt(t, s, "SELECT count(*) FROM audit WHERE action = 'demo generate'"); n != 1 {
		t.Errorf("audit rows: %d", n)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Errorf("%d broken references", n)
	}
	var ok string
	s.db.QueryRow("PRAGMA integrity_check").Scan(&ok)
	if ok != "ok" {
		t.Errorf("integrity_check: %s", ok)
	}

	// A realistic mix.
	zh := queryInt(t, s, "SELECT count(*) FROM customers WHERE language = 'zh'")
	if zh < 1000 || zh > 1200 {
		t.Errorf("%d of 2000 customers are Chinese, want about 55%%", zh)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM customers WHERE language = 'zh' AND region NOT IN ('华东','华南','华北','西南')`); n != 0 {
		t.Errorf("%d Chinese customers outside the Chinese regions", n)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM customers WHERE lifecycle = 'paying' AND plan = 'free'`); n != 0 {
		t.Errorf("%d free customers are paying", n)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM customers WHERE plan = 'enterprise' AND ltv < 10000
		OR plan = 'free' AND ltv > 200 OR plan = 'pro' AND (ltv < 500 OR ltv > 8000)`); n != 0 {
		t.Errorf("%d customers with an LTV out of their plan's range", n)
	}
	tagged := queryInt(t, s, "SELECT count(DISTINCT customer_id) FROM customer_tags")
	if tagged < 400 || tagged > 800 {
		t.Errorf("%d of 2000 customers tagged, want about 30%%", tagged)
	}
	var names []string
	rows, _ := s.db.Query("SELECT name, email, phone, attrs, company FROM customers ORDER BY id")
	var en, cjk int
	for rows.Next() {
		var name, email, phone, attrs, company string
		rows.Scan(&name, &email, &phone, &attrs, &company)
		if err := model.ValidateEmail(email); err != nil {
			t.Errorf("customer %s: %v", name, err)
		}
		if email == "" && phone == "" {
			t.Errorf("customer %s has neither email nor phone", name)
		}
		// Stored as every write path stores attributes: keys sorted.
		var m map[string]string
		if err := json.Unmarshal([]byte(attrs), &m); err != nil || m["signup_source"] == "" || m["industry"] == "" ||
			(m["company_size"] != "") != (company != "") || len(m) != 2+boolInt(company != "") ||
			!strings.HasPrefix(attrs, `{"company_size":`) && !strings.HasPrefix(attrs, `{"industry":`) {
			t.Errorf("attrs %s (company %q)", attrs, company)
		}
		if hasCJK(name) {
			cjk++
			if n := utf8.RuneCountInString(name); n < 2 || n > 4 {
				t.Errorf("Chinese name %q", name)
			}
		} else if strings.Contains(name, " ") {
			en++
		}
		if len(names) < 6 {
			names = append(names, name+" <"+email+"> "+phone)
		}
	}
	rows.Close()
	if cjk < 900 || en < 700 {
		t.Errorf("names: %d Chinese, %d western", cjk, en)
	}
	t.Logf("first customers: %s", strings.Join(names, "; "))
	if n := queryInt(t, s, `SELECT count(*) FROM (SELECT email_key FROM customers WHERE email_key <> '' GROUP BY email_key HAVING count(*) > 1)`); n != 0 {
		t.Errorf("%d e-mail addresses are shared", n)
	}

	// Feedback: times, statuses, scores.
	from := fmtTime(demoTestNow.AddDate(0, -18, 0))
	to := fmtTime(demoTestNow)
	if n := queryInt(t, s, `SELECT count(*) FROM feedback WHERE created_at < ? OR created_at > ?`, from, to); n > 10 {
		t.Errorf("%d feedback outside the 18 months", n)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM feedback WHERE (status IN ('resolved','closed')) <> (resolved_at IS NOT NULL)
		OR resolved_at < created_at OR resolved_at > ? OR updated_at < created_at OR length(created_at) <> length(?)`, to, to); n != 0 {
		t.Errorf("%d feedback with inconsistent times", n)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM feedback f JOIN customers c ON c.id = f.customer_id
		WHERE f.created_at < c.created_at`); n > 10 {
		t.Errorf("%d feedback older than their customer", n)
	}
	csatShare := queryFloat(t, s, `SELECT avg(csat IS NOT NULL) FROM feedback`)
	npsShare := queryFloat(t, s, `SELECT avg(nps IS NOT NULL) FROM feedback`)
	if csatShare < 0.38 || csatShare > 0.52 || npsShare < 0.2 || npsShare > 0.3 {
		t.Errorf("CSAT on %.2f, NPS on %.2f of feedback; want about 0.45 and 0.25", csatShare, npsShare)
	}
	oldOpen := queryFloat(t, s, `SELECT avg(status IN ('open','pending')) FROM feedback WHERE created_at < ?`, fmtTime(demoTestNow.AddDate(0, -3, 0)))
	newOpen := queryFloat(t, s, `SELECT avg(status IN ('open','pending')) FROM feedback WHERE created_at > ?`, fmtTime(demoTestNow.AddDate(0, 0, -3)))
	if oldOpen > 0.05 || newOpen < 0.5 {
		t.Errorf("open share: %.2f of old feedback, %.2f of recent", oldOpen, newOpen)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM feedback f JOIN customers c ON c.id = f.customer_id
		WHERE (c.language = 'zh') <> (f.body GLOB '*[一-龥]*')`); n != 0 {
		t.Errorf("%d feedback not in their customer's language", n)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM feedback WHERE body LIKE '%{%' OR subject LIKE '%{%'`); n != 0 {
		t.Errorf("%d texts with unfilled slots", n)
	}
	distinct := queryInt(t, s, `SELECT count(DISTINCT body) FROM feedback`)
	if distinct < 5000 {
		t.Errorf("only %d distinct bodies in 10000", distinct)
	}

	// Satisfaction really differs between segments.
	avg := func(where string, args ...any) float64 {
		return queryFloat(t, s, `SELECT avg(f.csat) FROM feedback f JOIN customers c ON c.id = f.customer_id WHERE `+where, args...)
	}
	ent, free := avg("c.plan = 'enterprise'"), avg("c.plan = 'free'")
	south, east := avg("c.region = '华南'"), avg("c.region = '华东'")
	europe, na := avg("c.region = 'Europe'"), avg("c.region = 'North America'")
	phone, email := avg("f.channel = 'phone'"), avg("f.channel = 'email'")
	complaint, all := avg("f.kind = 'complaint'"), avg("1")
	t.Logf("CSAT: all %.2f enterprise %.2f free %.2f 华南 %.2f 华东 %.2f Europe %.2f NA %.2f phone %.2f email %.2f complaint %.2f",
		all, ent, free, south, east, europe, na, phone, email, complaint)
	for _, c := range []struct {
		what    string
		hi, lo  float64
		atLeast float64
	}{
		{"enterprise > free", ent, free, 0.4},
		{"华东 > 华南", east, south, 0.4},
		{"North America > Europe", na, europe, 0.4},
		{"phone > email", phone, email, 0.3},
		{"all > complaints", all, complaint, 0.5},
	} {
		if c.hi-c.lo < c.atLeast {
			t.Errorf("CSAT %s: %.2f vs %.2f, want a gap of at least %.1f", c.what, c.hi, c.lo, c.atLeast)
		}
	}
	om := demoTestNow.AddDate(0, -4, 0)
	month := func(m time.Time) float64 {
		return queryFloat(t, s, `SELECT avg(csat) FROM feedback WHERE substr(created_at, 1, 7) = ?`, m.Format("2006-01"))
	}
	dip, prev, next, last := month(om), month(om.AddDate(0, -1, 0)), month(om.AddDate(0, 1, 0)), month(demoTestNow)
	t.Logf("monthly CSAT around the outage: %.2f, outage %.2f, %.2f … now %.2f", prev, dip, next, last)
	if prev-dip < 0.3 || next-dip < 0.1 || last < next {
		t.Errorf("no visible outage dip and recovery: before %.2f, outage %.2f, after %.2f, now %.2f", prev, dip, next, last)
	}

	// Derived figures match an independent recomputation.
	if n := queryInt(t, s, `
		SELECT count(*) FROM customers c WHERE
		   c.csat_sum <> (SELECT coalesce(sum(csat), 0) FROM feedback WHERE customer_id = c.id)
		OR c.csat_n <> (SELECT count(csat) FROM feedback WHERE customer_id = c.id)
		OR coalesce(abs(c.csat_avg - (SELECT avg(csat) FROM feedback WHERE customer_id = c.id)), 0) > 1e-9
		OR (c.csat_avg IS NULL) <> (c.csat_n = 0)
		OR c.nps_last IS NOT (SELECT nps FROM feedback WHERE customer_id = c.id AND nps IS NOT NULL
		                      ORDER BY created_at DESC, id DESC LIMIT 1)
		OR c.feedback_n <> (SELECT count(*) FROM feedback WHERE customer_id = c.id)
		OR c.complaints_open <> (SELECT count(*) FROM feedback WHERE customer_id = c.id
		                         AND kind = 'complaint' AND status IN ('open', 'pending'))
		OR (SELECT open FROM followup_counts WHERE customer_id = c.id) IS NOT
		   (SELECT count(*) FROM followups WHERE customer_id = c.id AND status = 'open')
		OR c.last_contact_at IS NOT (SELECT max(at) FROM (
		        SELECT created_at AS at FROM feedback WHERE customer_id = c.id
		        UNION ALL SELECT done_at FROM followups WHERE customer_id = c.id))`); n != 0 {
		t.Errorf("%d customers' derived figures differ from a recomputation", n)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM customers WHERE feedback_n = 0`); n == 0 || n > 800 {
		t.Errorf("%d customers without feedback", n)
	}
	if n := queryInt(t, s, `SELECT max(feedback_n) FROM customers`); n < 20 {
		t.Errorf("the most active customer has only %d feedback", n)
	}
	churned := queryFloat(t, s, `SELECT avg(julianday(?) - julianday(last_contact_at)) FROM customers WHERE lifecycle = 'churned'`, to)
	active := queryFloat(t, s, `SELECT avg(julianday(?) - julianday(last_contact_at)) FROM customers WHERE lifecycle = 'paying'`, to)
	if churned < 90 || active > 60 {
		t.Errorf("days since last contact: churned %.0f, paying %.0f", churned, active)
	}

	// Follow-ups: overdue, today and upcoming, about 30% done.
	if n := queryInt(t, s, `SELECT count(*) FROM followups WHERE due_at < ? OR due_at > ?`,
		fmtTime(demoTestNow.AddDate(0, 0, -21)), fmtTime(demoTestNow.AddDate(0, 0, 31))); n != 0 {
		t.Errorf("%d follow-ups due outside -20..+30 days", n)
	}
	overdue := queryInt(t, s, `SELECT count(*) FROM followups WHERE status = 'open' AND due_at < ?`, to)
	upcoming := queryInt(t, s, `SELECT count(*) FROM followups WHERE status = 'open' AND due_at > ?`, to)
	done := queryInt(t, s, `SELECT count(*) FROM followups WHERE status = 'done' AND done_at IS NOT NULL AND done_at <= ?`, to)
	if overdue == 0 || upcoming == 0 || done < 30 || done > 90 {
		t.Errorf("follow-ups: %d overdue, %d upcoming, %d done", overdue, upcoming, done)
	}

	// Search: a Chinese substring of a company through the trigram index,
	// a two-character name through the bigrams.
	var id int64
	var company string
	s.db.QueryRow(`SELECT id, company FROM customers WHERE language = 'zh' AND length(company) >= 6 ORDER BY id LIMIT 1`).Scan(&id, &company)
	sub := string([]rune(company)[1:4])
	if n := queryInt(t, s, `SELECT count(*) FROM customers_fts WHERE customers_fts MATCH ? AND rowid = ?`, `"`+sub+`"`, id); n != 1 {
		t.Errorf("FTS does not find %q in %q", sub, company)
	}
	var name string
	s.db.QueryRow(`SELECT id, name FROM customers WHERE language = 'zh' AND length(name) = 2 ORDER BY id LIMIT 1`).Scan(&id, &name)
	if n := queryInt(t, s, `SELECT count(*) FROM customers_grams WHERE customers_grams MATCH ? AND rowid = ?`, `"`+name+`"`, id); n != 1 {
		t.Errorf("grams do not find %q", name)
	}
	if n := queryInt(t, s, `SELECT count(*) FROM customers_fts WHERE customers_fts MATCH '"example"'`); n < 1500 {
		t.Errorf("FTS finds %d customers by e-mail domain", n)
	}

	// A store with customers is refused.
	_, err := loadTestDemo(s, context.Background(), testDemo{Customers: 10, Now: demoTestNow})
	if !errors.Is(err, model.ErrConflict) {
		t.Errorf("second generation: %v, want a refusal", err)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM customers"); n != 2000 {
		t.Errorf("refused generation changed the store: %d customers", n)
	}
	if after := schemaText(t, s); after != before {
		t.Errorf("refused generation changed the schema")
	}
}

func TestDemoReproducible(t *testing.T) {
	if raceOn {
		t.Skip("single-goroutine and slow under -race; runs in the plain pass")
	}
	a := demoHash(t, demoTestStore(t, 42))
	b := demoHash(t, demoTestStore(t, 42))
	c := demoHash(t, demoTestStore(t, 43))
	if a != b {
		t.Error("the same seed gave different data")
	}
	if a == c {
		t.Error("different seeds gave the same data")
	}
}

func TestDemoProgressAndTinySizes(t *testing.T) {
	s := openTemp(t)
	var calls, last, total int
	rep, err := loadTestDemo(s, context.Background(), testDemo{Customers: 3, Feedback: 40, Now: demoTestNow,
		Progress: func(d, tot int) { calls++; last, total = d, tot }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Customers != 3 || rep.Feedback != 40 || calls == 0 || last != total || total != 43 {
		t.Errorf("report %+v, progress %d calls, last %d/%d", rep, calls, last, total)
	}
	if n := queryInt(t, s, "SELECT count(*) FROM feedback"); n != 40 {
		t.Errorf("%d feedback", n)
	}
}

// TestDemoBig generates the reference data set of DESIGN §9 into
// /tmp/rapport-1m.db and leaves it there for benchmarks:
//
//	RAPPORT_DEMO_BIG=1 go test ./db/ -run DemoBig -v -timeout 30m
func TestDemoBig(t *testing.T) {
	if os.Getenv("RAPPORT_DEMO_BIG") == "" {
		t.Skip("set RAPPORT_DEMO_BIG=1 to generate /tmp/rapport-1m.db (1M customers, 5M feedback)")
	}
	path := filepath.Join(os.TempDir(), "rapport-1m.db")
	if p := os.Getenv("RAPPORT_DEMO_PATH"); p != "" {
		path = p
	}
	removeDB(path)
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	customers := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_DEMO_CUSTOMERS")); err == nil && n > 0 {
		customers = n // a smaller run, for measuring
	}
	began := time.Now()
	demoTrace = func(phase string) {
		fmt.Printf("%8.1fs %s  VmHWM %s\n", time.Since(began).Seconds(), phase, vmHWM())
	}
	defer func() { demoTrace = func(string) {} }()
	rep, err := loadTestDemo(s, context.Background(), testDemo{Customers: customers, Feedback: 5 * customers, Seed: 1,
		Progress: func(done, total int) {
			if done%500_000 < 50_000 || done == total {
				fmt.Printf("%8.1fs %9d / %d rows  VmHWM %s\n", time.Since(began).Seconds(), done, total, vmHWM())
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(path)
	fmt.Printf("generated %+v in %s; peak RSS %s; %s is %.0f MB\n", rep, rep.Elapsed.Round(time.Second),
		vmHWM(), path, float64(fi.Size())/1e6)
}

func vmHWM() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "?"
}

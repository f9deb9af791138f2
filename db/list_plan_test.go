package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"sync"
	"testing"

	"modernc.org/sqlite"

	"github.com/rapportcrm/rapport/model"
)

// The plan tests look at the SQL the store really sends: a driver wrapper
// records every query with its arguments, and each recorded list query is
// run again under EXPLAIN QUERY PLAN. Rebuilding the SQL in the test would
// check the test's SQL, not the store's.

type tracedQuery struct {
	sql  string
	args []any
}

type queryLog struct {
	mu      sync.Mutex
	queries []tracedQuery
}

func (l *queryLog) add(q string, args []driver.NamedValue) {
	vals := make([]any, len(args))
	for i, a := range args {
		vals[i] = a.Value
	}
	l.mu.Lock()
	l.queries = append(l.queries, tracedQuery{q, vals})
	l.mu.Unlock()
}

func (l *queryLog) take() []tracedQuery {
	l.mu.Lock()
	defer l.mu.Unlock()
	q := l.queries
	l.queries = nil
	return q
}

type tracingDriver struct{ log *queryLog }

func (d tracingDriver) Open(name string) (driver.Conn, error) {
	c, err := (&sqlite.Driver{}).Open(name)
	if err != nil {
		return nil, err
	}
	return &tracingConn{Conn: c, log: d.log}, nil
}

// tracingConn forwards to the SQLite connection, noting each query.
type tracingConn struct {
	driver.Conn
	log *queryLog
}

func (c *tracingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.log.add(q, args)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c *tracingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c *tracingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

var (
	tracingOnce sync.Once
	tracingLog  = &queryLog{}
)

// openTraced opens a migrated temp database a second time through the
// tracing driver, returning the traced store and the log it fills.
func openTraced(t *testing.T) (*Store, *queryLog) {
	t.Helper()
	plain := openTemp(t)
	tracingOnce.Do(func() { sql.Register("sqlite-traced", tracingDriver{tracingLog}) })
	traced, err := sql.Open("sqlite-traced", plain.Path()+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	traced.SetMaxOpenConns(1)
	t.Cleanup(func() { traced.Close() })
	tracingLog.take()
	return &Store{db: traced, path: plain.Path(), Now: plain.Now}, tracingLog
}

// explain returns the query plan's detail lines.
func explain(t *testing.T, s *Store, q tracedQuery) []string {
	t.Helper()
	rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q.sql, q.args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q.sql, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, detail)
	}
	return out
}

// listQueries are the recorded queries that read the customer rows of a
// page (not the tags of its rows).
func listQueries(qs []tracedQuery) []tracedQuery {
	var out []tracedQuery
	for _, q := range qs {
		if strings.Contains(q.sql, "customers c") && !strings.HasPrefix(q.sql, "EXPLAIN") {
			out = append(out, q)
		}
	}
	return out
}

// wantSortIndex is the index each sort's pages must be read from.
var wantSortIndex = map[model.CustomerSort]string{
	model.SortName: "customers_by_name", model.SortCompany: "customers_by_company",
	model.SortPlan: "customers_by_plan", model.SortLifecycle: "customers_by_lifecycle",
	model.SortCSAT: "customers_by_csat", model.SortLastContact: "customers_by_contact",
	model.SortFollowupsOpen: "followup_counts_by_open", model.SortLTV: "customers_by_ltv",
	model.SortID: "",
}

// TestListQueryPlans asks for first, next, previous and last pages in
// every sort and direction, with and without filters, and checks that
// every query the store sends reads the sort's index in order: no
// "USE TEMP B-TREE", which would mean sorting every matching row. The one
// exception is a small tag, whose members are read from the tag's index
// and sorted (at most tagSortMax of them).
func TestListQueryPlans(t *testing.T) {
	s, log := openTraced(t)
	ctx := context.Background()
	keys := map[model.CustomerSort]any{
		model.SortName: "M", model.SortCompany: "M", model.SortPlan: "pro", model.SortLifecycle: "paying",
		model.SortCSAT: 3.5, model.SortLastContact: "2026-01-01T00:00:00.000Z", model.SortFollowupsOpen: int64(1),
		model.SortLTV: 100.0, model.SortID: int64(10),
	}
	defer func(max int) { tagSortMax = max }(tagSortMax)
	filters := []struct {
		name     string
		q        model.CustomerQuery
		smallTag bool
	}{
		{name: "all"},
		{name: "lifecycle", q: model.CustomerQuery{Lifecycle: model.LifecyclePaying}},
		{name: "where", q: model.CustomerQuery{Where: `plan = "pro" and lifecycle = paying and csat_avg < 3`}},
		{name: "big tag", q: model.CustomerQuery{Tag: "vip"}},
		{name: "small tag", q: model.CustomerQuery{Tag: "vip"}, smallTag: true},
		{name: "lifecycle+big tag", q: model.CustomerQuery{Lifecycle: model.LifecycleNew, Tag: "vip"}},
		{name: "lifecycle+small tag", q: model.CustomerQuery{Lifecycle: model.LifecycleNew, Tag: "vip"}, smallTag: true},
	}
	for _, sort := range model.CustomerSorts {
		for _, desc := range []bool{false, true} {
			for _, f := range filters {
				tagSortMax = -1 // every tag is big
				if f.smallTag {
					tagSortMax = 5000
				}
				cur := &model.Cursor{Key: keys[sort], ID: 10}
				for _, page := range []string{"first", "after", "before", "last"} {
					q := f.q
					q.Sort, q.Desc = sort, desc
					switch page {
					case "after":
						q.After = cur
					case "before":
						q.Before = cur
					case "last":
						q.Last = true
					}
					name := fmt.Sprintf("%s desc=%v %s %s", sort, desc, f.name, page)
					if _, err := s.ListCustomers(ctx, q); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					qs := listQueries(log.take())
					if len(qs) == 0 {
						t.Fatalf("%s: no list query recorded", name)
					}
					for _, lq := range qs {
						plan := strings.Join(explain(t, s, lq), " | ")
						switch {
						case q.Tag != "" && (f.smallTag || sort == model.SortID):
							if !strings.Contains(plan, "customer_tags_by_tag") {
								t.Errorf("%s does not read the tag's index: %s", name, plan)
							}
							if sort == model.SortID && strings.Contains(plan, "TEMP B-TREE") {
								t.Errorf("%s sorts its rows: %s\n%s", name, plan, lq.sql)
							}
						default:
							if strings.Contains(plan, "TEMP B-TREE") {
								t.Errorf("%s sorts its rows: %s\n%s", name, plan, lq.sql)
							}
							if idx := wantSortIndex[sort]; idx != "" && !strings.Contains(plan, idx) {
								t.Errorf("%s does not read %s: %s", name, idx, plan)
							}
						}
					}
				}
			}
		}
	}
}

// usesIndex: a plan reads index (a full-text table must be searched
// through its MATCH, a b-tree index by name).
func usesIndex(query, plan, index string) bool {
	if strings.HasPrefix(index, "customers_fts") || strings.HasPrefix(index, "customers_grams") {
		return strings.Contains(query, index) && strings.Contains(plan, "VIRTUAL TABLE INDEX") && strings.Contains(plan, ":M")
	}
	return strings.Contains(plan, index)
}

// TestSearchQueryPlans checks that each kind of search term reads its
// index (trigram, bigram, name range), with and without filters and
// cursors, and never sorts the matches.
func TestSearchQueryPlans(t *testing.T) {
	s, log := openTraced(t)
	ctx := context.Background()
	cases := []struct{ term, index string }{
		{"ang", "customers_fts"},
		{"example.c", "customers_fts"},
		{"138 0013", "customers_fts"},
		{"云栖科", "customers_fts"},
		{"陈静", "customers_grams"},
		{"陈", "customers_by_name"},
		{"an", "customers_by_name"},
		{"A", "customers_by_name"},
	}
	for _, c := range cases {
		for _, f := range []model.CustomerQuery{{}, {Lifecycle: model.LifecyclePaying}, {Tag: "vip"}} {
			for _, page := range []string{"first", "after", "before", "last"} {
				q := f
				q.Search = c.term
				// Search ignores the sort; ask for one anyway.
				q.Sort, q.Desc = model.SortLTV, true
				cur := &model.Cursor{Key: "Ann", ID: 10}
				switch page {
				case "after":
					q.After = cur
				case "before":
					q.Before = cur
				case "last":
					q.Last = true
				}
				name := fmt.Sprintf("search %q lifecycle=%q tag=%q %s", c.term, q.Lifecycle, q.Tag, page)
				if _, err := s.ListCustomers(ctx, q); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if _, _, err := s.CountCustomers(ctx, q, 1000); err != nil {
					t.Fatalf("%s: count: %v", name, err)
				}
				for _, lq := range listQueries(log.take()) {
					joined := strings.Join(explain(t, s, lq), " | ")
					if q.Tag != "" && c.index == "customers_by_name" {
						// A name prefix within a small tag sorts the tag's members.
						if !strings.Contains(joined, "customer_tags_by_tag") {
							t.Errorf("%s does not read the tag's index: %s", name, joined)
						}
						continue
					}
					if strings.Contains(joined, "TEMP B-TREE") {
						t.Errorf("%s sorts its matches: %s\n%s", name, joined, lq.sql)
					}
					if !usesIndex(lq.sql, joined, c.index) {
						t.Errorf("%s does not use %s: %s", name, c.index, joined)
					}
				}
			}
		}
	}
}

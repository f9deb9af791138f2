package db

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// benchDB opens $RAPPORT_BENCH_DB, the 1M-customer / 5M-feedback demo
// database made with `rapport demo --customers 1000000 --feedback 5000000 PATH`,
// or skips.
func benchDB(b *testing.B) *Store {
	b.Helper()
	p := os.Getenv("RAPPORT_BENCH_DB")
	if p == "" {
		b.Skip("set RAPPORT_BENCH_DB to a demo database (see README, Benchmarks)")
	}
	s, err := Open(context.Background(), p, Options{MustExist: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkSearchKeystroke is one keystroke of search-as-you-type: the
// first page and the capped count for the term typed so far.
func BenchmarkSearchKeystroke(b *testing.B) {
	s := benchDB(b)
	ctx := context.Background()
	for _, term := range []string{"陈", "陈静", "云栖科", "an", "ang", "ange", "example.c", "138", "1380013", "Schmidt", "zzzq"} {
		b.Run(term, func(b *testing.B) {
			q := model.CustomerQuery{Search: term, Limit: 50}
			for i := 0; i < b.N; i++ {
				if _, err := s.ListCustomers(ctx, q); err != nil {
					b.Fatal(err)
				}
				if _, _, err := s.CountCustomers(ctx, q, 1000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCustomerPage fetches one page of 50 for every sort: the first
// page, a page deep in the middle (by cursor) and the last page.
func BenchmarkCustomerPage(b *testing.B) {
	s := benchDB(b)
	ctx := context.Background()
	for _, sort := range model.CustomerSorts {
		for _, desc := range []bool{false, true} {
			q := model.CustomerQuery{Sort: sort, Desc: desc, Limit: 50}
			// A cursor half-way: walk by large pages once, outside the timer.
			mid := q
			mid.Limit = 1
			mid.Offset = 500000
			if os.Getenv("RAPPORT_BENCH_DB") != "" {
				if p, err := s.ListCustomers(ctx, mid); err == nil && len(p.Cursors) == 1 {
					mid = q
					mid.After = &p.Cursors[0]
				}
			}
			last := q
			last.Last = true
			for _, c := range []struct {
				name string
				q    model.CustomerQuery
			}{{"first", q}, {"middle", mid}, {"last", last}} {
				b.Run(fmt.Sprintf("%s/desc=%v/%s", sort, desc, c.name), func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						p, err := s.ListCustomers(ctx, c.q)
						if err != nil || len(p.Rows) == 0 {
							b.Fatal(err, len(p.Rows))
						}
					}
				})
			}
		}
	}
}

// BenchmarkStats is the status bar's query.
func BenchmarkStats(b *testing.B) {
	s := benchDB(b)
	for i := 0; i < b.N; i++ {
		if _, err := s.Stats(context.Background(), "li.na"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCountAll is the exact total behind "1–50 of 1,000,000".
func BenchmarkCountAll(b *testing.B) {
	s := benchDB(b)
	for i := 0; i < b.N; i++ {
		if _, _, err := s.CountCustomers(context.Background(), model.CustomerQuery{}, 0); err != nil {
			b.Fatal(err)
		}
	}
}

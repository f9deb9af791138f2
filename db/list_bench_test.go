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
// or else a small demo database (see bench_fixture_test.go).
func benchDB(b *testing.B) *Store {
	b.Helper()
	p := os.Getenv("RAPPORT_BENCH_DB")
	if p == "" {
		p = benchFixturePath(b)
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
	total, _, err := s.CountCustomers(ctx, model.CustomerQuery{}, 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, sort := range model.CustomerSorts {
		for _, desc := range []bool{false, true} {
			q := model.CustomerQuery{Sort: sort, Desc: desc, Limit: 50}
			// A cursor half-way: walk by large pages once, outside the timer.
			mid := q
			mid.Limit = 1
			mid.Offset = total / 2
			if p, err := s.ListCustomers(ctx, mid); err == nil && len(p.Cursors) == 1 {
				mid = q
				mid.After = &p.Cursors[0]
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

// BenchmarkFeedbackPage is one Inbox page of 50 over five million items:
// first, deep (by cursor) and last, with and without a status filter.
func BenchmarkFeedbackPage(b *testing.B) {
	s := benchDB(b)
	for _, st := range []model.Status{"", model.StatusOpen} {
		q := model.FeedbackQuery{Status: st, Limit: 50}
		deep := q
		if p, err := s.ListFeedback(ctx, model.FeedbackQuery{Status: st, Limit: 1, Offset: 200000}); err == nil && len(p) == 1 {
			deep.After = &model.Cursor{Key: fmtTime(p[0].CreatedAt), ID: p[0].ID}
		}
		last := q
		last.Last = true
		for _, c := range []struct {
			name string
			q    model.FeedbackQuery
		}{{"first", q}, {"deep", deep}, {"last", last}} {
			b.Run(fmt.Sprintf("status=%s/%s", st, c.name), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if p, err := s.FeedbackPage(ctx, c.q); err != nil || len(p.Rows) == 0 {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("status=%s/count", st), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := s.CountFeedback(ctx, q, 100000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

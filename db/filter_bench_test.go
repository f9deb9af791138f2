package db

import (
	"context"
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/model"
)

// BenchmarkSearchTyping types a few terms one character at a time; each
// op is one keystroke (the first page and the count capped at 1,000 for
// the term so far), cycling through every prefix of every term.
func BenchmarkSearchTyping(b *testing.B) {
	s := benchDB(b)
	ctx := context.Background()
	var prefixes []string
	for _, term := range []string{"陈静", "王芳", "angela", "example.c", "13800138", "Schmidt"} {
		for i := range utf8.RuneCountInString(term) {
			prefixes = append(prefixes, string([]rune(term)[:i+1]))
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := model.CustomerQuery{Search: prefixes[i%len(prefixes)]}
		if _, err := s.ListCustomers(ctx, q); err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.CountCustomers(ctx, q, 1000); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFilteredPage is the first and a later page of filtered lists:
// a lifecycle, tags of several sizes, a segment expression. A filter that
// goes with the sort key (Chinese tags and Chinese names, which sort after
// every Latin name) is the slow case: see tagSortMax.
func BenchmarkFilteredPage(b *testing.B) {
	s := benchDB(b)
	ctx := context.Background()
	cases := []struct {
		name string
		q    model.CustomerQuery
	}{
		{"lifecycle=paying/name", model.CustomerQuery{Lifecycle: model.LifecyclePaying, Sort: model.SortName}},
		{"lifecycle=referrer/ltv:desc", model.CustomerQuery{Lifecycle: model.LifecycleReferrer, Sort: model.SortLTV, Desc: true}},
		{"tag=vip/name", model.CustomerQuery{Tag: "vip", Sort: model.SortName}},
		{"tag=vip/id", model.CustomerQuery{Tag: "vip", Sort: model.SortID}},
		{"tag=大客户/csat_avg", model.CustomerQuery{Tag: "大客户", Sort: model.SortCSAT}},
		{"tag=大客户/id", model.CustomerQuery{Tag: "大客户", Sort: model.SortID}},
		{"tag=大客户/name", model.CustomerQuery{Tag: "大客户", Sort: model.SortName}},
		{"tag=partner+lifecycle=churned/name", model.CustomerQuery{Tag: "partner", Lifecycle: model.LifecycleChurned, Sort: model.SortName}},
		{"where=plan:enterprise/name", model.CustomerQuery{Where: `plan = "enterprise"`, Sort: model.SortName}},
		{"search=an+lifecycle=paying", model.CustomerQuery{Search: "an", Lifecycle: model.LifecyclePaying}},
	}
	for _, c := range cases {
		first := c.q
		first.Limit = 50
		p, err := s.ListCustomers(ctx, first)
		if err != nil {
			b.Fatal(err)
		}
		next := first
		if len(p.Cursors) > 0 {
			next.After = &p.Cursors[len(p.Cursors)-1]
		}
		for _, page := range []struct {
			name string
			q    model.CustomerQuery
		}{{"first", first}, {"next", next}} {
			b.Run(fmt.Sprintf("%s/%s", c.name, page.name), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := s.ListCustomers(ctx, page.q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(c.name+"/count1000", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := s.CountCustomers(ctx, c.q, 1000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

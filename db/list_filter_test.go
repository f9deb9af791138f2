package db

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// referenceOrder is a sort's order written independently of the store.
var referenceOrder = map[model.CustomerSort]string{
	model.SortName: "lower(CASE WHEN name <> '' THEN name WHEN email <> '' THEN email ELSE phone END)", model.SortCompany: "company", model.SortPlan: "plan",
	model.SortLifecycle: "lifecycle", model.SortCSAT: "coalesce(csat_avg, 9)",
	model.SortLastContact: "coalesce(last_contact_at, '')", model.SortFollowupsOpen: "followups_open",
	model.SortLTV: "ltv", model.SortID: "id",
}

// TestFilteredPagesWalk pages forwards (After) and backwards (Last, then
// Before) through filtered lists in every sort, on both ways a tag filter
// runs (testing each row, or sorting a small tag's members), and checks
// the pages against a plain ORDER BY.
func TestFilteredPagesWalk(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	plans := []string{"free", "pro", "enterprise"}
	for i := 0; i < 60; i++ {
		var tags []string
		if i%3 != 1 {
			tags = append(tags, "vip")
		}
		if i%2 == 0 {
			tags = append(tags, "beta")
		}
		c, err := s.CreateCustomer(ctx, "t", model.Customer{
			Name:      fmt.Sprintf("%c%d", []rune("AbC陈")[i%4], i%9),
			Company:   fmt.Sprintf("Co%d", i%4),
			Plan:      plans[i%3],
			Lifecycle: model.Lifecycles[i%3],
			LTV:       float64(i % 5),
			Tags:      tags,
		})
		if err != nil {
			t.Fatal(err)
		}
		if i%5 == 0 {
			if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: "x", CSAT: scoreOf(1 + i%5)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer func(max int) { tagSortMax = max }(tagSortMax)
	filters := []struct {
		name   string
		q      model.CustomerQuery
		where  string
		tagMax int
	}{
		{"lifecycle", model.CustomerQuery{Lifecycle: model.LifecycleActivated}, "lifecycle = 'activated'", 5000},
		{"tag scanned", model.CustomerQuery{Tag: "VIP"}, tagCond("vip"), -1},
		{"tag sorted", model.CustomerQuery{Tag: "vip"}, tagCond("vip"), 5000},
		{"tag+lifecycle scanned", model.CustomerQuery{Tag: "beta", Lifecycle: model.LifecycleNew}, tagCond("beta") + " AND lifecycle = 'new'", -1},
		{"tag+lifecycle sorted", model.CustomerQuery{Tag: "beta", Lifecycle: model.LifecycleNew}, tagCond("beta") + " AND lifecycle = 'new'", 5000},
	}
	for _, f := range filters {
		tagSortMax = f.tagMax
		for _, sort := range model.CustomerSorts {
			for _, desc := range []bool{false, true} {
				name := fmt.Sprintf("%s %s desc=%v", f.name, sort, desc)
				dir := "ASC"
				if desc {
					dir = "DESC"
				}
				want := queryIDs(t, s, "SELECT id FROM customers WHERE "+f.where+" ORDER BY "+referenceOrder[sort]+" "+dir+", id "+dir)
				if len(want) < 8 {
					t.Fatalf("%s: only %d rows to page through", name, len(want))
				}
				q := f.q
				q.Sort, q.Desc, q.Limit = sort, desc, 4
				var forward []int64
				for p := q; ; {
					page, err := s.ListCustomers(ctx, p)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					forward = append(forward, pageIDs(page)...)
					if !page.HasMore {
						break
					}
					p.After = &page.Cursors[len(page.Cursors)-1]
				}
				var backward []int64
				p := q
				p.Last = true
				for {
					page, err := s.ListCustomers(ctx, p)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					backward = append(pageIDs(page), backward...)
					if !page.HasMore {
						break
					}
					p = q
					p.Before = &page.Cursors[0]
				}
				if fmt.Sprint(forward) != fmt.Sprint(want) || fmt.Sprint(backward) != fmt.Sprint(want) {
					t.Errorf("%s:\nforward  %v\nbackward %v\nwant     %v", name, forward, backward, want)
				}
				n, capped, err := s.CountCustomers(ctx, q, 0)
				if err != nil || capped || n != len(want) {
					t.Errorf("%s: count = %d %v %v, want %d", name, n, capped, err, len(want))
				}
			}
		}
	}
}

func tagCond(tag string) string {
	return "id IN (SELECT customer_id FROM customer_tags WHERE tag_id = (SELECT id FROM tags WHERE name = '" +
		strings.ReplaceAll(tag, "'", "''") + "'))"
}

func queryIDs(t *testing.T, s *Store, query string) []int64 {
	t.Helper()
	rows, err := s.db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func pageIDs(p model.CustomerPage) []int64 {
	ids := make([]int64, len(p.Rows))
	for i, c := range p.Rows {
		ids[i] = c.ID
	}
	return ids
}

func scoreOf(v int) *int { return &v }

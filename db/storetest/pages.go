package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// numericKey is the value a numeric sort orders by, read off the row.
var numericKey = map[model.CustomerSort]func(c model.Customer) (float64, bool){
	model.SortLTV:           func(c model.Customer) (float64, bool) { return c.LTV, true },
	model.SortID:            func(c model.Customer) (float64, bool) { return float64(c.ID), true },
	model.SortFollowupsOpen: func(c model.Customer) (float64, bool) { return float64(c.FollowupsOpen), true },
	model.SortCSAT: func(c model.Customer) (float64, bool) {
		if c.CSATAvg == nil {
			return 0, false
		}
		return *c.CSATAvg, true
	},
}

// testCustomerPages pages forwards (After) and backwards (Last, Before)
// through every sort, both ways, with a page size that does not divide the
// count: the pages join up, without a duplicate or a gap, to the order of
// one large page, which holds every customer, in the sort's order.
func testCustomerPages(t *testing.T, st model.Store) {
	fx := seed(t, st)
	for i := 0; i < 23; i++ { // more rows, with ties in every key
		create(t, st, "t", model.Customer{Name: fmt.Sprintf("N%02d", (i*7)%5), Company: fmt.Sprintf("C%d", i%3),
			Plan: plans[i%3], LTV: float64(i % 4)})
	}
	total := len(fx.customers) + 23
	everyone := customerIDs(allCustomers(t, st))
	for _, sort := range model.CustomerSorts {
		for _, desc := range []bool{false, true} {
			name := fmt.Sprintf("%s desc=%v", sort, desc)
			all, err := st.ListCustomers(ctx, model.CustomerQuery{Sort: sort, Desc: desc, Limit: 1000})
			if err != nil || len(all.Rows) != total || all.HasMore || !sameIDs(customerIDs(all.Rows), everyone) {
				t.Fatalf("%s: %d rows (more %v), %v; want all %d", name, len(all.Rows), all.HasMore, err, total)
			}
			if key := numericKey[sort]; key != nil {
				for i := 1; i < len(all.Rows); i++ {
					a, aok := key(all.Rows[i-1])
					b, bok := key(all.Rows[i])
					if aok && bok && ((!desc && a > b) || (desc && a < b)) {
						t.Errorf("%s: row %d (%v) before row %d (%v)", name, i-1, a, i, b)
					}
				}
			}
			var forward []int64
			q := model.CustomerQuery{Sort: sort, Desc: desc, Limit: 5}
			for pages := 0; ; pages++ {
				p := must(st.ListCustomers(ctx, q))(t)
				if len(p.Cursors) != len(p.Rows) || pages > total {
					t.Fatalf("%s: %d cursors for %d rows", name, len(p.Cursors), len(p.Rows))
				}
				forward = append(forward, customerIDs(p.Rows)...)
				if !p.HasMore {
					break
				}
				q.After = &p.Cursors[len(p.Cursors)-1]
			}
			var backward []int64
			q = model.CustomerQuery{Sort: sort, Desc: desc, Limit: 5, Last: true}
			for pages := 0; ; pages++ {
				p := must(st.ListCustomers(ctx, q))(t)
				if len(p.Cursors) != len(p.Rows) || pages > total {
					t.Fatalf("%s: %d cursors for %d rows", name, len(p.Cursors), len(p.Rows))
				}
				backward = append(customerIDs(p.Rows), backward...)
				if !p.HasMore {
					break
				}
				q = model.CustomerQuery{Sort: sort, Desc: desc, Limit: 5, Before: &p.Cursors[0]}
			}
			want := fmt.Sprint(customerIDs(all.Rows))
			if got := fmt.Sprint(forward); got != want {
				t.Errorf("%s: forward pages %s, want %s", name, got, want)
			}
			if got := fmt.Sprint(backward); got != want {
				t.Errorf("%s: backward pages %s, want %s", name, got, want)
			}
			// Offset paging (the CLI's) agrees with the keyset order.
			off := must(st.ListCustomers(ctx, model.CustomerQuery{Sort: sort, Desc: desc, Limit: 7, Offset: 14}))(t)
			if got, want := fmt.Sprint(customerIDs(off.Rows)), fmt.Sprint(customerIDs(all.Rows[14:21])); got != want {
				t.Errorf("%s: offset 14 = %s, want %s", name, got, want)
			}
		}
	}
	// Filters page too: plan = pro, walked in pages of 4.
	var want []int64
	for _, c := range allCustomers(t, st) {
		if c.Plan == "pro" {
			want = append(want, c.ID)
		}
	}
	got := customerIDs(walkPages(t, st, model.CustomerQuery{Where: "plan = pro", Sort: model.SortName, Limit: 4}))
	if len(got) != len(want) || !sameIDs(got, want) {
		t.Errorf("plan = pro in pages: %v, want %v", got, want)
	}
	// Offset pages of filtered and searched lists are slices of the whole
	// list (a store may read an offset page differently from a first one).
	for _, fq := range []model.CustomerQuery{
		{Where: "plan = pro", Sort: model.SortName},
		{Where: "plan != free", Tag: "vip", Sort: model.SortLTV, Desc: true},
		{Search: "Customer", Sort: model.SortID},
		{Search: "客户", Sort: model.SortFollowupsOpen, Desc: true},
	} {
		fq.Limit = 1000
		whole := customerIDs(must(st.ListCustomers(ctx, fq))(t).Rows)
		if len(whole) < 4 {
			t.Errorf("%+v: %d rows, the fixture does not test it", fq, len(whole))
			continue
		}
		fq.Limit, fq.Offset = 2, len(whole)-3
		page := must(st.ListCustomers(ctx, fq))(t)
		if got, want := fmt.Sprint(customerIDs(page.Rows)), fmt.Sprint(whole[len(whole)-3:len(whole)-1]); got != want || !page.HasMore {
			t.Errorf("%+v: offset page %s (more %v), want %s (more)", fq, got, page.HasMore, want)
		}
	}
}

// testFeedbackPages: the feedback list is newest first; pages by cursor
// both ways, and with Triage, join up to the one-page order; the offset
// list agrees.
func testFeedbackPages(t *testing.T, st model.Store) {
	fx := seed(t, st)
	for _, triage := range []bool{false, true} {
		name := fmt.Sprintf("triage=%v", triage)
		all := must(st.FeedbackPage(ctx, model.FeedbackQuery{Triage: triage, Limit: 1000}))(t)
		if len(all.Rows) != len(fx.feedback) || !sameIDs(feedbackIDs(all.Rows), feedbackIDs(fx.feedback)) {
			t.Fatalf("%s: %d rows, want %d", name, len(all.Rows), len(fx.feedback))
		}
		if !triage {
			for i := 1; i < len(all.Rows); i++ {
				if all.Rows[i].CreatedAt.After(all.Rows[i-1].CreatedAt) {
					t.Errorf("%s: row %d is newer than row %d", name, i, i-1)
				}
			}
			list := allFeedback(t, st)
			if fmt.Sprint(feedbackIDs(list)) != fmt.Sprint(feedbackIDs(all.Rows)) {
				t.Errorf("ListFeedback order differs from FeedbackPage's")
			}
		}
		var forward, backward []int64
		q := model.FeedbackQuery{Triage: triage, Limit: 7}
		for n := 0; n <= len(fx.feedback); n++ {
			p := must(st.FeedbackPage(ctx, q))(t)
			forward = append(forward, feedbackIDs(p.Rows)...)
			if !p.HasMore {
				break
			}
			q.After = &p.Cursors[len(p.Cursors)-1]
		}
		q = model.FeedbackQuery{Triage: triage, Limit: 7, Last: true}
		for n := 0; n <= len(fx.feedback); n++ {
			p := must(st.FeedbackPage(ctx, q))(t)
			backward = append(feedbackIDs(p.Rows), backward...)
			if !p.HasMore {
				break
			}
			q = model.FeedbackQuery{Triage: triage, Limit: 7, Before: &p.Cursors[0]}
		}
		want := fmt.Sprint(feedbackIDs(all.Rows))
		if fmt.Sprint(forward) != want || fmt.Sprint(backward) != want {
			t.Errorf("%s: forward %v / backward %v, want %s", name, forward, backward, want)
		}
	}
	// A filtered list (one customer's complaints) pages the same way.
	var want []int64
	for _, f := range allFeedback(t, st) {
		if f.Channel == "chat" {
			want = append(want, f.ID)
		}
	}
	var got []int64
	q := model.FeedbackQuery{Channel: "chat", Limit: 3}
	for {
		p := must(st.FeedbackPage(ctx, q))(t)
		got = append(got, feedbackIDs(p.Rows)...)
		if !p.HasMore {
			break
		}
		q.After = &p.Cursors[len(p.Cursors)-1]
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("chat feedback in pages: %v, want %v", got, want)
	}
}

// testNameSortByShownName: the name sort orders customers by what the
// Name column shows — the name, else the e-mail, else the phone — so an
// export of e-mails only (Zendesk Explore) lists them alphabetically, not
// in the order they were created; pages and a two-letter search follow
// the same order, and feedback and follow-ups carry the same label.
func testNameSortByShownName(t *testing.T, st model.Store) {
	var people []model.Customer
	for _, c := range []model.Customer{{Email: "zed@example.com"}, {Name: "Carl"}, {Email: "adam@example.com"},
		{Phone: "+1 555 0100"}, {Name: "Bea", Email: "zz@example.com"}, {Email: "Bo@example.com"},
		{Name: "éclair"}, {Name: "Émile"}, {Name: "ann"}} {
		people = append(people, create(t, st, "t", c))
	}
	// Feedback and follow-ups name their customer the same way; the
	// customer's name itself stays empty (customer_name in JSON).
	addFeedback(t, st, "t", model.Feedback{CustomerID: people[0].ID, Subject: "links", Kind: model.KindComplaint, CreatedAt: base})
	if _, err := st.AddFollowUp(ctx, "t", model.FollowUp{CustomerID: people[3].ID, Due: base}); err != nil {
		t.Fatal(err)
	}
	if fb := allFeedback(t, st); len(fb) != 1 || fb[0].CustomerLabel != "zed@example.com" || fb[0].CustomerName != "" {
		t.Errorf("feedback of a nameless customer: %+v", fb)
	}
	if fu := allFollowUps(t, st); len(fu) != 1 || fu[0].CustomerLabel != "+1 555 0100" || fu[0].CustomerName != "" {
		t.Errorf("follow-up of a nameless customer: %+v", fu)
	}
	shown := func(rows []model.Customer) []string {
		var s []string
		for _, c := range rows {
			switch {
			case c.Name != "":
				s = append(s, c.Name)
			case c.Email != "":
				s = append(s, c.Email)
			default:
				s = append(s, c.Phone)
			}
		}
		return s
	}
	// ASCII letters sort without case (both stores' lower() folds ASCII
	// only, so É and é stay apart, after z, in byte order).
	want := []string{"+1 555 0100", "adam@example.com", "ann", "Bea", "Bo@example.com", "Carl", "zed@example.com", "Émile", "éclair"}
	for _, desc := range []bool{false, true} {
		got := shown(walkPages(t, st, model.CustomerQuery{Sort: model.SortName, Desc: desc, Limit: 4}))
		w := slices.Clone(want)
		if desc {
			slices.Reverse(w)
		}
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("name sort (desc %v): %q, want %q", desc, got, w)
		}
	}
	for term, want := range map[string]string{"Bo": "[Bo@example.com]", "bo": "[Bo@example.com]", "ad": "[adam@example.com]",
		"A": "[adam@example.com ann]", "é": "[éclair]"} {
		p := must(st.ListCustomers(ctx, model.CustomerQuery{Search: term, Limit: 10}))(t)
		if got := shown(p.Rows); fmt.Sprint(got) != want {
			t.Errorf("search %q: %q, want %s", term, got, want)
		}
	}
}

// walkPages reads a customer query page by page, each after the last
// one's cursor, and gives every row in order.
func walkPages(t *testing.T, st model.Store, q model.CustomerQuery) []model.Customer {
	t.Helper()
	var rows []model.Customer
	for {
		p := must(st.ListCustomers(ctx, q))(t)
		rows = append(rows, p.Rows...)
		if !p.HasMore {
			return rows
		}
		q.After = &p.Cursors[len(p.Cursors)-1]
	}
}

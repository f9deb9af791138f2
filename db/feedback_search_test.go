package db

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func TestFeedbackSearch(t *testing.T) {
	s := openTemp(t)
	c := mustCreate(t, s, model.Customer{Name: "Searcher"})
	add := func(subject, body string) int64 {
		t.Helper()
		f, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Subject: subject, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		return f.ID
	}
	refund := add("Refund not received", "I asked two weeks ago.")
	zh := add("", "我要退款，谢谢")
	slow := add("物流太慢了", "三天没有更新")
	escaped := "\x1b]0;pwned\x07 colour \x1b[31mred\x1b[0m"
	esc := add("odd text", escaped)
	add("nothing to see", "")

	cases := []struct {
		search string
		want   []int64
	}{
		{"fun", []int64{refund}},          // 3 letters, any case: the trigram index alone
		{"REFUND", []int64{refund}},       // longer: trigrams, confirmed by LIKE
		{"退款", []int64{zh}},               // 2 Chinese characters: the bigram index
		{"物流", []int64{slow}},             // at the start of the subject
		{"款", []int64{zh}},                // 1 character: LIKE alone
		{"慢了 更新", []int64{slow}},          // every word, subject or body
		{"refund weeks", []int64{refund}}, // words in subject and body
		{"refund 退款", nil},
		{"colour", []int64{esc}},
		{"pwned", []int64{esc}}, // stored as typed, so its text is found
		{"zzz", nil},
		{"100%", nil}, // LIKE wildcards are data
	}
	for _, cs := range cases {
		got, err := s.ListFeedback(ctx, model.FeedbackQuery{Search: cs.search, Limit: -1})
		if err != nil {
			t.Fatalf("search %q: %v", cs.search, err)
		}
		if fmt.Sprint(ids(got)) != fmt.Sprint(nonNilIDs(cs.want)) {
			t.Errorf("search %q = %v, want %v", cs.search, ids(got), cs.want)
		}
		n, _, err := s.CountFeedback(ctx, model.FeedbackQuery{Search: cs.search}, 0)
		if err != nil || n != len(cs.want) {
			t.Errorf("count %q = %d, %v", cs.search, n, err)
		}
		page, err := s.FeedbackPage(ctx, model.FeedbackQuery{Search: cs.search})
		if err != nil || fmt.Sprint(ids(page.Rows)) != fmt.Sprint(nonNilIDs(cs.want)) {
			t.Errorf("page %q = %v, %v", cs.search, ids(page.Rows), err)
		}
	}
	got, _ := s.Feedback(ctx, esc)
	if got.Body != escaped {
		t.Errorf("body stored as %q", got.Body)
	}

	// The indexes follow edits and deletes.
	if _, err := s.db.Exec("UPDATE feedback SET body = '请尽快发货' WHERE id = ?", zh); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("DELETE FROM feedback WHERE id = ?", refund); err != nil {
		t.Fatal(err)
	}
	for search, want := range map[string]int{"退款": 0, "发货": 1, "尽快发货": 1, "refund": 0, "fun": 0} {
		if n, _, err := s.CountFeedback(ctx, model.FeedbackQuery{Search: search}, 0); err != nil || n != want {
			t.Errorf("after edits, %q finds %d (%v), want %d", search, n, err, want)
		}
	}
}

func nonNilIDs(v []int64) []int64 {
	if v == nil {
		return []int64{}
	}
	return v
}

// walkFeedback pages a query forwards and backwards and checks that both
// give what ListFeedback gives by offset.
func walkFeedback(t *testing.T, s *Store, q model.FeedbackQuery, want []int64) {
	t.Helper()
	all, err := s.ListFeedback(ctx, withLimit(q, -1))
	if err != nil {
		t.Fatal(err)
	}
	if want != nil && fmt.Sprint(ids(all)) != fmt.Sprint(want) {
		t.Fatalf("list %+v = %v, want %v", q, ids(all), want)
	}
	var fwd, back []int64
	pq := withLimit(q, 3)
	for {
		p, err := s.FeedbackPage(ctx, pq)
		if err != nil {
			t.Fatal(err)
		}
		fwd = append(fwd, ids(p.Rows)...)
		if !p.HasMore {
			break
		}
		pq.After = &p.Cursors[len(p.Cursors)-1]
	}
	pq = withLimit(q, 3)
	pq.Last = true
	for {
		p, err := s.FeedbackPage(ctx, pq)
		if err != nil {
			t.Fatal(err)
		}
		back = append(ids(p.Rows), back...)
		if !p.HasMore {
			break
		}
		pq = withLimit(q, 3)
		pq.Before = &p.Cursors[0]
	}
	if fmt.Sprint(fwd) != fmt.Sprint(ids(all)) || fmt.Sprint(back) != fmt.Sprint(ids(all)) {
		t.Errorf("%+v: forward %v, backward %v, list %v", q, fwd, back, ids(all))
	}
	if n, _, err := s.CountFeedback(ctx, q, 0); err != nil || n != len(all) {
		t.Errorf("%+v: count %d, %v; list has %d", q, n, err, len(all))
	}
}

func withLimit(q model.FeedbackQuery, n int) model.FeedbackQuery {
	q.Limit = n
	return q
}

func TestFeedbackFiltersAndTriage(t *testing.T) {
	s := openTemp(t)
	clock := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return clock }
	c := mustCreate(t, s, model.Customer{Name: "Filter"})
	type spec struct {
		status model.Status
		cat    string
		agent  string
		ch     string
		tag    string
	}
	specs := []spec{
		{model.StatusOpen, "", "ann", "email", "x"},
		{model.StatusOpen, "Billing/Refund", "bo", "chat", ""},
		{model.StatusClosed, "", "ann", "email", "x"},
		{model.StatusOpen, "", "bo", "phone", ""},
		{model.StatusPending, "Billing/Invoice", "ann", "email", ""},
		{model.StatusOpen, "Billing", "ann", "chat", "x"},
		{model.StatusOpen, "Product/Bug", "bo", "email", ""},
		{model.StatusOpen, "", "ann", "chat", ""},
		{model.StatusResolved, "Billing/Refund", "bo", "email", "x"},
	}
	var made []model.Feedback
	for i, sp := range specs {
		if i%3 != 0 {
			clock = clock.Add(time.Minute) // some share a time
		}
		var tags []string
		if sp.tag != "" {
			tags = []string{sp.tag}
		}
		f, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: fmt.Sprint("body abc ", i),
			Status: sp.status, Category: sp.cat, Agent: sp.agent, Channel: sp.ch, Tags: tags, CreatedAt: clock})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, f)
	}
	pick := func(keep func(spec) bool) []int64 {
		var out []int64
		for i := len(made) - 1; i >= 0; i-- { // newest first
			if keep(specs[i]) {
				out = append(out, made[i].ID)
			}
		}
		return out
	}
	untriaged := func(sp spec) bool { return sp.status == model.StatusOpen && sp.cat == "" }
	triage := append(pick(untriaged), pick(func(sp spec) bool { return !untriaged(sp) })...)
	searchOrder := ids(made)
	slices.Reverse(searchOrder)

	walkFeedback(t, s, model.FeedbackQuery{}, pick(func(spec) bool { return true }))
	walkFeedback(t, s, model.FeedbackQuery{Triage: true}, triage)
	walkFeedback(t, s, model.FeedbackQuery{Triage: true, Status: model.StatusOpen},
		append(pick(untriaged), pick(func(sp spec) bool { return sp.status == model.StatusOpen && sp.cat != "" })...))
	walkFeedback(t, s, model.FeedbackQuery{Triage: true, Status: model.StatusClosed}, pick(func(sp spec) bool { return sp.status == model.StatusClosed }))
	walkFeedback(t, s, model.FeedbackQuery{Category: "billing"}, pick(func(sp spec) bool { return len(sp.cat) >= 7 && sp.cat[:7] == "Billing" }))
	walkFeedback(t, s, model.FeedbackQuery{Category: "Billing/Refund", Triage: true}, pick(func(sp spec) bool { return sp.cat == "Billing/Refund" }))
	walkFeedback(t, s, model.FeedbackQuery{Category: "Nope"}, []int64{})
	walkFeedback(t, s, model.FeedbackQuery{Agent: "bo", Channel: "EMAIL"}, pick(func(sp spec) bool { return sp.agent == "bo" && sp.ch == "email" }))
	walkFeedback(t, s, model.FeedbackQuery{Tag: "x"}, pick(func(sp spec) bool { return sp.tag == "x" }))
	walkFeedback(t, s, model.FeedbackQuery{Search: "abc"}, searchOrder)
	walkFeedback(t, s, model.FeedbackQuery{Search: "abc", Triage: true, Tag: "x"}, pick(func(sp spec) bool { return sp.tag == "x" }))
	defer func(n int) { feedbackTagSmall = n }(feedbackTagSmall)
	feedbackTagSmall = 0 // every tag is large: tested item by item
	walkFeedback(t, s, model.FeedbackQuery{Tag: "x", Triage: true}, append(
		pick(func(sp spec) bool { return sp.tag == "x" && untriaged(sp) }),
		pick(func(sp spec) bool { return sp.tag == "x" && !untriaged(sp) })...))
}

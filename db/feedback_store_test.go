package db

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func TestAddFeedbackDefaultsAndCategories(t *testing.T) {
	s := openTemp(t)
	bg := context.Background()
	now := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	s.Now = func() time.Time { return now }
	c, _ := s.CreateCustomer(bg, "t", model.Customer{Name: "Zhou Min"})

	f, err := s.AddFeedback(bg, "ann", model.Feedback{CustomerID: c.ID, Channel: " EMAIL ", Subject: "Charged twice",
		Category: " Shipping / Lost ", Tags: []string{"refund", "urgent-ish"}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Source != "manual" || f.Agent != "ann" || !f.CreatedAt.Equal(now) || f.Channel != "email" ||
		f.Kind != model.KindFeedback || f.Status != model.StatusOpen || f.Priority != model.PriorityNormal ||
		f.Category != "Shipping/Lost" || f.CategoryID == nil || f.CustomerName != "Zhou Min" ||
		fmt.Sprint(f.Tags) != "[refund urgent-ish]" || f.Version != 1 || f.ResolvedAt != nil {
		t.Errorf("stored feedback = %+v", f)
	}
	// The parent category was made too (beside the default taxonomy), and is reused.
	var cats string
	s.db.QueryRow(`SELECT group_concat(path, ',') FROM (SELECT path FROM categories WHERE path LIKE 'Shipping%' ORDER BY path)`).Scan(&cats)
	if cats != "Shipping,Shipping/Lost" {
		t.Errorf("categories = %q", cats)
	}
	g, err := s.AddFeedback(bg, "ann", model.Feedback{CustomerID: c.ID, Agent: "imported-agent", Body: "again",
		Category: "shipping/lost", Status: model.StatusResolved, CreatedAt: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if g.CategoryID == nil || *g.CategoryID != *f.CategoryID || g.Agent != "imported-agent" ||
		!g.CreatedAt.Equal(now.Add(-time.Hour)) || g.ResolvedAt == nil {
		t.Errorf("second feedback = %+v", g)
	}
	back, err := s.Feedback(bg, f.ID)
	if err != nil || back.Subject != f.Subject || fmt.Sprint(back.Tags) != fmt.Sprint(f.Tags) || back.Category != f.Category {
		t.Errorf("Feedback(%d) = %+v, %v", f.ID, back, err)
	}
	if _, err := s.Feedback(bg, 999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing feedback: %v", err)
	}

	// Refused values write nothing at all.
	var before int
	s.db.QueryRow("SELECT count(*) FROM feedback").Scan(&before)
	for _, bad := range []model.Feedback{
		{CustomerID: c.ID, Body: "x", Category: "A/B/C"},
		{CustomerID: c.ID, Body: "x", Kind: "rant"},
		{CustomerID: c.ID, Body: "x", NPS: scoreOf(11)},
		{CustomerID: c.ID, Body: "x", Tags: []string{"two words"}},
		{CustomerID: c.ID},
	} {
		if _, err := s.AddFeedback(bg, "ann", bad); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("AddFeedback(%+v) = %v, want ErrInvalid", bad, err)
		}
	}
	var after, catsN int
	s.db.QueryRow("SELECT count(*) FROM feedback").Scan(&after)
	s.db.QueryRow("SELECT count(*) FROM categories WHERE path = 'A' OR path LIKE 'A/%'").Scan(&catsN)
	if after != before || catsN != 0 {
		t.Errorf("refused feedback left %d rows (had %d) and %d categories", after, before, catsN)
	}
	got, _ := s.Customer(bg, c.ID)
	if got.FeedbackN != 2 {
		t.Errorf("feedback_n = %d after refused writes", got.FeedbackN)
	}
}

func TestListFeedbackFilters(t *testing.T) {
	s := openTemp(t)
	bg := context.Background()
	a, _ := s.CreateCustomer(bg, "t", model.Customer{Name: "Alpha"})
	b, _ := s.CreateCustomer(bg, "t", model.Customer{Name: "Beta"})
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	add := func(c model.Customer, day int, f model.Feedback) int64 {
		t.Helper()
		f.CustomerID, f.CreatedAt = c.ID, base.Add(time.Duration(day)*24*time.Hour)
		got, err := s.AddFeedback(bg, "t", f)
		if err != nil {
			t.Fatal(err)
		}
		return got.ID
	}
	f1 := add(a, 1, model.Feedback{Body: "app crashes on login", Kind: model.KindComplaint, Channel: "app", Tags: []string{"crash"}})
	f2 := add(a, 2, model.Feedback{Subject: "100% refund?", Body: "please", Kind: model.KindQuestion, Channel: "email"})
	f3 := add(b, 2, model.Feedback{Body: "love it", Kind: model.KindPraise, Channel: "chat", Status: model.StatusClosed})
	f4 := add(b, 3, model.Feedback{Body: "crash again", Kind: model.KindComplaint, Channel: "app", Tags: []string{"crash", "ios"}})

	cases := []struct {
		name string
		q    model.FeedbackQuery
		want []int64
	}{
		{"all, newest first; same time by id", model.FeedbackQuery{}, []int64{f4, f3, f2, f1}},
		{"customer", model.FeedbackQuery{CustomerID: a.ID}, []int64{f2, f1}},
		{"status", model.FeedbackQuery{Status: model.StatusClosed}, []int64{f3}},
		{"kind", model.FeedbackQuery{Kind: model.KindComplaint}, []int64{f4, f1}},
		{"channel any case", model.FeedbackQuery{Channel: "APP"}, []int64{f4, f1}},
		{"tag", model.FeedbackQuery{Tag: "ios"}, []int64{f4}},
		{"tag any case", model.FeedbackQuery{Tag: "CRASH"}, []int64{f4, f1}},
		{"search body", model.FeedbackQuery{Search: "crash"}, []int64{f4, f1}},
		{"search subject, % is literal", model.FeedbackQuery{Search: "100%"}, []int64{f2}},
		{"search _ is literal", model.FeedbackQuery{Search: "o_"}, nil},
		{"combined", model.FeedbackQuery{Kind: model.KindComplaint, CustomerID: b.ID, Tag: "crash"}, []int64{f4}},
		{"limit", model.FeedbackQuery{Limit: 2}, []int64{f4, f3}},
		{"offset", model.FeedbackQuery{Limit: 2, Offset: 1}, []int64{f3, f2}},
		{"all with offset", model.FeedbackQuery{Limit: -1, Offset: 3}, []int64{f1}},
	}
	for _, c := range cases {
		got, err := s.ListFeedback(bg, c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got == nil {
			t.Errorf("%s: nil slice, want []", c.name)
		}
		ids := []int64{}
		for _, f := range got {
			ids = append(ids, f.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(append([]int64{}, c.want...)) {
			t.Errorf("%s: got %v, want %v", c.name, ids, c.want)
		}
	}
	all, _ := s.ListFeedback(bg, model.FeedbackQuery{})
	if all[0].CustomerName != "Beta" || fmt.Sprint(all[0].Tags) != "[crash ios]" || len(all[1].Tags) != 0 || all[1].Tags == nil {
		t.Errorf("rows lack names or tags: %+v / %+v", all[0], all[1])
	}

	// The default page is 50; a negative limit means all.
	for i := 0; i < 55; i++ {
		add(a, 10, model.Feedback{Body: fmt.Sprint("bulk ", i)})
	}
	if page, _ := s.ListFeedback(bg, model.FeedbackQuery{}); len(page) != 50 {
		t.Errorf("default page = %d rows", len(page))
	}
	if every, _ := s.ListFeedback(bg, model.FeedbackQuery{Limit: -1}); len(every) != 59 {
		t.Errorf("limit -1 = %d rows", len(every))
	}
}

package db

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// BenchmarkInboxQueries are the Inbox's pages over five million items
// (goal < 10 ms a page): the default triage order, a filter change, and
// full-text search for a two-character Chinese and a three-letter English
// term (goal < 50 ms, first page).
func BenchmarkInboxQueries(b *testing.B) {
	s := benchDB(b)
	for _, c := range []struct {
		name string
		q    model.FeedbackQuery
	}{
		{"triage", model.FeedbackQuery{Status: model.StatusOpen, Triage: true}},
		{"category", model.FeedbackQuery{Category: "Billing/Refund"}},
		{"channel+status", model.FeedbackQuery{Channel: "email", Status: model.StatusOpen}},
		{"kind", model.FeedbackQuery{Kind: model.KindComplaint}},
		{"search-退款", model.FeedbackQuery{Search: "退款"}},
		{"search-ref", model.FeedbackQuery{Search: "ref"}},
		{"search-invoice", model.FeedbackQuery{Search: "invoice"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			q := c.q
			q.Limit = 50
			for i := 0; i < b.N; i++ {
				if _, err := s.FeedbackPage(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBulkClassify sets the category and a tag of 1,000 items in
// one transaction (goal < 200 ms). It writes: run it on a copy.
func BenchmarkBulkClassify(b *testing.B) {
	s := benchDB(b)
	page, err := s.ListFeedback(ctx, model.FeedbackQuery{Limit: 1000, Offset: 5000})
	if err != nil || len(page) == 0 {
		b.Fatal(err)
	}
	ids := make([]int64, len(page))
	for i, f := range page {
		ids[i] = f.ID
	}
	cats := []string{"Billing/Refund", "Product/Bug"}
	tag := fmt.Sprintf("bulk-%d", time.Now().UnixNano())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Every run changes the category and adds or takes off the same
		// tag, so the items do not pile up tags from run to run.
		cat := cats[i%2]
		patch := model.FeedbackPatch{Category: &cat, AddTags: []string{tag}}
		if i%2 == 1 {
			patch = model.FeedbackPatch{Category: &cat, RemoveTags: []string{tag}}
		}
		res, err := s.SetFeedback(ctx, "bench", ids, patch, 0)
		if err != nil || res.Changed != len(ids) {
			b.Fatal(res, err)
		}
	}
}

package db

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// BenchmarkAddFeedbackOne is one feedback added by hand: the summary_agg
// insert trigger runs for it. It writes: run it on a copy.
func BenchmarkAddFeedbackOne(b *testing.B) {
	s := benchDB(b)
	page, err := s.ListCustomers(ctx, model.CustomerQuery{Limit: 1})
	if err != nil || len(page.Rows) == 0 {
		b.Fatal(err)
	}
	csat := 4
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := model.Feedback{CustomerID: page.Rows[0].ID, Channel: "email", Kind: model.KindComplaint, CSAT: &csat,
			Subject: fmt.Sprintf("bench %d", i), Body: "one write", CreatedAt: time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC)}
		if _, err := s.AddFeedback(ctx, "bench", f); err != nil {
			b.Fatal(err)
		}
	}
}

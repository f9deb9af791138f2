//go:build unix

package db

import (
	"os"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func BenchmarkTmpBulk(b *testing.B) {
	s := benchDB(b)
	t := time.Now()
	if _, _, _, err := s.FactsSnapshot(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("full %v", time.Since(t))
	t = time.Now()
	if _, err := s.Summary(ctx, model.SummaryQuery{By: "attr.signup_source", Trend: "month"}); err != nil {
		b.Fatal(err)
	}
	b.Logf("attr first %v", time.Since(t))
	var maxFB int64
	s.db.QueryRow("SELECT max(id) FROM feedback").Scan(&maxFB)
	for k := 0; k < 2; k++ {
		run := int(time.Now().Unix()%1e6) + k
		ids := make([]int64, 10000)
		for i := range ids {
			ids[i] = 1 + (int64(i)*(maxFB/10000)+int64(run%100)*7)%maxFB
		}
		cat := []string{"Billing/Refund", "Product/Bug"}[run%2]
		t = time.Now()
		if _, err := s.SetFeedback(ctx, "bench", ids, model.FeedbackPatch{Category: &cat}, 0); err != nil {
			b.Fatal(err)
		}
		b.Logf("write %v", time.Since(t))
		f, _ := os.Create("/tmp/facts4_refresh.prof")
		pprof.StartCPUProfile(f)
		t = time.Now()
		if _, err := s.Summary(ctx, model.SummaryQuery{By: "city", Trend: "month"}); err != nil {
			b.Fatal(err)
		}
		pprof.StopCPUProfile()
		b.Logf("next view %v (refresh %v, delta %d)", time.Since(t), s.facts.refreshed, s.facts.snap.Delta())
		t = time.Now()
		if _, err := s.Summary(ctx, model.SummaryQuery{By: "attr.signup_source", Trend: "month"}); err != nil {
			b.Fatal(err)
		}
		b.Logf("attr after %v", time.Since(t))
	}
}

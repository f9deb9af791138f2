package storetest

import (
	"math"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// testDemand: demand by category and by tag counts what a scan counts,
// and scores by the documented formula, best first.
func testDemand(t *testing.T, st model.Store) {
	seed(t, st)
	fb, cust := allFeedback(t, st), customersByID(t, st)
	for _, by := range []string{"category", "tag"} {
		type acc struct {
			n, compl  int
			who, comp map[int64]bool
		}
		want := map[string]*acc{}
		for _, f := range fb {
			keys := []string{orNone(f.Category)}
			if by == "tag" {
				keys = f.Tags
			}
			for _, k := range keys {
				a := want[k]
				if a == nil {
					a = &acc{who: map[int64]bool{}, comp: map[int64]bool{}}
					want[k] = a
				}
				a.n++
				a.who[f.CustomerID] = true
				if f.Kind == model.KindComplaint {
					a.compl++
					a.comp[f.CustomerID] = true
				}
			}
		}
		rows := must(st.Demand(ctx, model.DemandQuery{By: by}))(t)
		if len(rows) != len(want) {
			t.Errorf("demand by %s: %d rows, scan %d", by, len(rows), len(want))
		}
		for i, r := range rows {
			a := want[r.Key]
			if a == nil {
				t.Errorf("demand by %s: %q not in the scan", by, r.Key)
				continue
			}
			ltv, score := 0.0, 0.0
			for id := range a.who {
				ltv += cust[id].LTV
				s := 1 + math.Log10(1+cust[id].LTV)
				if a.comp[id] {
					s *= 1.5
				}
				score += s
			}
			if r.FeedbackN != a.n || r.ComplaintsN != a.compl || r.CustomersN != len(a.who) ||
				math.Abs(r.LTVSum-ltv) > 1e-6 || math.Abs(r.Score-score) > 1e-6 {
				t.Errorf("demand by %s %q = %+v, scan n=%d complaints=%d customers=%d ltv=%v score=%v",
					by, r.Key, r, a.n, a.compl, len(a.who), ltv, score)
			}
			if i > 0 && r.Score > rows[i-1].Score {
				t.Errorf("demand by %s: %q ranked below a lower score", by, r.Key)
			}
		}
	}
}

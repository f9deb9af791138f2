package storetest

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// derived is a customer's figures recomputed in Go from the listed
// feedback and follow-ups.
type derived struct {
	FeedbackN, CSATN, ComplaintsOpen, FollowupsOpen int
	CSATAvg                                         string
	NPSLast                                         string
	LastContact                                     string
}

func optF(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%.9f", *p)
}

func optI(p *int) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func optT(p *time.Time) string {
	if p == nil {
		return "nil"
	}
	return p.UTC().Format(time.RFC3339Nano)
}

// checkFigures compares every customer's derived figures with a
// recomputation from the rows the store lists.
func checkFigures(t *testing.T, st model.Store, when string) {
	t.Helper()
	type acc struct {
		d        derived
		sum      int
		nps      *int
		npsAt    time.Time
		npsID    int64
		lastSeen *time.Time
	}
	by := map[int64]*acc{}
	get := func(id int64) *acc {
		if by[id] == nil {
			by[id] = &acc{}
		}
		return by[id]
	}
	later := func(a *acc, at time.Time) {
		if a.lastSeen == nil || at.After(*a.lastSeen) {
			at := at
			a.lastSeen = &at
		}
	}
	for _, f := range allFeedback(t, st) {
		a := get(f.CustomerID)
		a.d.FeedbackN++
		if f.CSAT != nil {
			a.d.CSATN++
			a.sum += *f.CSAT
		}
		if f.NPS != nil && (a.nps == nil || f.CreatedAt.After(a.npsAt) || (f.CreatedAt.Equal(a.npsAt) && f.ID > a.npsID)) {
			a.nps, a.npsAt, a.npsID = f.NPS, f.CreatedAt, f.ID
		}
		if f.Kind == model.KindComplaint && (f.Status == model.StatusOpen || f.Status == model.StatusPending) {
			a.d.ComplaintsOpen++
		}
		later(a, f.CreatedAt)
	}
	for _, fu := range allFollowUps(t, st) {
		a := get(fu.CustomerID)
		if fu.Status == model.FollowUpOpen {
			a.d.FollowupsOpen++
		}
		if fu.DoneAt != nil {
			later(a, *fu.DoneAt)
		}
	}
	for _, c := range allCustomers(t, st) {
		a := get(c.ID)
		want := a.d
		want.CSATAvg = "nil"
		if a.d.CSATN > 0 {
			want.CSATAvg = optF(ptr(float64(a.sum) / float64(a.d.CSATN)))
		}
		want.NPSLast, want.LastContact = optI(a.nps), optT(a.lastSeen)
		got := derived{FeedbackN: c.FeedbackN, CSATN: c.CSATN, ComplaintsOpen: c.ComplaintsOpen,
			FollowupsOpen: c.FollowupsOpen, CSATAvg: optF(c.CSATAvg), NPSLast: optI(c.NPSLast), LastContact: optT(c.LastContactAt)}
		if got != want {
			t.Errorf("%s: customer %d figures %+v, recomputed %+v", when, c.ID, got, want)
		}
	}
}

// testDerivedFigures writes in every way that moves a customer's figures
// and compares them with a recomputation after each.
func testDerivedFigures(t *testing.T, st model.Store) {
	fx := seed(t, st)
	checkFigures(t, st, "after the seed")
	c0, c1 := fx.customers[3], fx.customers[4]
	f := addFeedback(t, st, "li.na", model.Feedback{CustomerID: c0.ID, Kind: model.KindComplaint, Subject: "late", Body: "x",
		CSAT: ptr(1), NPS: ptr(2), CreatedAt: base.Add(time.Hour)})
	checkFigures(t, st, "after AddFeedback")
	resolved, complaint := model.StatusResolved, model.KindComplaint
	must(st.SetFeedback(ctx, "emma", []int64{f.ID}, model.FeedbackPatch{Status: &resolved}, 0))(t)
	checkFigures(t, st, "after resolving a complaint")
	var some []int64
	for _, fb := range fx.feedback[:12] {
		some = append(some, fb.ID)
	}
	open := model.StatusOpen
	must(st.SetFeedback(ctx, "emma", some, model.FeedbackPatch{Kind: &complaint, Status: &open}, 0))(t)
	checkFigures(t, st, "after a bulk reclassification")
	fu := must(st.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: c1.ID, Due: base.Add(48 * time.Hour), Note: "call"}))(t)
	must(st.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: c1.ID, Due: base.Add(-48 * time.Hour)}))(t)
	checkFigures(t, st, "after AddFollowUp")
	if err := st.FollowUpDone(ctx, "li.na", fu.ID); err != nil {
		t.Fatal(err)
	}
	checkFigures(t, st, "after FollowUpDone")
	must(st.AddNote(ctx, "li.na", model.Note{CustomerID: c1.ID, Body: "a note"}))(t)
	plan := "enterprise"
	must(st.UpdateCustomer(ctx, "li.na", c1.ID, model.CustomerPatch{Plan: &plan}, 0))(t)
	checkFigures(t, st, "after a note and a profile edit")
	// An import: a new item for an existing customer (found by e-mail) and
	// a changed score on an item imported before.
	rec := func(key string, csat int, at time.Time) model.ImportRecord {
		return model.ImportRecord{Line: 2, CustomerKey: "z-" + c0.Email, Customer: model.Customer{Name: c0.Name, Email: c0.Email},
			FeedbackKey: key, Feedback: &model.Feedback{Channel: "web", Subject: "imported " + key, Body: "b", CSAT: ptr(csat), CreatedAt: at}}
	}
	must(st.ImportBatch(ctx, "imp", "zendesk", []model.ImportRecord{rec("t1", 5, base.Add(2*time.Hour))}, false))(t)
	checkFigures(t, st, "after an import")
	must(st.ImportBatch(ctx, "imp", "zendesk", []model.ImportRecord{rec("t1", 2, base.Add(2*time.Hour))}, false))(t)
	checkFigures(t, st, "after an import changed a score")
	must(st.AddRule(ctx, "lead", model.Rule{Pattern: "subject 1", Kind: model.KindComplaint}))(t)
	if _, _, err := st.ApplyRules(ctx, "lead", true); err != nil {
		t.Fatal(err)
	}
	checkFigures(t, st, "after applying rules")
	checkSummaries(t, st, "after every kind of write")
}

func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-9
}

func sameFigures(a, b model.GroupFigures) bool {
	return a.FeedbackN == b.FeedbackN && a.CustomersN == b.CustomersN && a.CSATN == b.CSATN && a.NPSN == b.NPSN &&
		a.ComplaintsN == b.ComplaintsN && near(a.CSATAvg, b.CSATAvg) && near(a.CSATSatPct, b.CSATSatPct) &&
		near(a.CSATCILow, b.CSATCILow) && near(a.CSATCIHigh, b.CSATCIHigh) && near(a.NPS, b.NPS) &&
		near(a.NPSMoE, b.NPSMoE) && a.Flag == b.Flag
}

func show(g model.GroupFigures) string {
	return fmt.Sprintf("{%s fb=%d cust=%d csat=%d/%s sat=%s nps=%d/%s complaints=%d flag=%q}", g.Key, g.FeedbackN,
		g.CustomersN, g.CSATN, optF(g.CSATAvg), optF(g.CSATSatPct), g.NPSN, optF(g.NPS), g.ComplaintsN, g.Flag)
}

// testCustomerSinceFollowsFeedback: a customer's "customer since" is never
// later than their oldest feedback — an import creates customers the day
// it runs while their tickets go back years — and never moves forward.
func testCustomerSinceFollowsFeedback(t *testing.T, st model.Store) {
	c := create(t, st, "t", model.Customer{Email: "since@example.com"})
	get := func() time.Time { return must(st.Customer(ctx, c.ID))(t).CreatedAt.UTC() }
	added := get()
	older := base.Add(-400 * 24 * time.Hour)
	addFeedback(t, st, "t", model.Feedback{CustomerID: c.ID, Subject: "old", Kind: model.KindComplaint, CreatedAt: base})
	if got := get(); !got.Equal(base) {
		t.Errorf("after feedback of %s: customer since %s (added %s)", base, got, added)
	}
	addFeedback(t, st, "t", model.Feedback{CustomerID: c.ID, Subject: "older", Kind: model.KindComplaint, CreatedAt: older})
	addFeedback(t, st, "t", model.Feedback{CustomerID: c.ID, Subject: "newer", Kind: model.KindComplaint, CreatedAt: added.Add(time.Hour)})
	if got := get(); !got.Equal(older) {
		t.Errorf("after older and newer feedback: customer since %s, want %s", got, older)
	}
	// Added before any feedback: the day they were added stays.
	d := create(t, st, "t", model.Customer{Email: "early@example.com"})
	addFeedback(t, st, "t", model.Feedback{CustomerID: d.ID, Subject: "later", Kind: model.KindComplaint, CreatedAt: d.CreatedAt.Add(48 * time.Hour)})
	if got := must(st.Customer(ctx, d.ID))(t).CreatedAt; !got.Equal(d.CreatedAt) {
		t.Errorf("customer since moved forward: %s, was %s", got, d.CreatedAt)
	}
}

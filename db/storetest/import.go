package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// importRecs is a small export: two customers known by the source's ids,
// a third found by e-mail, tickets with scores.
func importRecs(existingEmail string) []model.ImportRecord {
	at := func(h int) time.Time { return base.Add(-time.Duration(h) * time.Hour) }
	fb := func(subject string, csat, nps int, h int, kind model.Kind) *model.Feedback {
		f := &model.Feedback{Channel: "email", Kind: kind, Subject: subject, Body: "body of " + subject,
			Status: model.StatusOpen, CreatedAt: at(h), Attrs: map[string]string{"ticket_form": "default"}}
		if csat > 0 {
			f.CSAT, f.CSATRaw = ptr(csat), fmt.Sprint(csat)
		}
		if nps >= 0 {
			f.NPS = ptr(nps)
		}
		return f
	}
	zoe := model.Customer{Name: "Zoe", Email: "zoe@example.com", Plan: "pro", Attrs: map[string]string{"seats": "5"}}
	yan := model.Customer{Name: "颜", Phone: "+86 139 0000 1111", Plan: "free"}
	old := model.Customer{Name: "Known", Email: existingEmail}
	return []model.ImportRecord{
		{Line: 2, CustomerKey: "u1", Customer: zoe, FeedbackKey: "t1", Feedback: fb("退款 refund", 2, 3, 10, model.KindComplaint)},
		{Line: 3, CustomerKey: "u1", Customer: zoe, FeedbackKey: "t2", Feedback: fb("thanks", 5, 10, 5, model.KindPraise)},
		{Line: 4, CustomerKey: "u2", Customer: yan, FeedbackKey: "t3", Feedback: fb("发票", 0, 7, 30, model.KindQuestion)},
		{Line: 5, CustomerKey: "u3", Customer: old, FeedbackKey: "t4", Feedback: fb("login", 3, -1, 1, model.KindFeedback)},
		{Line: 6, CustomerKey: "u2", Customer: yan},
	}
}

// testImport: a batch creates and finds customers by the identity rules,
// the same batch again changes nothing (every row unchanged, no version
// moves), a dry run writes nothing, the first-load capability can be used
// on an empty store.
func testImport(t *testing.T, st model.Store) {
	began := must(st.BeginFirstLoad(ctx))(t)
	known := create(t, st, "t", model.Customer{Name: "Known", Email: "known@example.com"})
	recs := importRecs(known.Email)

	dry := must(st.ImportBatch(ctx, "imp", "zendesk", recs, true))(t)
	if n := len(allCustomers(t, st)); n != 1 || len(allFeedback(t, st)) != 0 {
		t.Errorf("a dry run stored %d customers", n)
	}
	first := must(st.ImportBatch(ctx, "imp", "zendesk", recs, false))(t)
	if began {
		if err := st.EndFirstLoad(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if first.CustomersCreated != 2 || first.FeedbackCreated != 4 || first.Errors != 0 || first.Unchanged != 1 {
		t.Errorf("first import = %+v", first)
	}
	dry.Rejected, first.Rejected = nil, nil
	if fmt.Sprint(dry) != fmt.Sprint(first) {
		t.Errorf("dry run counted %+v, the import %+v", dry, first)
	}
	if k := must(st.Customer(ctx, known.ID))(t); k.FeedbackN != 1 {
		t.Errorf("the known customer (found by e-mail) has %d feedback", k.FeedbackN)
	}
	zoe := must(st.FindCustomer(ctx, "zoe@example.com"))(t)
	if zoe.FeedbackN != 2 || zoe.Attrs["seats"] != "5" || zoe.Plan != "pro" {
		t.Errorf("zoe = %+v", zoe)
	}
	if n, _, _ := st.CountFeedback(ctx, model.FeedbackQuery{Search: "退款"}, 0); n != 1 {
		t.Errorf("imported feedback found by search: %d", n)
	}
	if n, _, _ := st.CountCustomers(ctx, model.CustomerQuery{Search: "zoe"}, 0); n != 1 {
		t.Errorf("imported customer found by search: %d", n)
	}
	checkFigures(t, st, "after the import")
	before := snapshot(t, st)
	auditBefore := len(must(st.Audit(ctx, model.AuditQuery{}))(t))

	again := must(st.ImportBatch(ctx, "imp", "zendesk", recs, false))(t)
	if again.Unchanged != len(recs) || again.CustomersCreated+again.CustomersUpdated+again.FeedbackCreated+again.FeedbackUpdated != 0 {
		t.Errorf("second import = %+v, want every row unchanged", again)
	}
	if got := snapshot(t, st); got != before {
		t.Errorf("a second import changed the store (+ after, - before):\n%s", diff(got, before))
	}
	if n := len(must(st.Audit(ctx, model.AuditQuery{}))(t)); n != auditBefore {
		t.Errorf("a second import wrote %d audit entries", n-auditBefore)
	}
	// A changed row updates only that item.
	recs[0].Feedback.CSAT = ptr(4)
	third := must(st.ImportBatch(ctx, "imp", "zendesk", recs, false))(t)
	if third.FeedbackUpdated != 1 || third.Unchanged != len(recs)-1 {
		t.Errorf("import with one changed score = %+v", third)
	}
	checkFigures(t, st, "after a changed import")
	checkSummaries(t, st, "after a changed import")
	// A row naming two customers' identities is rejected, not merged.
	bad := []model.ImportRecord{{Line: 9, CustomerKey: "u9", Customer: model.Customer{Name: "X", Email: "zoe@example.com", Phone: "+86 139 0000 1111"}}}
	res, err := st.ImportBatch(ctx, "imp", "zendesk", bad, false)
	if err == nil && res.Errors != 1 {
		t.Errorf("a row naming two customers = %+v", res)
	}
	if n := len(allCustomers(t, st)); n != 3 {
		t.Errorf("%d customers, want 3", n)
	}
	if _, err := st.RecordImportRun(ctx, model.ImportRun{}); err != nil && !errors.Is(err, model.ErrInvalid) {
		t.Errorf("RecordImportRun: %v", err)
	}
}

// testImportAfterIdentityMatch: a source's row that finds an existing
// customer by e-mail (in another case) and names them differently fills
// only what is empty; importing the same rows again must still change
// nothing (CONTRACT.md: "Re-importing a file changes nothing").
func testImportAfterIdentityMatch(t *testing.T, st model.Store) {
	create(t, st, "t", model.Customer{Name: "Ann Lee", Email: "ann@example.com", Plan: "pro"})
	recs := []model.ImportRecord{{Line: 2, CustomerKey: "u7", Customer: model.Customer{Name: "Ann", Email: "ANN@example.com", Plan: "free"},
		FeedbackKey: "t7", Feedback: &model.Feedback{Channel: "email", Subject: "hello", Body: "b", CreatedAt: base}}}
	first := must(st.ImportBatch(ctx, "imp", "zendesk", recs, false))(t)
	if first.CustomersCreated != 0 || first.FeedbackCreated != 1 {
		t.Fatalf("first import = %+v", first)
	}
	before := snapshot(t, st)
	again := must(st.ImportBatch(ctx, "imp", "zendesk", recs, false))(t)
	if again.Unchanged != 1 || again.CustomersUpdated != 0 {
		t.Errorf("second import = %+v, want the row unchanged", again)
	}
	if got := snapshot(t, st); got != before {
		t.Errorf("a second import changed the store (+ after, - before):\n%s", diff(got, before))
	}
}

package storetest

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// diff lists the lines only one of two snapshots has.
func diff(got, want string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	for _, l := range strings.Split(got, "\n") {
		count[l]--
	}
	var out []string
	for l, n := range count {
		switch {
		case n > 0:
			out = append(out, "- "+l)
		case n < 0:
			out = append(out, "+ "+l)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// snapshot is what a merge moves and an unmerge must put back: every
// customer's profile and figures, and who owns each feedback, note-bearing
// timeline and follow-up.
func snapshot(t *testing.T, st model.Store) string {
	t.Helper()
	var b strings.Builder
	for _, c := range allCustomers(t, st) {
		fmt.Fprintf(&b, "c%d %s %s %s %s %s %v %v n=%d csat=%s nps=%s open=%d fu=%d last=%s\n", c.ID, c.Name, c.Email, c.Phone,
			c.Plan, c.Region, c.Tags, c.Attrs, c.FeedbackN, optF(c.CSATAvg), optI(c.NPSLast), c.ComplaintsOpen, c.FollowupsOpen, optT(c.LastContactAt))
		for _, e := range must(st.Timeline(ctx, c.ID, 100))(t) {
			if e.Type != "change" { // a merge and its undo are changes of the survivor's
				fmt.Fprintf(&b, "  %s %d\n", e.Type, e.ID)
			}
		}
	}
	for _, f := range allFeedback(t, st) {
		fmt.Fprintf(&b, "f%d c%d v%d\n", f.ID, f.CustomerID, f.Version)
	}
	for _, f := range allFollowUps(t, st) {
		fmt.Fprintf(&b, "u%d c%d %s\n", f.ID, f.CustomerID, f.Status)
	}
	return b.String()
}

// testMerge: a dry run and refused merges change nothing; a merge moves
// everything to the survivor, removes the other, recomputes the figures
// and summaries and is audited once; the unmerge puts every row back.
func testMerge(t *testing.T, st model.Store) {
	fx := seed(t, st)
	from := must(st.Customer(ctx, fx.customers[9].ID))(t) // 4 feedback items
	into := must(st.Customer(ctx, fx.customers[8].ID))(t) // 3
	must(st.AddNote(ctx, "li.na", model.Note{CustomerID: from.ID, Body: "called back"}))(t)
	fu := must(st.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: from.ID, Due: base.Add(24 * time.Hour)}))(t)
	must(st.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: from.ID, Due: base.Add(-24 * time.Hour)}))(t)
	if err := st.FollowUpDone(ctx, "li.na", fu.ID); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, st)
	sumBefore := must(st.Summary(ctx, model.SummaryQuery{By: "plan"}))(t)

	dry := must(st.MergeCustomers(ctx, "lead", from.ID, into.ID, model.MergeOptions{DryRun: true}))(t)
	if dry.Moved.Feedback != from.FeedbackN || dry.Moved.FollowUps != 2 || dry.Moved.Notes != 1 || dry.AuditID != 0 {
		t.Errorf("dry run = %+v", dry)
	}
	if _, err := st.MergeCustomers(ctx, "lead", into.ID, into.ID, model.MergeOptions{}); !isErr(err, model.ErrInvalid) {
		t.Errorf("merge into itself: %v", err)
	}
	if _, err := st.MergeCustomers(ctx, "lead", into.ID+1000, into.ID, model.MergeOptions{}); !isErr(err, model.ErrNotFound) {
		t.Errorf("merge of a missing customer: %v", err)
	}
	if _, err := st.MergeCustomers(ctx, "lead", from.ID, into.ID, model.MergeOptions{IntoVersion: into.Version + 1}); !isErr(err, model.ErrStale) {
		t.Errorf("merge at a stale version: %v", err)
	}
	if got := snapshot(t, st); got != before {
		t.Fatalf("a dry run or a refused merge changed something:\n%s", diff(got, before))
	}

	res := must(st.MergeCustomers(ctx, "lead", from.ID, into.ID, model.MergeOptions{}))(t)
	if res.From != from.ID || res.Into != into.ID || res.Moved != dry.Moved || res.AuditID == 0 {
		t.Errorf("merge = %+v, dry run said %+v", res, dry.Moved)
	}
	if _, err := st.Customer(ctx, from.ID); !isErr(err, model.ErrNotFound) {
		t.Errorf("the merged customer is still there: %v", err)
	}
	surv := must(st.Customer(ctx, into.ID))(t)
	if surv.FeedbackN != from.FeedbackN+into.FeedbackN || surv.Email != into.Email {
		t.Errorf("survivor %+v", surv)
	}
	for _, tag := range append(from.Tags, into.Tags...) {
		if !hasTag(surv, tag) {
			t.Errorf("survivor lost tag %q: %v", tag, surv.Tags)
		}
	}
	for _, f := range allFeedback(t, st) {
		if f.CustomerID == from.ID {
			t.Errorf("feedback %d still belongs to the merged customer", f.ID)
		}
	}
	// Both the old e-mail and the survivor's find the survivor.
	if c, err := st.FindCustomer(ctx, from.Email); err == nil && c.ID != into.ID {
		t.Errorf("the merged e-mail finds %d", c.ID)
	}
	checkFigures(t, st, "after the merge")
	fb, cust := allFeedback(t, st), customersByID(t, st)
	overall, groups, _ := scanSummary(fb, cust, "plan", nil)
	compareSummary(t, "summary by plan after the merge", must(st.Summary(ctx, model.SummaryQuery{By: "plan"}))(t), overall, groups)
	log := must(st.Audit(ctx, model.AuditQuery{Agent: "lead", Entity: "customer"}))(t)
	merges := 0
	for _, e := range log {
		if e.Action == "merge" {
			merges++
		}
	}
	if merges != 1 {
		t.Errorf("%d merge entries in the audit, want 1", merges)
	}
	if id := must(st.LastMerge(ctx, into.ID))(t); id != res.AuditID {
		t.Errorf("LastMerge = %d, want %d", id, res.AuditID)
	}

	un := must(st.UnmergeCustomers(ctx, "lead", res.AuditID))(t)
	if un.From != from.ID || un.Into != into.ID {
		t.Errorf("unmerge = %+v", un)
	}
	after := snapshot(t, st)
	if stripVersions(after) != stripVersions(before) {
		t.Errorf("the unmerge did not restore the store (+ after, - before):\n%s", diff(stripVersions(after), stripVersions(before)))
	}
	checkFigures(t, st, "after the unmerge")
	sumAfter := must(st.Summary(ctx, model.SummaryQuery{By: "plan"}))(t)
	compareSummary(t, "summary by plan after the unmerge", sumAfter, sumBefore.Overall, byKey(sumBefore.Groups))
	if _, err := st.UnmergeCustomers(ctx, "lead", res.AuditID); err == nil {
		t.Errorf("a merge was undone twice")
	}
}

// stripVersions drops feedback versions, which a merge and its undo may
// move on (each is a change of the item).
func stripVersions(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "f") {
			if i := strings.LastIndex(line, " v"); i > 0 {
				line = line[:i]
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func byKey(gs []model.GroupFigures) map[string]model.GroupFigures {
	out := map[string]model.GroupFigures{}
	for _, g := range gs {
		out[g.Key] = g
	}
	return out
}

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

// testClassification: categories, rules (bad patterns refused), rules
// filling only what is empty, and rule application over all items.
func testClassification(t *testing.T, st model.Store) {
	before := len(must(st.Categories(ctx))(t)) // a new store may have a default taxonomy
	must(st.AddCategory(ctx, "lead", "Ops Conf/Refund"))(t)
	if _, err := st.AddCategory(ctx, "lead", "ops conf/refund"); !isErr(err, model.ErrConflict) {
		t.Errorf("a category in another case: %v", err)
	}
	if _, err := st.AddCategory(ctx, "lead", "A/B/C"); !isErr(err, model.ErrInvalid) {
		t.Errorf("a third level: %v", err)
	}
	cats := must(st.Categories(ctx))(t)
	pos := map[string]int{}
	for i, c := range cats {
		pos[c.Path] = i + 1
	}
	if len(cats) != before+2 || pos["Ops Conf"] == 0 || pos["Ops Conf/Refund"] < pos["Ops Conf"] {
		t.Errorf("categories after adding Ops Conf/Refund: %d (were %d), positions %d %d", len(cats), before, pos["Ops Conf"], pos["Ops Conf/Refund"])
	}
	var re *model.RuleError
	if _, err := st.AddRule(ctx, "lead", model.Rule{Pattern: "(unclosed", Category: "Ops Conf/Refund"}); !errors.As(err, &re) {
		t.Errorf("a bad pattern: %v", err)
	}
	r := must(st.AddRule(ctx, "lead", model.Rule{Pattern: "退款|refund", Category: "Ops Conf/Refund", Tags: []string{"money"}, Priority: model.PriorityHigh}))(t)
	c := create(t, st, "t", model.Customer{Name: "A"})
	f1 := addFeedback(t, st, "t", model.Feedback{CustomerID: c.ID, Subject: "申请退款", Body: "x"})
	if f1.Category != "Ops Conf/Refund" || f1.Priority != model.PriorityHigh || !strings.Contains(fmt.Sprint(f1.Tags), "money") {
		t.Errorf("a new item the rule matches: %+v", f1)
	}
	f2 := addFeedback(t, st, "t", model.Feedback{CustomerID: c.ID, Subject: "Refund please", Body: "x", Priority: model.PriorityLow})
	if f2.Priority != model.PriorityLow {
		t.Errorf("the rule replaced a priority that was set: %+v", f2)
	}
	if err := st.RemoveCategory(ctx, "lead", "Ops Conf"); err == nil {
		t.Errorf("removed a category in use")
	}
	if err := st.RemoveRule(ctx, "lead", r.ID); err != nil {
		t.Fatal(err)
	}
	if rs := must(st.Rules(ctx))(t); len(rs) != 0 {
		t.Errorf("rules after removal: %v", rs)
	}
	f3 := addFeedback(t, st, "t", model.Feedback{CustomerID: c.ID, Subject: "another refund", Body: "x"})
	if f3.Category != "" {
		t.Errorf("a removed rule classified %+v", f3)
	}
	must(st.AddRule(ctx, "lead", model.Rule{Pattern: "another", Kind: model.KindRequest}))(t)
	matched, changed, err := st.ApplyRules(ctx, "lead", false)
	if err != nil || matched != 1 || changed != 1 {
		t.Errorf("apply = %d matched, %d changed, %v", matched, changed, err)
	}
	if f := must(st.Feedback(ctx, f3.ID))(t); f.Kind != model.KindRequest || f.Version != 2 {
		t.Errorf("after apply: %+v", f)
	}
	matched, changed, err = st.ApplyRules(ctx, "lead", false)
	if err != nil || matched != 1 || changed != 0 {
		t.Errorf("apply again = %d matched, %d changed, %v", matched, changed, err)
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

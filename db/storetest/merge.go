package storetest

import (
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
	checkSummaries(t, st, "after the merge")
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
	checkSummaries(t, st, "after the unmerge")
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

package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// testSummariesAfterTagWrites: customers with several tags each and many
// feedback items, so that a summary by tag sees each item once per tag;
// after a mix of writes (tags added and removed, a customer's last tag
// removed, feedback added and reclassified, a merge that moves tags and
// feedback) every dimension's summary, the overall figures included,
// equals a scan over the listed feedback, both as a store answers after
// writes and inside a dry run.
func testSummariesAfterTagWrites(t *testing.T, st model.Store) {
	tagSets := [][]string{
		{"vip", "beta", "north", "大客户"},
		{"vip", "north"},
		nil,
		{"beta", "trial", "north"},
		{"大客户"},
		{"vip", "beta", "trial", "north", "south"},
	}
	var customers []model.Customer
	for i := 0; i < 18; i++ {
		customers = append(customers, create(t, st, "emma", model.Customer{
			Name:  fmt.Sprintf("Tagged %02d", i),
			Email: fmt.Sprintf("tagged%02d@example.com", i),
			Plan:  plans[i%3],
			City:  cities[i%4],
			Tags:  tagSets[i%len(tagSets)],
		}))
	}
	// Round after round over the customers, so that a customer's items
	// are not neighbours by id (nor in the table).
	n := 0
	for j := 0; j < 8; j++ {
		for i, c := range customers {
			if j >= 3+i%6 {
				continue
			}
			f := model.Feedback{
				CustomerID: c.ID,
				Channel:    channels[(i+j)%4],
				Kind:       model.Kinds[(i+j)%len(model.Kinds)],
				Body:       fmt.Sprintf("tagged body %d", n),
				Status:     model.Statuses[(i*2+j)%len(model.Statuses)],
				CreatedAt:  base.Add(-time.Duration(n*37) * time.Hour),
			}
			if n%4 != 3 {
				f.CSAT = ptr(1 + (n*3)%5)
			}
			if n%3 != 1 {
				f.NPS = ptr((n * 7) % 11)
			}
			addFeedback(t, st, agents[(i+j)%3], f)
			n++
		}
	}
	checkSummaries(t, st, "after the tagged seed")

	// Tags added, removed, and a customer's last tag removed.
	must(st.UpdateCustomer(ctx, "emma", customers[0].ID, model.CustomerPatch{AddTags: []string{"south"}, RemoveTags: []string{"beta"}}, 0))(t)
	must(st.UpdateCustomer(ctx, "emma", customers[4].ID, model.CustomerPatch{RemoveTags: []string{"大客户"}}, 0))(t)
	must(st.UpdateCustomer(ctx, "emma", customers[2].ID, model.CustomerPatch{AddTags: []string{"vip", "new-tag", "trial"}}, 0))(t)
	plan := "enterprise"
	must(st.UpdateCustomer(ctx, "li.na", customers[5].ID, model.CustomerPatch{Plan: &plan, AddTags: []string{"east"}}, 0))(t)
	// Feedback added to a many-tagged customer, and reclassified.
	for k := 0; k < 4; k++ {
		addFeedback(t, st, "li.na", model.Feedback{CustomerID: customers[5].ID, Body: fmt.Sprint("late ", k),
			CSAT: ptr(1 + k), NPS: ptr(10 - k), Channel: "app", CreatedAt: base.Add(time.Duration(k) * time.Hour)})
	}
	complaint := model.KindComplaint
	var some []int64
	for i, f := range allFeedback(t, st) {
		if i%5 == 0 {
			some = append(some, f.ID)
		}
	}
	must(st.SetFeedback(ctx, "emma", some, model.FeedbackPatch{Kind: &complaint}, 0))(t)
	// A merge moves feedback and tags onto another tagged customer.
	must(st.MergeCustomers(ctx, "emma", customers[11].ID, customers[6].ID, model.MergeOptions{}))(t)
	checkSummaries(t, st, "after the tag writes")
	checkDatedTagSummary(t, st, "after the tag writes")
	// Inside a dry run a store reads through the run's one transaction,
	// without what it keeps between calls (a snapshot, aggregates).
	err := st.DryRun(ctx, func(st model.Store) error {
		checkSummaries(t, st, "after the tag writes, in a dry run")
		checkDatedTagSummary(t, st, "after the tag writes, in a dry run")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkDatedTagSummary compares a summary by tag over a time range (which
// a store may plan differently from a whole-table one) with the scan.
func checkDatedTagSummary(t *testing.T, st model.Store, when string) {
	t.Helper()
	since, until := base.Add(-90*24*time.Hour), base.Add(2*time.Hour)
	fb, cust := allFeedback(t, st), customersByID(t, st)
	got := must(st.Summary(ctx, model.SummaryQuery{By: "tag", Since: since, Until: until}))(t)
	overall, groups, _ := scanSummary(fb, cust, "tag", func(f model.Feedback) bool {
		return !f.CreatedAt.Before(since) && f.CreatedAt.Before(until)
	})
	compareSummary(t, when+", by tag since "+since.Format(time.DateOnly), got, overall, groups)
}

// Package storetest is the store contract's conformance suite: every
// behaviour a model.Store promises, checked from the outside, through the
// interfaces only. It imports model and nothing of the store under test, so
// the SQLite store (db) and any later one (PostgreSQL) run the same checks:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) model.Store { return openFresh(t) })
//	}
//
// open must return a new, empty store each time and close it when t ends.
// Expected answers are computed in Go from what the store lists (feedback,
// follow-ups, customers), never from its own aggregates, so a store whose
// caches drift from its rows fails. It imports model and the standard
// library only, never db (arch_test.go at the module root checks this).
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// Run runs every conformance check, each as a subtest on a fresh store.
func Run(t *testing.T, open func(t *testing.T) model.Store) {
	RunWith(t, open, nil)
}

// RunWith is Run with known defects of the store under test: a subtest
// named in known is skipped with its reason (which names the defect), so
// that a store's CI stays green while the defect is open and the report
// says what is not met. Every name must be a subtest's.
func RunWith(t *testing.T, open func(t *testing.T) model.Store, known map[string]string) {
	names := map[string]bool{}
	for _, c := range cases {
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			if reason, ok := known[c.name]; ok {
				t.Skip("known defect: " + reason)
			}
			c.fn(t, open(t))
		})
	}
	for name := range known {
		if !names[name] {
			t.Errorf("known defect names no subtest: %q", name)
		}
	}
}

// RunOnly runs the named subtests only (a store's test that needs a
// special database for some of them).
func RunOnly(t *testing.T, open func(t *testing.T) model.Store, names ...string) {
	for _, name := range names {
		found := false
		for _, c := range cases {
			if c.name == name {
				found = true
				t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
			}
		}
		if !found {
			t.Errorf("RunOnly: no subtest %q", name)
		}
	}
}

type testCase struct {
	name string
	fn   func(t *testing.T, st model.Store)
}

var cases = []testCase{
	{"ChangeFeedTwoSubscribers", testChangeFeed},
	{"CustomerCRUDAndVersions", testCustomerCRUD},
	{"FeedbackVersionsAndStale", testFeedbackVersions},
	{"IdentityRule", testIdentity},
	{"SearchCustomers", testSearchCustomers},
	{"SearchFeedback", testSearchFeedback},
	{"CustomerPagesEverySort", testCustomerPages},
	{"NameSortByShownName", testNameSortByShownName},
	{"FeedbackPages", testFeedbackPages},
	{"DerivedFiguresAfterEachWrite", testDerivedFigures},
	{"CustomerSinceFollowsFeedback", testCustomerSinceFollowsFeedback},
	{"SummariesEqualScan", testSummaries},
	{"SummariesEqualScanAfterTagWrites", testSummariesAfterTagWrites},
	{"Segments", testSegments},
	{"SegmentContainsFoldsCase", testContainsFoldsCase},
	{"ASCIIPatternsFoldASCII", testASCIIPatternsFoldASCII},
	{"SearchFoldsNonASCII", testSearchFoldsNonASCII},
	{"SearchFoldRuleRandom", testSearchFoldRuleRandom},
	{"FollowUpSections", testFollowUpSections},
	{"RecallIdempotent", testRecall},
	{"AuditNamesAgents", testAudit},
	{"UndoRedo", testUndoRedo},
	{"UndoBulk", testUndoBulk},
	{"MergeAndUnmerge", testMerge},
	{"ImportSinkIdempotent", testImport},
	{"ImportSinkIdempotentAfterIdentityMatch", testImportAfterIdentityMatch},
	{"Classification", testClassification},
	{"NotesAndItemDetail", testNotesAndDetail},
	{"AddFeedbackKeepsAttrs", testAddFeedbackKeepsAttrs},
	{"SavedViews", testViews},
	{"DemandEqualsScan", testDemand},
	{"Housekeeping", testHousekeeping},
}

var ctx = context.Background()

// base is a fixed instant the fixtures' times are measured from: well in
// the past, so nothing depends on the store's clock or on today's date.
var base = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// must(call())(t) is call's value, or t fails with call's error.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func create(t *testing.T, st model.Store, agent string, c model.Customer) model.Customer {
	t.Helper()
	got, err := st.CreateCustomer(ctx, agent, c)
	if err != nil {
		t.Fatalf("create %q: %v", c.Name, err)
	}
	return got
}

func addFeedback(t *testing.T, st model.Store, agent string, f model.Feedback) model.Feedback {
	t.Helper()
	got, err := st.AddFeedback(ctx, agent, f)
	if err != nil {
		t.Fatalf("add feedback %q: %v", f.Subject, err)
	}
	return got
}

// allCustomers lists every customer by id.
func allCustomers(t *testing.T, st model.Store) []model.Customer {
	t.Helper()
	p := must(st.ListCustomers(ctx, model.CustomerQuery{Sort: model.SortID, Limit: 100000}))(t)
	if p.HasMore {
		t.Fatal("more than 100000 customers in a conformance fixture")
	}
	return p.Rows
}

// allFeedback lists every feedback item (newest first).
func allFeedback(t *testing.T, st model.Store) []model.Feedback {
	t.Helper()
	return must(st.ListFeedback(ctx, model.FeedbackQuery{Limit: 100000}))(t)
}

// allFollowUps lists everyone's follow-ups, open and done.
func allFollowUps(t *testing.T, st model.Store) []model.FollowUp {
	t.Helper()
	p := must(st.FollowUpPage(ctx, model.FollowUpQuery{State: model.StateAll, Now: base, DayEnd: base, Limit: 100000}))(t)
	return p.Rows
}

func ids[T any](rows []T, id func(T) int64) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

func customerIDs(rows []model.Customer) []int64 {
	return ids(rows, func(c model.Customer) int64 { return c.ID })
}

func feedbackIDs(rows []model.Feedback) []int64 {
	return ids(rows, func(f model.Feedback) int64 { return f.ID })
}

func sorted(v []int64) []int64 {
	out := append([]int64(nil), v...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func sameIDs(a, b []int64) bool { return fmt.Sprint(sorted(a)) == fmt.Sprint(sorted(b)) }

// fixture is a small, varied database: customers over every plan, region,
// lifecycle and language (some empty), tags and attributes, feedback of
// every kind over several channels, categories, agents, months and scores,
// notes and follow-ups.
type fixture struct {
	customers []model.Customer
	feedback  []model.Feedback
}

var (
	plans     = []string{"free", "pro", "enterprise"}
	regions   = []string{"华东", "华南", "", "North America"}
	cities    = []string{"杭州", "深圳", "Toronto", ""}
	languages = []string{"zh", "en", ""}
	channels  = []string{"email", "chat", "phone", "survey"}
	agents    = []string{"li.na", "emma", "zhang.wei"}
	cats      = []string{"Billing/Refund", "Billing/Invoice", "Product/Bug", ""}
	tagSets   = [][]string{{"vip"}, nil, {"beta", "vip"}, {"大客户"}, nil}
)

func seed(t *testing.T, st model.Store) fixture {
	t.Helper()
	ensureCategories(t, st, "Billing/Refund", "Billing/Invoice", "Product/Bug")
	var fx fixture
	for i := 0; i < 24; i++ {
		c := model.Customer{
			Name:      fmt.Sprintf("客户%02d Customer", i),
			Email:     fmt.Sprintf("c%02d@example.com", i),
			Company:   fmt.Sprintf("Company %d", i%7),
			Plan:      plans[i%3],
			Region:    regions[i%4],
			City:      cities[(i/2)%4],
			Language:  languages[i%3],
			Lifecycle: model.Lifecycles[i%len(model.Lifecycles)],
			LTV:       float64((i * 37) % 11 * 100),
			Tags:      tagSets[i%5],
		}
		if i%4 == 1 {
			c.Attrs = map[string]string{"tier": []string{"gold", "silver"}[(i/4)%2]}
		}
		fx.customers = append(fx.customers, create(t, st, agents[i%3], c))
	}
	n := 0
	for i, c := range fx.customers {
		for j := 0; j < i%5; j++ {
			f := model.Feedback{
				CustomerID: c.ID,
				Channel:    channels[(i+j)%4],
				Kind:       model.Kinds[(i*3+j)%len(model.Kinds)],
				Subject:    fmt.Sprintf("subject %d", n),
				Body:       fmt.Sprintf("body %d", n),
				Category:   cats[(i+2*j)%4],
				Status:     model.Statuses[(i+j)%len(model.Statuses)],
				CreatedAt:  base.Add(-time.Duration(n*61) * time.Hour),
			}
			if n%3 != 2 {
				f.CSAT = ptr(1 + (n*7)%5)
			}
			if n%4 != 3 {
				f.NPS = ptr((n * 5) % 11)
			}
			if n%5 == 1 {
				f.Tags = []string{"refund", "urgent-ish"}[:1+n%2]
			}
			if n%6 == 0 {
				// Every sixth item comes from an import, with a
				// feedback-level attribute (AddFeedback keeps none).
				f.Attrs, f.Agent = map[string]string{"tier": "bronze"}, agents[(i+j)%3]
				rec := model.ImportRecord{Line: n + 2, Customer: model.Customer{Name: c.Name, Email: c.Email},
					FeedbackKey: fmt.Sprint("seed-", n), Feedback: &f}
				if r := must(st.ImportBatch(ctx, "imp", "seed", []model.ImportRecord{rec}, false))(t); r.FeedbackCreated != 1 {
					t.Fatalf("seed import = %+v", r)
				}
			} else {
				addFeedback(t, st, agents[(i+j)%3], f)
			}
			n++
		}
	}
	fx.feedback = allFeedback(t, st)
	sort.Slice(fx.feedback, func(i, j int) bool { return fx.feedback[i].ID < fx.feedback[j].ID })
	if len(fx.feedback) != n {
		t.Fatalf("seeded %d feedback, the store lists %d", n, len(fx.feedback))
	}
	return fx
}

// ensureCategories adds the paths a store does not have yet (a new store
// may come with a default taxonomy).
func ensureCategories(t *testing.T, st model.Store, paths ...string) {
	t.Helper()
	have := map[string]bool{}
	for _, c := range must(st.Categories(ctx))(t) {
		have[c.Path] = true
	}
	for _, p := range paths {
		if !have[p] {
			must(st.AddCategory(ctx, "lead", p))(t)
		}
	}
}

func isErr(err, target error) bool { return err != nil && errors.Is(err, target) }

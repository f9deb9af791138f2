package db

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// attrFixture imports n customers, some with a customer-level "tier" and
// "country", and their tickets, some with a feedback-level "country" and
// "channel_detail", at random from a fixed seed. It returns what was
// imported, to compute the expected answers by scanning it.
func attrFixture(t *testing.T, n int) (*Store, []model.ImportRecord) {
	t.Helper()
	s := openTemp(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 15))
	countries := []string{"France", "Spain", "Germany", "中国"}
	var recs []model.ImportRecord
	for i := range n {
		email := fmt.Sprintf("c%d@example.com", i)
		cu := model.Customer{Name: fmt.Sprintf("C%d", i), Email: email}
		if r.IntN(3) == 0 {
			cu.Attrs = map[string]string{"country": countries[r.IntN(len(countries))]}
			if r.IntN(2) == 0 {
				cu.Attrs["tier"] = fmt.Sprint(1 + r.IntN(3))
			}
		}
		tickets := r.IntN(4)
		if tickets == 0 {
			recs = append(recs, model.ImportRecord{Line: len(recs) + 2, Customer: cu})
		}
		for j := range tickets {
			csat := 1 + r.IntN(5)
			fb := &model.Feedback{Subject: fmt.Sprintf("t%d-%d", i, j), CSAT: &csat,
				CreatedAt: time.Date(2026, 1+time.Month(r.IntN(6)), 1+r.IntN(28), 9, 0, 0, 0, time.UTC)}
			if r.IntN(2) == 0 {
				fb.Attrs = map[string]string{"country": countries[r.IntN(len(countries))]}
			}
			if r.IntN(4) == 0 {
				if fb.Attrs == nil {
					fb.Attrs = map[string]string{}
				}
				fb.Attrs["channel_detail"] = "web form"
			}
			recs = append(recs, model.ImportRecord{Line: len(recs) + 2, Customer: cu,
				FeedbackKey: fmt.Sprintf("T%d-%d", i, j), Feedback: fb})
		}
	}
	for i := 0; i < len(recs); i += 50 {
		if _, err := s.ImportBatch(ctx, "t", "test", recs[i:min(i+50, len(recs))], false); err != nil {
			t.Fatal(err)
		}
	}
	return s, recs
}

// TestAttrSegmentsBothLevels: attr.NAME matches a customer on its own
// attributes or on any of its feedback's, for every operator, as a scan
// of the imported records says.
func TestAttrSegmentsBothLevels(t *testing.T) {
	s, recs := attrFixture(t, 300)
	ctx := context.Background()
	// the values each customer (by email) has for country, at both levels
	values := map[string][]string{}
	emails := map[string]bool{}
	for _, r := range recs {
		emails[r.Customer.Email] = true
		if v, ok := r.Customer.Attrs["country"]; ok { // the same on each of the customer's rows
			values[r.Customer.Email] = append(values[r.Customer.Email], v)
		}
		if r.Feedback != nil {
			if v, ok := r.Feedback.Attrs["country"]; ok {
				values[r.Customer.Email] = append(values[r.Customer.Email], v)
			}
		}
	}
	expect := func(match func(v string) bool) int {
		n := 0
		for e := range emails {
			for _, v := range values[e] {
				if match(v) {
					n++
					break
				}
			}
		}
		return n
	}
	for expr, want := range map[string]int{
		"attr.country = France":            expect(func(v string) bool { return v == "France" }),
		"attr.country != France":           expect(func(v string) bool { return v != "France" }),
		"attr.country ~ an":                expect(func(v string) bool { return strings.Contains(v, "an") }),
		"attr.country ~ 中":                 expect(func(v string) bool { return v == "中国" }),
		"attr.country in (Spain, Germany)": expect(func(v string) bool { return v == "Spain" || v == "Germany" }),
		"not attr.country = France":        len(emails) - expect(func(v string) bool { return v == "France" }),
		"attr.country > 5":                 0,
	} {
		n, _, err := s.CountCustomers(ctx, model.CustomerQuery{Where: expr}, 1_000_000)
		if err != nil || n != want {
			t.Errorf("%s: %d customers, %v; a scan says %d", expr, n, err, want)
		}
	}
	// A feedback-only attribute, and a customer-only one.
	web := map[string]bool{}
	tier2 := map[string]bool{}
	for _, r := range recs {
		if r.Feedback != nil && r.Feedback.Attrs["channel_detail"] == "web form" {
			web[r.Customer.Email] = true
		}
		if r.Customer.Attrs["tier"] == "2" {
			tier2[r.Customer.Email] = true
		}
	}
	for expr, want := range map[string]int{`attr.channel_detail = "web form"`: len(web), "attr.tier = 2": len(tier2), "attr.tier >= 2 and attr.tier <= 2": len(tier2)} {
		if n, _, err := s.CountCustomers(ctx, model.CustomerQuery{Where: expr}, 1_000_000); err != nil || n != want || want == 0 {
			t.Errorf("%s: %d customers, %v; a scan says %d", expr, n, err, want)
		}
	}
}

// TestAttrSummaryBothLevels: summary --by attr.NAME counts each feedback
// once, in its own value when it has one, else in its customer's, with
// the same figures a scan of the records gives.
func TestAttrSummaryBothLevels(t *testing.T) {
	s, recs := attrFixture(t, 300)
	ctx := context.Background()
	custAttr := map[string]string{}
	for _, r := range recs { // an import keeps the customer's last values
		if r.Customer.Attrs["country"] != "" {
			custAttr[r.Customer.Email] = r.Customer.Attrs["country"]
		}
	}
	type tally struct {
		fb, csatSum int
		cust        map[string]bool
	}
	want := map[string]*tally{}
	for _, r := range recs {
		if r.Feedback == nil {
			continue
		}
		k := r.Feedback.Attrs["country"]
		if k == "" {
			k = custAttr[r.Customer.Email]
		}
		if k == "" {
			k = model.SummaryNone
		}
		if want[k] == nil {
			want[k] = &tally{cust: map[string]bool{}}
		}
		want[k].fb++
		want[k].csatSum += *r.Feedback.CSAT
		want[k].cust[r.Customer.Email] = true
	}
	for _, exact := range []bool{false, true} {
		s.exactSummaries = exact
		for _, q := range []model.SummaryQuery{{By: "attr.country"}, {By: "attr.country", Trend: "month"}} {
			sum, err := s.Summary(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(sum.Groups) != len(want) {
				t.Errorf("%+v: groups %s, want %d", q, groupKeys(sum.Groups), len(want))
			}
			for _, g := range sum.Groups {
				w := want[g.Key]
				if w == nil || g.FeedbackN != w.fb || g.CustomersN != len(w.cust) || g.CSATN != w.fb ||
					!near(g.CSATAvg, float64(w.csatSum)/float64(w.fb)) {
					t.Errorf("%+v: group %q = %d feedback, %d customers; a scan says %+v", q, g.Key, g.FeedbackN, g.CustomersN, w)
				}
			}
		}
	}
	// A customer-level attribute no feedback has: the customer's value.
	tiers := map[string]int{}
	for _, r := range recs {
		if r.Feedback != nil {
			k := r.Customer.Attrs["tier"]
			if k == "" {
				k = model.SummaryNone
			}
			tiers[k]++
		}
	}
	sum, err := s.Summary(ctx, model.SummaryQuery{By: "attr.tier"})
	got := map[string]int{}
	for _, g := range sum.Groups {
		got[g.Key] = g.FeedbackN
	}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(tiers) || len(tiers) != 4 {
		t.Errorf("by attr.tier: %v, %v; a scan says %v", got, err, tiers)
	}
	// The feedback list's attribute filter takes the same value.
	for _, k := range []string{"France", "中国"} {
		n, _, err := s.CountFeedback(ctx, model.FeedbackQuery{Attrs: map[string]string{"country": k}}, 1_000_000)
		page, perr := s.ListFeedback(ctx, model.FeedbackQuery{Attrs: map[string]string{"country": k}, Limit: 1_000_000})
		if err != nil || perr != nil || n != want[k].fb || len(page) != n {
			t.Errorf("feedback with country %s: count %d, list %d, %v %v; a scan says %d", k, n, len(page), err, perr, want[k].fb)
		}
	}
	// A feedback-level attribute no customer has.
	sum, err = s.Summary(ctx, model.SummaryQuery{By: "attr.channel_detail"})
	if err != nil || groupKeys(sum.Groups) != model.SummaryNone+",web form" && groupKeys(sum.Groups) != "web form,"+model.SummaryNone {
		t.Errorf("by attr.channel_detail: %s, %v", groupKeys(sum.Groups), err)
	}
}

func TestAttrKeys(t *testing.T) {
	s, _ := attrFixture(t, 60)
	keys, err := s.AttrKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(keys); got != "[{channel_detail feedback} {country both} {tier customer}]" {
		t.Errorf("attr keys: %s", got)
	}
	empty := openTemp(t)
	if keys, err := empty.AttrKeys(context.Background()); err != nil || len(keys) != 0 {
		t.Errorf("empty database: %v, %v", keys, err)
	}
}

// TestDryRunSeesItsOwnBatches: inside DryRun a later batch finds the
// customer an earlier one created (so the counts are the real run's), a
// failing write leaves no trace, and nothing stays afterwards.
func TestDryRunSeesItsOwnBatches(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	rec := func(email, ticket string) model.ImportRecord {
		return model.ImportRecord{Customer: model.Customer{Name: email, Email: email}, FeedbackKey: ticket,
			Feedback: &model.Feedback{Subject: ticket, CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
	}
	var total model.ImportCounts
	err := s.DryRun(ctx, func(d model.Store) error {
		for _, batch := range [][]model.ImportRecord{
			{rec("a@x.org", "1"), rec("b@x.org", "2")},
			{rec("a@x.org", "3"), rec("c@x.org", "4")},
		} {
			c, err := d.ImportBatch(ctx, "t", "test", batch, true)
			if err != nil {
				return err
			}
			total.Add(c)
		}
		n, _, err := d.CountCustomers(ctx, model.CustomerQuery{}, 100)
		if n != 3 {
			t.Errorf("inside the dry run: %d customers, %v", n, err)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if total.CustomersCreated != 3 || total.FeedbackCreated != 4 {
		t.Errorf("dry run counts %+v, want 3 customers and 4 feedback created", total)
	}
	n, _, err := s.CountCustomers(ctx, model.CustomerQuery{}, 100)
	var audit int
	s.db.QueryRow("SELECT count(*) FROM audit").Scan(&audit)
	if err != nil || n != 0 || audit != 0 {
		t.Errorf("after the dry run: %d customers, %d audit rows, %v", n, audit, err)
	}
	// The store writes normally again.
	if _, err := s.ImportBatch(ctx, "t", "test", []model.ImportRecord{rec("a@x.org", "1")}, false); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := s.CountCustomers(ctx, model.CustomerQuery{}, 100); n != 1 {
		t.Errorf("after a real batch: %d customers", n)
	}
}

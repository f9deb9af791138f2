package db

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

var segBase = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

const hostile = `'"; DROP TABLE customers; --`

func daysAgo(n float64) time.Time { return segBase.Add(-time.Duration(n * float64(24*time.Hour))) }

// segmentFixture makes four customers with known figures, the clock at
// segBase:
//
//	Alice  enterprise 华东/上海 paying ltv 5000 [vip] seats=12 城市=上海, created 200d ago;
//	       csat 2 nps 3 complaint email 10d ago, csat 1 phone 100d ago
//	Bob    free West new ltv 0, seats=3, created 5d ago; no feedback
//	Carol  50%_off\王, pro 华东/杭州 retained ltv 1200 [beta vip] note=hostile, created 40d ago;
//	       csat 5 nps 10 praise email 40d ago, csat 4 nps 9 chat 35d ago
//	Dave   hostile name, ÉCOLE Normale, pro at_risk ltv 300, created 1d ago;
//	       csat 3 complaint (no channel) 1d ago
func segmentFixture(t *testing.T) (*Store, map[string]int64) {
	t.Helper()
	s := openTemp(t)
	ctx := context.Background()
	ids := map[string]int64{}
	add := func(key string, created time.Time, c model.Customer) {
		t.Helper()
		s.Now = func() time.Time { return created }
		out, err := s.CreateCustomer(ctx, "t", c)
		if err != nil {
			t.Fatal(err)
		}
		ids[key] = out.ID
	}
	add("alice", daysAgo(200), model.Customer{Name: "Alice Smith", Email: "Alice@Example.com", Phone: "+1 (555) 010-0001",
		Company: "Acme", Plan: "enterprise", Region: "华东", City: "上海", Language: "zh", Lifecycle: model.LifecyclePaying,
		LTV: 5000, Tags: []string{"vip"}, Attrs: map[string]string{"城市": "上海", "seats": "12"}})
	add("bob", daysAgo(5), model.Customer{Name: "Bob O'Brien", Email: "bob@x.org", Plan: "free", Region: "West",
		City: "Berlin", Language: "de", Attrs: map[string]string{"seats": "3"}})
	add("carol", daysAgo(40), model.Customer{Name: `50%_off\王`, Email: "carol@y.com", Plan: "pro", Region: "华东",
		City: "杭州", Lifecycle: model.LifecycleRetained, LTV: 1200, Tags: []string{"beta", "vip"},
		Attrs: map[string]string{"note": hostile}})
	add("dave", daysAgo(1), model.Customer{Name: hostile, Company: "ÉCOLE Normale", Plan: "pro",
		Lifecycle: model.LifecycleAtRisk, LTV: 300})
	s.Now = func() time.Time { return segBase }
	fb := func(key string, at time.Time, f model.Feedback) {
		t.Helper()
		f.CustomerID = ids[key]
		f.CreatedAt = at
		if f.Subject == "" {
			f.Subject = "s"
		}
		if _, err := s.AddFeedback(ctx, "t", f); err != nil {
			t.Fatal(err)
		}
	}
	fb("alice", daysAgo(10), model.Feedback{CSAT: ip(2), NPS: ip(3), Kind: model.KindComplaint, Channel: "email"})
	fb("alice", daysAgo(100), model.Feedback{CSAT: ip(1), Channel: "phone"})
	fb("carol", daysAgo(40), model.Feedback{CSAT: ip(5), NPS: ip(10), Kind: model.KindPraise, Channel: "email"})
	fb("carol", daysAgo(35), model.Feedback{CSAT: ip(4), NPS: ip(9), Channel: "chat"})
	fb("dave", daysAgo(1), model.Feedback{CSAT: ip(3), Kind: model.KindComplaint})
	return s, ids
}

// segmentMatches lists the fixture keys an expression matches, sorted.
func segmentMatches(t *testing.T, s *Store, ids map[string]int64, expr string) []string {
	t.Helper()
	e, err := model.ParseSegment(expr)
	if err != nil {
		t.Fatalf("parse %s: %v", expr, err)
	}
	return compiledMatches(t, s, ids, e)
}

func compiledMatches(t *testing.T, s *Store, ids map[string]int64, e model.SegmentExpr) []string {
	t.Helper()
	where, args, err := compileSegment(e, segBase)
	if err != nil {
		t.Fatalf("compile %s: %v", e, err)
	}
	names := map[int64]string{}
	for k, id := range ids {
		names[id] = k
	}
	rows, err := s.db.Query("SELECT c.id FROM customers c WHERE "+where, args...)
	if err != nil {
		t.Fatalf("%s: %v\n%s", e, err, where)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		out = append(out, names[id])
	}
	sort.Strings(out)
	return out
}

func TestSegmentFieldsAndOperators(t *testing.T) {
	s, ids := segmentFixture(t)
	cases := []struct {
		expr string
		want string // space-separated keys
	}{
		{`plan = enterprise`, "alice"},
		{`plan != pro`, "alice bob"},
		{`plan in (pro, free)`, "bob carol dave"},
		{`plan not in (pro)`, "alice bob"},
		{`plan = Enterprise`, ""},
		{`name = "Alice Smith"`, "alice"},
		{`name ~ "SMITH"`, "alice"},
		{`name ~ "o'b"`, "bob"},
		{`email = "alice@example.COM"`, "alice"},
		{`email ~ "example"`, "alice"},
		{`email in (BOB@x.org, carol@y.com)`, "bob carol"},
		{`phone = "+1 555 010 0001"`, "alice"},
		{`phone ~ "0100"`, "alice"},
		{`phone = ""`, "bob carol dave"},
		{`company ~ "acme"`, "alice"},
		{`company ~ "école"`, "dave"},
		{`company ~ "ÉCOLE"`, "dave"},
		{`region ~ "华东"`, "alice carol"},
		{`region = 华东`, "alice carol"},
		{`city in (上海, Berlin)`, "alice bob"},
		{`language = zh`, "alice"},
		{`lifecycle in (paying, retained)`, "alice carol"},
		{`lifecycle = new`, "bob"},
		{`lifecycle ~ "risk"`, "dave"},
		{`ltv >= 1200`, "alice carol"},
		{`ltv = 0`, "bob"},
		{`ltv < 1000`, "bob dave"},
		{`csat_avg < 3`, "alice"},
		{`not csat_avg < 3`, "bob carol dave"},
		{`csat_avg >= 3`, "carol dave"},
		{`csat_avg != 3`, "alice carol"},
		{`csat_avg in (1.5, 4.5)`, "alice carol"},
		{`csat_n = 2`, "alice carol"},
		{`nps_last >= 9`, "carol"},
		{`nps_last in (3, 9)`, "alice carol"},
		{`nps_last not in (3)`, "bob carol dave"},
		{`feedback_n = 0`, "bob"},
		{`feedback_n > 1`, "alice carol"},
		{`feedback_90d >= 2`, "carol"},
		{`feedback_90d = 1`, "alice dave"},
		{`feedback_90d = 0`, "bob"},
		{`feedback_90d >= 1`, "alice carol dave"}, // EXISTS
		{`feedback_90d > 0`, "alice carol dave"},
		{`feedback_90d != 0`, "alice carol dave"},
		{`feedback_90d < 1`, "bob"}, // NOT EXISTS
		{`feedback_90d <= 0`, "bob"},
		{`feedback_90d > 0.5`, "alice carol dave"},
		{`feedback_90d >= 0`, "alice bob carol dave"},
		{`complaints_open >= 1`, "alice dave"},
		{`followups_open = 0`, "alice bob carol dave"},
		{`last_contact_days > 30`, "bob carol"},
		{`last_contact_days < 30`, "alice dave"},
		{`last_contact_days = 35`, "carol"},
		{`last_contact_days != 35`, "alice bob dave"},
		{`last_contact_days >= 2w`, "bob carol"},
		{`last_contact_days <= 24h`, "dave"},
		{`last_contact_days > 100000000`, "bob"},
		{`created_days > 30`, "alice carol"},
		{`created_days = 5`, "bob"},
		{`created_days <= 5d`, "bob dave"},
		{`tag:vip`, "alice carol"},
		{`not tag:vip`, "bob dave"},
		{`tag:VIP`, ""},
		{`tag:beta and tag:vip`, "carol"},
		{`tag:nosuch`, ""},
		{`(plan = pro or plan = free) and not region ~ "华东"`, "bob dave"},
		{`plan = pro and (csat_avg < 4 or tag:beta)`, "carol dave"},
		{`attr.城市 = 上海`, "alice"},
		{`attr."城市" ~ "上"`, "alice"},
		{`attr.seats > 5`, "alice"},
		{`attr.seats = 3`, "bob"},
		{`attr.seats != 3`, "alice"},
		{`not attr.seats = 3`, "alice carol dave"},
		{`attr.seats in (3, 12)`, "alice bob"},
		{`attr.seats = "12"`, "alice"},
		{`attr.nosuch = x`, ""},
		{`attr.note ~ "drop table"`, "carol"},
	}
	for _, c := range cases {
		got := strings.Join(segmentMatches(t, s, ids, c.expr), " ")
		if got != c.want {
			t.Errorf("%s: matched %q, want %q", c.expr, got, c.want)
		}
	}
}

func TestSegmentHostileValuesStayData(t *testing.T) {
	s, ids := segmentFixture(t)
	name := model.Field{Name: "name"}
	note := model.Field{Name: "attr", Attr: "note"}
	cases := []struct {
		e    model.SegmentExpr
		want string
	}{
		{&model.CompareExpr{Field: name, Op: "=", Value: model.Value{Text: hostile}}, "dave"},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: "drop TABLE"}}, "dave"},
		{&model.CompareExpr{Field: name, Op: "=", Value: model.Value{Text: `x' OR '1'='1`}}, ""},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: "%"}}, "carol"},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: "_"}}, "carol"},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: `\`}}, "carol"},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: `%_off\王`}}, "carol"},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: "王"}}, "carol"},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: "'"}}, "bob dave"},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: `"`}}, "dave"},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: "\x00"}}, ""},
		{&model.CompareExpr{Field: name, Op: "~", Value: model.Value{Text: "Ali\x00ce"}}, ""},
		{&model.CompareExpr{Field: name, Op: "=", Value: model.Value{Text: "Alice Smith\x00"}}, ""},
		{&model.CompareExpr{Field: note, Op: "=", Value: model.Value{Text: hostile}}, "carol"},
		{&model.InExpr{Field: name, Values: []model.Value{{Text: hostile}, {Text: "'); DELETE FROM tags; --"}}}, "dave"},
		{&model.TagExpr{Name: "vip' OR 1=1 --"}, ""},
		{&model.CompareExpr{Field: model.Field{Name: "attr", Attr: `a"]'); DROP TABLE customers; --`}, Op: "=", Value: model.Value{Text: "x"}}, ""},
		{&model.CompareExpr{Field: model.Field{Name: "attr", Attr: `$.seats`}, Op: "=", Value: model.Value{Text: "12"}}, ""},
	}
	for _, c := range cases {
		got := strings.Join(compiledMatches(t, s, ids, c.e), " ")
		if got != c.want {
			t.Errorf("%q: matched %q, want %q", c.e.String(), got, c.want)
		}
	}
	// Quoted in an expression, too.
	if got := strings.Join(segmentMatches(t, s, ids, `name = "'\"; DROP TABLE customers; --"`), " "); got != "dave" {
		t.Errorf("quoted hostile name matched %q", got)
	}
	var n int
	if err := s.db.QueryRow("SELECT count(*) FROM customers").Scan(&n); err != nil || n != 4 {
		t.Fatalf("customers table after hostile values: %d rows, %v", n, err)
	}
	// The values never reach the SQL text.
	for _, c := range cases {
		where, _, err := compileSegment(c.e, segBase)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(where, "DROP") || strings.Contains(where, "王") || strings.Contains(where, "OR 1=1") {
			t.Errorf("value spliced into SQL: %s", where)
		}
	}
}

func TestSegmentWhereOnLists(t *testing.T) {
	s, ids := segmentFixture(t)
	ctx := context.Background()
	page, err := s.ListCustomers(ctx, model.CustomerQuery{Where: `plan = pro`, Sort: model.SortID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) != 2 || page.Rows[0].ID != ids["carol"] || page.Rows[1].ID != ids["dave"] {
		t.Errorf("list where plan = pro: %+v", page.Rows)
	}
	n, _, err := s.CountCustomers(ctx, model.CustomerQuery{Where: `tag:vip`, Search: "ali"}, 0)
	if err != nil || n != 1 {
		t.Errorf("count tag:vip + search ali = %d, %v", n, err)
	}
	_, err = s.ListCustomers(ctx, model.CustomerQuery{Where: `csat_avg <`})
	var se *model.SegmentError
	if !errors.As(err, &se) || se.Pos != 11 {
		t.Errorf("bad where: %v, want a SegmentError at column 11", err)
	}
	if _, _, err := s.CountCustomers(ctx, model.CustomerQuery{Where: `plna = x`}, 0); !errors.As(err, &se) {
		t.Errorf("count with bad where: %v", err)
	}
}

func TestSavedSegmentsAndWarnings(t *testing.T) {
	s, ids := segmentFixture(t)
	ctx := context.Background()
	if _, err := s.SaveSegment(ctx, "ann", "churn", "csat_avg < 3", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveSegment(ctx, "ann", "Quiet", "last_contact_days > 30", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveSegment(ctx, "ann", "vips", "tag:vip", false); err != nil {
		t.Fatal(err)
	}
	var se *model.SegmentError
	if _, err := s.SaveSegment(ctx, "ann", "bad", "plan = ", false); !errors.As(err, &se) {
		t.Errorf("saving a bad expression: %v", err)
	}
	// Upsert by name, any case.
	g, err := s.SaveSegment(ctx, "bo", "QUIET", "last_contact_days > 20", true)
	if err != nil || g.Version != 2 || g.Expression != "last_contact_days > 20" {
		t.Fatalf("upsert: %+v, %v", g, err)
	}
	all, err := s.Segments(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("segments: %+v, %v", all, err)
	}
	if n, err := s.SegmentCount(ctx, "vips"); err != nil || n != 2 {
		t.Errorf("count vips = %d, %v", n, err)
	}
	if _, err := s.SegmentCount(ctx, "nope"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("count of missing segment: %v", err)
	}

	page, err := s.ListCustomers(ctx, model.CustomerQuery{Sort: model.SortID})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{ids["alice"]: "churn", ids["bob"]: "QUIET", ids["carol"]: "QUIET", ids["dave"]: ""}
	for _, c := range page.Rows {
		if got := strings.Join(c.Warnings, ","); got != want[c.ID] {
			t.Errorf("%s warnings %q, want %q", c.Name, got, want[c.ID])
		}
	}
	// Both warnings, sorted by name.
	if _, err := s.SaveSegment(ctx, "ann", "big", "ltv > 1000", true); err != nil {
		t.Fatal(err)
	}
	c, err := s.Customer(ctx, ids["carol"])
	if err != nil || strings.Join(c.Warnings, ",") != "QUIET,big" && strings.Join(c.Warnings, ",") != "big,QUIET" {
		t.Errorf("carol warnings %v, %v", c.Warnings, err)
	}
	c, err = s.FindCustomer(ctx, "alice@example.com")
	if err != nil || strings.Join(c.Warnings, ",") != "big,churn" {
		t.Errorf("alice warnings %v, %v", c.Warnings, err)
	}

	if err := s.DeleteSegment(ctx, "ann", "churn"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSegment(ctx, "ann", "churn"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	var audits int
	s.db.QueryRow("SELECT count(*) FROM audit WHERE entity = 'segment'").Scan(&audits)
	if audits != 6 {
		t.Errorf("segment audit rows = %d, want 6", audits)
	}
}

// TestFeedback90dFollowsWrites: "feedback in the last 90 days" reads each
// customer's latest feedback time, so it must follow every write: a
// customer whose only feedback is older joins the segment when new
// feedback arrives, and an older item logged later does not move it.
func TestFeedback90dFollowsWrites(t *testing.T) {
	s, ids := segmentFixture(t)
	s.Now = func() time.Time { return segBase }
	erin, err := s.CreateCustomer(ctx, "t", model.Customer{Name: "Erin"})
	if err != nil {
		t.Fatal(err)
	}
	ids["erin"] = erin.ID
	add := func(at time.Time) {
		t.Helper()
		if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: erin.ID, Subject: "s", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when, active, quiet string) {
		t.Helper()
		for _, c := range []struct{ expr, want string }{
			{`feedback_90d >= 1`, active}, {`feedback_90d = 0`, quiet}, {`ltv >= 0 and feedback_90d > 0`, active},
		} {
			if got := strings.Join(segmentMatches(t, s, ids, c.expr), " "); got != c.want {
				t.Errorf("%s: %s matched %q, want %q", when, c.expr, got, c.want)
			}
		}
	}
	check("no feedback", "alice carol dave", "bob erin")
	add(daysAgo(120))
	check("only old feedback", "alice carol dave", "bob erin")
	add(daysAgo(3))
	check("new feedback", "alice carol dave erin", "bob")
	add(daysAgo(200))
	check("an older item logged later", "alice carol dave erin", "bob")
	figuresMatch(t, s, "after the writes")
}

package db

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// mergeState is everything a merge changes, read back as text.
func mergeState(t *testing.T, s *Store) string {
	t.Helper()
	out := ""
	for _, q := range []string{
		`SELECT id, name, email, phone, company, plan, region, city, lifecycle, ltv, attrs, created_at, email_dup, phone_dup FROM customers ORDER BY id`,
		`SELECT id, customer_id FROM feedback ORDER BY id`,
		`SELECT id, customer_id FROM notes ORDER BY id`,
		`SELECT id, customer_id, status FROM followups ORDER BY id`,
		`SELECT source, external_id, customer_id FROM customer_keys ORDER BY 1, 2`,
		`SELECT customer_id, tag_id FROM customer_tags ORDER BY 1, 2`,
		`SELECT id, entity_id FROM audit WHERE entity = 'customer' AND action NOT IN ('merge', 'unmerge') ORDER BY id`,
		`SELECT id, csat_sum, csat_n, csat_avg, nps_last, feedback_n, complaints_open, followups_open, last_contact_at, last_feedback_at FROM customers ORDER BY id`,
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			out += fmt.Sprint(vals...) + "\n"
		}
		rows.Close()
		out += "--\n"
	}
	return out + aggRows(t, s)
}

// aggregatesMatchRebuild checks summary_agg against a rebuild from the
// feedback rows, and every customer's figures against a recomputation.
func aggregatesMatchRebuild(t *testing.T, s *Store, when string) {
	t.Helper()
	figuresMatch(t, s, when)
	kept := aggRows(t, s)
	if err := s.RebuildSummaryAgg(ctx); err != nil {
		t.Fatal(err)
	}
	if rebuilt := aggRows(t, s); rebuilt != kept {
		t.Errorf("%s: summary_agg differs from a rebuild:\n kept    %s\n rebuilt %s", when, kept, rebuilt)
	}
}

func fbRec(line int, source, ckey string, c model.Customer, fkey string, kind model.Kind, csat, nps int, daysAgo int) model.ImportRecord {
	r := model.ImportRecord{Line: line, CustomerKey: ckey, Customer: c}
	if fkey != "" {
		f := &model.Feedback{Channel: "email", Kind: kind, Subject: "subject " + fkey, Body: "body " + fkey,
			Status: model.StatusOpen, CreatedAt: demoTestNow.Add(-time.Duration(daysAgo) * 24 * time.Hour)}
		if csat > 0 {
			f.CSAT = ptrInt(csat)
		}
		if nps >= 0 {
			f.NPS = ptrInt(nps)
		}
		r.FeedbackKey, r.Feedback = fkey, f
	}
	return r
}

// TestMergeAndUnmerge merges two customers with feedback, follow-ups,
// notes, tags and keys from two sources; checks every count, the derived
// figures and the summary aggregates (against a recomputation) and the one
// audit entry; then undoes it and checks the original state, row for row.
func TestMergeAndUnmerge(t *testing.T) {
	s := openTemp(t)
	ann := model.Customer{Name: "Ann Lee", Email: "ann@example.com", Plan: "pro", Region: "华东", Tags: []string{"vip"}}
	bee := model.Customer{Name: "Ann L.", Phone: "+1 415 555 0101", Company: "Acme", Plan: "enterprise", Region: "华南",
		Lifecycle: model.LifecyclePaying, LTV: 500, Tags: []string{"beta", "VIP"}, Attrs: map[string]string{"seat": "12"}}
	other := model.Customer{Name: "Cy", Email: "cy@example.com", Plan: "pro"}
	if _, err := s.ImportBatch(ctx, "imp", "zendesk", []model.ImportRecord{
		fbRec(2, "zendesk", "z1", ann, "t1", model.KindComplaint, 2, 3, 40),
		fbRec(3, "zendesk", "z1", ann, "t2", model.KindFeedback, 5, -1, 10),
		fbRec(4, "zendesk", "z2", bee, "t3", model.KindComplaint, 1, 9, 70),
		fbRec(5, "zendesk", "z2", bee, "t4", model.KindPraise, 4, 10, 5),
		fbRec(6, "zendesk", "z3", other, "t5", model.KindFeedback, 3, 6, 20),
	}, false); err != nil {
		t.Fatal(err)
	}
	// The same person in a second source, matched by phone digits.
	if _, err := s.ImportBatch(ctx, "imp", "freshdesk", []model.ImportRecord{
		fbRec(2, "freshdesk", "f7", model.Customer{Name: "Ann L.", Phone: "1 (415) 555-0101"}, "x1", model.KindQuestion, 0, 8, 1),
	}, false); err != nil {
		t.Fatal(err)
	}
	a, _ := s.FindCustomer(ctx, "ann@example.com")
	b, _ := s.FindCustomer(ctx, "14155550101")
	if a.ID == 0 || b.ID == 0 || a.ID == b.ID || b.FeedbackN != 3 {
		t.Fatalf("setup: %+v %+v", a, b)
	}
	for _, n := range []string{"called back", "prefers e-mail"} {
		if _, err := s.AddNote(ctx, "li.na", model.Note{CustomerID: b.ID, Body: n}); err != nil {
			t.Fatal(err)
		}
	}
	fu, err := s.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: b.ID, Due: demoTestNow.Add(48 * time.Hour), Note: "renewal"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: b.ID, Due: demoTestNow.Add(-48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.FollowUpDone(ctx, "li.na", fu.ID); err != nil {
		t.Fatal(err)
	}
	city := "上海"
	if b, err = s.UpdateCustomer(ctx, "li.na", b.ID, model.CustomerPatch{City: &city}, 0); err != nil {
		t.Fatal(err)
	}
	before := mergeState(t, s)
	var auditBefore int
	s.db.QueryRow("SELECT count(*) FROM audit").Scan(&auditBefore)

	// A dry run reports the same and writes nothing.
	dry, err := s.MergeCustomers(ctx, "li.na", b.ID, a.ID, model.MergeOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := mergeState(t, s); got != before {
		t.Fatalf("dry run changed the database")
	}

	res, err := s.MergeCustomers(ctx, "li.na", b.ID, a.ID, model.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := model.MergeMoved{Feedback: 3, Notes: 2, FollowUps: 2, Tags: 1, Keys: 2}
	if res.Moved != want || dry.Moved != want || res.AuditID == 0 || dry.AuditID != 0 {
		t.Errorf("moved %+v (dry run %+v, audit %d), want %+v", res.Moved, dry.Moved, res.AuditID, want)
	}
	sv := res.Survivor
	// Ann's own fields stay; what she had empty comes from the other.
	if sv.Name != "Ann Lee" || sv.Email != "ann@example.com" || sv.Phone != "+1 415 555 0101" || sv.Company != "Acme" ||
		sv.Plan != "pro" || sv.Region != "华东" || sv.City != "上海" || sv.LTV != 500 || sv.Lifecycle != model.LifecycleNew ||
		fmt.Sprint(sv.Tags) != "[beta vip]" || sv.Attrs["seat"] != "12" {
		t.Errorf("survivor %+v", sv)
	}
	if fmt.Sprint(dry.Survivor.Tags, dry.Survivor.Phone) != fmt.Sprint(sv.Tags, sv.Phone) {
		t.Errorf("dry run survivor %+v", dry.Survivor)
	}
	// Figures: 5 feedback, CSAT 2,5,1,4 → 3; latest NPS is x1's 8; one
	// open complaint (t1, t3), one open follow-up.
	if sv.FeedbackN != 5 || sv.CSATN != 4 || *sv.CSATAvg != 3 || sv.NPSLast == nil || *sv.NPSLast != 8 ||
		sv.ComplaintsOpen != 2 || sv.FollowupsOpen != 1 {
		t.Errorf("survivor figures %+v", sv)
	}
	if _, err := s.Customer(ctx, b.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("merged customer still there: %v", err)
	}
	for _, q := range []struct {
		sql  string
		want int
	}{
		{"SELECT count(*) FROM feedback WHERE customer_id = ?", 5},
		{"SELECT count(*) FROM notes WHERE customer_id = ?", 2},
		{"SELECT count(*) FROM followups WHERE customer_id = ?", 2},
		{"SELECT count(*) FROM customer_keys WHERE customer_id = ?", 3},
		{"SELECT count(*) FROM customer_tags WHERE customer_id = ?", 2},
	} {
		var n int
		s.db.QueryRow(q.sql, a.ID).Scan(&n)
		if n != q.want {
			t.Errorf("%s = %d, want %d", q.sql, n, q.want)
		}
	}
	// The other one's earlier audit entries now read as the survivor's,
	// and the merge itself is one entry.
	var orphans, merges, added int
	s.db.QueryRow("SELECT count(*) FROM audit WHERE entity = 'customer' AND entity_id = ?", b.ID).Scan(&orphans)
	s.db.QueryRow("SELECT count(*) FROM audit WHERE entity = 'customer' AND entity_id = ? AND action = 'merge'", a.ID).Scan(&merges)
	s.db.QueryRow("SELECT count(*) FROM audit").Scan(&added)
	if orphans != 0 || merges != 1 || added != auditBefore+1 {
		t.Errorf("audit: %d left on the merged id, %d merge entries, %d new entries", orphans, merges, added-auditBefore)
	}
	if id, _ := s.LastMerge(ctx, a.ID); id != res.AuditID {
		t.Errorf("LastMerge = %d, want %d", id, res.AuditID)
	}
	// Search finds the survivor by the phone it took, not the merged one.
	found, err := s.FindCustomer(ctx, "+1 (415) 555-0101")
	if err != nil || found.ID != a.ID {
		t.Errorf("find by moved phone = %d, %v", found.ID, err)
	}
	tl, err := s.Timeline(ctx, a.ID, 50)
	if err != nil || len(tl) == 0 || !strings.HasPrefix(tl[0].Summary, fmt.Sprintf("merged customer %d (Ann L.): 3 feedback, 2 notes, 2 follow-ups", b.ID)) {
		t.Errorf("timeline after merge: %+v, %v", tl[:min(1, len(tl))], err)
	}
	aggregatesMatchRebuild(t, s, "after merge")

	// Undo: the original state, row for row (versions and update times
	// apart, which the undo moves on).
	un, err := s.UnmergeCustomers(ctx, "li.na", res.AuditID)
	if err != nil {
		t.Fatal(err)
	}
	if un.From != b.ID || un.Into != a.ID || un.Survivor.Phone != "" {
		t.Errorf("unmerge %+v", un)
	}
	if got := mergeState(t, s); got != before {
		t.Errorf("after undo:\n%s\nwant:\n%s", got, before)
	}
	back, err := s.Customer(ctx, b.ID)
	if err != nil || back.Version != b.Version+1 || fmt.Sprint(back.Tags) != "[beta vip]" || back.FeedbackN != 3 {
		t.Errorf("restored %+v, %v", back, err)
	}
	aggregatesMatchRebuild(t, s, "after undo")
	if _, err := s.UnmergeCustomers(ctx, "li.na", res.AuditID); !errors.Is(err, model.ErrConflict) {
		t.Errorf("second undo: %v", err)
	}
}

// TestMergeRefusals: into itself, a missing customer, a stale version, an
// undo after the survivor changed: refused, nothing changed.
func TestMergeRefusals(t *testing.T) {
	s := openTemp(t)
	a := mustCreate(t, s, model.Customer{Name: "A", Email: "a@x.com"})
	b := mustCreate(t, s, model.Customer{Name: "B", Email: "b@x.com", Plan: "pro"})
	before := mergeState(t, s)
	if _, err := s.MergeCustomers(ctx, "t", a.ID, a.ID, model.MergeOptions{}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("into itself: %v", err)
	}
	if _, err := s.MergeCustomers(ctx, "t", 99, a.ID, model.MergeOptions{}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
	if _, err := s.MergeCustomers(ctx, "t", b.ID, a.ID, model.MergeOptions{IntoVersion: a.Version + 1}); !errors.Is(err, model.ErrStale) {
		t.Errorf("stale: %v", err)
	}
	if mergeState(t, s) != before {
		t.Fatal("a refused merge changed something")
	}
	// Explicit choice: B's e-mail and plan over A's.
	res, err := s.MergeCustomers(ctx, "t", b.ID, a.ID, model.MergeOptions{Explicit: true, Take: map[string]bool{"email": true, "plan": true}})
	if err != nil || res.Survivor.Email != "b@x.com" || res.Survivor.Plan != "pro" || res.Survivor.Name != "A" {
		t.Fatalf("explicit merge %+v, %v", res.Survivor, err)
	}
	name := "A2"
	if _, err := s.UpdateCustomer(ctx, "bob", a.ID, model.CustomerPatch{Name: &name}, 0); err != nil {
		t.Fatal(err)
	}
	var se *model.StaleError
	if _, err := s.UnmergeCustomers(ctx, "t", res.AuditID); !errors.As(err, &se) || se.ByAgent != "bob" {
		t.Errorf("undo after a change: %v", err)
	}
	if _, err := s.Customer(ctx, b.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("refused undo restored the customer")
	}
}

// TestDuplicatePairs: e-mails differing in dots or a +tag, one phone
// written with and without its country prefix, the same name and company;
// largest (by feedback) first; unrelated customers are not listed.
func TestDuplicatePairs(t *testing.T) {
	s := openTemp(t)
	c1 := mustCreate(t, s, model.Customer{Name: "Zhang Wei", Email: "zhang.wei@gmail.com"})
	c2 := mustCreate(t, s, model.Customer{Name: "张伟", Email: "ZhangWei+shop@gmail.com"})
	c3 := mustCreate(t, s, model.Customer{Name: "Li Na", Phone: "+86 138 0013 8000"})
	c4 := mustCreate(t, s, model.Customer{Name: "Li N.", Phone: "138-0013-8000"})
	c5 := mustCreate(t, s, model.Customer{Name: "王芳", Company: "杭州云栖科技"})
	c6 := mustCreate(t, s, model.Customer{Name: "王芳", Company: "杭州云栖科技", Email: "wf@example.cn"})
	mustCreate(t, s, model.Customer{Name: "王芳", Company: "别的公司"})
	mustCreate(t, s, model.Customer{Name: "Zhang Wei", Email: "zhang.wei@example.com"})
	for i := 0; i < 2; i++ {
		if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c4.ID, Body: "hi", Kind: model.KindFeedback}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c6.ID, Body: "hi", Kind: model.KindFeedback}); err != nil {
		t.Fatal(err)
	}
	pairs, err := s.DuplicatePairs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, p := range pairs {
		got += fmt.Sprintf("%d+%d %v; ", p.A.ID, p.B.ID, p.Reasons)
	}
	want := fmt.Sprintf("%d+%d [phone]; %d+%d [name]; %d+%d [email]; ", c3.ID, c4.ID, c5.ID, c6.ID, c1.ID, c2.ID)
	if got != want {
		t.Errorf("pairs %s, want %s", got, want)
	}
	if len(pairs) > 0 && (pairs[0].A.Name != "Li Na" || pairs[0].B.FeedbackN != 2) {
		t.Errorf("first pair %+v", pairs[0])
	}
}

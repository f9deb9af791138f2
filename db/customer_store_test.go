package db

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

var ctx = context.Background()

func mustCreate(t *testing.T, s *Store, c model.Customer) model.Customer {
	t.Helper()
	got, err := s.CreateCustomer(ctx, "tester", c)
	if err != nil {
		t.Fatalf("create %q: %v", c.Name, err)
	}
	return got
}

func ip(v int) *int { return &v }

func TestCustomerCRUDAndAudit(t *testing.T) {
	s := openTemp(t)
	c := mustCreate(t, s, model.Customer{Name: "王芳", Email: "Wang.Fang@Example.cn", Phone: "+86 138-0013-8000",
		Company: "杭州云栖科技", Plan: "pro", Tags: []string{"vip", "大客户"}, Attrs: map[string]string{"城市": "杭州"}})
	if c.ID == 0 || c.Version != 1 || c.Lifecycle != model.LifecycleNew || len(c.Tags) != 2 || c.Attrs["城市"] != "杭州" {
		t.Fatalf("created %+v", c)
	}
	for _, ref := range []string{fmt.Sprint(c.ID), "wang.fang@example.CN", "8613800138000", "+86 (138) 0013 8000"} {
		got, err := s.FindCustomer(ctx, ref)
		if err != nil || got.ID != c.ID {
			t.Errorf("FindCustomer(%q) = %d, %v", ref, got.ID, err)
		}
	}
	if _, err := s.FindCustomer(ctx, "nobody@example.com"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing customer: %v", err)
	}

	paying := model.LifecyclePaying
	up, err := s.UpdateCustomer(ctx, "alice", c.ID, model.CustomerPatch{Lifecycle: &paying, AddTags: []string{"beta"}, RemoveTags: []string{"vip"}}, c.Version)
	if err != nil || up.Version != 2 || up.Lifecycle != paying || fmt.Sprint(up.Tags) != "[beta 大客户]" {
		t.Fatalf("update = %+v, %v", up, err)
	}
	// A write naming the old version is refused and says who changed it.
	plan := "enterprise"
	_, err = s.UpdateCustomer(ctx, "bob", c.ID, model.CustomerPatch{Plan: &plan}, c.Version)
	var stale *model.StaleError
	if !errors.As(err, &stale) || !errors.Is(err, model.ErrStale) || stale.ByAgent != "alice" || stale.Have != 2 {
		t.Fatalf("stale write: %v", err)
	}
	// ... and what changed, field by field, for the conflict view.
	got := fmt.Sprint(stale.Changes)
	if len(stale.Changes) != 2 || stale.Changes[0].Field != "lifecycle" || stale.Changes[0].Old != "new" ||
		stale.Changes[0].New != "paying" || stale.Changes[0].Agent != "alice" || stale.Changes[1].Field != "tags" ||
		stale.Changes[1].Old != "vip, 大客户" || stale.Changes[1].New != "beta, 大客户" {
		t.Errorf("stale changes = %s", got)
	}
	// Invalid values write nothing.
	bad := "not-an-email"
	if _, err := s.UpdateCustomer(ctx, "bob", c.ID, model.CustomerPatch{Email: &bad}, 0); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("bad email: %v", err)
	}
	if _, err := s.CreateCustomer(ctx, "bob", model.Customer{Name: "x", Lifecycle: "vip"}); !errors.Is(err, model.ErrInvalid) {
		t.Fatalf("bad lifecycle: %v", err)
	}
	again, _ := s.Customer(ctx, c.ID)
	if again.Version != 2 || again.Plan != "pro" || again.Email != "Wang.Fang@Example.cn" {
		t.Errorf("refused writes changed the customer: %+v", again)
	}
	var n int
	s.db.QueryRow("SELECT count(*) FROM customers").Scan(&n)
	if n != 1 {
		t.Errorf("%d customers after a refused create", n)
	}

	var agent, changes string
	if err := s.db.QueryRow(`SELECT agent, changes FROM audit WHERE entity = 'customer' AND action = 'update'`).Scan(&agent, &changes); err != nil {
		t.Fatal(err)
	}
	if agent != "alice" || changes != `{"lifecycle":["new","paying"],"tags":[["vip","大客户"],["beta","大客户"]]}` {
		t.Errorf("audit = %s %s", agent, changes)
	}
}

func TestSearchFindsSubstrings(t *testing.T) {
	s := openTemp(t)
	mustCreate(t, s, model.Customer{Name: "王芳", Company: "杭州云栖科技", Email: "wf@example.cn"})
	mustCreate(t, s, model.Customer{Name: "陈静", Company: "深圳前海微众", Phone: "139 1234 5678"})
	mustCreate(t, s, model.Customer{Name: "陈静怡", Company: "上海陆家嘴数据"})
	mustCreate(t, s, model.Customer{Name: "Emma Schmidt", Email: "emma.schmidt@example.de", Company: "Blue Harbor Analytics GmbH"})
	mustCreate(t, s, model.Customer{Name: "Olivia Rossi", Email: "olivia@example.org", Company: "Acme \"Quoted\" Corp"})
	cases := map[string]string{
		"云栖科":         "王芳",           // trigram, Chinese substring of a company
		"云栖":          "王芳",           // two CJK characters: bigram index
		"陈静":          "陈静,陈静怡",       // a full two-character name
		"陈":           "陈静,陈静怡",       // one character: name prefix (surname)
		"微众":          "陈静",           // bigram inside a company
		"schmidt@ex":  "Emma Schmidt", // email substring, case-insensitive
		"HARBOR":      "Emma Schmidt",
		"em":          "Emma Schmidt", // short Latin: name prefix
		"1234 56":     "陈静",           // phone, by digits
		"\"Quoted\"":  "Olivia Rossi", // quotes are data, not FTS syntax
		"nothing-xyz": "",
		"ol":          "Olivia Rossi", // lower-case prefix finds a capitalised name
		"a OR b":      "",             // FTS operators are data too
	}
	for term, want := range cases {
		page, err := s.ListCustomers(ctx, model.CustomerQuery{Search: term})
		if err != nil {
			t.Errorf("search %q: %v", term, err)
			continue
		}
		names := ""
		for i, c := range page.Rows {
			if i > 0 {
				names += ","
			}
			names += c.Name
		}
		if names != want {
			t.Errorf("search %q = %q, want %q", term, names, want)
		}
		n, capped, err := s.CountCustomers(ctx, model.CustomerQuery{Search: term}, 1000)
		if err != nil || capped || n != len(page.Rows) {
			t.Errorf("count %q = %d %v %v, want %d", term, n, capped, err, len(page.Rows))
		}
	}
	// Renaming keeps both indexes in step.
	c, _ := s.FindCustomer(ctx, "wf@example.cn")
	company := "北京新公司"
	if _, err := s.UpdateCustomer(ctx, "t", c.ID, model.CustomerPatch{Company: &company}, 0); err != nil {
		t.Fatal(err)
	}
	for term, want := range map[string]int{"云栖": 0, "云栖科": 0, "新公": 1, "北京新": 1} {
		if n, _, _ := s.CountCustomers(ctx, model.CustomerQuery{Search: term}, 0); n != want {
			t.Errorf("after rename, %q matches %d, want %d", term, n, want)
		}
	}
}

// TestKeysetPagesWalkEverySort pages forwards and backwards through every
// sort and checks the pages join up to the order of a plain query.
func TestKeysetPagesWalkEverySort(t *testing.T) {
	s := openTemp(t)
	plans := []string{"free", "pro", "enterprise"}
	for i := 0; i < 47; i++ {
		c := mustCreate(t, s, model.Customer{Name: fmt.Sprintf("N%02d", (i*7)%23), Company: fmt.Sprintf("C%d", i%5),
			Plan: plans[i%3], LTV: float64((i * 13) % 10)})
		if i%4 == 0 {
			if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: "x", CSAT: ip(1 + i%5)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, sort := range model.CustomerSorts {
		for _, desc := range []bool{false, true} {
			name := fmt.Sprintf("%s desc=%v", sort, desc)
			all, err := s.ListCustomers(ctx, model.CustomerQuery{Sort: sort, Desc: desc, Limit: 1000})
			if err != nil || len(all.Rows) != 47 {
				t.Fatalf("%s: %d rows, %v", name, len(all.Rows), err)
			}
			var forward []int64
			q := model.CustomerQuery{Sort: sort, Desc: desc, Limit: 5}
			for {
				p, err := s.ListCustomers(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range p.Rows {
					forward = append(forward, c.ID)
				}
				if !p.HasMore {
					break
				}
				q.After = &p.Cursors[len(p.Cursors)-1]
			}
			var backward []int64
			q = model.CustomerQuery{Sort: sort, Desc: desc, Limit: 5, Last: true}
			for {
				p, err := s.ListCustomers(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				ids := make([]int64, len(p.Rows))
				for i, c := range p.Rows {
					ids[i] = c.ID
				}
				backward = append(ids, backward...)
				if !p.HasMore {
					break
				}
				q = model.CustomerQuery{Sort: sort, Desc: desc, Limit: 5, Before: &p.Cursors[0]}
			}
			for i, c := range all.Rows {
				if forward[i] != c.ID || backward[i] != c.ID {
					t.Fatalf("%s: position %d: forward %d backward %d, want %d", name, i, forward[i], backward[i], c.ID)
				}
			}
		}
	}
}

func TestQueryPlansUseIndexes(t *testing.T) {
	s := openTemp(t)
	for _, sort := range model.CustomerSorts {
		p, err := plan(model.CustomerQuery{Sort: sort}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		order := p.idCol
		if p.key != "" {
			order = p.key + ", " + p.idCol
		}
		from := p.from
		if p.counts { // open follow-ups: followup_counts joined to customers
			from = p.source() + " WHERE " + joinCounts
		}
		rows, err := s.db.Query("EXPLAIN QUERY PLAN SELECT c.id FROM " + from + " ORDER BY " + order + " LIMIT 50")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			if detail == "USE TEMP B-TREE FOR ORDER BY" || (detail == "SCAN c" && sort != model.SortID) {
				t.Errorf("sort %s: %s", sort, detail)
			}
		}
		rows.Close()
	}
}

func TestDerivedFiguresFollowWrites(t *testing.T) {
	s := openTemp(t)
	clock := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return clock }
	c := mustCreate(t, s, model.Customer{Name: "Derived"})
	add := func(f model.Feedback) model.Feedback {
		t.Helper()
		clock = clock.Add(time.Hour)
		f.CustomerID = c.ID
		got, err := s.AddFeedback(ctx, "t", f)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	add(model.Feedback{Body: "a", CSAT: ip(2), NPS: ip(3), Kind: model.KindComplaint})
	add(model.Feedback{Body: "b", CSAT: ip(5), Kind: model.KindComplaint, Status: model.StatusResolved})
	last := add(model.Feedback{Body: "c", NPS: ip(9)})
	add(model.Feedback{Body: "d"})
	clock = clock.Add(time.Minute)
	fu, err := s.AddFollowUp(ctx, "t", model.FollowUp{CustomerID: c.ID, Due: clock.Add(24 * time.Hour), Note: "call"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Customer(ctx, c.ID)
	if got.CSATAvg == nil || *got.CSATAvg != 3.5 || got.CSATN != 2 || got.NPSLast == nil || *got.NPSLast != 9 ||
		got.FeedbackN != 4 || got.ComplaintsOpen != 1 || got.FollowupsOpen != 1 ||
		got.LastContactAt == nil || !got.LastContactAt.Equal(clock.Add(-time.Minute)) {
		t.Fatalf("derived = csat %v/%d nps %v fb %d compl %d fu %d last %v", got.CSATAvg, got.CSATN, got.NPSLast,
			got.FeedbackN, got.ComplaintsOpen, got.FollowupsOpen, got.LastContactAt)
	}
	if last.Status != model.StatusOpen || last.Source != "manual" || last.Agent != "t" {
		t.Errorf("defaults: %+v", last)
	}
	clock = clock.Add(48 * time.Hour)
	if err := s.FollowUpDone(ctx, "t", fu.ID); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Customer(ctx, c.ID)
	if got.FollowupsOpen != 0 || !got.LastContactAt.Equal(clock) {
		t.Errorf("after done: open %d last %v", got.FollowupsOpen, got.LastContactAt)
	}
	tl, err := s.Timeline(ctx, c.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range tl {
		kinds = append(kinds, e.Type)
	}
	if fmt.Sprint(kinds) != "[followup followup feedback feedback feedback feedback]" {
		t.Errorf("timeline order = %v", kinds)
	}
	hist, _ := s.ScoreHistory(ctx, c.ID, 10)
	if len(hist) != 3 || *hist[0].CSAT != 2 || *hist[2].NPS != 9 {
		t.Errorf("score history = %+v", hist)
	}
	if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: "x", CSAT: ip(7)}); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("CSAT 7 accepted: %v", err)
	}
	if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: 999, Body: "x"}); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("feedback for a missing customer: %v", err)
	}
}

// TestTwoStoresWriteAtOnce opens the file twice, as two agents would, and
// writes from both at once: nobody sees "database is locked".
func TestTwoStoresWriteAtOnce(t *testing.T) {
	a := openTemp(t)
	b, err := Open(ctx, a.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	c := mustCreate(t, a, model.Customer{Name: "Shared"})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w, st := range []*Store{a, b, a, b} {
		wg.Add(1)
		go func(w int, st *Store) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if _, err := st.UpdateCustomer(ctx, fmt.Sprint("agent", w), c.ID,
					model.CustomerPatch{AddTags: []string{fmt.Sprintf("w%d-%d", w, i)}}, 0); err != nil {
					errs <- err
				}
				if _, err := st.AddNote(ctx, "x", model.Note{CustomerID: c.ID, Body: "n"}); err != nil {
					errs <- err
				}
			}
		}(w, st)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, _ := b.Customer(ctx, c.ID)
	if len(got.Tags) != 80 || got.Version != 81 {
		t.Errorf("after 80 concurrent tag writes: %d tags, version %d", len(got.Tags), got.Version)
	}
}

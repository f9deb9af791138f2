package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// testCustomerCRUD: create, read, find by each kind of reference, update
// with and without a version, stale writes refused naming who, invalid
// values refused, and nothing of a refused write kept.
func testCustomerCRUD(t *testing.T, st model.Store) {
	c := create(t, st, "alice", model.Customer{Name: "王芳", Email: "Wang.Fang@Example.cn", Phone: "+86 138-0013-8000",
		Company: "杭州云栖科技", Plan: "pro", Tags: []string{"vip", "大客户"}, Attrs: map[string]string{"城市": "杭州"}})
	if c.ID == 0 || c.Version != 1 || c.Lifecycle != model.LifecycleNew || len(c.Tags) != 2 || c.Attrs["城市"] != "杭州" {
		t.Fatalf("created %+v", c)
	}
	got := must(st.Customer(ctx, c.ID))(t)
	if got.Name != c.Name || got.Email != c.Email || got.Phone != c.Phone || got.Company != c.Company ||
		got.Version != 1 || fmt.Sprint(got.Tags) != fmt.Sprint(c.Tags) || got.Attrs["城市"] != "杭州" {
		t.Errorf("read back %+v, created %+v", got, c)
	}
	for _, ref := range []string{fmt.Sprint(c.ID), "wang.fang@example.CN", "8613800138000", "+86 (138) 0013 8000"} {
		if f, err := st.FindCustomer(ctx, ref); err != nil || f.ID != c.ID {
			t.Errorf("FindCustomer(%q) = %d, %v", ref, f.ID, err)
		}
	}
	if _, err := st.FindCustomer(ctx, "nobody@example.com"); !isErr(err, model.ErrNotFound) {
		t.Errorf("missing reference: %v", err)
	}
	if _, err := st.Customer(ctx, c.ID+1000); !isErr(err, model.ErrNotFound) {
		t.Errorf("missing id: %v", err)
	}

	paying := model.LifecyclePaying
	up, err := st.UpdateCustomer(ctx, "bob", c.ID, model.CustomerPatch{Lifecycle: &paying,
		AddTags: []string{"beta"}, RemoveTags: []string{"vip"}}, c.Version)
	if err != nil || up.Version != 2 || up.Lifecycle != paying || fmt.Sprint(up.Tags) != "[beta 大客户]" {
		t.Fatalf("update = %+v, %v", up, err)
	}
	plan := "enterprise"
	_, err = st.UpdateCustomer(ctx, "carol", c.ID, model.CustomerPatch{Plan: &plan}, c.Version)
	var stale *model.StaleError
	if !errors.As(err, &stale) || !errors.Is(err, model.ErrStale) || stale.ByAgent != "bob" || stale.Have != 2 || stale.Want != 1 {
		t.Fatalf("stale write: %v (%+v)", err, stale)
	}
	if len(stale.Changes) == 0 || stale.Changes[0].Agent != "bob" {
		t.Errorf("stale error does not say what changed: %+v", stale.Changes)
	}
	bad := "not-an-email"
	if _, err := st.UpdateCustomer(ctx, "carol", c.ID, model.CustomerPatch{Email: &bad}, 0); !isErr(err, model.ErrInvalid) {
		t.Errorf("bad e-mail: %v", err)
	}
	if _, err := st.CreateCustomer(ctx, "carol", model.Customer{Name: "x", Lifecycle: "vip"}); !isErr(err, model.ErrInvalid) {
		t.Errorf("bad lifecycle: %v", err)
	}
	if _, err := st.UpdateCustomer(ctx, "carol", c.ID+1000, model.CustomerPatch{Plan: &plan}, 0); !isErr(err, model.ErrNotFound) {
		t.Errorf("update of a missing customer: %v", err)
	}
	again := must(st.Customer(ctx, c.ID))(t)
	if again.Version != 2 || again.Plan != "pro" || again.Email != "Wang.Fang@Example.cn" {
		t.Errorf("refused writes changed the customer: %+v", again)
	}
	if n := len(allCustomers(t, st)); n != 1 {
		t.Errorf("%d customers after refused creates, want 1", n)
	}
	// A write without a version always applies, and bumps the version.
	up = must(st.UpdateCustomer(ctx, "carol", c.ID, model.CustomerPatch{Plan: &plan}, 0))(t)
	if up.Version != 3 || up.Plan != "enterprise" {
		t.Errorf("unversioned update = %+v", up)
	}
}

// testFeedbackVersions: a feedback item's version grows with each change,
// a stale SetFeedback is refused, an edit that changes nothing keeps it.
func testFeedbackVersions(t *testing.T, st model.Store) {
	c := create(t, st, "t", model.Customer{Name: "A"})
	f := addFeedback(t, st, "li.na", model.Feedback{CustomerID: c.ID, Subject: "s", Body: "b", Channel: "EMail"})
	if f.ID == 0 || f.Version != 1 || f.Status != model.StatusOpen || f.Kind != model.KindFeedback ||
		f.Priority != model.PriorityNormal || f.Channel != "email" || f.Agent != "li.na" || f.CustomerID != c.ID {
		t.Fatalf("added %+v", f)
	}
	pending := model.StatusPending
	res := must(st.SetFeedback(ctx, "emma", []int64{f.ID}, model.FeedbackPatch{Status: &pending}, f.Version))(t)
	if res.Changed != 1 || res.Unchanged != 0 {
		t.Errorf("set = %+v", res)
	}
	resolved := model.StatusResolved
	_, err := st.SetFeedback(ctx, "zhang", []int64{f.ID}, model.FeedbackPatch{Status: &resolved}, f.Version)
	var stale *model.StaleError
	if !errors.As(err, &stale) || stale.ByAgent != "emma" || stale.Have != 2 {
		t.Fatalf("stale feedback write: %v", err)
	}
	got := must(st.Feedback(ctx, f.ID))(t)
	if got.Version != 2 || got.Status != model.StatusPending || got.ResolvedAt != nil {
		t.Errorf("after a refused write: %+v", got)
	}
	res = must(st.SetFeedback(ctx, "emma", []int64{f.ID}, model.FeedbackPatch{Status: &pending}, 0))(t)
	if res.Changed != 0 || res.Unchanged != 1 {
		t.Errorf("a patch that changes nothing = %+v", res)
	}
	res = must(st.SetFeedback(ctx, "emma", []int64{f.ID}, model.FeedbackPatch{Status: &resolved}, 0))(t)
	got = must(st.Feedback(ctx, f.ID))(t)
	if res.Changed != 1 || got.Version != 3 || got.ResolvedAt == nil {
		t.Errorf("resolving: %+v, %+v", res, got)
	}
	if _, err := st.Feedback(ctx, f.ID+1000); !isErr(err, model.ErrNotFound) {
		t.Errorf("missing feedback: %v", err)
	}
	if _, err := st.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID + 1000, Body: "x"}); err == nil {
		t.Error("feedback for a missing customer was stored")
	}
	if _, err := st.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: "x", CSAT: ptr(9)}); !isErr(err, model.ErrInvalid) {
		t.Errorf("csat 9: %v", err)
	}
	if n := len(allFeedback(t, st)); n != 1 {
		t.Errorf("%d feedback after refused adds, want 1", n)
	}
}

// testIdentity: one person, one customer. Another customer's e-mail (in
// any case) or phone (in any punctuation) is refused, naming the holder.
func testIdentity(t *testing.T, st model.Store) {
	ann := create(t, st, "t", model.Customer{Name: "Ann", Email: "Ann@Example.com", Phone: "+86 138-0013-8000"})
	bob := create(t, st, "t", model.Customer{Name: "Bob", Email: "bob@example.com"})
	refused := func(what string, err error, field string) {
		t.Helper()
		var dup *model.DuplicateError
		if !errors.As(err, &dup) || !errors.Is(err, model.ErrDuplicate) || !errors.Is(err, model.ErrInvalid) ||
			dup.ID != ann.ID || dup.Field != field {
			t.Errorf("%s: %v (%+v), want a duplicate %s naming customer %d", what, err, dup, field, ann.ID)
		}
	}
	_, err := st.CreateCustomer(ctx, "t", model.Customer{Name: "Ann 2", Email: "ann@EXAMPLE.com"})
	refused("create with the e-mail in another case", err, "email")
	_, err = st.CreateCustomer(ctx, "t", model.Customer{Name: "Ann 3", Phone: "8613800138000"})
	refused("create with the phone's digits", err, "phone")
	email := " ANN@example.com"
	_, err = st.UpdateCustomer(ctx, "t", bob.ID, model.CustomerPatch{Email: &email}, 0)
	if err == nil {
		t.Errorf("bob took ann's e-mail")
	} else if !strings.Contains(err.Error(), fmt.Sprint(ann.ID)) && !isErr(err, model.ErrInvalid) {
		t.Errorf("bob taking ann's e-mail: %v", err)
	}
	phone := "(86) 13800138000"
	_, err = st.UpdateCustomer(ctx, "t", bob.ID, model.CustomerPatch{Phone: &phone}, 0)
	refused("update to the phone", err, "phone")
	if b := must(st.Customer(ctx, bob.ID))(t); b.Version != 1 || b.Email != "bob@example.com" || b.Phone != "" {
		t.Errorf("bob changed by refused writes: %+v", b)
	}
	if n := len(allCustomers(t, st)); n != 2 {
		t.Errorf("%d customers, want 2", n)
	}
	// A customer may keep (re-save) its own e-mail and phone.
	same := "ann@example.com"
	if _, err := st.UpdateCustomer(ctx, "t", ann.ID, model.CustomerPatch{Email: &same}, 0); err != nil {
		t.Errorf("ann re-saving her own e-mail: %v", err)
	}
}

// searchPeople are customers whose names, companies and e-mails make each
// search term's answer the same under any sensible reading (prefix or
// substring): the one-character term 陈 only begins names.
var searchPeople = []model.Customer{
	{Name: "王芳", Company: "杭州云栖科技", Email: "wf@example.cn"},
	{Name: "陈静", Company: "深圳前海微众", Phone: "139 1234 5678"},
	{Name: "陈静怡", Company: "上海陆家嘴数据"},
	{Name: "李雷", Company: "北京云栖数据"},
	{Name: "Emma Schmidt", Email: "emma.schmidt@example.de", Company: "Blue Harbor Analytics GmbH"},
	{Name: "Olivia Rossi", Email: "olivia@example.org", Company: "Acme \"Quoted\" Corp"},
	{Name: "Noah Harbor", Company: "Harbor Freight"},
}

func testSearchCustomers(t *testing.T, st model.Store) {
	for _, c := range searchPeople {
		create(t, st, "t", c)
	}
	cases := []struct{ term, want string }{
		{"陈", "陈静,陈静怡"},                // one CJK character
		{"陈静", "陈静,陈静怡"},               // two: a whole name and a prefix of another
		{"云栖", "王芳,李雷"},                // two, inside companies
		{"微众", "陈静"},                   // two, at the end of a company
		{"云栖科", "王芳"},                  // three
		{"陆家嘴数据", "陈静怡"},               // five
		{"schmidt@ex", "Emma Schmidt"}, // e-mail substring
		{"HARBOR", "Emma Schmidt,Noah Harbor"},
		{"harbor freight", "Noah Harbor"},
		{"1234 56", "陈静"}, // phone by digits
		{"\"Quoted\"", "Olivia Rossi"},
		{"a OR b", ""},
		{"nothing-xyz", ""},
	}
	for _, c := range cases {
		page, err := st.ListCustomers(ctx, model.CustomerQuery{Search: c.term, Sort: model.SortID, Limit: 100})
		if err != nil {
			t.Errorf("search %q: %v", c.term, err)
			continue
		}
		var names []string
		for _, r := range page.Rows {
			names = append(names, r.Name)
		}
		if got := strings.Join(names, ","); got != c.want {
			t.Errorf("search %q = %q, want %q", c.term, got, c.want)
		}
		if n, capped, err := st.CountCustomers(ctx, model.CustomerQuery{Search: c.term}, 1000); err != nil || capped || n != len(names) {
			t.Errorf("count %q = %d %v %v, want %d", c.term, n, capped, err, len(names))
		}
	}
	// Edits keep search current: the old company is gone, the new found.
	w := must(st.FindCustomer(ctx, "wf@example.cn"))(t)
	company := "北京新公司"
	must(st.UpdateCustomer(ctx, "t", w.ID, model.CustomerPatch{Company: &company}, 0))(t)
	for term, want := range map[string]int{"云栖": 1, "云栖科": 0, "新公": 1, "北京新": 1, "北京": 2} {
		if n, _, err := st.CountCustomers(ctx, model.CustomerQuery{Search: term}, 0); err != nil || n != want {
			t.Errorf("after the rename, %q matches %d (%v), want %d", term, n, err, want)
		}
	}
}

// testSearchFeedback: full text over subject and body, Chinese and
// English, equal to a substring scan over every item.
func testSearchFeedback(t *testing.T, st model.Store) {
	c := create(t, st, "t", model.Customer{Name: "A"})
	texts := [][2]string{
		{"退款申请", "用户要求退款，订单号 12345"},
		{"发票问题", "需要开具增值税发票"},
		{"Refund request", "The customer asked for a refund of order 98765"},
		{"Login bug", "Cannot log in after the password reset"},
		{"登录失败", "重置密码后无法登录 app"},
		{"Invoice", "Please send the VAT invoice again"},
	}
	var all []model.Feedback
	for _, x := range texts {
		all = append(all, addFeedback(t, st, "t", model.Feedback{CustomerID: c.ID, Subject: x[0], Body: x[1]}))
	}
	for _, term := range []string{"退款", "发票", "无法登录", "增值税发票", "refund", "INVOICE", "password reset", "98765", "登录", "nothing"} {
		var want []int64
		for _, f := range all {
			if strings.Contains(strings.ToLower(f.Subject+"\n"+f.Body), strings.ToLower(term)) {
				want = append(want, f.ID)
			}
		}
		got, err := st.ListFeedback(ctx, model.FeedbackQuery{Search: term, Limit: 100})
		if err != nil {
			t.Errorf("search %q: %v", term, err)
			continue
		}
		if !sameIDs(feedbackIDs(got), want) {
			t.Errorf("feedback search %q = %v, want %v", term, feedbackIDs(got), want)
		}
		if n, _, err := st.CountFeedback(ctx, model.FeedbackQuery{Search: term}, 0); err != nil || n != len(want) {
			t.Errorf("count %q = %d, %v, want %d", term, n, err, len(want))
		}
	}
}

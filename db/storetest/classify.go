package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

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

package model

import (
	"errors"
	"fmt"
	"testing"
)

func TestRuleMatches(t *testing.T) {
	cases := []struct {
		pattern, subject, body string
		want                   bool
	}{
		{"refund", "REFUND please", "", true},
		{"refund", "", "I want my Refund now", true},
		{"refund", "refunds", "", true},
		{"refund", "re-fund", "", false},
		{"退款", "", "自动续费扣了钱，要求全额退款。", true},
		{"退款", "退货", "", false},
		{"物流|快递", "", "快递三天没动", true},
		{`order #\d+`, "Where is ORDER #4411?", "", true},
		{`^late`, "not late", "", false},
		{`\blogin\b`, "", "cannot LOGIN today", true},
		{`\blogin\b`, "", "loginserver", false},
		{"Ärger", "", "viel ärger", true}, // Unicode case folding
	}
	for _, c := range cases {
		r := Rule{Pattern: c.pattern}
		if err := r.Compile(); err != nil {
			t.Fatalf("Compile(%q): %v", c.pattern, err)
		}
		if got := r.Matches(c.subject, c.body); got != c.want {
			t.Errorf("%q matches (%q, %q) = %v, want %v", c.pattern, c.subject, c.body, got, c.want)
		}
	}
}

func TestRuleErrorNamesColumn(t *testing.T) {
	cases := []struct {
		pattern string
		column  int
	}{
		{"a**", 2},
		{"refund(", 7},
		{"(a(b)", 1},
		{"ab)c", 3},
		{"[abc", 1},
		{`abc\`, 4},
		{"x{2,1}", 2},
		{"退款(?z)", 3}, // columns count characters, not bytes
		{`a[(]b)`, 6},
	}
	for _, c := range cases {
		r := Rule{Pattern: c.pattern, Tags: []string{"x"}}
		err := r.Validate()
		var re *RuleError
		if !errors.As(err, &re) || !errors.Is(err, ErrInvalid) {
			t.Errorf("Validate(%q) = %v, want a *RuleError wrapping ErrInvalid", c.pattern, err)
			continue
		}
		if re.Column != c.column {
			t.Errorf("%q: column %d, want %d (%v)", c.pattern, re.Column, c.column, err)
		}
		if want := fmt.Sprintf("at column %d", c.column); !contains(err.Error(), want) {
			t.Errorf("%q: message %q does not say %q", c.pattern, err, want)
		}
	}
	if err := (&Rule{Pattern: "ok"}).Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("a rule that sets nothing: %v", err)
	}
	if err := (&Rule{Pattern: "ok", Kind: "rant"}).Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("a rule with an unknown kind: %v", err)
	}
	if err := (&Rule{Pattern: "  "}).Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("an empty pattern: %v", err)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestSuggestFillsOnlyWhatIsEmpty(t *testing.T) {
	rules := []Rule{
		{ID: 1, Pattern: "refund|退款", Category: "Billing/Refund", Tags: []string{"money"}, Kind: KindComplaint},
		{ID: 2, Pattern: "urgent|紧急", Priority: PriorityUrgent, Tags: []string{"money", "hot"}},
		{ID: 3, Pattern: "refund", Category: "Other/Thing", Priority: PriorityLow},
	}
	fresh := Feedback{Subject: "紧急：要求退款", Kind: KindFeedback, Priority: PriorityNormal}
	s, ok := Suggest(rules, fresh)
	if !ok || s.Category != "Billing/Refund" || s.Kind != KindComplaint || s.Priority != PriorityUrgent ||
		fmt.Sprint(s.Tags) != "[money hot]" || fmt.Sprint(s.RuleIDs) != "[1 2]" {
		t.Errorf("fresh item: %+v, %v", s, ok)
	}
	// Classified already: only the missing tag is left to suggest.
	done := Feedback{Subject: "urgent refund", Category: "Billing/Invoice", Kind: KindQuestion,
		Priority: PriorityHigh, Tags: []string{"MONEY"}}
	s, ok = Suggest(rules, done)
	if !ok || s.Category != "" || s.Kind != "" || s.Priority != "" || fmt.Sprint(s.Tags) != "[hot]" {
		t.Errorf("classified item: %+v, %v", s, ok)
	}
	// With all, the first matching rule that names a field wins.
	s, _ = Classify(rules, done, true)
	if s.Category != "Billing/Refund" || s.Kind != KindComplaint || s.Priority != PriorityUrgent {
		t.Errorf("classify all: %+v", s)
	}
	if _, ok := Suggest(rules, Feedback{Subject: "thanks!"}); ok {
		t.Error("no rule matches, yet a suggestion")
	}
	p := (Suggestion{Category: "A/B", Tags: []string{"t"}, Kind: KindPraise}).Patch()
	if p.Category == nil || *p.Category != "A/B" || p.Kind == nil || *p.Kind != KindPraise || p.Priority != nil ||
		fmt.Sprint(p.AddTags) != "[t]" {
		t.Errorf("patch = %+v", p)
	}
}

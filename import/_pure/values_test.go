package importer

import (
	"reflect"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

func intp(v int) *int { return &v }

func TestParseCSATContractTable(t *testing.T) {
	cases := []struct {
		in   string
		want *int
	}{
		// numbers: 1–5, 4.0, 4/5, rounded
		{"1", intp(1)}, {"5", intp(5)}, {" 3 ", intp(3)}, {"4.0", intp(4)}, {"4/5", intp(4)},
		{"3.5", intp(4)}, {"4.4", intp(4)}, {"1.0", intp(1)}, {"4,0", intp(4)}, {"４", intp(4)},
		// Zendesk, Help Scout, Freshdesk
		{"good", intp(5)}, {"Good", intp(5)}, {"BAD", intp(1)},
		{"great", intp(5)}, {"okay", intp(3)}, {"not good", intp(1)}, {"Not  Good", intp(1)},
		{"awesome", intp(5)}, {"just okay", intp(3)},
		{"Good, I'm satisfied", intp(5)}, {"Bad, I'm unsatisfied", intp(1)},
		// five-point words
		{"very satisfied", intp(5)}, {"satisfied", intp(4)}, {"neutral", intp(3)},
		{"dissatisfied", intp(2)}, {"very dissatisfied", intp(1)},
		{"非常满意", intp(5)}, {"满意", intp(4)}, {"一般", intp(3)}, {"不满意", intp(2)}, {"非常不满意", intp(1)},
		{"好评", intp(5)}, {"差评", intp(1)},
		// stars and units
		{"★★★★☆", intp(4)}, {"★★★★★", intp(5)}, {"4星", intp(4)}, {"五星", intp(5)}, {"3分", intp(3)},
		// fractions and percentages carry their scale
		{"8/10", intp(4)}, {"10/10", intp(5)}, {"1/10", intp(1)}, {"5/5", intp(5)}, {"1/5", intp(1)},
		{"80%", intp(4)}, {"100%", intp(5)}, {"0%", intp(1)}, {"50 %", intp(3)},
		// no answer
		{"", nil}, {"  ", nil}, {"-", nil}, {"n/a", nil}, {"N/A", nil}, {"offered", nil},
		{"Offered", nil}, {"unoffered", nil}, {"Not Offered", nil}, {"NULL", nil},
	}
	for _, c := range cases {
		got, err := ParseCSAT(c.in)
		if err != nil {
			t.Errorf("ParseCSAT(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseCSAT(%q) = %v, want %v", c.in, deref(got), deref(c.want))
		}
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestParseCSATRejects(t *testing.T) {
	for _, in := range []string{"0", "6", "7", "99", "-1", "abc", "4/3", "120%", "★★★★★★", "1e9", "NaN?", "5.5"} {
		if v, err := ParseCSAT(in); err == nil {
			t.Errorf("ParseCSAT(%q) = %v, want an error", in, deref(v))
		}
	}
	_, err := ParseCSAT("7")
	if err == nil || !strings.Contains(err.Error(), "scale") {
		t.Errorf("a 7 should suggest setting the scale, got %v", err)
	}
}

func TestParseCSATScales(t *testing.T) {
	cases := []struct {
		in    string
		scale Scale
		want  int
	}{
		{"1", Scale10, 1}, {"2", Scale10, 1}, {"3", Scale10, 2}, {"4", Scale10, 2}, {"5", Scale10, 3},
		{"6", Scale10, 3}, {"7", Scale10, 4}, {"8", Scale10, 4}, {"9", Scale10, 5}, {"10", Scale10, 5},
		{"0", Scale10, 1},
		{"0", Scale100, 1}, {"12", Scale100, 1}, {"13", Scale100, 2}, {"50", Scale100, 3},
		{"62", Scale100, 3}, {"63", Scale100, 4}, {"87", Scale100, 4}, {"88", Scale100, 5}, {"100", Scale100, 5},
		{"4", Scale5, 4}, {"good", Scale10, 5}, {"4/5", Scale100, 4},
	}
	for _, c := range cases {
		got, err := ParseCSATScale(c.in, c.scale)
		if err != nil || got == nil || *got != c.want {
			t.Errorf("ParseCSATScale(%q, %s) = %v, %v; want %d", c.in, c.scale, deref(got), err, c.want)
		}
	}
	for _, c := range []struct {
		in    string
		scale Scale
	}{{"11", Scale10}, {"101", Scale100}, {"6", Scale5}} {
		if _, err := ParseCSATScale(c.in, c.scale); err == nil {
			t.Errorf("ParseCSATScale(%q, %s): want an error", c.in, c.scale)
		}
	}
}

func TestDetectCSATScale(t *testing.T) {
	cases := []struct {
		values []string
		want   Scale
	}{
		{[]string{"1", "5", "3.0", "", "-"}, ScaleAuto},
		{[]string{"1", "7", "10", "good"}, Scale10},
		{[]string{"40", "85", "100"}, Scale100},
		{[]string{"9", "1", "5", "4", "3", "5", "5", "4", "2", "1", "5", "4"}, ScaleAuto}, // one stray 9
		{[]string{"7", "10", "5", "4", "3", "5", "5", "4", "2", "1", "5", "4"}, Scale10},
		{[]string{"7", "10", "50", "4"}, ScaleAuto}, // mixed: let rows fail
		{[]string{"4/5", "80%", "satisfied"}, ScaleAuto},
		{[]string{"1000"}, ScaleAuto},
		{nil, ScaleAuto},
	}
	for _, c := range cases {
		if got := DetectCSATScale(c.values); got != c.want {
			t.Errorf("DetectCSATScale(%q) = %q, want %q", c.values, got, c.want)
		}
	}
}

func TestParseNPS(t *testing.T) {
	ok := map[string]*int{"0": intp(0), "10": intp(10), "9.0": intp(9), " 7 ": intp(7), "9/10": intp(9),
		"8分": intp(8), "１０": intp(10), "": nil, "-": nil, "n/a": nil}
	for in, want := range ok {
		got, err := ParseNPS(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseNPS(%q) = %v, %v; want %v", in, deref(got), err, deref(want))
		}
	}
	for _, in := range []string{"11", "-1", "7.5", "nine", "9/5", "1e1x"} {
		if v, err := ParseNPS(in); err == nil {
			t.Errorf("ParseNPS(%q) = %v, want an error", in, deref(v))
		}
	}
}

func TestParseTags(t *testing.T) {
	cases := map[string][]string{
		"vip billing":          {"vip", "billing"},
		"vip,billing, refund":  {"vip", "billing", "refund"},
		"vip;billing|vip":      {"vip", "billing"},
		"退款、物流；投诉，VIP":         {"退款", "物流", "投诉", "VIP"},
		"  #urgent \n#urgent ": {"urgent"},
		"":                     nil,
		" , ; ":                nil,
	}
	for in, want := range cases {
		if got := ParseTags(in); !reflect.DeepEqual(got, want) {
			t.Errorf("ParseTags(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ParseTag(" Technical  Support "); got != "Technical-Support" {
		t.Errorf("ParseTag = %q", got)
	}
	for _, tag := range ParseTags("a\x00b c\x1bd") {
		if err := model.ValidateTag(tag); err != nil {
			t.Errorf("ParseTags gave an invalid tag %q: %v", tag, err)
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, in := range []string{"yes", "Yes", "Y", "true", "1", "sim", "Sim", "是", "sí"} {
		if v, ok := ParseBool(in); !ok || !v {
			t.Errorf("ParseBool(%q) = %v, %v; want true", in, v, ok)
		}
	}
	for _, in := range []string{"no", "No", "N", "false", "0", "não", "nao", "否"} {
		if v, ok := ParseBool(in); !ok || v {
			t.Errorf("ParseBool(%q) = %v, %v; want false", in, v, ok)
		}
	}
	for _, in := range []string{"", "maybe", "-"} {
		if _, ok := ParseBool(in); ok {
			t.Errorf("ParseBool(%q) should not be ok", in)
		}
	}
}

func TestNormalizeID(t *testing.T) {
	cases := map[string]string{
		"1.03531E+12":  "1035310000000",
		"1.03531e12":   "1035310000000",
		"1E+3":         "1000",
		"11651140407":  "11651140407",
		" 00123 ":      "00123",
		"12345.0":      "12345",
		"12345.50":     "12345.50",
		"1.5E-3":       "1.5E-3",
		"1.23456E+2":   "1.23456E+2", // not a whole number
		"ABC-1":        "ABC-1",
		"8779-QRDMV":   "8779-QRDMV",
		"1.2.3":        "1.2.3",
		"":             "",
		"9E+99":        "9E+99",
		"4.0E+0":       "4.0E+0",
		"7.20E+02":     "720",
		"0.5E+1":       "5",
		"3e":           "3e",
		"1.03531E+12 ": "1035310000000",
	}
	for in, want := range cases {
		if got := NormalizeID(in); got != want {
			t.Errorf("NormalizeID(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	cases := map[string]float64{
		"5433": 5433, "12,345.50": 12345.5, "1.234,50": 1234.5, "¥8,000": 8000, "$120": 120,
		"12,5": 12.5, "1.2万": 12000, "R$ 99,90": 99.9, "１２": 12, "-5": -5,
	}
	for in, want := range cases {
		got, err := ParseAmount(in)
		if err != nil || got == nil || *got != want {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if got, err := ParseAmount("-"); got != nil || err != nil {
		t.Errorf("ParseAmount(-) = %v, %v", got, err)
	}
	if _, err := ParseAmount("lots"); err == nil {
		t.Error("ParseAmount(lots): want an error")
	}
}

func TestEnums(t *testing.T) {
	status := map[string]model.Status{
		"Open": model.StatusOpen, "new": model.StatusOpen, "Pending Customer Response": model.StatusPending,
		"On-hold": model.StatusPending, "Solved": model.StatusResolved, "Done": model.StatusResolved,
		"Closed": model.StatusClosed, "已解决": model.StatusResolved, "处理中": model.StatusOpen,
		"Fechado": model.StatusClosed, "In Progress": model.StatusOpen,
	}
	for in, want := range status {
		if got, ok := ParseStatus(in); !ok || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	priority := map[string]model.Priority{
		"Low": model.PriorityLow, "Medium": model.PriorityNormal, "High": model.PriorityHigh,
		"Critical": model.PriorityUrgent, "Highest": model.PriorityHigh, "Lowest": model.PriorityLow,
		"2 normal": model.PriorityNormal, "3 high": model.PriorityHigh, "P1": model.PriorityUrgent,
		"紧急": model.PriorityUrgent, "低": model.PriorityLow,
	}
	for in, want := range priority {
		if got, ok := ParsePriority(in); !ok || got != want {
			t.Errorf("ParsePriority(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	kind := map[string]model.Kind{
		"Technical issue": model.KindComplaint, "Billing inquiry": model.KindQuestion,
		"Product inquiry": model.KindQuestion, "Refund request": model.KindRequest,
		"Cancellation request": model.KindRequest, "Incident": model.KindComplaint,
		"Problem": model.KindComplaint, "Request": model.KindRequest, "Change": model.KindRequest,
		"Question": model.KindQuestion, "Bug": model.KindComplaint, "投诉": model.KindComplaint,
		"praise": model.KindPraise,
	}
	for in, want := range kind {
		if got, ok := ParseKind(in); !ok || got != want {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	life := map[string]model.Lifecycle{
		"Stayed": model.LifecycleRetained, "Churned": model.LifecycleChurned, "Joined": model.LifecycleNew,
		"at risk": model.LifecycleAtRisk, "paying": model.LifecyclePaying, "流失": model.LifecycleChurned,
	}
	for in, want := range life {
		if got, ok := ParseLifecycle(in); !ok || got != want {
			t.Errorf("ParseLifecycle(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"banana", ""} {
		if _, ok := ParseStatus(in); ok {
			t.Errorf("ParseStatus(%q) should fail", in)
		}
		if _, ok := ParseKind(in); ok {
			t.Errorf("ParseKind(%q) should fail", in)
		}
	}
	channel := map[string]string{
		"Email": "email", "E-mail": "email", "Phone": "phone", "Customer Care Call": "phone",
		"Internet": "web", "Social media": "social", "Chat": "chat", "Web form": "web", "电话": "phone",
		"微信": "social", "Carrier Pigeon": "carrier pigeon", "": "",
	}
	for in, want := range channel {
		if got := NormalizeChannel(in); got != want {
			t.Errorf("NormalizeChannel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCategoryPath(t *testing.T) {
	cases := []struct{ cat, sub, want string }{
		{"Billing", "Refund", "Billing/Refund"},
		{"Billing/Refund", "", "Billing/Refund"},
		{"Suporte > Webmail > Criação/Alteração de Grupos", "", "Suporte/Webmail › Criação-Alteração de Grupos"},
		{"a/b/c", "", "a/b › c"},
		{"-", "", ""},
		{"", "Refund", "Refund"},
		{"  Billing  ", "", "Billing"},
	}
	for _, c := range cases {
		got := categoryPath(c.cat, c.sub)
		if got != c.want {
			t.Errorf("categoryPath(%q, %q) = %q, want %q", c.cat, c.sub, got, c.want)
		}
		if got != "" {
			if _, err := model.SplitCategoryPath(got); err != nil {
				t.Errorf("categoryPath(%q, %q) = %q is not a valid path: %v", c.cat, c.sub, got, err)
			}
		}
	}
}

// IsNull rejects most values by their first byte; every placeholder must
// get past that check.
func TestIsNullKnowsEveryPlaceholder(t *testing.T) {
	for w := range nullWords {
		for _, v := range []string{w, strings.ToUpper(w), "  " + w + " "} {
			if !IsNull(v) {
				t.Errorf("IsNull(%q) = false", v)
			}
		}
	}
	for _, v := range []string{"0", "nancy", "Offered later", "-1", "none of it"} {
		if IsNull(v) {
			t.Errorf("IsNull(%q) = true", v)
		}
	}
}

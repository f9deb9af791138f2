package model

import (
	"errors"
	"testing"
)

func TestCustomerValidate(t *testing.T) {
	ok := []Customer{
		{Name: "王芳"},
		{Email: "a@example.com"},
		{Phone: "+86 138 0013 8000"},
		{Name: "x", Lifecycle: LifecycleAtRisk, LTV: 10, Tags: []string{"vip", "大客户"}},
	}
	for _, c := range ok {
		if err := c.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", c, err)
		}
	}
	bad := []Customer{
		{},
		{Name: "x", Email: "not-an-email"},
		{Name: "x", Email: "Name <a@example.com>"},
		{Name: "x", Email: "a@localhost"},
		{Name: "x", Phone: "call me"},
		{Name: "x", Lifecycle: "vip"},
		{Name: "x", LTV: -1},
		{Name: "x", Tags: []string{"two words"}},
		{Name: "x", Tags: []string{""}},
	}
	for _, c := range bad {
		if err := c.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalid", c, err)
		}
	}
}

func TestFeedbackValidate(t *testing.T) {
	three, seven, eleven, zero := 3, 7, 11, 0
	good := Feedback{CustomerID: 1, Body: "退款慢", CSAT: &three, NPS: &zero}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Feedback{
		{CustomerID: 1, Body: "x", CSAT: &seven},
		{CustomerID: 1, Body: "x", NPS: &eleven},
		{CustomerID: 1, Body: "x", Kind: "rant"},
		{CustomerID: 1, Body: "x", Status: "done"},
		{CustomerID: 1, Body: "x", Priority: "p0"},
		{CustomerID: 0, Body: "x"},
		{CustomerID: 1},
	} {
		if err := f.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalid", f, err)
		}
	}
}

func TestParseEnums(t *testing.T) {
	if l, err := ParseLifecycle(" Paying "); err != nil || l != LifecyclePaying {
		t.Errorf("ParseLifecycle = %v, %v", l, err)
	}
	if _, err := ParseStatus("finished"); err == nil {
		t.Error("unknown status accepted")
	}
	if s, desc, err := ParseCustomerSort("csat_avg:desc"); err != nil || s != SortCSAT || !desc {
		t.Errorf("ParseCustomerSort = %v %v %v", s, desc, err)
	}
	if _, _, err := ParseCustomerSort("shoe_size"); err == nil {
		t.Error("unknown sort accepted")
	}
}

func TestPhoneDigitsAndTags(t *testing.T) {
	if got := PhoneDigits("+86 (138) 0013-8000"); got != "8613800138000" {
		t.Errorf("PhoneDigits = %q", got)
	}
	if got := PhoneDigits("１３８ ００１３"); got != "1380013" {
		t.Errorf("full-width digits: %q", got)
	}
	got := EditTags([]string{"a", "b"}, []string{"c", "a"}, []string{"b"})
	if len(got) != 2 || got[0] != "a" || got[1] != "c" {
		t.Errorf("EditTags = %v", got)
	}
}

func TestCustomerPatchApply(t *testing.T) {
	name, bad := "新名字", "nope"
	c := Customer{Name: "old", Attrs: map[string]string{"a": "1"}}
	got, err := CustomerPatch{Name: &name, SetAttrs: map[string]string{"a": "", "b": "2"}, AddTags: []string{"vip"}}.Apply(c)
	if err != nil || got.Name != name || got.Attrs["b"] != "2" || got.Attrs["a"] != "" || len(got.Tags) != 1 {
		t.Errorf("Apply = %+v, %v", got, err)
	}
	if c.Attrs["a"] != "1" {
		t.Error("Apply changed the original's attrs")
	}
	if _, err := (CustomerPatch{Email: &bad}).Apply(c); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad email accepted: %v", err)
	}
}

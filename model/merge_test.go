package model

import (
	"fmt"
	"testing"
)

func TestMergedAndDefaultTake(t *testing.T) {
	into := Customer{Name: "Ann Lee", Email: "ann@example.com", Plan: "pro", Lifecycle: LifecycleNew,
		Tags: []string{"vip"}, Attrs: map[string]string{"seat": "3", "tier": "gold"}}
	from := Customer{Name: "Ann L.", Phone: "+1 415 555 0101", Plan: "enterprise", Lifecycle: LifecyclePaying, LTV: 500,
		Tags: []string{"VIP", "beta"}, Attrs: map[string]string{"seat": "12", "source": "expo"}}
	take := DefaultTake(from, into)
	if fmt.Sprint(take) != "map[ltv:true phone:true]" {
		t.Errorf("default take %v", take)
	}
	got := Merged(from, into, take)
	if got.Name != "Ann Lee" || got.Phone != from.Phone || got.Plan != "pro" || got.LTV != 500 || got.Lifecycle != LifecycleNew ||
		fmt.Sprint(got.Tags) != "[vip beta]" || fmt.Sprint(got.Attrs) != "map[seat:3 source:expo tier:gold]" {
		t.Errorf("merged %+v", got)
	}
	got = Merged(from, into, map[string]bool{"name": true, "lifecycle": true, "ltv": true})
	if got.Name != "Ann L." || got.Lifecycle != LifecyclePaying || got.Phone != "" || got.LTV != 500 {
		t.Errorf("explicit %+v", got)
	}
	if into.Attrs["seat"] != "3" || len(into.Tags) != 1 {
		t.Error("Merged changed its input")
	}
}

func TestDuplicateErrorWording(t *testing.T) {
	e := &DuplicateError{Field: "email", Value: "A@x.com", ID: 7, Name: "王\x1b[31m芳"}
	if got := e.Error(); got != "e-mail A@x.com belongs to customer 7 (王芳); open that customer, or merge the two" {
		t.Errorf("%q", got)
	}
	a := &AmbiguousError{Ref: "a@x.com", IDs: []int64{3, 9}}
	if got := a.Error(); got != `"a@x.com" matches customers 3, 9; give an id, or merge them (rapport customers merge 9 3)` {
		t.Errorf("%q", got)
	}
}

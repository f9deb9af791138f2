package db

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

func TestValuesListsWhatIsInUse(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "v.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []int64
	for _, c := range []model.Customer{
		{Name: "a", Plan: "pro"}, {Name: "b", Plan: "enterprise"}, {Name: "c", Plan: "pro"}, {Name: "d"},
	} {
		got, err := s.CreateCustomer(ctx, "li.na", c)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got.ID)
	}
	for _, f := range []model.Feedback{
		{CustomerID: ids[0], Channel: "wechat", Kind: model.KindFeedback, Subject: "hi"},
		{CustomerID: ids[1], Channel: "email", Kind: model.KindFeedback, Subject: "yo"},
	} {
		if _, err := s.AddFeedback(ctx, "emma", f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddFollowUp(ctx, "li.na", model.FollowUp{CustomerID: ids[0], Due: s.Now(), Assignee: "wang.lei"}); err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{"plan": "enterprise,pro", "channel": "email,wechat", "agent": "emma,wang.lei"} {
		got, err := s.Values(ctx, field)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s: %v, want %s", field, got, want)
		}
	}
	if _, err := s.Values(ctx, "email"); err == nil {
		t.Error("an unknown field should be refused")
	}
}

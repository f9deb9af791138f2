package db

import (
	"context"
	"errors"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

func TestSavedViews(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	mine := model.SavedView{Name: "my open complaints", Filters: model.ViewFilters{
		Status: model.StatusOpen, Kind: model.KindComplaint, Agent: "li.na"}}
	v, err := s.SaveView(ctx, "li.na", mine)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID == 0 || v.Screen != "inbox" || v.CreatedBy != "li.na" || v.Filters != mine.Filters || v.Version != 1 {
		t.Errorf("saved: %+v", v)
	}
	east := model.SavedView{Name: "unclassified 华东", Filters: model.ViewFilters{Status: model.StatusOpen, Search: "华东", Category: "Billing"}}
	if _, err := s.SaveView(ctx, "emma", east); err != nil {
		t.Fatal(err)
	}
	// Another agent sees both, by name.
	all, err := s.Views(ctx, "inbox")
	if err != nil || len(all) != 2 || all[0].Name != "my open complaints" || all[1].Filters.Search != "华东" || all[1].CreatedBy != "emma" {
		t.Fatalf("views: %+v, %v", all, err)
	}
	// The same name in another case replaces the filters.
	mine.Name, mine.Filters.Status = "My Open Complaints", model.StatusPending
	v2, err := s.SaveView(ctx, "bob", mine)
	if err != nil || v2.ID != v.ID || v2.Version != 2 || v2.Filters.Status != model.StatusPending || v2.CreatedBy != "li.na" {
		t.Errorf("replace: %+v, %v", v2, err)
	}
	if all, _ := s.Views(ctx, "inbox"); len(all) != 2 {
		t.Errorf("replacing made %d views", len(all))
	}
	// Refused: no name, a control character, a status that does not exist,
	// another screen. Nothing is written.
	for _, bad := range []model.SavedView{
		{Name: "  "},
		{Name: "x\x1b[2J"},
		{Name: "bad status", Filters: model.ViewFilters{Status: "later"}},
		{Name: "elsewhere", Screen: "followups"},
	} {
		if _, err := s.SaveView(ctx, "bob", bad); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("%+v: %v, want ErrInvalid", bad, err)
		}
	}
	if all, _ := s.Views(ctx, "inbox"); len(all) != 2 {
		t.Errorf("a refused view was saved: %d views", len(all))
	}
	if err := s.DeleteView(ctx, "bob", v.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteView(ctx, "bob", v.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	if all, _ := s.Views(ctx, "inbox"); len(all) != 1 || all[0].Name != "unclassified 华东" {
		t.Errorf("after delete: %+v", all)
	}
	var audits int
	s.db.QueryRow("SELECT count(*) FROM audit WHERE entity = 'view'").Scan(&audits)
	if audits != 4 {
		t.Errorf("view audit rows = %d, want 4 (2 creates, 1 update, 1 delete)", audits)
	}
}

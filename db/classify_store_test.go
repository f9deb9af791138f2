package db

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// seedInbox makes n open feedback items for two customers, one complaint
// in three.
func seedInbox(t *testing.T, s *Store, n int) []model.Feedback {
	t.Helper()
	a := mustCreate(t, s, model.Customer{Name: "Ann"})
	b := mustCreate(t, s, model.Customer{Name: "Bo"})
	var out []model.Feedback
	for i := range n {
		c, kind := a, model.KindFeedback
		if i%2 == 1 {
			c = b
		}
		if i%3 == 0 {
			kind = model.KindComplaint
		}
		f, err := s.AddFeedback(ctx, "seed", model.Feedback{CustomerID: c.ID, Kind: kind, Subject: fmt.Sprintf("item %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

func ids(fs []model.Feedback) []int64 {
	out := make([]int64, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

func TestSetFeedbackBulk(t *testing.T) {
	s := openTemp(t)
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	s.Now = func() time.Time { return now }
	fs := seedInbox(t, s, 6)
	// One item is resolved already: resolving it again changes nothing.
	resolved := model.StatusResolved
	if _, err := s.SetFeedback(ctx, "ann", []int64{fs[5].ID}, model.FeedbackPatch{Status: &resolved}, 0); err != nil {
		t.Fatal(err)
	}
	cat := "billing / refund"
	res, err := s.SetFeedback(ctx, "bo", ids(fs), model.FeedbackPatch{Status: &resolved, Category: &cat,
		AddTags: []string{"refund", "vip"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed != 6 || res.Unchanged != 0 || res.UndoID == 0 {
		t.Errorf("result = %+v", res)
	}
	for _, f := range fs {
		got, _ := s.Feedback(ctx, f.ID)
		if got.Status != model.StatusResolved || got.Category != "Billing/Refund" || fmt.Sprint(got.Tags) != "[refund vip]" ||
			got.ResolvedAt == nil || !got.ResolvedAt.Equal(now) {
			t.Errorf("item %d = %+v", f.ID, got)
		}
	}
	// Open complaints are counted again on the customers' rows.
	for _, id := range []int64{fs[0].CustomerID, fs[1].CustomerID} {
		c, _ := s.Customer(ctx, id)
		if c.ComplaintsOpen != 0 {
			t.Errorf("customer %d complaints_open = %d", id, c.ComplaintsOpen)
		}
	}
	// Field-level audit with the agent.
	entries, _ := s.Audit(ctx, AuditQuery{Entity: "feedback", ID: fs[0].ID, Limit: 1})
	if len(entries) != 1 || entries[0].Agent != "bo" || entries[0].Action != "update" ||
		fmt.Sprint(entries[0].Changes["status"]) != "[open resolved]" ||
		fmt.Sprint(entries[0].Changes["category"]) != "[<nil> Billing/Refund]" ||
		fmt.Sprint(entries[0].Changes["tags"]) != "[[] [refund vip]]" {
		t.Errorf("audit = %+v", entries)
	}
	// The same patch again changes nothing and makes no undo.
	again, err := s.SetFeedback(ctx, "bo", ids(fs), model.FeedbackPatch{Status: &resolved, Category: &cat}, 0)
	if err != nil || again.Changed != 0 || again.Unchanged != 6 || again.UndoID != 0 {
		t.Errorf("repeat = %+v, %v", again, err)
	}
	// Clearing the category and reopening clears resolved_at.
	open, none := model.StatusOpen, ""
	if _, err := s.SetFeedback(ctx, "bo", []int64{fs[0].ID}, model.FeedbackPatch{Status: &open, Category: &none,
		RemoveTags: []string{"VIP", "never-used"}}, 0); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Feedback(ctx, fs[0].ID)
	if got.Category != "" || got.ResolvedAt != nil || fmt.Sprint(got.Tags) != "[refund]" || got.Version != 3 {
		t.Errorf("reopened = %+v", got)
	}
	if c, _ := s.Customer(ctx, fs[0].CustomerID); c.ComplaintsOpen != 1 {
		t.Errorf("complaints_open after reopening = %d", c.ComplaintsOpen)
	}
}

func TestSetFeedbackRefusesBadInputWritingNothing(t *testing.T) {
	s := openTemp(t)
	fs := seedInbox(t, s, 2)
	bad := model.Status("done")
	urgent := model.PriorityUrgent
	unknown := "Nope/Never"
	deep := "A/B/C"
	cases := []struct {
		ids  []int64
		p    model.FeedbackPatch
		want error
	}{
		{ids(fs), model.FeedbackPatch{Status: &bad}, model.ErrInvalid},
		{ids(fs), model.FeedbackPatch{Category: &unknown}, model.ErrInvalid},
		{ids(fs), model.FeedbackPatch{Category: &deep}, model.ErrInvalid},
		{ids(fs), model.FeedbackPatch{AddTags: []string{"two words"}}, model.ErrInvalid},
		{ids(fs), model.FeedbackPatch{}, model.ErrInvalid},
		{nil, model.FeedbackPatch{Priority: &urgent}, model.ErrInvalid},
		{append(ids(fs), 999), model.FeedbackPatch{Priority: &urgent}, model.ErrNotFound},
	}
	for _, c := range cases {
		if _, err := s.SetFeedback(ctx, "x", c.ids, c.p, 0); !errors.Is(err, c.want) {
			t.Errorf("SetFeedback(%v, %+v) = %v, want %v", c.ids, c.p, err, c.want)
		}
	}
	if _, err := s.SetFeedback(ctx, "x", ids(fs), model.FeedbackPatch{Priority: &urgent}, 1); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("a version with two ids: %v", err)
	}
	var changed int
	s.db.QueryRow("SELECT count(*) FROM feedback WHERE version > 1 OR priority <> 'normal'").Scan(&changed)
	if changed != 0 {
		t.Errorf("%d items changed by refused edits", changed)
	}
}

func TestSetFeedbackStale(t *testing.T) {
	s := openTemp(t)
	f := seedInbox(t, s, 1)[0]
	high, low := model.PriorityHigh, model.PriorityLow
	if _, err := s.SetFeedback(ctx, "ann", []int64{f.ID}, model.FeedbackPatch{Priority: &high}, f.Version); err != nil {
		t.Fatal(err)
	}
	_, err := s.SetFeedback(ctx, "bo", []int64{f.ID}, model.FeedbackPatch{Priority: &low}, f.Version)
	var se *model.StaleError
	if !errors.As(err, &se) || !errors.Is(err, model.ErrStale) || se.ByAgent != "ann" || se.Have != 2 || se.Want != 1 {
		t.Fatalf("stale write: %v (%+v)", err, se)
	}
	if got, _ := s.Feedback(ctx, f.ID); got.Priority != model.PriorityHigh {
		t.Errorf("stale write changed priority to %s", got.Priority)
	}
}

// Two agents, each in their own process, tag the same items at once: both
// tags stay.
func TestSetFeedbackConcurrentTagsMerge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	var stores [2]*Store
	for i := range stores {
		st, err := Open(context.Background(), path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		stores[i] = st
	}
	fs := seedInbox(t, stores[0], 20)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, tag := range []string{"alpha", "beta"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if _, err := stores[i].SetFeedback(ctx, tag, ids(fs), model.FeedbackPatch{AddTags: []string{tag}}, 0); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range fs {
		got, _ := stores[1].Feedback(ctx, f.ID)
		if fmt.Sprint(got.Tags) != "[alpha beta]" || got.Version != 3 {
			t.Errorf("item %d: tags %v, version %d", f.ID, got.Tags, got.Version)
		}
	}
}

func TestUndoBulk(t *testing.T) {
	s := openTemp(t)
	fs := seedInbox(t, s, 4)
	// Item 0 starts tagged "keep" and "old".
	if _, err := s.SetFeedback(ctx, "ann", []int64{fs[0].ID}, model.FeedbackPatch{AddTags: []string{"keep", "old"}}, 0); err != nil {
		t.Fatal(err)
	}
	closed, cat, urgent := model.StatusClosed, "Product/Bug", model.PriorityUrgent
	res, err := s.SetFeedback(ctx, "ann", ids(fs), model.FeedbackPatch{Status: &closed, Category: &cat,
		AddTags: []string{"new"}, RemoveTags: []string{"old"}}, 0)
	if err != nil || res.Changed != 4 {
		t.Fatalf("bulk = %+v, %v", res, err)
	}
	// Someone else changes item 3 afterwards: undo leaves it alone.
	if _, err := s.SetFeedback(ctx, "bo", []int64{fs[3].ID}, model.FeedbackPatch{Priority: &urgent}, 0); err != nil {
		t.Fatal(err)
	}
	n, err := s.UndoBulk(ctx, "ann", res.UndoID)
	if err != nil || n != 3 {
		t.Fatalf("undo = %d, %v; want 3", n, err)
	}
	for i, f := range fs[:3] {
		got, _ := s.Feedback(ctx, f.ID)
		wantTags := "[]"
		if i == 0 {
			wantTags = "[keep old]"
		}
		if got.Status != model.StatusOpen || got.Category != "" || got.ResolvedAt != nil || fmt.Sprint(got.Tags) != wantTags {
			t.Errorf("item %d after undo = %+v", i, got)
		}
	}
	got, _ := s.Feedback(ctx, fs[3].ID)
	if got.Status != model.StatusClosed || got.Priority != model.PriorityUrgent || got.Category != "Product/Bug" {
		t.Errorf("item changed since was touched by undo: %+v", got)
	}
	if c, _ := s.Customer(ctx, fs[0].CustomerID); c.ComplaintsOpen != 1 {
		t.Errorf("complaints_open after undo = %d, want 1", c.ComplaintsOpen)
	}
	entries, _ := s.Audit(ctx, AuditQuery{Entity: "feedback", ID: fs[0].ID, Limit: 1})
	if len(entries) != 1 || entries[0].Action != "undo" || fmt.Sprint(entries[0].Changes["status"]) != "[closed open]" {
		t.Errorf("undo audit = %+v", entries)
	}
	if _, err := s.UndoBulk(ctx, "ann", res.UndoID); !errors.Is(err, model.ErrConflict) {
		t.Errorf("second undo: %v", err)
	}
	if _, err := s.UndoBulk(ctx, "ann", 9999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown undo: %v", err)
	}
}

func TestCategories(t *testing.T) {
	s := openTemp(t)
	cats, err := s.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]bool{}
	for _, c := range cats {
		paths[c.Path] = true
		if (c.ParentID == nil) == containsSlash(c.Path) {
			t.Errorf("category %q has parent %v", c.Path, c.ParentID)
		}
	}
	for _, p := range []string{"Billing/Refund", "Product/Feature request", "Account/Login", "Delivery/Delay",
		"Service/Attitude", "物流/延迟", "服务/态度", "账单/退款"} {
		if !paths[p] {
			t.Errorf("default category %q missing", p)
		}
	}
	c, err := s.AddCategory(ctx, "ann", " Shipping / Lost ")
	if err != nil || c.Path != "Shipping/Lost" || c.ParentID == nil {
		t.Fatalf("AddCategory = %+v, %v", c, err)
	}
	if _, err := s.AddCategory(ctx, "ann", "shipping/lost"); !errors.Is(err, model.ErrConflict) {
		t.Errorf("adding it again: %v", err)
	}
	if _, err := s.AddCategory(ctx, "ann", "A/B/C"); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("three levels: %v", err)
	}
	// In use: refused; free again: removed with its child.
	f := seedInbox(t, s, 1)[0]
	cat := "Shipping/Lost"
	if _, err := s.SetFeedback(ctx, "ann", []int64{f.ID}, model.FeedbackPatch{Category: &cat}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveCategory(ctx, "ann", "Shipping"); !errors.Is(err, model.ErrConflict) {
		t.Errorf("removing a used category: %v", err)
	}
	none := ""
	if _, err := s.SetFeedback(ctx, "ann", []int64{f.ID}, model.FeedbackPatch{Category: &none}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveCategory(ctx, "bo", "shipping"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveCategory(ctx, "bo", "Shipping"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("removing it twice: %v", err)
	}
	var n int
	s.db.QueryRow("SELECT count(*) FROM categories WHERE path LIKE 'Shipping%'").Scan(&n)
	if n != 0 {
		t.Errorf("%d Shipping categories left", n)
	}
	entries, _ := s.Audit(ctx, AuditQuery{Entity: "category"})
	if len(entries) != 4 || entries[0].Agent != "bo" || entries[0].Action != "delete" {
		t.Errorf("category audit = %+v", entries)
	}
}

func containsSlash(s string) bool {
	for _, r := range s {
		if r == '/' {
			return true
		}
	}
	return false
}

package storetest

import (
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// testNotesAndDetail: notes on a profile and on an item land on the
// customer's timeline (newest first) and in the item's detail, with the
// follow-ups promised on the item.
func testNotesAndDetail(t *testing.T, st model.Store) {
	c := create(t, st, "t", model.Customer{Name: "A"})
	f := addFeedback(t, st, "li.na", model.Feedback{CustomerID: c.ID, Subject: "s", Body: "b", CreatedAt: base.Add(-time.Hour)})
	n := must(st.AddNote(ctx, "emma", model.Note{CustomerID: c.ID, Body: "prefers 电话"}))(t)
	if n.ID == 0 || n.Agent != "emma" || n.CustomerID != c.ID || n.Body != "prefers 电话" {
		t.Errorf("note = %+v", n)
	}
	if _, err := st.AddNote(ctx, "emma", model.Note{CustomerID: c.ID + 1000, Body: "x"}); !isErr(err, model.ErrNotFound) {
		t.Errorf("a note on a missing customer: %v", err)
	}
	fn := must(st.AddFeedbackNote(ctx, "zhang", f.ID, "called, will refund"))(t)
	fu := must(st.AddFollowUp(ctx, "zhang", model.FollowUp{CustomerID: c.ID, FeedbackID: &f.ID, Due: base.Add(time.Hour), Note: "refund"}))(t)
	d := must(st.FeedbackDetail(ctx, f.ID))(t)
	if d.Feedback.ID != f.ID || len(d.FollowUps) != 1 || d.FollowUps[0].ID != fu.ID || len(d.History) == 0 {
		t.Errorf("detail = %+v", d)
	}
	tl := must(st.Timeline(ctx, c.ID, 50))(t)
	kinds := map[string]int{}
	for i, e := range tl {
		kinds[e.Type]++
		if i > 0 && e.At.After(tl[i-1].At) {
			t.Errorf("timeline not newest first at %d", i)
		}
	}
	if kinds["feedback"] != 1 || kinds["note"] != 2 || kinds["followup"] < 1 {
		t.Errorf("timeline kinds %v", kinds)
	}
	item := must(st.TimelineItem(ctx, "note", fn.ID))(t)
	if item.Note == nil || item.Note.Body != "called, will refund" {
		t.Errorf("timeline item = %+v", item)
	}
	item = must(st.TimelineItem(ctx, "followup", fu.ID))(t)
	if item.FollowUp == nil || item.FollowUp.Note != "refund" {
		t.Errorf("timeline follow-up = %+v", item)
	}
	if _, err := st.TimelineItem(ctx, "note", fn.ID+1000); !isErr(err, model.ErrNotFound) {
		t.Errorf("a missing note: %v", err)
	}
	sh := must(st.ScoreHistory(ctx, c.ID, 10))(t)
	if len(sh) != 0 {
		t.Errorf("score history without scores: %+v", sh)
	}
}

// testAddFeedbackKeepsAttrs: what AddFeedback is given is stored or
// refused, never dropped: an item's own attributes come back.
func testAddFeedbackKeepsAttrs(t *testing.T, st model.Store) {
	c := create(t, st, "t", model.Customer{Name: "A"})
	f := addFeedback(t, st, "t", model.Feedback{CustomerID: c.ID, Body: "b", Attrs: map[string]string{"order": "A-1"}})
	if got := must(st.Feedback(ctx, f.ID))(t); got.Attrs["order"] != "A-1" {
		t.Errorf("AddFeedback dropped the item's attributes: %v", got.Attrs)
	}
}

// testViews: saved views are per screen, replaced by name, deleted.
func testViews(t *testing.T, st model.Store) {
	v := must(st.SaveView(ctx, "li.na", model.SavedView{Screen: "inbox", Name: "my complaints",
		Filters: model.ViewFilters{Status: model.StatusOpen, Kind: model.KindComplaint, Agent: "li.na"}}))(t)
	if v.ID == 0 || v.CreatedBy != "li.na" {
		t.Errorf("saved %+v", v)
	}
	must(st.SaveView(ctx, "emma", model.SavedView{Screen: "inbox", Name: "my complaints",
		Filters: model.ViewFilters{Kind: model.KindComplaint}}))(t)
	must(st.SaveView(ctx, "emma", model.SavedView{Screen: "inbox", Name: "refunds", Filters: model.ViewFilters{Search: "退款"}}))(t)
	vs := must(st.Views(ctx, "inbox"))(t)
	if len(vs) != 2 || vs[0].Name != "my complaints" || vs[0].Filters.Status != "" || vs[1].Filters.Search != "退款" {
		t.Errorf("views = %+v", vs)
	}
	if err := st.DeleteView(ctx, "emma", vs[1].ID); err != nil {
		t.Fatal(err)
	}
	if vs := must(st.Views(ctx, "inbox"))(t); len(vs) != 1 {
		t.Errorf("after delete: %+v", vs)
	}
}

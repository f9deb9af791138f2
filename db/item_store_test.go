package db

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// TestFeedbackDetailReadsTheWholeItem logs a feedback item with imported
// attributes, classifies it, promises a follow-up on it and notes it, then
// reads the item view's detail back.
func TestFeedbackDetailReadsTheWholeItem(t *testing.T) {
	s := openTemp(t)
	bg := context.Background()
	clock := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return clock }
	tick := func() { clock = clock.Add(time.Hour) }

	c, err := s.CreateCustomer(bg, "ann", model.Customer{Name: "李娜", Email: "li.na@example.cn"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.AddFeedback(bg, "ann", model.Feedback{CustomerID: c.ID, Subject: "other item", Kind: model.KindQuestion})
	if err != nil {
		t.Fatal(err)
	}
	tick()
	fb, err := s.AddFeedback(bg, "ann", model.Feedback{CustomerID: c.ID, Kind: model.KindComplaint, Channel: "email",
		Subject: "退款一直没到账", Body: "申请退款两周了\n还没有到账", CSAT: scoreOf(2), CSATRaw: "不满意"})
	if err != nil {
		t.Fatal(err)
	}
	// Imported columns that match no field land in attrs (import writes them).
	if _, err := s.db.ExecContext(bg, `UPDATE feedback SET attrs = '{"订单号":"A-1001"}' WHERE id = ?`, fb.ID); err != nil {
		t.Fatal(err)
	}
	tick()
	st := model.StatusResolved
	if _, err := s.SetFeedback(bg, "bob", []int64{fb.ID}, model.FeedbackPatch{Status: &st}, 0); err != nil {
		t.Fatal(err)
	}
	tick()
	id := fb.ID
	if _, err := s.AddFollowUp(bg, "bob", model.FollowUp{CustomerID: c.ID, FeedbackID: &id, Due: clock.Add(24 * time.Hour), Note: "回电确认"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddFollowUp(bg, "bob", model.FollowUp{CustomerID: c.ID, FeedbackID: &other.ID, Due: clock.Add(24 * time.Hour), Note: "not this one"}); err != nil {
		t.Fatal(err)
	}
	tick()
	n, err := s.AddFeedbackNote(bg, "carol", fb.ID, "客户说周五前必须到账\nsecond line")
	if err != nil {
		t.Fatal(err)
	}

	d, err := s.FeedbackDetail(bg, fb.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := d.Feedback
	if f.Subject != "退款一直没到账" || f.Body != "申请退款两周了\n还没有到账" || f.Status != model.StatusResolved ||
		f.CSATRaw != "不满意" || f.Attrs["订单号"] != "A-1001" || f.ResolvedAt == nil {
		t.Errorf("feedback read back: %+v", f)
	}
	if len(d.FollowUps) != 1 || d.FollowUps[0].Note != "回电确认" {
		t.Errorf("follow-ups on the item: %+v", d.FollowUps)
	}
	if len(d.History) != 3 {
		t.Fatalf("history: %+v, want note, status change, create", d.History)
	}
	if h := d.History[0]; h.Action != "note" || h.Agent != "carol" || h.Summary != "note: 客户说周五前必须到账\nsecond line" {
		t.Errorf("newest history line: %+v", h)
	}
	if h := d.History[1]; h.Agent != "bob" || !strings.Contains(h.Summary, "status: open → resolved") ||
		!strings.Contains(h.Summary, "resolved_at: – → "+time.Date(2026, 5, 4, 11, 0, 0, 0, time.UTC).In(time.Local).Format("2006-01-02 15:04")) {
		t.Errorf("status change in history: %+v", h)
	}
	if h := d.History[2]; h.Action != "create" || h.Agent != "ann" {
		t.Errorf("oldest history line: %+v", h)
	}

	// The note is the customer's too: on the timeline, in full from there.
	it, err := s.TimelineItem(bg, "note", n.ID)
	if err != nil || it.Note == nil || it.Note.Body != "客户说周五前必须到账\nsecond line" || it.Note.Agent != "carol" {
		t.Errorf("note read back: %+v %v", it.Note, err)
	}
	it, err = s.TimelineItem(bg, "followup", d.FollowUps[0].ID)
	if err != nil || it.FollowUp == nil || it.FollowUp.Note != "回电确认" || len(it.History) == 0 {
		t.Errorf("follow-up read back: %+v %v", it, err)
	}
	if _, err := s.FeedbackDetail(bg, 999999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing item: %v, want ErrNotFound", err)
	}
	if _, err := s.TimelineItem(bg, "note", 999999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("missing note: %v, want ErrNotFound", err)
	}
	if _, err := s.AddFeedbackNote(bg, "carol", fb.ID, "   "); !errors.Is(err, model.ErrInvalid) {
		t.Errorf("empty note: %v, want ErrInvalid", err)
	}
}

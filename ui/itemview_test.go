package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// itemBody is what a customer wrote: long Chinese text that must wrap,
// with an escape sequence that must not reach the terminal.
const itemBody = "我们公司上个月续费了企业版，但是发票抬头写错了，已经联系过三次客服，每次都说会在三个工作日内处理，到现在还没有收到新的发票。\x1b]0;pwned\x07\x1b[31m财务那边催得很紧\x1b[0m，请尽快处理。\n\nSecond paragraph: order A-1001, invoice INV-2026-0042."

// importedItem adds, through the importer's sink, a feedback item with
// imported attributes for 王芳; it is the newest item.
func importedItem(t *testing.T, st *db.Store) {
	t.Helper()
	rec := model.ImportRecord{Line: 2, Customer: model.Customer{Email: "wang.fang@example.cn"}, FeedbackKey: "ZD-4711",
		Feedback: &model.Feedback{Source: "zendesk", ExternalID: "ZD-4711", Channel: "email", Kind: model.KindComplaint,
			Subject: "发票抬头错误，三次联系未解决 \x1b[2J", Body: itemBody, CSAT: ptr(1), CSATRaw: "非常不满意",
			Agent: "li.na", CreatedAt: fixedNow.Add(-2 * time.Hour),
			Attrs: map[string]string{"订单号": "A-1001", "合同金额": "¥128,000"}}}
	if _, err := st.ImportBatch(context.Background(), "tester", "zendesk", []model.ImportRecord{rec}, false); err != nil {
		t.Fatal(err)
	}
}

// itemText is all of the item view's content, scrolled or not.
func itemText(m *Model) string {
	if m.item.detail != nil {
		return m.item.feedbackView(m.item.width)
	}
	return m.item.otherView(m.item.width)
}

func TestItemViewFromInbox(t *testing.T) {
	st := testStore(t)
	importedItem(t, st)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2")...)
	if got := m.inbox.rows[0].Subject; !strings.HasPrefix(got, "发票抬头错误") {
		t.Fatalf("newest item is %q", got)
	}
	send(t, m, nil, keys("enter")...)
	if m.item == nil || m.item.detail == nil || m.focused() != m.item {
		t.Fatal("enter in the Inbox should open the item view")
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "item_100x30", frame)
	for _, want := range []string{"Feedback #", "1 / 5", "非常不满意", "complaint", "zendesk #ZD-4711", "What they said",
		"我们公司上个月续费了企业版"} {
		if !strings.Contains(frame, want) {
			t.Errorf("item view lacks %q", want)
		}
	}
	// The whole body is there, wrapped, not cut: scroll to the end.
	content := m.item.vp.View()
	send(t, m, nil, keys("G")...)
	all := content + m.item.vp.View()
	for _, want := range []string{"请尽快处理。", "INV-2026-0042", "订单号", "¥128,000", "History ("} {
		if !strings.Contains(all, want) {
			t.Errorf("scrolled item view lacks %q:\n%s", want, all)
		}
	}
	if m.item.vp.YOffset == 0 {
		t.Error("G should scroll to the bottom")
	}
	send(t, m, nil, keys("g")...)
	if m.item.vp.YOffset != 0 {
		t.Error("g should scroll to the top")
	}
	small := m.viewAt(t, 60, 15)
	assertFrame(t, small, 60, 15)
	golden(t, "item_60x15", small)
	send(t, m, nil, keys("esc")...)
	if m.item != nil || m.focused() != m.inbox {
		t.Error("esc should return to the Inbox")
	}
}

func TestItemViewKeysChangeTheItem(t *testing.T) {
	st := testStore(t)
	importedItem(t, st)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("2", "enter")...)
	id := m.item.id

	// s: the Inbox's status chooser, on this item.
	send(t, m, nil, keys("s")...)
	if m.item.acts.form() == nil || !strings.Contains(m.View(), "Status · 1 item") {
		t.Fatalf("s should open the status chooser:\n%s", m.View())
	}
	send(t, m, nil, keys("G", "enter")...) // the last choice: closed
	got, err := st.Feedback(context.Background(), id)
	if err != nil || got.Status != model.StatusClosed {
		t.Fatalf("after s G enter the item is %s (%v), want closed", got.Status, err)
	}
	if !strings.Contains(itemText(m), "status: open → closed") || !strings.Contains(lastLine(m.View()), "status closed: 1 changed") {
		t.Errorf("the item view should show the change in its history and the status bar:\n%s", m.View())
	}

	// c: the category chooser.
	send(t, m, nil, keys("c")...)
	if m.item.acts.form() == nil {
		t.Fatal("c should open the category chooser")
	}
	send(t, m, nil, keys("down", "enter")...)
	got, _ = st.Feedback(context.Background(), id)
	if got.Category == "" || m.item.detail.Feedback.Category != got.Category {
		t.Errorf("after c the item's category is %q, view shows %q", got.Category, m.item.detail.Feedback.Category)
	}

	// t: tags, typed in the prompt at the bottom; p: priority.
	send(t, m, nil, keys("t")...)
	if !strings.Contains(m.View(), "tags: ") {
		t.Fatalf("t should open the tags prompt:\n%s", m.View())
	}
	send(t, m, nil, keys("+发票", "enter", "p", "down", "enter")...)
	got, _ = st.Feedback(context.Background(), id)
	if strings.Join(got.Tags, ",") != "发票" || got.Priority == model.PriorityNormal || !strings.Contains(m.View(), "#发票") {
		t.Errorf("after t and p: tags %v priority %s", got.Tags, got.Priority)
	}

	// n: a note on the item lands in its history and on the customer's timeline.
	send(t, m, nil, keys("n", "客户要求周五前开票", "enter")...)
	d, _ := st.FeedbackDetail(context.Background(), id)
	if d.History[0].Action != "note" || !strings.Contains(itemText(m), "note: 客户要求周五前开票") {
		t.Errorf("note: history %+v", d.History[0])
	}
	tl, _ := st.Timeline(context.Background(), got.CustomerID, 10)
	if tl[0].Type != "note" || tl[0].Summary != "客户要求周五前开票" {
		t.Errorf("the note should top the customer's timeline: %+v", tl[0])
	}

	// U: a follow-up on the item, listed under it.
	send(t, m, nil, keys("U")...)
	if m.item.acts.form() == nil {
		t.Fatal("U should open the follow-up form")
	}
	send(t, m, nil, keys("ctrl+s")...)
	d, _ = st.FeedbackDetail(context.Background(), id)
	if len(d.FollowUps) != 1 || len(m.item.detail.FollowUps) != 1 {
		t.Errorf("U ctrl+s: %d follow-ups on the item, view shows %d", len(d.FollowUps), len(m.item.detail.FollowUps))
	}
	// The Inbox behind shows the change when the view closes.
	send(t, m, nil, keys("esc")...)
	for _, f := range m.inbox.rows {
		if f.ID == id {
			t.Errorf("the closed item is still listed under status open")
		}
	}
}

func TestItemViewFromProfileTimeline(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 35)
	send(t, m, nil, keys("/", "wang.fang", "enter", "enter")...)
	p := m.profile
	if p == nil || len(p.timeline) != 5 {
		t.Fatal("the profile should open with 5 timeline entries")
	}
	frame := m.View()
	// At 120 columns the subject is on its own line, whole.
	if !strings.Contains(frame, "› 2025-10-23") || !strings.Contains(frame, "退款一直没到账") {
		t.Errorf("timeline cursor or subject missing:\n%s", frame)
	}
	// j j moves the cursor to the third entry (a feedback item), enter opens it.
	send(t, m, nil, keys("j", "j")...)
	if p.tsel != 2 || p.timeline[2].Type != "feedback" {
		t.Fatalf("cursor at %d (%s)", p.tsel, p.timeline[p.tsel].Type)
	}
	send(t, m, nil, keys("enter")...)
	if m.item == nil || m.item.detail == nil || m.item.detail.Feedback.Subject != "如何导出发票" {
		t.Fatal("enter on a feedback entry should open it in the item view")
	}
	send(t, m, nil, keys("s", "G", "enter")...)
	if m.item.detail.Feedback.Status != model.StatusClosed {
		t.Errorf("s from the item view opened from a profile: %s", m.item.detail.Feedback.Status)
	}
	send(t, m, nil, keys("esc")...)
	if m.item != nil || m.focused() != m.profile {
		t.Fatal("esc should return to the profile")
	}
	if !strings.Contains(m.View(), "[question/chat, closed]") {
		t.Errorf("the profile should show the change:\n%s", m.View())
	}
	// A note opens in full.
	send(t, m, nil, keys("k")...)
	send(t, m, nil, keys("enter")...)
	if m.item == nil || m.item.other == nil || m.item.other.Note == nil ||
		!strings.Contains(m.View(), "Prefers WeChat over email") || !strings.Contains(m.View(), "Note #") {
		t.Fatalf("enter on a note should show it in full:\n%s", m.View())
	}
	send(t, m, nil, keys("esc", "k", "enter")...)
	if m.item == nil || m.item.other == nil || m.item.other.FollowUp == nil || !strings.Contains(m.View(), "回电确认退款到账") {
		t.Fatalf("enter on a follow-up should show it in full:\n%s", m.View())
	}
}

// On a narrow profile the timeline is below the attributes: j scrolls down
// to it first, then moves the cursor; k above the first entry scrolls back.
func TestNarrowProfileScrollsToTimeline(t *testing.T) {
	m := newTestModel(t, testStore(t), 60, 15)
	send(t, m, nil, keys("/", "wang.fang", "enter", "enter")...)
	p := m.profile
	if p == nil || p.tlTop < p.vp.Height {
		t.Fatalf("the timeline should start below the fold at 60x15 (top %d, height %d)", p.tlTop, p.vp.Height)
	}
	send(t, m, nil, keys("j")...)
	if p.tsel != 0 || p.vp.YOffset != 1 {
		t.Errorf("j above the timeline: cursor %d, offset %d; want 0, 1", p.tsel, p.vp.YOffset)
	}
	for i := 0; i < 40 && !p.timelineInSight(); i++ {
		send(t, m, nil, keys("j")...)
	}
	send(t, m, nil, keys("j")...)
	if p.tsel != 1 {
		t.Errorf("j with the timeline in sight should move the cursor: %d", p.tsel)
	}
	if !strings.Contains(m.View(), "› ") {
		t.Errorf("the cursor should be on screen:\n%s", m.View())
	}
	send(t, m, nil, keys("k", "k")...)
	if p.tsel != 0 {
		t.Errorf("k: cursor %d", p.tsel)
	}
	before := p.vp.YOffset
	send(t, m, nil, keys("k")...)
	if p.vp.YOffset != before-1 {
		t.Errorf("k on the first entry should scroll up: %d → %d", before, p.vp.YOffset)
	}
	send(t, m, nil, keys("G")...)
	if p.tsel != len(p.timeline)-1 || !strings.Contains(m.View(), "› ") {
		t.Errorf("G: cursor %d of %d", p.tsel, len(p.timeline))
	}
	send(t, m, nil, keys("g")...)
	if p.tsel != 0 || p.vp.YOffset != 0 {
		t.Errorf("g: cursor %d offset %d", p.tsel, p.vp.YOffset)
	}
}

// An Insights drill into the Inbox shows the drilled list, not an item
// view left open on the Inbox tab.
func TestDrillClosesItemView(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	send(t, m, nil, keys("2", "enter", "4")...)
	if m.item == nil {
		t.Fatal("the item view should stay open on the Inbox tab")
	}
	send(t, m, nil, drillInboxMsg{kind: model.KindComplaint})
	if m.item != nil || m.focused() != m.inbox || m.inbox.kind != model.KindComplaint {
		t.Errorf("after a drill: item %v, focused %T", m.item != nil, m.focused())
	}
}

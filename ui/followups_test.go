package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

func TestFollowUpQueue(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 20)
	if !strings.Contains(m.View(), "1 overdue") {
		t.Errorf("the status bar should count my overdue follow-ups:\n%s", m.View())
	}
	send(t, m, nil, keys("3")...)
	frame := m.View()
	assertFrame(t, frame, 100, 20)
	golden(t, "followups_overdue", frame)
	f := m.followUps
	if len(f.rows) != 1 || f.rows[0].Note != "回电确认退款到账" || !strings.Contains(frame, "2 d overdue") {
		t.Fatalf("overdue section: %d rows", len(f.rows))
	}
	// → today; m shows everyone's; → upcoming holds Emma's.
	send(t, m, nil, keys("l")...)
	if len(f.rows) != 1 || f.rows[0].Note != "check the login fix" {
		t.Errorf("today section: %+v", f.rows)
	}
	send(t, m, nil, keys("l")...)
	if len(f.rows) != 0 {
		t.Errorf("my upcoming should be empty, got %d", len(f.rows))
	}
	send(t, m, nil, keys("m")...)
	if len(f.rows) != 1 || f.rows[0].Assignee != "emma" {
		t.Errorf("everyone's upcoming: %+v", f.rows)
	}
	// Back to overdue, mark it done: it leaves the section, lands in done,
	// and the status bar stops counting it.
	send(t, m, nil, keys("m", "h", "h", "x")...)
	if len(f.rows) != 0 || f.counts["done"] != 1 {
		t.Errorf("after x: %d overdue rows, counts %v", len(f.rows), f.counts)
	}
	frame = m.View()
	if strings.Contains(lastLine(frame), " overdue") || !strings.Contains(frame, "follow-up 1 for 王芳 done") {
		t.Errorf("status bar after done:\n%s", frame)
	}
	// z snoozes today's item by a day: it moves to upcoming.
	send(t, m, nil, keys("l", "z")...)
	if len(f.rows) != 0 || f.counts["upcoming"] != 1 {
		t.Errorf("after z: today %d, counts %v", len(f.rows), f.counts)
	}
}

// TestFollowUpBulk: select two of everyone's open follow-ups, reassign
// them in one go, then close one with an outcome that lands on the
// customer's timeline.
func TestFollowUpBulk(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 20)
	send(t, m, nil, keys("3", "m", "l", "l")...) // everyone's upcoming: Emma's demo
	f := m.followUps
	send(t, m, nil, keys("h", "space")...) // today: the login fix
	send(t, m, nil, keys("h", "space")...) // overdue: the refund call-back
	if f.picked.len() != 2 || !strings.Contains(m.View(), "2 selected") {
		t.Fatalf("two should be selected:\n%s", m.View())
	}
	send(t, m, nil, keys("a", "", "enter")...)
	if !f.prompt.active() || !strings.Contains(m.View(), "type the agent's name") {
		t.Fatalf("an empty name should be refused:\n%s", m.View())
	}
	send(t, m, nil, keys("li.na", "enter")...)
	if f.picked.len() != 0 || !strings.Contains(m.status, "2 follow-ups reassigned to li.na") {
		t.Fatalf("status %q", m.status)
	}
	fs, err := st.FollowUpPage(context.Background(), model.FollowUpQuery{Assignee: "li.na", State: model.StateOpen, Limit: 10})
	if err != nil || len(fs.Rows) != 2 {
		t.Fatalf("li.na's open follow-ups: %+v %v", fs.Rows, err)
	}
	// @ shows one agent's queue.
	send(t, m, nil, keys("@", "emma", "enter", "l", "l")...)
	if len(f.rows) != 1 || f.rows[0].Note != "demo SSO" || !strings.Contains(m.View(), "emma's") {
		t.Errorf("emma's upcoming: %+v", f.rows)
	}
	send(t, m, nil, keys("h", "h")...)
	send(t, m, nil, keys("m", "m")...) // back to everyone's
	// X closes with an outcome note.
	send(t, m, nil, keys("X", "refund arrived", "enter")...)
	c, _ := st.FindCustomer(context.Background(), "wang.fang@example.cn")
	tl, _ := st.Timeline(context.Background(), c.ID, 10)
	if len(tl) == 0 || tl[0].Type != "note" || !strings.Contains(tl[0].Summary, "refund arrived") {
		t.Errorf("the outcome should be on the timeline: %+v", tl)
	}
}

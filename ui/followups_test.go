package ui

import (
	"strings"
	"testing"
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

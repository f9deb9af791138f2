package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// l on a profile is a choice of the seven stages with the current one
// selected, and a change asks first (issue 16, defect 7).
func TestProfileLifecycleIsAChoiceWithConfirmation(t *testing.T) {
	st := testStore(t)
	for _, size := range [][2]int{{100, 30}, {60, 15}} {
		m := newTestModel(t, st, size[0], size[1])
		p := openProfile(t, m, "王芳")
		send(t, m, nil, keys("l")...)
		frame := m.View()
		assertFrame(t, frame, size[0], size[1])
		golden(t, "profile_lifecycle_"+sizeName(size), frame)
		if p.customer.Lifecycle != model.LifecyclePaying {
			t.Fatalf("l alone must not change the lifecycle (now %s)", p.customer.Lifecycle)
		}
		if !strings.Contains(frame, "› paying  (now)") {
			t.Errorf("the current stage should be selected:\n%s", frame)
		}
		send(t, m, nil, keys("esc")...)
	}
	m := newTestModel(t, st, 100, 30)
	p := openProfile(t, m, "王芳")
	for _, l := range model.Lifecycles {
		send(t, m, nil, keys("l")...)
		if !strings.Contains(m.View(), string(l)) {
			t.Errorf("stage %s not offered", l)
		}
		send(t, m, nil, keys("esc")...)
	}
	// Two down (referrer, at_risk), enter asks; n keeps the list, esc
	// leaves without a change.
	send(t, m, nil, keys("l", "down", "down", "enter")...)
	if !strings.Contains(m.View(), "from paying to at_risk? y/n") {
		t.Fatalf("a change should be confirmed first:\n%s", m.View())
	}
	send(t, m, nil, keys("n", "esc")...)
	c, _ := st.Customer(context.Background(), p.id)
	if c.Lifecycle != model.LifecyclePaying || p.form() != nil {
		t.Fatalf("n then esc must change nothing: %s", c.Lifecycle)
	}
	send(t, m, nil, keys("l", "down", "down", "enter", "y")...)
	c, _ = st.Customer(context.Background(), p.id)
	if c.Lifecycle != model.LifecycleAtRisk || !strings.Contains(m.status, "lifecycle paying → at_risk") {
		t.Errorf("after y: %s, status %q", c.Lifecycle, m.status)
	}
}

func sizeName(s [2]int) string { return fmt.Sprintf("%dx%d", s[0], s[1]) }

package ui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// Plan, channel and assignee offer the values in use; a new one is
// confirmed first (issue 16, defect 9).
func TestPlanOffersValuesInUseAndConfirmsANewOne(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 34)
	p := openProfile(t, m, "Lucas")
	// e, down to Plan (free), clear it and type "ent".
	send(t, m, nil, keys("e", "tab", "tab", "tab", "tab", "ctrl+u", "ent")...)
	frame := m.View()
	if line := lineWith(frame, "Plan"); !strings.Contains(line, "known: enterprise") {
		t.Errorf("the plans in use should show beside the field, got %q\n%s", line, frame)
	}
	golden(t, "edit_form_plan_completion", frame)
	// ctrl+e takes the suggestion.
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyCtrlE})
	if !strings.Contains(lineWith(m.View(), "Plan"), "> enterprise") {
		t.Fatalf("ctrl+e should complete to enterprise:\n%s", m.View())
	}
	// A misspelt plan asks first; n goes back, nothing saved.
	send(t, m, nil, keys("ctrl+u", "entreprise", "ctrl+s")...)
	if !strings.Contains(m.View(), "New plan 'entreprise'? (in use: enterprise) y/n") {
		t.Fatalf("a new plan should be confirmed:\n%s", m.View())
	}
	send(t, m, nil, keys("n")...)
	if c, _ := st.Customer(context.Background(), p.id); c.Plan != "free" || p.form() == nil {
		t.Fatalf("n must save nothing and keep the form: plan %q", c.Plan)
	}
	// A known plan in another letter case saves as the plan in use, without asking.
	send(t, m, nil, keys("ctrl+u", "Enterprise", "ctrl+s")...)
	if c, _ := st.Customer(context.Background(), p.id); c.Plan != "enterprise" || p.form() != nil {
		t.Fatalf("plan = %q, form open %v\n%s", c.Plan, p.form() != nil, m.View())
	}
	// y takes a new plan.
	send(t, m, nil, keys("e", "tab", "tab", "tab", "tab", "ctrl+u", "team", "ctrl+s", "y")...)
	if c, _ := st.Customer(context.Background(), p.id); c.Plan != "team" {
		t.Errorf("after y the new plan is saved: %q", c.Plan)
	}
}

func TestChannelOffersWechatAndConfirmsANewOne(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 34)
	p := openProfile(t, m, "Lucas")
	send(t, m, nil, keys("f", "加微信聊", "tab", "tab", "ctrl+u", "wec")...)
	if !strings.Contains(lineWith(m.View(), "Channel"), "wechat") {
		t.Errorf("wechat should be offered:\n%s", m.View())
	}
	send(t, m, nil, tea.KeyMsg{Type: tea.KeyCtrlE})
	send(t, m, nil, keys("ctrl+s")...)
	if p.form() != nil || len(p.timeline) == 0 {
		t.Fatalf("a wechat feedback should save without a question:\n%s", m.View())
	}
	fs, _ := st.ListFeedback(context.Background(), model.FeedbackQuery{Limit: 50})
	found := false
	for _, f := range fs {
		if f.Body == "加微信聊" && f.Channel == "wechat" {
			found = true
		}
	}
	if !found {
		t.Errorf("the feedback should be logged on wechat")
	}
	send(t, m, nil, keys("f", "by fax", "tab", "tab", "ctrl+u", "fax", "ctrl+s")...)
	if !strings.Contains(m.View(), "New channel 'fax'?") {
		t.Errorf("a new channel should be confirmed:\n%s", m.View())
	}
}

func TestReassignOffersAgentsAndConfirmsANewOne(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("3", "a", "em")...)
	if !strings.Contains(m.View(), "known: emma") {
		t.Errorf("the agents in use should be offered:\n%s", m.View())
	}
	send(t, m, nil, keys("tab", "enter")...)
	if !strings.Contains(m.status, "reassigned to emma") {
		t.Fatalf("tab should complete to emma and enter reassign: %q\n%s", m.status, m.View())
	}
	send(t, m, nil, keys("m", "a", "bob", "enter")...)
	if !strings.Contains(m.View(), "New agent 'bob'? y/n") {
		t.Fatalf("a new agent should be confirmed:\n%s", m.View())
	}
	send(t, m, nil, keys("y")...)
	if !strings.Contains(m.status, "reassigned to bob") {
		t.Errorf("y should reassign to bob: %q", m.status)
	}
	// The follow-up form asks too.
	p := openProfileFrom(t, m, "Lucas")
	send(t, m, nil, keys("u", "tab", "tab", "ctrl+u", "zed", "ctrl+s")...)
	if p.form() == nil || !strings.Contains(m.View(), "New agent 'zed'?") {
		t.Errorf("the follow-up form should confirm a new assignee:\n%s", m.View())
	}
}

// openProfileFrom goes to Customers first, then opens the profile.
func openProfileFrom(t *testing.T, m *Model, name string) *profileScreen {
	t.Helper()
	send(t, m, nil, keys("1")...)
	return openProfile(t, m, name)
}

package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// openProfile searches for a customer and opens the first match.
func openProfile(t *testing.T, m *Model, name string) *profileScreen {
	t.Helper()
	send(t, m, nil, keys("/", name, "enter", "enter")...)
	if m.profile == nil || m.profile.customer == nil || !strings.Contains(m.profile.customer.Name, name) {
		t.Fatalf("profile of %s should be open", name)
	}
	return m.profile
}

func TestLogFeedbackForm(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 34)
	p := openProfile(t, m, "Lucas")
	send(t, m, nil, keys("f")...)
	if p.form() == nil {
		t.Fatal("f should open the log-feedback form")
	}
	// The text, then kind complaint (one step right), channel as is, CSAT 2.
	send(t, m, nil, keys("App keeps logging me out", "tab", "right", "tab", "tab", "2")...)
	frame := m.View()
	assertFrame(t, frame, 120, 34)
	golden(t, "feedback_form", frame)
	// A CSAT of 7 is refused inline and nothing is saved.
	send(t, m, nil, keys("backspace", "7", "ctrl+s")...)
	if p.form() == nil || !strings.Contains(m.View(), "CSAT is a whole number from 1 to 5") {
		t.Fatalf("CSAT 7 should be refused in the form:\n%s", m.View())
	}
	send(t, m, nil, keys("backspace", "2", "ctrl+s")...)
	if p.form() != nil || !strings.Contains(m.status, "feedback logged") {
		t.Fatalf("ctrl+s should save: status %q", m.status)
	}
	if len(p.timeline) == 0 || p.timeline[0].Type != "feedback" || p.timeline[0].CSAT == nil || *p.timeline[0].CSAT != 2 ||
		!strings.Contains(p.timeline[0].Summary, "complaint") || !strings.Contains(p.timeline[0].Summary, "App keeps logging me out") {
		t.Errorf("the timeline should start with the complaint: %+v", p.timeline)
	}
	if p.customer.ComplaintsOpen != 1 || p.customer.CSATN != 1 {
		t.Errorf("derived figures not refreshed: %+v", p.customer)
	}
}

func TestFormEscAsksOnlyWhenSomethingWasTyped(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	p := openProfile(t, m, "Lucas")
	send(t, m, nil, keys("f", "esc")...)
	if p.form() != nil || m.profile == nil {
		t.Fatal("esc on an untouched form should close it, and only it")
	}
	send(t, m, nil, keys("f", "half a thought", "esc")...)
	if p.form() == nil || !p.form().confirm || !strings.Contains(m.View(), "Discard what you typed?") {
		t.Fatalf("esc after typing should ask:\n%s", m.View())
	}
	send(t, m, nil, keys("n")...)
	if p.form() == nil || p.form().confirm {
		t.Fatal("n should go back to the form")
	}
	// ctrl+c over unsaved input asks for a second ctrl+c.
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	if cmd != nil || !strings.Contains(m.status, "ctrl+c again") {
		t.Fatalf("ctrl+c over a typed form should warn first (status %q)", m.status)
	}
	send(t, m, nil, keys("esc", "y")...)
	if p.form() != nil || len(p.timeline) != 0 {
		t.Fatalf("y should discard without saving: %+v", p.timeline)
	}
}

func TestTagsPromptMergesTags(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	p := openProfile(t, m, "王芳")
	send(t, m, nil, keys("t", "+renewal -vip", "enter")...)
	got := strings.Join(p.customer.Tags, ",")
	if got != "renewal,大客户" && got != "大客户,renewal" {
		t.Errorf("tags after t = %q", got)
	}
}

// TestEditConflictKeepsTyping: Bob changes the plan while we edit the
// same customer; our save is refused, the conflict view says who changed
// what, and r re-opens our edit on top of his version.
func TestEditConflictKeepsTyping(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	p := openProfile(t, m, "Emma")
	send(t, m, nil, keys("e")...)
	if p.form() == nil {
		t.Fatal("e should open the edit form")
	}
	// Company is the fourth field: replace it.
	send(t, m, nil, keys("tab", "tab", "tab")...)
	for range "Blue Harbor Analytics GmbH" {
		send(t, m, nil, keys("backspace")...)
	}
	send(t, m, nil, keys("Blue Harbor AG")...)

	other, err := db.Open(context.Background(), st.Path(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Now = func() time.Time { return fixedNow.Add(-10 * time.Minute) }
	plan := "enterprise"
	if _, err := other.UpdateCustomer(context.Background(), "bob", p.customer.ID, model.CustomerPatch{Plan: &plan}, 0); err != nil {
		t.Fatal(err)
	}
	send(t, m, nil, keys("ctrl+s")...)
	frame := m.View()
	assertFrame(t, frame, 120, 30)
	golden(t, "edit_conflict", frame)
	if p.conflict == nil || !strings.Contains(frame, "bob changed this customer") ||
		!strings.Contains(frame, "pro → enterprise") || !strings.Contains(frame, "Blue Harbor AG") {
		t.Fatalf("the conflict view should say who changed what and keep the edit:\n%s", frame)
	}
	send(t, m, nil, keys("r")...)
	if p.form() == nil || p.conflict != nil {
		t.Fatal("r should re-open the form")
	}
	send(t, m, nil, keys("ctrl+s")...)
	c, _ := st.Customer(context.Background(), p.customer.ID)
	if c.Company != "Blue Harbor AG" || c.Plan != "enterprise" {
		t.Errorf("after re-applying: company %q plan %q (both changes should be kept)", c.Company, c.Plan)
	}
}

func TestNewCustomerFromCustomersScreen(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("a", "李雷", "tab", "li.lei@example.cn", "ctrl+s")...)
	if m.profile == nil || m.profile.customer == nil || m.profile.customer.Name != "李雷" {
		t.Fatalf("saving a new customer should open their profile:\n%s", m.View())
	}
	if _, err := st.FindCustomer(context.Background(), "LI.LEI@example.cn"); err != nil {
		t.Error(err)
	}
}

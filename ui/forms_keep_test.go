package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// A refused save keeps the form open with the draft and says why beside
// the field (issue 16, defect 1).
func TestEditFormKeepsDraftOnRefusedSave(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 34)
	p := openProfile(t, m, "Lucas")
	send(t, m, nil, keys("e", "tab", "ctrl+u", "not-an-email", "tab", "tab", "tab")...)
	// Plan: replace "free" with "pro"; then on to the value.
	send(t, m, nil, keys("backspace", "backspace", "backspace", "backspace", "pro", "tab", "tab", "tab", "tab", "tab", "2500", "ctrl+s")...)
	frame := m.View()
	assertFrame(t, frame, 120, 34)
	if p.form() == nil {
		t.Fatalf("a refused save must keep the form open:\n%s", frame)
	}
	d := p.form()
	_ = d
	line := lineWith(frame, "not-an-email")
	if !strings.Contains(line, "not an email address") {
		t.Errorf("the reason should be beside the Email field, got line %q\n%s", line, frame)
	}
	if !strings.Contains(frame, "> pro") || !strings.Contains(frame, "> 2500") {
		t.Errorf("the draft (plan, LTV) should be intact:\n%s", frame)
	}
	golden(t, "edit_form_refused", frame)
	// On a small terminal the refused field scrolls into view with its reason.
	small := m.viewAt(t, 60, 15)
	assertFrame(t, small, 60, 15)
	golden(t, "edit_form_refused_60x15", small)
	if !strings.Contains(small, "not-an-email") || !strings.Contains(small, "is not an email address") {
		t.Errorf("at 60×15 the refused e-mail and its reason should show:\n%s", small)
	}
	send(t, m, nil, tea.WindowSizeMsg{Width: 120, Height: 34})
	c, _ := st.Customer(context.Background(), p.id)
	if c.Plan != "free" || c.LTV != 0 {
		t.Errorf("nothing should be saved: %+v", c)
	}
	// The focus is back on the e-mail: fix it, and the same form saves
	// everything typed.
	send(t, m, nil, keys("ctrl+u", "lucas@example.fr", "ctrl+s")...)
	if p.form() != nil {
		t.Fatalf("a valid draft should save and close:\n%s", m.View())
	}
	c, _ = st.Customer(context.Background(), p.id)
	if c.Email != "lucas@example.fr" || c.Plan != "pro" || c.LTV != 2500 {
		t.Errorf("saved = %q %q %v", c.Email, c.Plan, c.LTV)
	}
}

// refusingStore refuses every write of one kind, as a store would on a
// duplicate or a broken rule the form cannot see.
type refusingStore struct {
	Store
	err error
}

func (s refusingStore) AddFeedback(context.Context, string, model.Feedback) (model.Feedback, error) {
	return model.Feedback{}, s.err
}

func (s refusingStore) AddFollowUp(context.Context, string, model.FollowUp) (model.FollowUp, error) {
	return model.FollowUp{}, s.err
}

func (s refusingStore) CreateCustomer(context.Context, string, model.Customer) (model.Customer, error) {
	return model.Customer{}, s.err
}

func (s refusingStore) AddNote(context.Context, string, model.Note) (model.Note, error) {
	return model.Note{}, s.err
}

func TestFormsKeepDraftWhenTheStoreRefuses(t *testing.T) {
	st := refusingStore{Store: testStore(t), err: fmt.Errorf("%w: the database refused it", model.ErrConflict)}
	m := newTestModel(t, st, 120, 34)
	p := openProfile(t, m, "Lucas")
	send(t, m, nil, keys("f", "the app is slow", "ctrl+s")...)
	if p.form() == nil || !strings.Contains(m.View(), "the database refused it") || !strings.Contains(m.View(), "the app is slow") {
		t.Fatalf("feedback form should stay open with the text:\n%s", m.View())
	}
	send(t, m, nil, keys("esc", "y", "u", "tab", "tab", "tab", "call back", "ctrl+s")...)
	if p.form() == nil || !strings.Contains(m.View(), "the database refused it") || !strings.Contains(m.View(), "call back") {
		t.Fatalf("follow-up form should stay open with the promise:\n%s", m.View())
	}
	send(t, m, nil, keys("esc", "y", "n", "a long note", "enter")...)
	if p.asking != "note" || p.input.Value() != "a long note" || !strings.Contains(m.View(), "the database refused it") {
		t.Fatalf("the note prompt should stay open with the text:\n%s", m.View())
	}
	send(t, m, nil, keys("esc", "esc", "1", "a", "Nina Test", "ctrl+s")...)
	if m.customers.form() == nil || !strings.Contains(m.View(), "Nina Test") || !strings.Contains(m.View(), "the database refused it") {
		t.Fatalf("the new-customer form should stay open:\n%s", m.View())
	}
	send(t, m, nil, keys("esc", "y", "2", "a", "Emma", "enter", "the export fails", "ctrl+s")...)
	if m.inbox.form() == nil || !strings.Contains(m.View(), "the export fails") || !strings.Contains(m.View(), "the database refused it") {
		t.Fatalf("the Inbox's log form should stay open:\n%s", m.View())
	}
}

// lineWith is the first line of frame holding s.
func lineWith(frame, s string) string {
	for _, l := range strings.Split(frame, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func (s refusingStore) FollowUpDone(context.Context, string, int64) error { return s.err }

func (s refusingStore) SetFeedback(context.Context, string, []int64, model.FeedbackPatch, int64) (model.BulkResult, error) {
	return model.BulkResult{}, s.err
}

// The follow-up outcome and the Inbox's tags prompts keep the typed text
// when the store refuses the write, and close once it is saved.
func TestPromptsKeepTheirTextWhenRefused(t *testing.T) {
	st := refusingStore{Store: testStore(t), err: fmt.Errorf("%w: the database refused it", model.ErrConflict)}
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("3", "X", "called, refund arrived", "enter")...)
	f := m.followUps
	if !f.prompt.active() || f.prompt.input.Value() != "called, refund arrived" || !strings.Contains(m.View(), "not saved: 0 of 1 done") {
		t.Fatalf("the outcome should stay typed with the reason:\n%s", m.View())
	}
	send(t, m, nil, keys("esc", "2", "t", "+billing", "enter")...)
	in := m.inbox
	if !in.prompt.active() || in.prompt.input.Value() != "+billing" || !strings.Contains(m.View(), "the database refused it") {
		t.Fatalf("the tags should stay typed with the reason:\n%s", m.View())
	}
	// With a store that saves, the prompt closes.
	m = newTestModel(t, testStore(t), 120, 30)
	send(t, m, nil, keys("3", "X", "called, refund arrived", "enter")...)
	if m.followUps.prompt.active() || !strings.Contains(m.status, "done") {
		t.Errorf("a saved outcome closes the prompt: status %q", m.status)
	}
}

// enter on the last field saves like ctrl+s, and a refusal there keeps the
// whole form on screen (huh's own completion would have blanked it).
func TestEnterOnTheLastFieldKeepsARefusedForm(t *testing.T) {
	m := newTestModel(t, testStore(t), 120, 34)
	p := openProfile(t, m, "Lucas")
	send(t, m, nil, keys("e", "tab", "ctrl+u", "nope")...)
	for i := 0; i < 8; i++ {
		send(t, m, nil, keys("tab")...)
	}
	send(t, m, nil, keys("12", "enter")...)
	frame := m.View()
	if p.form() == nil || !strings.Contains(frame, "Name    > Lucas Martin") || !strings.Contains(lineWith(frame, "> nope"), "not an email address") {
		t.Fatalf("enter on the last field should keep the refused form, drawn:\n%s", frame)
	}
	send(t, m, nil, keys("ctrl+u", "lucas@example.fr", "enter")...) // the focus moved to the e-mail; enter there goes on
	if p.form() == nil {
		t.Fatal("enter on a middle field moves on, it does not save")
	}
	send(t, m, nil, keys("ctrl+s")...)
	if p.form() != nil || p.customer.Email != "lucas@example.fr" || p.customer.LTV != 12 {
		t.Errorf("saved: form open %v, %q %v", p.form() != nil, p.customer.Email, p.customer.LTV)
	}
}

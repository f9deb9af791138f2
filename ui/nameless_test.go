package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestNamelessCustomerShownByEmail: a customer an export gave only an
// e-mail (Zendesk Explore's requesters) is shown by that e-mail wherever
// a customer is named — the Inbox's Customer column and its preview, the
// follow-up queue — never as a blank.
func TestNamelessCustomerShownByEmail(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	c, err := st.CreateCustomer(ctx, "tester", model.Customer{Email: "requester@example.net"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddFeedback(ctx, "li.na", model.Feedback{CustomerID: c.ID, Channel: "email", Kind: model.KindComplaint,
		Subject: "Links stopped working", Status: model.StatusOpen}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddFollowUp(ctx, "tester", model.FollowUp{CustomerID: c.ID, Due: fixedNow.Add(-3600e9), Note: "call the requester"}); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("2", "/", "Links stopped", "enter")...)
	if v := m.View(); strings.Count(v, "requester@exam") < 2 {
		t.Errorf("Inbox row and preview should name requester@example.net:\n%s", v)
	}
	send(t, m, nil, keys("3")...)
	if v := m.View(); !strings.Contains(v, "requester@exam") {
		t.Errorf("Follow-ups should name requester@example.net:\n%s", v)
	}
}

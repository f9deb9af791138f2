package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// addTwin adds a second record of Lucas Martin (id 4 in testStore): his
// e-mail with a +tag and no dot, a phone, a tag and feedback and a note.
func addTwin(t *testing.T, st *db.Store) model.Customer {
	t.Helper()
	ctx := context.Background()
	twin, err := st.CreateCustomer(ctx, "tester", model.Customer{Name: "Lucas M.", Email: "lucasmartin+news@example.com",
		Phone: "+33 6 12 34 56 78", Company: "Northwind Traders", Plan: "pro", Lifecycle: model.LifecyclePaying, LTV: 900, Tags: []string{"newsletter"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []model.Feedback{
		{CustomerID: twin.ID, Channel: "email", Kind: model.KindComplaint, Subject: "Invoice twice", CSAT: ptr(2)},
		{CustomerID: twin.ID, Channel: "chat", Kind: model.KindQuestion, Subject: "Export to Excel?", CSAT: ptr(4), NPS: ptr(8)},
	} {
		if _, err := st.AddFeedback(ctx, "li.na", f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.AddNote(ctx, "li.na", model.Note{CustomerID: twin.ID, Body: "same person as Lucas Martin"}); err != nil {
		t.Fatal(err)
	}
	return twin
}

// TestProfileMergeView: M on Lucas Martin's profile, find the other record
// by typing, compare side by side, take its e-mail instead of his, merge
// with a confirmation; the profile then shows the survivor with all the
// history, and the other record is gone.
func TestProfileMergeView(t *testing.T) {
	st := testStore(t)
	twin := addTwin(t, st)
	for _, size := range []struct {
		w, h int
		name string
	}{{100, 30, "merge_view_100x30"}, {60, 15, "merge_view_60x15"}} {
		m := newTestModel(t, st, size.w, size.h)
		send(t, m, nil, keys("/", "Lucas Martin", "enter", "enter")...)
		if m.profile == nil || m.profile.customer == nil || m.profile.customer.Name != "Lucas Martin" {
			t.Fatalf("profile of Lucas Martin should be open:\n%s", m.View())
		}
		send(t, m, nil, keys("M", "lucasmartin+")...)
		if m.profile.merge == nil || m.profile.merge.picker == nil || len(m.profile.merge.picker.rows) != 1 {
			t.Fatalf("M should open a picker finding the other record:\n%s", m.View())
		}
		send(t, m, nil, keys("enter")...)
		v := m.profile.merge.view
		if v == nil || v.left == nil || v.right == nil || v.right.ID != twin.ID || v.moved.Feedback != 2 || v.moved.Notes != 1 {
			t.Fatalf("merge view not loaded:\n%s", m.View())
		}
		frame := m.View()
		assertFrame(t, frame, size.w, size.h)
		golden(t, size.name, frame)
		if !strings.Contains(frame, "keeps #4") || !strings.Contains(frame, "moves to #4: 2 feedback") {
			t.Errorf("frame lacks the survivor or the counts:\n%s", frame)
		}
		// Lucas has no phone: the twin's is taken by default; its e-mail
		// is not, until chosen.
		if !v.take["phone"] || v.take["email"] || !v.take["ltv"] {
			t.Errorf("default choice %v", v.take)
		}
	}
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("/", "Lucas Martin", "enter", "enter", ":", "merge with", "enter")...)
	if m.profile.merge == nil {
		t.Fatalf("the palette should start a merge:\n%s", m.View())
	}
	send(t, m, nil, keys("lucasmartin+", "enter")...)
	send(t, m, nil, keys("j", "l", "j", "h")...) // e-mail from the twin; phone stays Lucas's (none)
	send(t, m, nil, keys("ctrl+s")...)
	if frame := m.View(); !strings.Contains(frame, "Merge #38 Lucas M. into #4 Lucas Martin?") {
		t.Fatalf("ctrl+s should ask first:\n%s", frame)
	}
	send(t, m, nil, keys("n")...)
	if m.profile.merge == nil || m.profile.merge.view.confirming {
		t.Fatal("n should go back to the merge view")
	}
	send(t, m, nil, keys("ctrl+s", "y")...)
	if m.profile == nil || m.profile.merge != nil || m.profile.customer == nil {
		t.Fatalf("after the merge the survivor's profile should show:\n%s", m.View())
	}
	c := m.profile.customer
	if c.ID != 4 || c.Email != "lucasmartin+news@example.com" || c.Phone != "" || c.FeedbackN != 2 || c.Plan != "free" ||
		strings.Join(c.Tags, ",") != "newsletter" {
		t.Errorf("survivor %+v", c)
	}
	if !strings.Contains(m.status, "merged #38 into #4") || !strings.Contains(m.View(), "merged customer 38 (Lucas M.)") {
		t.Errorf("status %q, frame:\n%s", m.status, m.View())
	}
	if _, err := st.Customer(context.Background(), twin.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the merged record is still there: %v", err)
	}
}

// TestDuplicatesView: D on Customers lists the likely pair with why and
// its feedback count; enter compares them; a merge empties the list.
func TestDuplicatesView(t *testing.T) {
	st := testStore(t)
	addTwin(t, st)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("D")...)
	d := m.customers.dups
	if d == nil || len(d.pairs) != 1 || d.pairs[0].A.ID != 4 || strings.Join(d.pairs[0].Reasons, ",") != "email" {
		t.Fatalf("duplicates:\n%s", m.View())
	}
	frame := m.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "duplicates_view_100x30", frame)
	if !strings.Contains(frame, "lucas.martin@example.com ≈ lucasmartin+") {
		t.Errorf("the matched e-mails should show:\n%s", frame)
	}
	send(t, m, nil, keys("enter")...)
	if d.merge == nil || d.merge.right == nil || d.merge.right.Name != "Lucas M." {
		t.Fatalf("enter should compare the pair:\n%s", m.View())
	}
	send(t, m, nil, keys("esc")...)
	if d.merge != nil || m.customers.dups == nil {
		t.Fatal("esc should go back to the list")
	}
	send(t, m, nil, keys("enter", "ctrl+s", "enter")...)
	if m.customers.dups == nil || len(m.customers.dups.pairs) != 0 || !strings.Contains(m.status, "merged #38 into #4") {
		t.Errorf("after the merge:\n%s", m.View())
	}
	send(t, m, nil, keys("esc")...)
	if m.customers.dups != nil {
		t.Error("esc should close the duplicates view")
	}
	// The palette finds it by name.
	send(t, m, nil, keys(":", "duplicates", "enter")...)
	if m.customers.dups == nil {
		t.Errorf("the palette should open the duplicates view:\n%s", m.View())
	}
}

// TestAddCustomerWithTakenEmail: a on Customers with another customer's
// e-mail in another case is refused, naming that customer.
func TestAddCustomerWithTakenEmail(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("a", "Fang Wang", "tab", "WANG.FANG@example.cn", "ctrl+s")...)
	if frame := m.View(); !strings.Contains(frame, "belongs to customer 1 (王芳)") {
		t.Errorf("the refusal should name customer 1:\n%s", frame)
	}
	n, _, _ := st.CountCustomers(context.Background(), model.CustomerQuery{Search: "Fang Wang"}, 0)
	if n != 0 {
		t.Errorf("a second 王芳 was created")
	}
}

// TestEditCustomerToTakenPhone: e on a profile, giving another customer's
// phone written differently, is refused naming that customer.
func TestEditCustomerToTakenPhone(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 120, 30)
	send(t, m, nil, keys("/", "Lucas Martin", "enter", "enter", "e", "tab", "tab", "(138) 0013-8000", "ctrl+s")...)
	if frame := m.View(); !strings.Contains(frame, "belongs to customer 1 (王芳)") {
		t.Errorf("the refusal should name customer 1:\n%s", frame)
	}
	if c, _ := st.Customer(context.Background(), 4); c.Phone != "" {
		t.Errorf("Lucas's phone became %q", c.Phone)
	}
}

// TestMergeViewStale: someone changes the survivor while the view is open;
// the merge is refused with who did it, ctrl+r reloads, and the next try
// merges.
func TestMergeViewStale(t *testing.T) {
	st := testStore(t)
	twin := addTwin(t, st)
	m := newTestModel(t, st, 100, 30)
	send(t, m, nil, keys("/", "Lucas Martin", "enter", "enter", "M", "lucasmartin+", "enter")...)
	other, err := db.Open(context.Background(), st.Path(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	city := "Lyon"
	if _, err := other.UpdateCustomer(context.Background(), "bob", 4, model.CustomerPatch{City: &city}, 0); err != nil {
		t.Fatal(err)
	}
	send(t, m, nil, keys("ctrl+s", "y")...)
	if frame := m.View(); m.profile.merge == nil || !strings.Contains(frame, "not merged: customer changed since you loaded it (by bob) — ctrl+r reloads") {
		t.Fatalf("a stale merge should be refused in the view:\n%s", frame)
	}
	if _, err := st.Customer(context.Background(), twin.ID); err != nil {
		t.Fatalf("the refused merge removed the other record: %v", err)
	}
	send(t, m, nil, keys("ctrl+r")...)
	if v := m.profile.merge.view; v.left == nil || v.left.City != "Lyon" || v.err != nil {
		t.Fatalf("ctrl+r should reload:\n%s", m.View())
	}
	// x swaps who survives, and back.
	send(t, m, nil, keys("x")...)
	if v := m.profile.merge.view; v.left == nil || v.left.ID != twin.ID || v.right.ID != 4 || v.err != nil {
		t.Fatalf("x should swap the sides:\n%s", m.View())
	}
	send(t, m, nil, keys("x")...)
	if v := m.profile.merge.view; v.left == nil || v.left.City != "Lyon" || v.err != nil {
		t.Fatalf("swapping back reloads both:\n%s", m.View())
	}
	send(t, m, nil, keys("ctrl+s", "y")...)
	if m.profile.merge != nil || m.profile.customer.FeedbackN != 2 || m.profile.customer.City != "Lyon" {
		t.Errorf("after reload the merge should go through:\n%s", m.View())
	}
}

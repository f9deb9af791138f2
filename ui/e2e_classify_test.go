package ui

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/rapportcrm/rapport/model"
)

// TestEndToEndClassify is an agent's loop, typed into the real program:
// open a customer, log a complaint with CSAT 2, find it in the Inbox,
// classify it with a rule's suggestion, bulk-resolve three items, quit —
// then the database holds exactly that.
func TestEndToEndClassify(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	tm, waitFor := program(t, st, "li.na", 120, 34)
	typ := func(s string) { tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}) }
	press := func(k tea.KeyType) { tm.Send(tea.KeyMsg{Type: k}) }

	waitFor("1–29 of 37")
	typ("/")
	typ("Lucas")
	waitFor("1–1 of 1")
	press(tea.KeyEnter)
	press(tea.KeyEnter)
	waitFor("Northwind Traders", "Timeline (0)")
	typ("f")
	waitFor("What did they say?")
	typ("Charged twice, I want a refund")
	press(tea.KeyTab)
	waitFor("┃ Kind")
	press(tea.KeyRight) // feedback → complaint
	press(tea.KeyTab)
	press(tea.KeyTab)
	waitFor("┃ CSAT")
	typ("2")
	press(tea.KeyCtrlS)
	waitFor("feedback logged", "Timeline (1)")

	// Meanwhile a lead adds a rule; the Inbox suggests it for the item.
	if _, err := st.AddRule(ctx, "lead", model.Rule{Pattern: "refund|退款", Category: "Billing/Refund", Tags: []string{"refund"}}); err != nil {
		t.Fatal(err)
	}
	press(tea.KeyEsc)
	typ("2")
	waitFor("Charged twice", "rule suggests: Billing/Refund")
	typ("y")
	// The list reloads: the complaint's row shows its category.
	waitFor("Billing/Refund · #refund: 1 changed", "Billing/Refund   Charged twice")

	// Classified, the complaint leaves the top of the triage order; select
	// the three items now on top and resolve them in one go.
	press(tea.KeySpace)
	press(tea.KeySpace)
	press(tea.KeySpace)
	waitFor("3 selected")
	typ("s")
	waitFor("Status · 3 items", "› open  (now)")
	typ("j") // open (their status now) → pending → resolved
	typ("j")
	waitFor("› resolved")
	press(tea.KeyEnter)
	waitFor("status resolved: 3 changed")
	typ("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	all, err := st.ListFeedback(ctx, model.FeedbackQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 {
		t.Fatalf("%d feedback items, want the 5 seeded and the new one", len(all))
	}
	resolved := 0
	for _, f := range all {
		if f.Status == model.StatusResolved {
			resolved++
		}
		if f.Body != "Charged twice, I want a refund" {
			continue
		}
		if f.Kind != model.KindComplaint || f.CSAT == nil || *f.CSAT != 2 || f.Category != "Billing/Refund" ||
			len(f.Tags) != 1 || f.Tags[0] != "refund" || f.Status != model.StatusOpen || f.Agent != "li.na" {
			t.Errorf("the logged complaint: %+v", f)
		}
	}
	if resolved != 3 {
		t.Errorf("%d resolved items, want 3", resolved)
	}
}

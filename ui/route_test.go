package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// A profile's load that answers after the profile was closed and another
// opened reaches neither: it is addressed to the first profile's id.
func TestStaleProfileAnswerIsDropped(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	wang, emma := seeded(t, st, 1, "王芳"), seeded(t, st, 3, "Emma Schmidt")
	m.Update(openProfileMsg{id: wang.ID})
	first := m.profile
	stale := first.load()() // the answer for 王芳, held back
	env, ok := stale.(screenMsg)
	if !ok || env.to != first.sid {
		t.Fatalf("the profile's load answers %#v, want it addressed to %d", stale, first.sid)
	}
	send(t, m, nil, keys("esc")...)
	if m.profile != nil {
		t.Fatal("esc should close the profile")
	}
	send(t, m, nil, openProfileMsg{id: emma.ID})
	second := m.profile
	if second == nil || second.sid == first.sid || !strings.Contains(m.View(), "Emma Schmidt") {
		t.Fatalf("second profile: %v\n%s", second, m.View())
	}
	send(t, m, nil, stale)
	if m.profile != second || second.customer.ID != emma.ID || strings.Contains(m.View(), "王芳") {
		t.Errorf("the stale answer reached the second profile:\n%s", m.View())
	}
	if first.customer != nil {
		t.Error("the closed profile was updated")
	}
}

// A page addressed to one screen never reaches another, even one that
// takes that type and whose request generation matches.
func TestMisaddressedPageIsDropped(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	before := m.View()
	rows := []model.Customer{{ID: 999, Name: "Intruder"}}
	for _, to := range []screenID{inboxID, followUpsID, importID, 12345} {
		send(t, m, nil, screenMsg{to: to, msg: pageMsg[model.Customer]{gen: m.customers.gen, op: opFirst, rows: rows}})
	}
	if got := m.View(); got != before || strings.Contains(got, "Intruder") {
		t.Errorf("a page for another screen changed the Customers list:\n%s", got)
	}
	send(t, m, nil, screenMsg{to: customersID, msg: pageMsg[model.Customer]{gen: m.customers.gen, op: opFirst, rows: rows}})
	if !strings.Contains(m.View(), "Intruder") {
		t.Errorf("the page addressed to Customers did not reach it:\n%s", m.View())
	}
}

// recordingLayer is an overlay that notes the keys it gets; esc closes it.
type recordingLayer struct {
	name string
	got  *[]string
}

func (r recordingLayer) Update(msg tea.Msg) (bool, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return false, nil
	}
	*r.got = append(*r.got, r.name+":"+km.String())
	return km.Type == tea.KeyEsc, nil
}
func (r recordingLayer) View() string             { return "layer " + r.name }
func (r recordingLayer) SetSize(w, h int)         {}
func (r recordingLayer) ShortHelp() []key.Binding { return []key.Binding{formCancel} }
func (r recordingLayer) Unsaved() bool            { return false }

// Keys go to the top overlay of the screen in view; esc pops one layer;
// another screen's overlay neither shows nor takes keys.
func TestOverlayStackKeysAndEsc(t *testing.T) {
	m := newTestModel(t, testStore(t), 100, 30)
	var got []string
	m.env.layers.push(customersID, recordingLayer{"bottom", &got})
	m.env.layers.push(inboxID, recordingLayer{"inbox", &got})
	m.env.layers.push(customersID, recordingLayer{"top", &got})
	if !strings.Contains(m.View(), "layer top") {
		t.Fatalf("the top layer is not drawn:\n%s", m.View())
	}
	send(t, m, nil, keys("x", "2")...) // 2 would switch tabs: the layer takes it
	send(t, m, nil, keys("esc")...)
	if !strings.Contains(m.View(), "layer bottom") || m.tab != tabCustomers {
		t.Fatalf("esc should uncover the layer below:\n%s", m.View())
	}
	send(t, m, nil, keys("y", "esc")...)
	want := "top:x top:2 top:esc bottom:y bottom:esc"
	if strings.Join(got, " ") != want {
		t.Errorf("keys went %q, want %q", strings.Join(got, " "), want)
	}
	if strings.Contains(m.View(), "layer") {
		t.Fatalf("Customers should show its list again:\n%s", m.View())
	}
	send(t, m, nil, keys("2")...)
	if m.tab != tabInbox || !strings.Contains(m.View(), "layer inbox") {
		t.Fatalf("the Inbox's layer should show on the Inbox:\n%s", m.View())
	}
}

// A real form: esc on an untouched form pops it and only it (the profile
// under it stays), and closing a screen drops the overlays it pushed.
func TestFormOverlayLivesOnTheStack(t *testing.T) {
	st := testStore(t)
	m := newTestModel(t, st, 100, 30)
	wang := seeded(t, st, 1, "王芳")
	send(t, m, nil, openProfileMsg{id: wang.ID})
	send(t, m, nil, keys("f")...)
	if m.overlay() == nil || m.overlay() != overlay(m.profile.form()) {
		t.Fatal("f should push the feedback form over the profile")
	}
	send(t, m, nil, keys("esc")...)
	if m.overlay() != nil || m.profile == nil {
		t.Fatalf("esc should pop the form and keep the profile:\n%s", m.View())
	}
	send(t, m, nil, keys("f")...)
	send(t, m, nil, closeProfileMsg{})
	if len(m.env.layers.layers) != 0 {
		t.Errorf("the closed profile's form is still on the stack: %d layers", len(m.env.layers.layers))
	}
}

// seeded is the test store's customer id, checked by name.
func seeded(t *testing.T, st Store, id int64, name string) model.Customer {
	t.Helper()
	c, err := st.Customer(context.Background(), id)
	if err != nil || c.Name != name {
		t.Fatalf("customer %d = %q, %v; want %s", id, c.Name, err, name)
	}
	return c
}

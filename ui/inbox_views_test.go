package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/model"
)

func TestSavedInboxViews(t *testing.T) {
	st := testStore(t)
	ctx := context.Background()
	m := newTestModel(t, st, 100, 30)
	in := m.inbox
	// Complaints about refunds: kind complaint, search 退款, then ctrl+s.
	send(t, m, nil, keys("2", "K", "K", "/", "退款", "enter")...)
	if len(in.rows) != 1 {
		t.Fatalf("filtered inbox: %d rows", len(in.rows))
	}
	send(t, m, nil, keys("ctrl+s", "我的退款投诉", "enter")...)
	vs, err := st.Views(ctx, "inbox")
	if err != nil || len(vs) != 1 {
		t.Fatalf("views after ctrl+s: %+v, %v", vs, err)
	}
	want := model.ViewFilters{Status: model.StatusOpen, Kind: model.KindComplaint, Search: "退款"}
	if v := vs[0]; v.Name != "我的退款投诉" || v.Filters != want || v.CreatedBy != "tester" {
		t.Errorf("saved view: %+v", v)
	}
	if !strings.Contains(m.View(), "view: 我的退款投诉") {
		t.Errorf("the Inbox should name the view it shows:\n%s", m.View())
	}

	// Another agent on the same file sees it and applies it.
	other := New(ctx, st, NewStyles(lipgloss.DefaultRenderer()),
		Options{Agent: "emma", DBPath: "/tmp/team.db", Now: func() time.Time { return fixedNow }})
	send(t, other, other.Init())
	send(t, other, nil, tea.WindowSizeMsg{Width: 100, Height: 30})
	send(t, other, nil, keys("2")...)
	if len(other.inbox.rows) != 5 {
		t.Fatalf("emma's inbox: %d rows", len(other.inbox.rows))
	}
	send(t, other, nil, keys("V")...)
	frame := other.View()
	assertFrame(t, frame, 100, 30)
	golden(t, "inbox_views", frame)
	if !strings.Contains(frame, "我的退款投诉") || !strings.Contains(frame, "status open · kind complaint · “退款”") || !strings.Contains(frame, "by tester") {
		t.Errorf("the list should show the view, its filters and who made it:\n%s", frame)
	}
	send(t, other, nil, keys("enter")...)
	oi := other.inbox
	if oi.views != nil || oi.kind != model.KindComplaint || oi.filter.search != "退款" || len(oi.rows) != 1 ||
		oi.rows[0].Subject != "退款一直没到账" {
		t.Errorf("applying the view: kind %s search %q rows %d", oi.kind, oi.filter.search, len(oi.rows))
	}
	// Changing a filter leaves the view: its name goes from the header.
	send(t, other, nil, keys("K")...)
	if strings.Contains(other.View(), "view: 我的退款投诉") {
		t.Error("the header still names the view after the filters changed")
	}

	// Delete asks first; n keeps, y deletes.
	send(t, m, nil, keys("V", "d")...)
	if !strings.Contains(m.View(), `delete "我的退款投诉"? y deletes, n keeps it`) {
		t.Fatalf("d should ask first:\n%s", m.View())
	}
	send(t, m, nil, keys("n")...)
	if vs, _ := st.Views(ctx, "inbox"); len(vs) != 1 {
		t.Error("n should keep the view")
	}
	send(t, m, nil, keys("d", "y")...)
	if vs, _ := st.Views(ctx, "inbox"); len(vs) != 0 {
		t.Errorf("y should delete the view: %+v", vs)
	}
	if !strings.Contains(m.View(), "no saved views yet") || !strings.Contains(lastLine(m.View()), `deleted view "我的退款投诉"`) {
		t.Errorf("after delete:\n%s", m.View())
	}
	send(t, m, nil, keys("esc")...)
	if in.views != nil {
		t.Error("esc should close the list")
	}
	// A nameless save is refused in the prompt, nothing written.
	send(t, m, nil, keys("ctrl+s", "enter")...)
	if !in.prompt.active() || !strings.Contains(m.View(), "a view needs a name") {
		t.Errorf("an empty name should be refused in the prompt:\n%s", m.View())
	}
}

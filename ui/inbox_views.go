package ui

import (
	"context"
	"errors"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// Saved Inbox views: ctrl+s saves the Inbox's current filters and search
// under a name ("my open complaints", "unclassified 华东"), in the
// database, shared by the team; V lists them (name, filters, who made
// it), enter applies one, d deletes one after a confirmation.

// viewStore is what saved views need from the store.
type viewStore interface {
	SaveView(ctx context.Context, agent string, v model.SavedView) (model.SavedView, error)
	Views(ctx context.Context, screen string) ([]model.SavedView, error)
	DeleteView(ctx context.Context, agent string, id int64) error
}

var (
	viewPick = key.NewBinding(key.WithKeys("V"), key.WithHelp("V", "saved views"))
	viewSave = key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save view"))
)

type (
	viewListMsg struct {
		views []model.SavedView
		err   error
	}
	viewSavedMsg struct {
		view model.SavedView
		err  error
	}
	viewDeletedMsg struct {
		name string
		err  error
	}
)

// viewFilters are the Inbox's current filters, as a view keeps them.
func (s *inboxScreen) viewFilters() model.ViewFilters {
	return model.ViewFilters{Status: s.status, Kind: s.kind, Category: s.filter.category, Tag: s.filter.tag,
		Channel: s.filter.channel, Agent: s.filter.agent, Search: s.filter.search}
}

// saveView asks a name for the current filters and saves them.
func (s *inboxScreen) saveView() tea.Cmd {
	f := s.viewFilters()
	st, ctx, agent := s.env.store, s.env.ctx, s.env.agent
	cmd := s.prompt.open("save view as: ", "my open complaints · "+f.Describe(), func(name string) (tea.Cmd, error) {
		if name == "" {
			return nil, errors.New("a view needs a name")
		}
		v := model.SavedView{Screen: "inbox", Name: name, Filters: f}
		if err := v.Validate(); err != nil {
			return nil, err
		}
		return to(s.sid, func() tea.Msg {
			out, err := st.SaveView(ctx, agent, v)
			return viewSavedMsg{view: out, err: err}
		}), nil
	})
	if s.view != "" && s.viewAt == f {
		s.prompt.input.SetValue(s.view) // saving over the view in use
		s.prompt.input.CursorEnd()
	}
	return cmd
}

// pickView opens the list of saved views.
func (s *inboxScreen) pickView() tea.Cmd {
	s.views = newListPicker(s.env, "Saved Inbox views",
		"no saved views yet — set filters (f, K, F, /) and ctrl+s saves them", true)
	views := s.views
	s.env.layers.push(s.sid, &sheet{update: s.updateViewPicker, view: views.View, help: views.ShortHelp,
		closed: func() { s.views = nil }})
	return s.loadViews()
}

func (s *inboxScreen) loadViews() tea.Cmd {
	st, ctx := s.env.store, s.env.ctx
	return to(s.sid, func() tea.Msg {
		vs, err := st.Views(ctx, "inbox")
		return viewListMsg{views: vs, err: err}
	})
}

func (s *inboxScreen) updateViews(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case viewListMsg:
		s.savedViews = msg.views
		if s.views != nil {
			items := make([]pickItem, len(msg.views))
			for i, v := range msg.views {
				items[i] = pickItem{id: v.ID, name: v.Name, detail: v.Filters.Describe(), note: "by " + orDash(v.CreatedBy)}
			}
			s.views.take(items, msg.err)
		}
	case viewSavedMsg:
		if msg.err != nil {
			return func() tea.Msg { return statusMsg{text: "view not saved: " + errText(msg.err), err: true} }
		}
		s.view, s.viewAt = msg.view.Name, msg.view.Filters
		text := fmt.Sprintf("saved view %q: %s", msg.view.Name, msg.view.Filters.Describe())
		return func() tea.Msg { return statusMsg{text: text} }
	case viewDeletedMsg:
		text, isErr := fmt.Sprintf("deleted view %q", msg.name), false
		if msg.err != nil {
			text, isErr = "view not deleted: "+errText(msg.err), true
		}
		if s.view == msg.name && msg.err == nil {
			s.view = ""
		}
		return tea.Batch(func() tea.Msg { return statusMsg{text: text, err: isErr} }, s.loadViews())
	}
	return nil
}

// updateViewPicker works the list (on the overlay stack): a pick
// applies the view's filters.
func (s *inboxScreen) updateViewPicker(msg tea.Msg) (bool, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok || s.views == nil {
		return false, nil
	}
	done, pick, del := s.views.Update(km)
	switch {
	case del != nil:
		st, ctx, agent, id, name := s.env.store, s.env.ctx, s.env.agent, del.id, del.name
		return done, to(s.sid, func() tea.Msg { return viewDeletedMsg{name: name, err: st.DeleteView(ctx, agent, id)} })
	case pick != nil:
		for _, v := range s.savedViews {
			if v.ID == pick.id {
				return done, s.applyView(v)
			}
		}
	}
	return done, nil
}

// pickCustomer opens the customer picker whose pick gets a feedback form.
func (s *inboxScreen) pickCustomer() tea.Cmd {
	p, cmd := newCustomerPicker(s.env, "Log feedback for…")
	s.picker = p
	s.env.layers.push(s.sid, &sheet{update: p.Update, view: func(w, _ int) string { return p.View(w) }, help: p.ShortHelp,
		closed: func() { s.picker = nil }})
	return cmd
}

// applyView sets the Inbox's filters and search to a view's.
func (s *inboxScreen) applyView(v model.SavedView) tea.Cmd {
	f := v.Filters
	s.status, s.kind = f.Status, f.Kind
	s.filter = inboxFilter{category: f.Category, tag: f.Tag, channel: f.Channel, agent: f.Agent, search: f.Search}
	s.searchIn.SetValue(f.Search)
	s.picked.clear()
	s.view, s.viewAt = v.Name, f
	return tea.Batch(s.reload(), func() tea.Msg { return statusMsg{text: "view " + model.CleanLine(v.Name)} })
}

// viewName is the name of the saved view the Inbox shows, while its
// filters are still the view's.
func (s *inboxScreen) viewName() string {
	if s.view != "" && s.viewFilters() == s.viewAt {
		return s.view
	}
	return ""
}

// drilled shows the items an Insights drill asked for, from a clean
// state: no status filter, nothing picked.
func (s *inboxScreen) drilled(kind model.Kind, f inboxFilter) {
	s.status, s.kind, s.filter = "", kind, f
	s.picked.clear()
}

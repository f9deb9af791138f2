package ui

import (
	"context"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// Insights by custom attribute: `a` steps through the attribute names the
// database holds (imported columns that matched no field, at the customer
// or the feedback level) as attr.NAME dimensions. A feedback-level
// attribute groups each feedback by its own value, a customer-level one by
// its customer's (db.Store.Summary). The names are read in a Cmd the first
// time `a` is pressed and again after the data changed.

// attrKeyLister is the store's list of attribute names; a store without
// it offers none.
type attrKeyLister interface {
	AttrKeys(ctx context.Context) ([]model.AttrKey, error)
}

type attrDims struct {
	keys    []model.AttrKey
	loaded  bool
	loading bool
	at      int // index into keys of the dimension shown, or -1
}

type attrKeysMsg struct {
	keys []model.AttrKey
	err  error
}

// key names the figures on screen, for the cache.
func (s *insightsScreen) key() insightsKey {
	k := insightsKey{dim: s.dim, period: s.period}
	if s.attr.at >= 0 && s.attr.at < len(s.attr.keys) {
		k.attr, k.values = s.attr.keys[s.attr.at].Name, s.values
	}
	return k
}

// dimension is what Summary groups by: a dimension, "segments" or
// attr.NAME.
func (s *insightsScreen) dimension() string {
	if k := s.key(); k.attr != "" {
		return "attr." + k.attr
	}
	return insightDims[s.dim]
}

// dimensionTitle is the dimension as the title shows it, an attribute with
// its level.
func (s *insightsScreen) dimensionTitle() string {
	if s.attr.loading { // a scan of every customer's attributes: seconds on millions
		return s.env.styles.Faint.Render("reading the attribute names…")
	}
	if s.attr.at < 0 || s.attr.at >= len(s.attr.keys) {
		return insightDims[s.dim]
	}
	k := s.attr.keys[s.attr.at]
	return shortValue("attr."+k.Name, min(40, max(10, s.width/3))) + s.env.styles.Faint.Render(" ("+k.Level+" attribute)")
}

// nextAttr shows the next attribute's groups, reading the names first
// when they are not known.
func (s *insightsScreen) nextAttr() tea.Cmd {
	if !s.attr.loaded {
		if s.attr.loading {
			return nil
		}
		lister, ok := s.env.store.(attrKeyLister)
		if !ok {
			return func() tea.Msg { return statusMsg{text: "this database offers no custom attributes"} }
		}
		s.attr.loading = true
		ctx := s.env.ctx
		return to(s.sid, func() tea.Msg {
			keys, err := lister.AttrKeys(ctx)
			return attrKeysMsg{keys: keys, err: err}
		})
	}
	if len(s.attr.keys) == 0 {
		return func() tea.Msg {
			return statusMsg{text: "no custom attributes yet: an import keeps the columns that match no field as attributes"}
		}
	}
	s.attr.at = (s.attr.at + 1) % len(s.attr.keys)
	s.sum = nil
	return s.load()
}

// takeAttrKeys keeps the names read and moves on to the attribute after
// the one shown (the first when none was).
func (s *insightsScreen) takeAttrKeys(msg attrKeysMsg) tea.Cmd {
	s.attr.loading = false
	if msg.err != nil {
		return func() tea.Msg { return statusMsg{text: errText(msg.err), err: true} }
	}
	shown := s.key().attr
	s.attr.keys, s.attr.loaded, s.attr.at = msg.keys, true, -1
	for i, k := range msg.keys {
		if shown != "" && k.Name == shown {
			s.attr.at = i
		}
	}
	return s.nextAttr()
}

// drillAttr opens the customers of an attribute's group: those with the
// value, on themselves or on any of their feedback (as segments match
// attr.NAME).
func (s *insightsScreen) drillAttr(value string) tea.Cmd {
	name := s.key().attr
	if value == "" {
		return func() tea.Msg {
			return statusMsg{text: "the (none) group of attr." + model.CleanLine(name) + " has no value to filter by"}
		}
	}
	if s.banded {
		if where, ok := model.BandWhere(name, value); ok {
			return func() tea.Msg { return drillMsg{where: where} }
		}
	}
	return func() tea.Msg { return drillMsg{where: "attr." + quoteExpr(name) + " = " + quoteExpr(value)} }
}

// fileSafe turns a dimension into a part of a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '_'
	}, s)
}

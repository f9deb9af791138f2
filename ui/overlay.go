package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// overlay is a layer drawn in place of a screen's body until it closes:
// a form, a chooser, the command palette. It takes the keys while it is
// on top.
type overlay interface {
	// Update feeds it a message; done says it closed and leaves the stack.
	Update(tea.Msg) (done bool, cmd tea.Cmd)
	View() string
	SetSize(w, h int)
	ShortHelp() []key.Binding
	// Unsaved reports typed input that closing would lose.
	Unsaved() bool
}

// rootOwner owns the overlays over every screen (the command palette).
const rootOwner screenID = 0

// overlayStack is the one stack of overlays. The root owns it, sizes
// it, sends it keys and draws it; screens push their overlays onto it
// (through env) with their own id, so a screen's overlay shows while the
// screen is in view and goes when the screen closes.
type overlayStack struct {
	layers []layer
	width  int
	height int
}

type layer struct {
	owner screenID
	o     overlay
}

// push puts o on top, sized to the body.
func (s *overlayStack) push(owner screenID, o overlay) {
	o.SetSize(s.width, s.height)
	s.layers = append(s.layers, layer{owner: owner, o: o})
}

// top is the overlay in view over the screen with id owner: a root
// overlay above everything, else the screen's own top one, else nil.
func (s *overlayStack) top(owner screenID) overlay {
	for i := len(s.layers) - 1; i >= 0; i-- {
		if l := s.layers[i]; l.owner == rootOwner || l.owner == owner {
			return l.o
		}
	}
	return nil
}

// own is the screen's own top overlay, not counting the root's: the
// one a component's message (a form's focus, a picker's rows) is for.
func (s *overlayStack) own(owner screenID) overlay {
	for i := len(s.layers) - 1; i >= 0; i-- {
		if l := s.layers[i]; l.owner == owner {
			return l.o
		}
	}
	return nil
}

// update feeds msg to o and takes it off the stack when it closes.
func (s *overlayStack) update(o overlay, msg tea.Msg) tea.Cmd {
	done, cmd := o.Update(msg)
	if done {
		s.remove(o)
	}
	return cmd
}

// remove takes o off the stack wherever it is.
func (s *overlayStack) remove(o overlay) {
	for i, l := range s.layers {
		if l.o == o {
			s.layers = append(s.layers[:i], s.layers[i+1:]...)
			return
		}
	}
}

// drop takes off every overlay of a screen that closed.
func (s *overlayStack) drop(owner screenID) {
	kept := s.layers[:0]
	for _, l := range s.layers {
		if l.owner != owner {
			kept = append(kept, l)
		}
	}
	s.layers = kept
}

// find is the overlay o is, when it is still on the stack.
func (s *overlayStack) find(o overlay) bool {
	for _, l := range s.layers {
		if l.o == o {
			return true
		}
	}
	return false
}

func (s *overlayStack) setSize(w, h int) {
	s.width, s.height = w, h
	for _, l := range s.layers {
		l.o.SetSize(w, h)
	}
}

// unsaved reports whether any overlay holds typed input.
func (s *overlayStack) unsaved() bool {
	for _, l := range s.layers {
		if l.o.Unsaved() {
			return true
		}
	}
	return false
}

// formOf is the top form a screen has open, or nil.
func (s *overlayStack) formOf(owner screenID) *formOverlay {
	for i := len(s.layers) - 1; i >= 0; i-- {
		if f, ok := s.layers[i].o.(*formOverlay); ok && s.layers[i].owner == owner {
			return f
		}
	}
	return nil
}

// paletteOf is the open command palette, or nil.
func (s *overlayStack) paletteOf() *palette {
	for _, l := range s.layers {
		if p, ok := l.o.(*paletteLayer); ok {
			return p.palette
		}
	}
	return nil
}

// overlay is the layer over the focused screen, or nil.
func (m *Model) overlay() overlay { return m.env.layers.top(m.focusedID()) }

// closeProfile, closeItem and closeActivity close a screen over the
// tabs with its overlays.
func (m *Model) closeProfile() {
	if m.profile != nil {
		m.env.layers.drop(m.profile.sid)
		m.profile = nil
	}
}

func (m *Model) closeItem() {
	if m.item != nil {
		m.env.layers.drop(m.item.sid)
		m.item = nil
	}
}

func (m *Model) closeActivity() {
	if m.activity != nil {
		m.env.layers.drop(m.activity.sid)
		m.activity = nil
	}
}

// paletteLayer puts the command palette on the stack: the key it runs
// comes back as paletteRunMsg once it has closed.
type paletteLayer struct {
	*palette
	width, height int
}

type paletteRunMsg struct{ key tea.KeyMsg }

func (p *paletteLayer) Update(msg tea.Msg) (bool, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return false, nil
	}
	done, run := p.palette.Update(km)
	if run != nil {
		k := *run
		return done, func() tea.Msg { return paletteRunMsg{key: k} }
	}
	return done, nil
}

func (p *paletteLayer) View() string     { return p.palette.View(p.width, p.height) }
func (p *paletteLayer) SetSize(w, h int) { p.width, p.height = w, h }
func (p *paletteLayer) ShortHelp() []key.Binding {
	return []key.Binding{pickerPick, pickerMove, pickerQuit}
}
func (p *paletteLayer) Unsaved() bool { return false }

// Unsaved reports whether anything was typed into the form.
func (o *formOverlay) Unsaved() bool { return o.dirty != nil && o.dirty() }

// sheet puts a screen's chooser (a picker, a saved list) on the stack:
// the screen gives the functions that work and draw it, and forgets the
// chooser in closed when it leaves the stack.
type sheet struct {
	update        func(tea.Msg) (done bool, cmd tea.Cmd)
	view          func(w, h int) string
	help          func() []key.Binding
	closed        func()
	width, height int
}

func (s *sheet) Update(msg tea.Msg) (bool, tea.Cmd) {
	done, cmd := s.update(msg)
	if done && s.closed != nil {
		s.closed()
	}
	return done, cmd
}

func (s *sheet) View() string             { return s.view(s.width, s.height) }
func (s *sheet) SetSize(w, h int)         { s.width, s.height = w, h }
func (s *sheet) ShortHelp() []key.Binding { return s.help() }
func (s *sheet) Unsaved() bool            { return false }

package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// A terminal's answer to a query (the background colour asked for by
// lipgloss, "\x1b]11;rgb:0000/0000/0000\x1b\\") is meant for the code that
// asked. When it arrives late — a slow SSH link, a terminal that answers
// after the asker gave up — Bubble Tea v1 reads it as keys: alt+], then
// the runes "11;rgb:…", then alt+\ (or ctrl+g for a BEL ending). Taken as
// commands those runes switch tabs and open the command line, so the root
// drops such a reply before any screen sees it.

// replyState is how far into a late terminal reply the keys are.
type replyState uint8

const (
	replyNone   replyState = iota
	replyOpened            // alt+] seen: an OSC reply may follow
	replyBody              // its "Ps;" seen: runes until the terminator are the reply's
)

// maxReply bounds what is dropped as a reply, so a stray alt+] can never
// swallow an agent's typing for long.
const maxReply = 256

// dropTerminalReply reports whether msg belongs to a late terminal reply,
// advancing the state; a key that does not fit hands the keys back.
func (m *Model) dropTerminalReply(msg tea.KeyMsg) bool {
	isRunes := msg.Type == tea.KeyRunes && !msg.Paste
	switch m.reply {
	case replyOpened, replyBody:
		if msg.Alt && isRunes && len(msg.Runes) == 1 && msg.Runes[0] == '\\' || msg.Type == tea.KeyCtrlG {
			m.reply, m.replyLen = replyNone, 0 // ST or BEL: the reply ends
			return true
		}
		if isRunes && !msg.Alt && m.replyLen+len(msg.Runes) <= maxReply {
			if m.reply == replyBody {
				m.replyLen += len(msg.Runes)
				return true
			}
			if ok, body := oscReplyStart(msg.Runes, m.replyLen); ok {
				if body {
					m.reply = replyBody
				}
				m.replyLen += len(msg.Runes)
				return true
			}
		}
		m.reply, m.replyLen = replyNone, 0
		return false
	}
	if msg.Alt && isRunes && len(msg.Runes) == 1 && msg.Runes[0] == ']' {
		m.reply, m.replyLen = replyOpened, 0
		return true
	}
	return false
}

// oscReplyStart: an OSC reply's body starts with its number and ';'
// ("11;rgb:…", "10;rgb:…", "4;1;rgb:…"). digits is how many of the number
// came before; ok says rs fits, body that the ';' was seen.
func oscReplyStart(rs []rune, digits int) (ok, body bool) {
	for _, r := range rs {
		switch {
		case r >= '0' && r <= '9' && digits < 3:
			digits++
		case r == ';' && digits > 0:
			return true, true
		default:
			return false, false
		}
	}
	return true, false
}

package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapportcrm/rapport/model"
)

// pageOp says which rows a page request asks for.
type pageOp int

const (
	opFirst pageOp = iota
	opLast
	opDown // rows after the window
	opUp   // rows before the window
	opSame // the window's rows again, fresher
)

// window is the part of a list screen that holds only the rows on screen:
// it pages by cursor (keyset), slides when the selection leaves it, and
// keeps the total from a separate count. Screens embed it and add their
// own queries.
type window[T any] struct {
	rows       []T
	cursors    []model.Cursor
	moreAfter  bool
	moreBefore bool
	offset     int  // position of rows[0] in the whole list
	offsetOK   bool // false after jumping to the end without a known total
	sel        int

	total       int
	totalCapped bool
	totalKnown  bool

	keepID  int64 // row to select again when a refresh answers (0: none)
	gen     int   // bumped for every new query or jump; older page answers are dropped
	qgen    int   // bumped only when the query changes; older counts are dropped
	loading bool  // a page request is in flight
	err     error
}

func newWindow[T any]() window[T] { return window[T]{offsetOK: true} }

// pageMsg answers a page request of a window of T; countMsg the count of
// its list. The type parameter routes them to the right screen.
type (
	pageMsg[T any] struct {
		gen     int
		op      pageOp
		rows    []T
		cursors []model.Cursor
		more    bool
		err     error
	}
	countMsg[T any] struct {
		gen    int
		n      int
		capped bool
		err    error
	}
)

// take merges a page answer into a window of at most n rows, dropping
// answers to requests the user has moved past.
func (w *window[T]) take(msg pageMsg[T], n int) {
	if msg.gen != w.gen {
		return
	}
	w.loading, w.err = false, msg.err
	if msg.err == nil {
		w.applyPage(msg.op, msg.rows, msg.cursors, msg.more, n)
	}
}

// takeCount records the list's total, unless the query has changed since.
func (w *window[T]) takeCount(msg countMsg[T]) {
	if msg.gen == w.qgen && msg.err == nil {
		w.setTotal(msg.n, msg.capped)
	}
}

// slide moves the selection by d rows. When it would leave the window it
// returns the rows to fetch (op, how many) and ok = true.
func (w *window[T]) slide(d int) (pageOp, int, bool) {
	if len(w.rows) == 0 {
		return 0, 0, false
	}
	target := w.sel + d
	switch {
	case target >= 0 && target < len(w.rows):
		w.sel = target
	case target >= len(w.rows):
		if !w.moreAfter || w.loading {
			w.sel = len(w.rows) - 1
			return 0, 0, false
		}
		w.sel = target // clamped when the rows arrive
		return opDown, target - len(w.rows) + 1, true
	default:
		if !w.moreBefore || w.loading {
			w.sel = 0
			return 0, 0, false
		}
		w.sel = target
		return opUp, -target, true
	}
	return 0, 0, false
}

// applyPage merges an answer into a window of at most n rows.
func (w *window[T]) applyPage(op pageOp, rows []T, cursors []model.Cursor, hasMore bool, n int) {
	switch op {
	case opFirst:
		w.rows, w.cursors = rows, cursors
		w.moreAfter, w.moreBefore = hasMore, false
		w.offset, w.offsetOK = 0, true
	case opLast:
		w.rows, w.cursors = rows, cursors
		w.moreAfter, w.moreBefore = false, hasMore
		switch {
		case w.totalKnown && !w.totalCapped:
			w.offset, w.offsetOK = max(0, w.total-len(rows)), true
		case hasMore:
			w.offsetOK = false
		default:
			w.offset, w.offsetOK = 0, true
		}
	case opSame:
		w.rows, w.cursors = rows, cursors
		w.moreAfter = hasMore
	case opDown:
		w.rows = append(w.rows, rows...)
		w.cursors = append(w.cursors, cursors...)
		w.moreAfter = hasMore
		if drop := len(w.rows) - n; drop > 0 {
			w.rows, w.cursors = w.rows[drop:], w.cursors[drop:]
			w.offset += drop
			w.sel -= drop
			w.moreBefore = true
		}
	case opUp:
		got := len(rows)
		w.rows = append(append([]T{}, rows...), w.rows...)
		w.cursors = append(append([]model.Cursor{}, cursors...), w.cursors...)
		w.moreBefore = hasMore
		w.offset -= got
		w.sel += got
		if len(w.rows) > n {
			w.rows, w.cursors = w.rows[:n], w.cursors[:n]
			w.moreAfter = true
		}
	}
	w.offset = max(0, w.offset)
	if w.keepID != 0 {
		for i, c := range w.cursors {
			if c.ID == w.keepID {
				w.sel = i
			}
		}
		w.keepID = 0
	}
	w.sel = max(0, min(w.sel, len(w.rows)-1))
}

// stay keeps the cursor at its place on the screen across a reload: after
// the agent's own action the row acted on may leave the list (resolved,
// classified), and the next one should come up under the cursor.
func (w *window[T]) stay(reload func() tea.Cmd) tea.Cmd {
	sel := w.sel
	cmd := reload()
	w.sel = sel
	return cmd
}

// remember marks the selected row to be selected again when the next
// page answers, so a refresh (someone else's change, a bulk edit) does
// not move the cursor off the row the agent was on.
func (w *window[T]) remember() {
	if w.sel >= 0 && w.sel < len(w.cursors) {
		w.keepID = w.cursors[w.sel].ID
	}
}

// setTotal records the count of the whole list.
func (w *window[T]) setTotal(n int, capped bool) {
	w.total, w.totalCapped, w.totalKnown = n, capped, true
	if !w.offsetOK && !w.totalCapped {
		w.offset, w.offsetOK = max(0, w.total-len(w.rows)), true
	}
}

// shrinkTo keeps n rows around the selection after the screen got smaller.
func (w *window[T]) shrinkTo(n int) {
	drop := max(0, w.sel-(n-1))
	w.rows, w.cursors = w.rows[drop:drop+n], w.cursors[drop:drop+n]
	w.offset += drop
	w.sel -= drop
	w.moreAfter, w.moreBefore = true, w.moreBefore || drop > 0
}

func (w *window[T]) selected() (T, bool) {
	var zero T
	if w.sel < 0 || w.sel >= len(w.rows) {
		return zero, false
	}
	return w.rows[w.sel], true
}

// position words the window's place for the top line: "51–100 of 1,000,000".
func (w *window[T]) position(empty string) string {
	if len(w.rows) == 0 {
		if w.loading {
			return "loading…"
		}
		return empty
	}
	from, to := "…", "…"
	if w.offsetOK {
		from, to = thousands(w.offset+1), thousands(w.offset+len(w.rows))
	}
	tot := "…"
	if w.totalKnown {
		tot = thousands(w.total)
		if w.totalCapped {
			tot += "+"
		}
	}
	return fmt.Sprintf("%s–%s of %s", from, to, tot)
}

// navigate handles the list motions (j/k, pages, top, bottom) for a window
// of n rows, asking fetch for rows when the selection leaves it. ok is
// false when the key is not a motion.
func (w *window[T]) navigate(msg tea.KeyMsg, k ListKeys, n int, fetch func(pageOp, int) tea.Cmd) (tea.Cmd, bool) {
	move := func(d int) tea.Cmd {
		if op, rows, ok := w.slide(d); ok {
			return fetch(op, rows)
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Down):
		return move(1), true
	case key.Matches(msg, k.Up):
		return move(-1), true
	case key.Matches(msg, k.PageDown):
		return move(n), true
	case key.Matches(msg, k.PageUp):
		return move(-n), true
	case key.Matches(msg, k.Top):
		w.sel = 0
		if w.offset == 0 && !w.moreBefore {
			return nil, true
		}
		w.gen++
		return fetch(opFirst, n), true
	case key.Matches(msg, k.Bottom):
		if !w.moreAfter {
			w.sel = max(0, len(w.rows)-1)
			return nil, true
		}
		w.gen++
		w.sel = n - 1
		return fetch(opLast, n), true
	}
	return nil, false
}

// pageCursor says which rows of the list a page request for op starts
// from: after the window's last row, before its first, or the last page.
func (w *window[T]) pageCursor(op pageOp) (after, before *model.Cursor, last bool) {
	switch op {
	case opLast:
		return nil, nil, true
	case opDown:
		if len(w.cursors) > 0 {
			cur := w.cursors[len(w.cursors)-1] // a copy: the Cmd must not see later edits
			return &cur, nil, false
		}
	case opUp:
		if len(w.cursors) > 0 {
			cur := w.cursors[0]
			return nil, &cur, false
		}
	}
	return nil, nil, false
}

// refit adapts a loaded window to a page size changed from old to n rows:
// it keeps the selection in view when the screen shrinks and fetches the
// rows that now fit when it grows.
func (w *window[T]) refit(old, n int, fetch func(pageOp, int) tea.Cmd) tea.Cmd {
	switch {
	case n < len(w.rows):
		w.shrinkTo(n)
	case n > old && w.moreAfter && !w.loading:
		return fetch(opDown, n-len(w.rows))
	}
	return nil
}

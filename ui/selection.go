package ui

// selection is a multi-select across pages: space picks the row under the
// cursor, v every row on screen, esc clears. It keeps a copy of each
// picked row, so bulk actions can name what they change after the window
// has moved on.
type selection[T any] struct {
	picked map[int64]T
	order  []int64
}

func (s *selection[T]) toggle(id int64, v T) {
	if s.picked == nil {
		s.picked = map[int64]T{}
	}
	if _, ok := s.picked[id]; ok {
		delete(s.picked, id)
		for i, x := range s.order {
			if x == id {
				s.order = append(s.order[:i], s.order[i+1:]...)
				break
			}
		}
		return
	}
	s.picked[id] = v
	s.order = append(s.order, id)
}

// pickAll selects every row given, or clears them when all were picked.
func (s *selection[T]) pickAll(ids []int64, rows []T) {
	all := len(ids) > 0
	for _, id := range ids {
		if !s.has(id) {
			all = false
			break
		}
	}
	for i, id := range ids {
		if all == s.has(id) {
			s.toggle(id, rows[i])
		}
	}
}

func (s *selection[T]) has(id int64) bool { _, ok := s.picked[id]; return ok }
func (s *selection[T]) len() int          { return len(s.order) }
func (s *selection[T]) clear()            { s.picked, s.order = nil, nil }

// items are the picked rows in the order they were picked.
func (s *selection[T]) items() []T {
	out := make([]T, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.picked[id])
	}
	return out
}

func (s *selection[T]) ids() []int64 { return append([]int64(nil), s.order...) }

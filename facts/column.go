package facts

import "github.com/rapportcrm/rapport/model"

// dict numbers the distinct values of one column in the order they are
// first seen. An empty value is SummaryNone, so "" and "(none)" are one
// group, as in the SQL scan's coalesce(nullif(v, ”), '(none)').
type dict struct {
	names []string
	index map[string]uint32
}

func newDict() *dict { return &dict{index: map[string]uint32{}} }

// code gives b's number; the lookup does not allocate when b is known.
func (d *dict) code(b []byte) uint32 {
	if len(b) == 0 {
		return d.codeString(model.SummaryNone)
	}
	if c, ok := d.index[string(b)]; ok {
		return c
	}
	return d.codeString(string(b))
}

func (d *dict) codeString(s string) uint32 {
	if s == "" {
		s = model.SummaryNone
	}
	if c, ok := d.index[s]; ok {
		return c
	}
	c := uint32(len(d.names))
	d.names = append(d.names, s)
	d.index[s] = c
	return c
}

func (d *dict) len() int { return len(d.names) }

// codes is a column of dictionary codes: one byte a row while the
// dictionary has at most 256 values, two up to 65,536, four after.
type codes struct {
	tiny  []uint8
	small []uint16 // used once a code no longer fits in tiny
	big   []uint32 // used once a code no longer fits in small
	width int      // 0 (tiny), 1 (small) or 2 (big)
}

func (c *codes) add(v uint32) {
	if c.width == 0 && v > 0xFF {
		c.small = widen[uint8, uint16](c.tiny)
		c.tiny, c.width = nil, 1
	}
	if c.width == 1 && v > 0xFFFF {
		c.big = widen[uint16, uint32](c.small)
		c.small, c.width = nil, 2
	}
	switch c.width {
	case 0:
		c.tiny = append(c.tiny, uint8(v))
	case 1:
		c.small = append(c.small, uint16(v))
	default:
		c.big = append(c.big, v)
	}
}

func widen[From uint8 | uint16, To uint16 | uint32](s []From) []To {
	out := make([]To, len(s), max(cap(s), 16))
	for i, v := range s {
		out[i] = To(v)
	}
	return out
}

func (c *codes) at(i int) uint32 {
	switch c.width {
	case 0:
		return uint32(c.tiny[i])
	case 1:
		return uint32(c.small[i])
	}
	return c.big[i]
}

func (c *codes) bytes() int { return cap(c.tiny) + 2*cap(c.small) + 4*cap(c.big) }

// permute puts the column in a new order: row i moves to perm[i].
func (c *codes) permute(perm []uint32) {
	switch c.width {
	case 0:
		c.tiny = permuted(c.tiny, perm)
	case 1:
		c.small = permuted(c.small, perm)
	default:
		c.big = permuted(c.big, perm)
	}
}

func permuted[T any](s []T, perm []uint32) []T {
	out := make([]T, len(s))
	for i, v := range s {
		out[perm[i]] = v
	}
	return out
}

// Members is a set of customers, by their place in a snapshot (from
// Snapshot.Members).
type Members []uint64

func (m Members) has(i int) bool { return m[i>>6]&(1<<(uint(i)&63)) != 0 }

func (m Members) add(i int) { m[i>>6] |= 1 << (uint(i) & 63) }

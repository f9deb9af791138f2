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

// codes is a column of dictionary codes: two bytes a row while the
// dictionary has at most 65,536 values, four after.
type codes struct {
	small []uint16
	big   []uint32 // used once a code no longer fits in small
}

func (c *codes) add(v uint32) {
	if c.big == nil && v > 0xFFFF {
		c.big = make([]uint32, len(c.small), max(cap(c.small), 16))
		for i, s := range c.small {
			c.big[i] = uint32(s)
		}
		c.small = nil
	}
	if c.big != nil {
		c.big = append(c.big, v)
		return
	}
	c.small = append(c.small, uint16(v))
}

func (c *codes) at(i int) uint32 {
	if c.big != nil {
		return c.big[i]
	}
	return uint32(c.small[i])
}

func (c *codes) len() int {
	if c.big != nil {
		return len(c.big)
	}
	return len(c.small)
}

func (c *codes) bytes() int { return 2*cap(c.small) + 4*cap(c.big) }

// permute puts the column in a new order: row i moves to perm[i].
func (c *codes) permute(perm []uint32) {
	if c.big != nil {
		c.big = permuted(c.big, perm)
		return
	}
	c.small = permuted(c.small, perm)
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

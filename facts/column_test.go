package facts

import "testing"

// TestCodesWiden: a column keeps every code as it grows from one byte a
// row to two and four, and a permutation moves each row.
func TestCodesWiden(t *testing.T) {
	var c codes
	var want []uint32
	for i := uint32(0); i < 70000; i += 7 {
		c.add(i)
		want = append(want, i)
		if i == 7*30 && c.width != 0 || i == 7*300 && c.width != 1 {
			t.Fatalf("width %d at %d", c.width, i)
		}
	}
	if c.width != 2 {
		t.Fatalf("width %d", c.width)
	}
	perm := make([]uint32, len(want))
	for i := range perm {
		perm[i] = uint32(len(want) - 1 - i)
	}
	c.permute(perm)
	for i, w := range want {
		if got := c.at(len(want) - 1 - i); got != w {
			t.Fatalf("row %d: %d, want %d", i, got, w)
		}
	}
}

package ui

import "testing"

func TestCountFitsItsColumn(t *testing.T) {
	for _, c := range []struct {
		n, w int
		want string
	}{
		{999, 7, "999"}, {1233529, 9, "1,233,529"}, {1233529, 7, "1.23M"}, {5000000, 8, "5.00M"},
		{393154, 7, "393,154"}, {393154, 6, "393k"}, {2500000000, 9, "2.50G"},
	} {
		if got := count(c.n, c.w); got != c.want {
			t.Errorf("count(%d, %d) = %q, want %q", c.n, c.w, got, c.want)
		}
	}
}

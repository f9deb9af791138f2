package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rapportcrm/rapport/model"
)

// cell fits untrusted text into exactly w terminal columns: cleaned of
// control sequences, truncated with an ellipsis, padded with spaces.
// Width is measured in cells, so 张伟 counts four.
func cell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = model.CleanLine(s)
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// cellRight is cell, right-aligned (for numbers).
func cellRight(s string, w int) string {
	s = model.CleanLine(s)
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-sw) + s
}

// fit truncates already-styled text to w columns without padding.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// padRight pads styled text to w columns (truncating if longer).
func padRight(s string, w int) string {
	s = fit(s, w)
	if n := w - ansi.StringWidth(s); n > 0 {
		s += strings.Repeat(" ", n)
	}
	return s
}

// thousands formats 1234567 as 1,234,567 (model.Thousands).
func thousands(n int) string { return model.Thousands(int64(n)) }

// count formats n with thousands separators when that fits in w
// columns, and compactly otherwise (5,000,000 in 8 columns is 5.00M), so
// a count is never cut to "5,000,0…".
func count(n, w int) string {
	if s := thousands(n); len(s) <= w {
		return s
	}
	switch {
	case n >= 1e9 || n <= -1e9:
		return fmt.Sprintf("%.2fG", float64(n)/1e9)
	case n >= 1e6 || n <= -1e6:
		return fmt.Sprintf("%.2fM", float64(n)/1e6)
	default:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	}
}

// money formats a lifetime value compactly: 820, 12.4k, 1.2M.
func money(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.0fk", v/1e3)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

// ago words a past time relative to now: "just now", "5 min ago",
// "3 h ago", "12 d ago", "4 mo ago", "2 y ago".
func ago(t, now time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		return "in " + span(-d)
	}
	if d < time.Minute {
		return "just now"
	}
	return span(d) + " ago"
}

func span(d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%d d", int(d.Hours()/24))
	case d < 730*24*time.Hour:
		return fmt.Sprintf("%d mo", int(math.Round(d.Hours()/24/30.4)))
	default:
		return fmt.Sprintf("%d y", int(d.Hours()/24/365))
	}
}

// sparkline draws values (nil = no data) as block characters scaled
// between lo and hi.
func sparkline(vals []*float64, lo, hi float64) string {
	blocks := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	for _, v := range vals {
		if v == nil {
			b.WriteRune(' ')
			continue
		}
		f := (*v - lo) / (hi - lo)
		i := int(math.Round(f * float64(len(blocks)-1)))
		i = max(0, min(len(blocks)-1, i))
		b.WriteRune(blocks[i])
	}
	return b.String()
}

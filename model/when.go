package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseWhen reads a due time as people type it: "2026-11-25",
// "2026-11-25 14:00", RFC 3339, "+3d", "+2h", "+30m", "+1w", "today",
// "tomorrow", "next monday" (or a weekday name: its next occurrence).
// Dates without a time mean 17:00 — the end of a working day — and times
// without a zone are local to loc.
func ParseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.Local
	}
	s = strings.ToLower(strings.TrimSpace(s))
	local := now.In(loc)
	day := func(t time.Time, days int) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day()+days, 17, 0, 0, 0, loc)
	}
	switch s {
	case "":
		return time.Time{}, fmt.Errorf("%w: empty date", ErrInvalid)
	case "now":
		return now, nil
	case "today", "今天":
		return day(local, 0), nil
	case "tomorrow", "明天":
		return day(local, 1), nil
	}
	if strings.HasPrefix(s, "+") && len(s) >= 3 {
		n, err := strconv.Atoi(s[1 : len(s)-1])
		if err == nil && n >= 0 {
			switch s[len(s)-1] {
			case 'm':
				return now.Add(time.Duration(n) * time.Minute), nil
			case 'h':
				return now.Add(time.Duration(n) * time.Hour), nil
			case 'd':
				return day(local, n), nil
			case 'w':
				return day(local, 7*n), nil
			}
		}
		return time.Time{}, fmt.Errorf("%w: %q: use +30m, +2h, +3d or +1w", ErrInvalid, s)
	}
	name := strings.TrimPrefix(s, "next ")
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		full := strings.ToLower(wd.String())
		if name == full || name == full[:3] {
			ahead := (int(wd) - int(local.Weekday()) + 7) % 7
			if ahead == 0 {
				ahead = 7
			}
			return day(local, ahead), nil
		}
	}
	if t, err := time.Parse(time.RFC3339, strings.ToUpper(s)); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006/01/02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02", "2006/01/02", "2006/1/2"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 17, 0, 0, 0, loc), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: cannot read %q as a date (try 2026-11-25, 2026-11-25 14:00, +3d, tomorrow, next monday)", ErrInvalid, s)
}

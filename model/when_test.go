package model

import (
	"errors"
	"testing"
	"time"
)

func TestParseWhen(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	// Thursday 2026-11-19 10:30 in Shanghai.
	now := time.Date(2026, 11, 19, 2, 30, 0, 0, time.UTC)
	cases := []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		{"2026-11-25", shanghai, time.Date(2026, 11, 25, 17, 0, 0, 0, shanghai)},
		{"2026-11-25 14:00", shanghai, time.Date(2026, 11, 25, 14, 0, 0, 0, shanghai)},
		{"2026/1/2", shanghai, time.Date(2026, 1, 2, 17, 0, 0, 0, shanghai)},
		{"2026-11-25T14:00:00+01:00", shanghai, time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)},
		{"+2h", shanghai, now.Add(2 * time.Hour)},
		{"+30m", shanghai, now.Add(30 * time.Minute)},
		{"+3d", shanghai, time.Date(2026, 11, 22, 17, 0, 0, 0, shanghai)},
		{"+1w", shanghai, time.Date(2026, 11, 26, 17, 0, 0, 0, shanghai)},
		{"today", shanghai, time.Date(2026, 11, 19, 17, 0, 0, 0, shanghai)},
		{"Tomorrow", shanghai, time.Date(2026, 11, 20, 17, 0, 0, 0, shanghai)},
		{"明天", shanghai, time.Date(2026, 11, 20, 17, 0, 0, 0, shanghai)},
		{"next monday", shanghai, time.Date(2026, 11, 23, 17, 0, 0, 0, shanghai)},
		{"thu", shanghai, time.Date(2026, 11, 26, 17, 0, 0, 0, shanghai)}, // today is Thursday: next week's
		// DST: Berlin leaves summer time on 2026-10-25; 17:00 stays 17:00.
		{"2026-10-25", berlin, time.Date(2026, 10, 25, 16, 0, 0, 0, time.UTC)},
		{"2026-10-24", berlin, time.Date(2026, 10, 24, 15, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := ParseWhen(c.in, now, c.loc)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseWhen(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "soon", "+3x", "+d", "2026-13-01", "2026-02-30", "25/11/2026"} {
		if _, err := ParseWhen(bad, now, shanghai); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseWhen(%q) accepted: %v", bad, err)
		}
	}
}

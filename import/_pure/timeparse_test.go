package importer

import (
	"reflect"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	at := func(y int, mo time.Month, d, h, mi, s int) time.Time { return time.Date(y, mo, d, h, mi, s, 0, sh) }
	cases := []struct {
		in    string
		order DateOrder
		want  time.Time
	}{
		{"2024-03-05T14:22:05Z", DateAuto, time.Date(2024, 3, 5, 14, 22, 5, 0, time.UTC)},
		{"2024-03-05T14:22:05+08:00", DateAuto, at(2024, 3, 5, 14, 22, 5)},
		{"2024-03-05T14:22:05.250-05:00", DateAuto, time.Date(2024, 3, 5, 14, 22, 5, 250e6, time.FixedZone("", -5*3600))},
		{"2024-03-05 14:22:05", DateAuto, at(2024, 3, 5, 14, 22, 5)},
		{"2024-03-05 14:22", DateAuto, at(2024, 3, 5, 14, 22, 0)},
		{"2024-03-05", DateAuto, at(2024, 3, 5, 0, 0, 0)},
		{"2024-3-5", DateAuto, at(2024, 3, 5, 0, 0, 0)},
		{"2024/3/5 14:22", DateAuto, at(2024, 3, 5, 14, 22, 0)},
		{"2018/6/28 16:16", DateAuto, at(2018, 6, 28, 16, 16, 0)},
		{"2019/2/20 9:05", DateAuto, at(2019, 2, 20, 9, 5, 0)},
		{"03/05/2024", DateAuto, at(2024, 3, 5, 0, 0, 0)}, // ambiguous: month first
		{"03/05/2024", DateMDY, at(2024, 3, 5, 0, 0, 0)},
		{"03/05/2024", DateDMY, at(2024, 5, 3, 0, 0, 0)},
		{"31/08/2021 23:05", DateAuto, at(2021, 8, 31, 23, 5, 0)}, // first part > 12: day first
		{"08/31/2021", DateAuto, at(2021, 8, 31, 0, 0, 0)},
		{"2/1/2006 3:04 PM", DateMDY, at(2006, 2, 1, 15, 4, 0)},
		{"2/1/2006 3:04 PM", DateDMY, at(2006, 1, 2, 15, 4, 0)},
		{"12/1/2006 12:04 AM", DateMDY, at(2006, 12, 1, 0, 4, 0)},
		{"12/1/2006 12:04 pm", DateMDY, at(2006, 12, 1, 12, 4, 0)},
		{"1/2/2006 3:04:05 p.m.", DateMDY, at(2006, 1, 2, 15, 4, 5)},
		{"22-04-2015", DateAuto, at(2015, 4, 22, 0, 0, 0)},
		{"22-Apr-15", DateAuto, at(2015, 4, 22, 0, 0, 0)},
		{"22-Apr-2015", DateAuto, at(2015, 4, 22, 0, 0, 0)},
		{"05/Mar/24 2:22 PM", DateAuto, at(2024, 3, 5, 14, 22, 0)},
		{"Mar 5, 2024", DateAuto, at(2024, 3, 5, 0, 0, 0)},
		{"March 5, 2024 2:22 PM", DateAuto, at(2024, 3, 5, 14, 22, 0)},
		{"5th Jan 2020", DateAuto, at(2020, 1, 5, 0, 0, 0)},
		{"Tue, 5 Mar 2024 14:22:05 +0000", DateAuto, time.Date(2024, 3, 5, 14, 22, 5, 0, time.UTC)},
		{"05.03.2024", DateDMY, at(2024, 3, 5, 0, 0, 0)},
		{"05.03.2024 14:22", DateDMY, at(2024, 3, 5, 14, 22, 0)},
		{"2024年3月5日", DateAuto, at(2024, 3, 5, 0, 0, 0)},
		{"2024年3月5日 14:22", DateAuto, at(2024, 3, 5, 14, 22, 0)},
		{"2024年03月05日14:22:05", DateAuto, at(2024, 3, 5, 14, 22, 5)},
		{"２０２４－０３－０５", DateAuto, at(2024, 3, 5, 0, 0, 0)},
		{"45356.5", DateAuto, at(2024, 3, 5, 12, 0, 0)},
		{"45356", DateAuto, at(2024, 3, 5, 0, 0, 0)},
		{"1709648525", DateAuto, time.Unix(1709648525, 0).In(sh)},
		{"1709648525000", DateAuto, time.UnixMilli(1709648525000).In(sh)},
		{"2024-03-05 14:22:05 UTC", DateAuto, time.Date(2024, 3, 5, 14, 22, 5, 0, time.UTC)},
		{"2024-03-05 14:22:05 -0700", DateAuto, time.Date(2024, 3, 5, 21, 22, 5, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := ParseTimeOrder(c.in, sh, c.order)
		if err != nil {
			t.Errorf("ParseTimeOrder(%q, %q): %v", c.in, c.order, err)
			continue
		}
		if got == nil || !got.Equal(c.want) {
			t.Errorf("ParseTimeOrder(%q, %q) = %v, want %v", c.in, c.order, got, c.want)
		}
	}
}

func TestParseTimeZoneless(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	got, err := ParseTime("2024-07-01 09:00", ny)
	if err != nil || got.UTC().Hour() != 13 {
		t.Errorf("a zone-less time should be in the location given: %v, %v", got, err)
	}
	if got, err := ParseTime("2024-07-01 09:00", nil); err != nil || got.Location() != time.Local {
		t.Errorf("nil location should mean local: %v, %v", got, err)
	}
}

func TestParseTimeNullAndErrors(t *testing.T) {
	for _, in := range []string{"", " ", "-", "n/a", "NULL"} {
		if got, err := ParseTime(in, time.UTC); got != nil || err != nil {
			t.Errorf("ParseTime(%q) = %v, %v; want nil, nil", in, got, err)
		}
	}
	for _, in := range []string{"yesterday", "31/02/2024", "2024-13-01", "2024-02-30", "25:00",
		"2024-03-05 25:61", "13/13/2024", "12", "abc 2024", "2024-03-05 14:22 banana", "1/2", "2024-03-05 13:00 PM"} {
		if got, err := ParseTime(in, time.UTC); err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", in, got)
		}
	}
	if _, err := ParseTimeOrder("2024-02-29", time.UTC, DateAuto); err != nil {
		t.Errorf("2024 is a leap year: %v", err)
	}
}

func TestDetectDateOrder(t *testing.T) {
	cases := []struct {
		values []string
		want   DateOrder
	}{
		{[]string{"08/09/2021 15:30", "31/08/2021 23:05", "-"}, DateDMY},
		{[]string{"08/09/2021", "08/31/2021"}, DateMDY},
		{[]string{"01/02/2021", "03/04/2021"}, DateAuto},
		{[]string{"31/08/2021", "08/31/2021"}, DateAuto},
		{[]string{"2021-08-31", "2021-01-02"}, DateAuto},
		{[]string{"22-04-2015", "04-08-2015"}, DateDMY},
		{nil, DateAuto},
	}
	for _, c := range cases {
		if got := DetectDateOrder(c.values); got != c.want {
			t.Errorf("DetectDateOrder(%q) = %q, want %q", c.values, got, c.want)
		}
	}
}

func TestParseClock(t *testing.T) {
	cases := map[string][3]int{"3:53:50 PM": {15, 53, 50}, "10:22:56 AM": {10, 22, 56}, "14:05": {14, 5, 0}, "12:00 AM": {0, 0, 0}}
	for in, want := range cases {
		h, m, s, ok := ParseClock(in)
		if !ok || [3]int{h, m, s} != want {
			t.Errorf("ParseClock(%q) = %d:%d:%d %v, want %v", in, h, m, s, ok, want)
		}
	}
	for _, in := range []string{"", "noon", "2024-03-05 14:00", "14:00Z", "25:00"} {
		if _, _, _, ok := ParseClock(in); ok {
			t.Errorf("ParseClock(%q) should fail", in)
		}
	}
}

func TestParseDateOrder(t *testing.T) {
	for in, want := range map[string]DateOrder{"": DateAuto, "auto": DateAuto, "DMY": DateDMY, "mdy": DateMDY} {
		if got, err := ParseDateOrder(in); err != nil || got != want {
			t.Errorf("ParseDateOrder(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseDateOrder("ymd"); err == nil {
		t.Error("ParseDateOrder(ymd): want an error")
	}
}

func TestFindClockMatchesRegexp(t *testing.T) {
	inputs := []string{"", "14:22", "2024-03-05 14:22:05", "3:04 PM", "3:04PM", "3:04 p.m.", "12:00 a", "114:22",
		"1:2", "14:225", "14:22:5", "14:22:05.123456789123", "14:22:05,5", "2024-03-05T14:22:05Z",
		"14:22:05+08:00", "14:22:05 -0700", "14:22 +08", "14:22+08:0", "14:22 UTC", "14:22 gmtx", "x:12 3:45",
		"9:05 am.", "14:22 Zulu", "::12:34", "1:23:45 pm +0100", "14:22\t\tZ", "05/Mar/24 2:22 PM"}
	for _, in := range inputs {
		if got, want := findClock(in), clockRe.FindStringSubmatchIndex(in); !reflect.DeepEqual(got, want) {
			t.Errorf("findClock(%q) = %v, regexp says %v", in, got, want)
		}
	}
}

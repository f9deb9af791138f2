package importer

import (
	"errors"
	"testing"
	"time"
)

func TestParseCSAT(t *testing.T) {
	good := map[string]int{
		"1": 1, "5": 5, "4.0": 4, " 3 ": 3, "4/5": 4, "8/10": 4, "10/10": 5, "80%": 4, "0%": 1,
		"Good": 5, "bad": 1, "great": 5, "okay": 3, "Not Good": 1, "awesome": 5, "just okay": 3,
		"very satisfied": 5, "satisfied": 4, "neutral": 3, "dissatisfied": 2, "very dissatisfied": 1,
		"非常满意": 5, "满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1,
	}
	for in, want := range good {
		if got, err := ParseCSAT(in); err != nil || got != want {
			t.Errorf("ParseCSAT(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-", "n/a", "offered", "unoffered", " N/A "} {
		if _, err := ParseCSAT(in); !errors.Is(err, errNoValue) {
			t.Errorf("ParseCSAT(%q) = %v, want no value", in, err)
		}
	}
	for _, in := range []string{"7", "0", "6/5", "150%", "meh", "NaN"} {
		if _, err := ParseCSAT(in); err == nil || errors.Is(err, errNoValue) {
			t.Errorf("ParseCSAT(%q) accepted", in)
		}
	}
}

func TestParseNPS(t *testing.T) {
	for in, want := range map[string]int{"0": 0, "10": 10, "7": 7, "9.0": 9} {
		if got, err := ParseNPS(in); err != nil || got != want {
			t.Errorf("ParseNPS(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"11", "-1", "7.5", "x"} {
		if _, err := ParseNPS(in); err == nil {
			t.Errorf("ParseNPS(%q) accepted", in)
		}
	}
}

func TestParseTime(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	at := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, sh).UTC()
	}
	cases := []struct {
		in       string
		dayFirst bool
		want     time.Time
	}{
		{"2024-03-05T14:22:00Z", false, time.Date(2024, 3, 5, 14, 22, 0, 0, time.UTC)},
		{"2024-03-05 14:22:10", false, at(2024, 3, 5, 14, 22, 10)},
		{"2024-03-05", false, at(2024, 3, 5, 0, 0, 0)},
		{"2019/2/20 16:13", false, at(2019, 2, 20, 16, 13, 0)},
		{"03/05/2024", false, at(2024, 3, 5, 0, 0, 0)},
		{"05/03/2024", true, at(2024, 3, 5, 0, 0, 0)},
		{"2/1/2006 3:04 PM", false, at(2006, 2, 1, 15, 4, 0)},
		{"22-04-2015", true, at(2015, 4, 22, 0, 0, 0)},
		{"22-Apr-15", false, at(2015, 4, 22, 0, 0, 0)},
		{"05/Mar/24 2:22 PM", false, at(2024, 3, 5, 14, 22, 0)},
		{"2024年3月5日", false, at(2024, 3, 5, 0, 0, 0)},
		{"2024年3月5日 14:22", false, at(2024, 3, 5, 14, 22, 0)},
		{"13/01/2020 09:30:00", true, at(2020, 1, 13, 9, 30, 0)},
		{"45356.5", false, at(2024, 3, 5, 12, 0, 0)},
	}
	for _, c := range cases {
		got, err := ParseTime(c.in, sh, c.dayFirst)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"yesterday-ish", "2024-13-45", "32/01/2020"} {
		if _, err := ParseTime(in, sh, true); err == nil {
			t.Errorf("ParseTime(%q) accepted", in)
		}
	}
	if !DayFirst([]string{"01/02/2020", "13/02/2020"}) || DayFirst([]string{"01/02/2020", "02/13/2020"}) {
		t.Error("DayFirst misjudged")
	}
}

func TestTagsAndIDs(t *testing.T) {
	if got := ParseTags("vip, beta;大客户，vip 新用户"); len(got) != 4 || got[2] != "大客户" {
		t.Errorf("ParseTags = %q", got)
	}
	if NormalizeID("1.03531E+12") != "1035310000000" || NormalizeID("42.0") != "42" || NormalizeID("A-17") != "A-17" {
		t.Error("NormalizeID")
	}
}

func FuzzParseValues(f *testing.F) {
	for _, s := range []string{"4/5", "80%", "非常满意", "05/Mar/24 2:22 PM", "45356.5", "1e300", "-", "2024年3月5日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, err := ParseCSAT(s); err == nil && (v < 1 || v > 5) {
			t.Fatalf("ParseCSAT(%q) = %d", s, v)
		}
		if v, err := ParseNPS(s); err == nil && (v < 0 || v > 10) {
			t.Fatalf("ParseNPS(%q) = %d", s, v)
		}
		ParseTime(s, time.UTC, false)
		ParseTags(s)
		NormalizeID(s)
	})
}

package model

import (
	"fmt"
	"slices"
	"testing"
)

func TestBandsNumbers(t *testing.T) {
	var ages []string
	for a := 18; a <= 70; a++ {
		ages = append(ages, fmt.Sprint(a))
	}
	b := NewBands(append(ages, SummaryNone))
	if b == nil {
		t.Fatal("53 ages should be banded")
	}
	for v, want := range map[string]string{"18": "<20", "20": "20–24", "29": "25–29", "66": "65–69", "70": "≥70", "": SummaryNone, "n/a": "n/a"} {
		if got := b.Of(v); got != want {
			t.Errorf("Of(%q) = %q, want %q", v, got, want)
		}
	}
	if w, ok := BandWhere("Customer Age", "20–29"); !ok || w != `attr."Customer Age" in (20, 21, 22, 23, 24, 25, 26, 27, 28, 29)` {
		t.Errorf("Where = %q %v", w, ok)
	}
	prices := []string{"0", "7.5", "9.95", "11.95", "12.5", "14.95", "15.9", "16.9", "18.95", "19.95", "22.95", "25.95", "29.95", "69.9"}
	p := NewBands(prices)
	if p == nil || p.Of("7.5") != "0–<10" || p.Of("69.9") != "60–<70" || p.Of("12.5") != "10–<20" {
		t.Fatalf("prices: %+v: %q %q %q", p, p.Of("7.5"), p.Of("69.9"), p.Of("0"))
	}
	if w, ok := BandWhere("p", "7.5–<10"); !ok || w != `attr."p" >= 7.5 and attr."p" < 10` {
		t.Errorf("Where = %q", w)
	}
	small := []string{"0.01", "0.02", "0.03", "0.04", "0.05", "0.06", "0.07", "0.08", "0.09", "0.1", "0.11", "0.12", "0.13"}
	if s := NewBands(small); s == nil || s.Of("0.015") != "0.00–<0.02" || s.Of("0.06") != "0.06–<0.08" {
		t.Errorf("small: %q", s.Of("0.015"))
	}
	if w, ok := BandWhere("n", "0–99"); !ok || w != `attr."n" >= 0 and attr."n" <= 99` {
		t.Errorf("Where(0–99) = %q", w)
	}
	if w, ok := BandWhere("age", "<20"); !ok || w != `attr."age" < 20` {
		t.Errorf("Where(<20) = %q", w)
	}
	if w, ok := BandWhere("age", "≥70"); !ok || w != `attr."age" >= 70` {
		t.Errorf("Where(≥70) = %q", w)
	}
	keys := []string{SummaryNone, "≥200", "100–199", "20–29", "0–9", "<0"}
	slices.SortFunc(keys, func(x, y string) int {
		if BandLess(x, y) {
			return -1
		}
		if BandLess(y, x) {
			return 1
		}
		return 0
	})
	if !slices.Equal(keys, []string{"<0", "0–9", "20–29", "100–199", "≥200", SummaryNone}) {
		t.Errorf("order %v", keys)
	}
}

func TestBandsDatesAndOthers(t *testing.T) {
	var days []string
	for d := 1; d <= 20; d++ {
		days = append(days, fmt.Sprintf("2021-%02d-%02d", d%12+1, d))
	}
	b := NewBands(append(days, "2021-03-27 10:00"))
	if b == nil || b.Of("2021-03-27 10:00") != "2021-03" || b.Of("2020-10-21") != "2020-10" {
		t.Fatalf("dates: %+v", b)
	}
	if w, ok := BandWhere("Date of Purchase", "2021-03"); !ok || w != `attr."Date of Purchase" ~ "2021-03-"` {
		t.Errorf("Where = %q", w)
	}
	for name, vals := range map[string][]string{
		"few":   {"1", "2", "3", "4", "5"},
		"mixed": append(append([]string{}, days...), "17"),
		"text":  {"gold", "silver", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"},
		"hex":   {"0x1", "0x2", "0x3", "0x4", "0x5", "0x6", "0x7", "0x8", "0x9", "0xa", "0xb", "0xc", "0xd"},
	} {
		if NewBands(vals) != nil {
			t.Errorf("%s: should not be banded", name)
		}
	}
}

func FuzzBands(f *testing.F) {
	f.Add("18", "70", "33.5")
	f.Add("2021-01-01", "2021-12-31", "x")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		vals := []string{a, b, c}
		for i := 0; i < 12; i++ {
			vals = append(vals, fmt.Sprint(i*7))
		}
		bs := NewBands(vals)
		if bs == nil {
			return
		}
		for _, v := range vals {
			band := bs.Of(v)
			if band == "" {
				t.Fatalf("empty band for %q", v)
			}
			if w, ok := BandWhere("n", band); ok {
				if _, err := ParseSegment(w); err != nil {
					t.Fatalf("the drill of %q does not parse: %q: %v", band, w, err)
				}
			}
		}
	})
}

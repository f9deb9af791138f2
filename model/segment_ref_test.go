package model

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSegmentRefs(t *testing.T) {
	for src, want := range map[string]string{
		`segment:"churn warning"`:                    `segment:"churn warning"`,
		`segment:vip-users and plan = pro`:           `segment:"vip-users" and plan = "pro"`,
		`SEGMENT = "core users" or tag:vip`:          `segment:"core users" or tag:vip`,
		`segment != trial`:                           `not segment:"trial"`,
		`not segment:'流失预警' and region ~ "华东"`:       `not segment:"流失预警" and region ~ "华东"`,
		`(segment:"a" or segment:"b") and ltv > 100`: `(segment:"a" or segment:"b") and ltv > 100`,
	} {
		x, err := ParseSegment(src)
		if err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if got := x.String(); got != want {
			t.Errorf("%s: printed %s, want %s", src, got, want)
		}
		again, err := ParseSegment(x.String())
		if err != nil || again.String() != want {
			t.Errorf("%s: canonical form does not read back: %v", src, err)
		}
		if !HasSegmentRef(x) {
			t.Errorf("%s: HasSegmentRef false", src)
		}
	}
	for src, col := range map[string]int{
		`segment:`:                   9,
		`segment:""`:                 9,
		`segment < 3`:                9,
		`plan = x and segment = and`: 24,
		`segment`:                    1,
	} {
		_, err := ParseSegment(src)
		var se *SegmentError
		if !errors.As(err, &se) || se.Pos != col {
			t.Errorf("%s: error %v, want one at column %d", src, err, col)
		}
	}
	if _, err := ParseSegment(`segment`); err == nil || !strings.Contains(err.Error(), `segment:"NAME"`) {
		t.Errorf("a bare 'segment' should hint at segment:\"NAME\": %v", err)
	}
}

func TestExpandSegments(t *testing.T) {
	saved := map[string]string{
		"churn warning": `csat_avg < 3 and last_contact_days > 30`,
		"core users":    `ltv >= 10000 and feedback_90d >= 1`,
		"core at risk":  `segment:"core users" and segment:"Churn Warning"`,
		"loop a":        `plan = pro and segment:"loop b"`,
		"loop b":        `segment:"loop a"`,
		"self":          `segment:self or tag:x`,
		"broken":        `plan = `,
		"uses missing":  `segment:"nowhere"`,
	}
	lookup := func(name string) (string, bool, error) {
		for k, v := range saved {
			if strings.EqualFold(k, name) {
				return v, true, nil
			}
		}
		return "", false, nil
	}
	expand := func(src string) (string, error) {
		x, err := ParseSegment(src)
		if err != nil {
			return "", err
		}
		y, err := ExpandSegments(x, lookup)
		if err != nil {
			return "", err
		}
		if HasSegmentRef(y) {
			t.Errorf("%s: references left after expansion: %s", src, y)
		}
		return y.String(), nil
	}
	got, err := expand(`segment:"core at risk" and plan = enterprise`)
	if want := `ltv >= 10000 and feedback_90d >= 1 and (csat_avg < 3 and last_contact_days > 30) and plan = "enterprise"`; err != nil || got != want {
		t.Errorf("nested expansion: %s (%v)\nwant %s", got, err, want)
	}
	got, err = expand(`segment != "churn warning"`)
	if want := `not (csat_avg < 3 and last_contact_days > 30)`; err != nil || got != want {
		t.Errorf("negated: %s (%v)", got, err)
	}
	for src, tc := range map[string]struct {
		col  int
		text string
	}{
		`plan = pro and segment:"nope"`: {16, `unknown segment "nope"`},
		`tag:x or segment:"loop a"`:     {10, `segment "loop a" refers to itself`},
		`segment = self`:                {1, `segment "self" refers to itself`},
		`ltv > 1 and segment:"broken"`:  {13, `segment "broken" does not parse`},
		`segment:"uses missing"`:        {1, `segment "uses missing" uses unknown segment "nowhere"`},
	} {
		_, err := expand(src)
		var se *SegmentError
		if !errors.As(err, &se) || se.Pos != tc.col || !strings.Contains(se.Msg, tc.text) {
			t.Errorf("%s: %v, want %q at column %d", src, err, tc.text, tc.col)
		}
	}
	// A lookup failure is returned as it is.
	boom := errors.New("disk on fire")
	x, _ := ParseSegment(`segment:a`)
	if _, err := ExpandSegments(x, func(string) (string, bool, error) { return "", false, boom }); !errors.Is(err, boom) {
		t.Errorf("lookup error: %v", err)
	}
}

package model

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseSegmentValid(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// DESIGN §1 and §7, CONTRACT
		{`plan = "enterprise" and csat_avg < 3`, `plan = "enterprise" and csat_avg < 3`},
		{`lifecycle in (paying, retained)`, `lifecycle in ("paying", "retained")`},
		{`tag:vip`, `tag:vip`},
		{`region ~ "华东"`, `region ~ "华东"`},
		{`last_contact_days > 30`, `last_contact_days > 30`},
		{`last_contact_days > 30d`, `last_contact_days > 30d`},
		{`attr.city = "上海"`, `attr.city = "上海"`},
		{`ltv >= 10000 and feedback_90d >= 1`, `ltv >= 10000 and feedback_90d >= 1`},
		{`csat_avg < 3 and last_contact_days > 30`, `csat_avg < 3 and last_contact_days > 30`},
		{`not (plan = free or tag:beta)`, `not (plan = "free" or tag:beta)`},
		// every field and operator
		{`name ~ 'wang' or email = bob@example.com or phone = 13800138000`,
			`name ~ "wang" or email = "bob@example.com" or phone = 13800138000`},
		{`company != Acme and city = 上海 and language = zh-CN`, `company != "Acme" and city = "上海" and language = "zh-CN"`},
		{`csat_n >= 5 and nps_last <= 6 and feedback_n > 0 and complaints_open > 0 and followups_open = 0 and created_days < 2w`,
			`csat_n >= 5 and nps_last <= 6 and feedback_n > 0 and complaints_open > 0 and followups_open = 0 and created_days < 2w`},
		{`ltv > -5.5`, `ltv > -5.5`},
		{`phone = 007`, `phone = 007`},
		{`attr.城市 = 华东`, `attr.城市 = "华东"`},
		{`attr.age > 30`, `attr.age > 30`},
		{`attr."Customer Tier" = gold`, `attr."Customer Tier" = "gold"`},
		{`tag:"大客户"`, `tag:大客户`},
		{`tag:c++ or tag:"a(b)"`, `tag:c++ or tag:"a(b)"`},
		{`plan not in ('free', "trial")`, `plan not in ("free", "trial")`},
		{`lifecycle = Paying`, `lifecycle = "paying"`},
		{`lifecycle ~ pay`, `lifecycle ~ "pay"`},
		{`name = 2w`, `name = "2w"`},
		// keywords and field names in any case, full-width brackets and commas
		{`PLAN = x AND NOT Tag:y OR Attr.K = v`, `plan = "x" and not tag:y or attr.K = "v"`},
		{`lifecycle IN （paying，retained）`, `lifecycle in ("paying", "retained")`},
		{"plan=x\u3000and\tltv>=1", `plan = "x" and ltv >= 1`},
		// grouping that the tree needs is kept, the rest dropped
		{`((plan = x))`, `plan = "x"`},
		{`plan = a and (plan = b and plan = c)`, `plan = "a" and (plan = "b" and plan = "c")`},
		{`not not tag:a`, `not not tag:a`},
	} {
		x, err := ParseSegment(c.in)
		if err != nil {
			t.Errorf("ParseSegment(%q): %v", c.in, err)
			continue
		}
		if got := x.String(); got != c.want {
			t.Errorf("ParseSegment(%q).String() = %q, want %q", c.in, got, c.want)
		}
		y, err := ParseSegment(x.String())
		if err != nil || !reflect.DeepEqual(x, y) {
			t.Errorf("%q does not read back: %v", x.String(), err)
		}
	}
}

func TestParseSegmentTree(t *testing.T) {
	x, err := ParseSegment(`plan = "enterprise" and csat_avg < 3`)
	if err != nil {
		t.Fatal(err)
	}
	want := &AndExpr{
		L: &CompareExpr{Field: Field{Name: "plan", Kind: FieldText}, Op: "=", Value: Value{Text: "enterprise"}},
		R: &CompareExpr{Field: Field{Name: "csat_avg", Kind: FieldNumber}, Op: "<", Value: Value{Text: "3", Num: 3, IsNum: true}},
	}
	if !reflect.DeepEqual(x, want) {
		t.Errorf("tree = %#v", x)
	}

	x, _ = ParseSegment(`attr.城市 not in (上海, "北京")`)
	wantIn := &InExpr{Field: Field{Name: "attr", Attr: "城市"}, Not: true,
		Values: []Value{{Text: "上海"}, {Text: "北京"}}}
	if !reflect.DeepEqual(x, wantIn) {
		t.Errorf("tree = %#v", x)
	}

	// Durations on *_days fields are in days.
	for in, days := range map[string]float64{
		"30d": 30, "12h": 0.5, "2w": 14, "1.5d": 1.5, "36H": 1.5, "45": 45,
	} {
		x, err := ParseSegment("last_contact_days > " + in)
		if err != nil {
			t.Fatal(err)
		}
		if v := x.(*CompareExpr).Value; !v.IsNum || v.Num != days {
			t.Errorf("%s = %v days, want %v", in, v.Num, days)
		}
	}
}

func TestParseSegmentPrecedence(t *testing.T) {
	for _, c := range []struct{ in, same string }{
		{`tag:a or tag:b and tag:c`, `tag:a or (tag:b and tag:c)`},
		{`tag:a and tag:b or tag:c`, `(tag:a and tag:b) or tag:c`},
		{`not tag:a and tag:b`, `(not tag:a) and tag:b`},
		{`not tag:a or tag:b`, `(not tag:a) or tag:b`},
		{`tag:a and tag:b or tag:c and tag:d`, `(tag:a and tag:b) or (tag:c and tag:d)`},
		{`tag:a or tag:b or tag:c`, `(tag:a or tag:b) or tag:c`},
		{`tag:a and tag:b and tag:c`, `(tag:a and tag:b) and tag:c`},
	} {
		x, err1 := ParseSegment(c.in)
		y, err2 := ParseSegment(c.same)
		if err1 != nil || err2 != nil {
			t.Fatalf("%v %v", err1, err2)
		}
		if !reflect.DeepEqual(x, y) {
			t.Errorf("%q parsed as %s, want %s", c.in, x, y)
		}
	}
	x, _ := ParseSegment(`tag:a or tag:b and tag:c`)
	if or, ok := x.(*OrExpr); !ok {
		t.Errorf("top is %T, want *OrExpr", x)
	} else if _, ok := or.R.(*AndExpr); !ok {
		t.Errorf("right of or is %T, want *AndExpr", or.R)
	}
	if x, _ := ParseSegment(`(tag:a or tag:b) and tag:c`); x.String() != `(tag:a or tag:b) and tag:c` {
		t.Errorf("String() = %s", x)
	}
}

func TestParseSegmentErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`csat = 3`, `unknown field 'csat' at column 1 (did you mean csat_avg?)`},
		{`plan = x and regin = y`, `unknown field 'regin' at column 14 (did you mean region?)`},
		{`plna = x`, `unknown field 'plna' at column 1 (did you mean plan?)`},
		{`tag = vip`, `unknown field 'tag' at column 1 (did you mean tag:NAME?)`},
		{`华东 = 1`, `unknown field '华东' at column 1`},
		{`csat_avg < `, `expected a value after '<' at column 12`},
		{`csat_avg <`, `expected a value after '<' at column 11`},
		{`ltv >= 1 and csat_avg < or tag:x`, `expected a value after '<' at column 25`},
		{`((plan = x)`, `unclosed '(' opened at column 1`},
		{`tag:a and (tag:b or tag:c`, `unclosed '(' opened at column 11`},
		{`and plan = x`, `unexpected 'and' at column 1`},
		{`plan = x and or tag:y`, `unexpected 'or' at column 14`},
		{`name = "abc`, `unterminated string starting at column 8`},
		{`name = 'it\'`, `unterminated string starting at column 8`},
		{`region = "华东" and city = "上海`, `unterminated string starting at column 26`},
		{`region = 华东 and ltv > abc`, `ltv is a number, not 'abc' at column 23`},
		{`city = "上海" and csat_avg <`, `expected a value after '<' at column 27`},
		{`city = "上海" and 城市 = 1`, `unknown field '城市' at column 17`},
		{`ltv > "100"`, `ltv is a number, not "100" at column 7`},
		{`plan < 3`, `'<' needs a numeric field, and plan is text at column 6`},
		{`lifecycle >= paying`, `'>=' needs a numeric field, and lifecycle is text at column 11`},
		{`ltv ~ 3`, `'~' (contains) needs a text field, and ltv is a number at column 5`},
		{`ltv > 30d`, `a duration such as '30d' only fits last_contact_days and created_days at column 7`},
		{`lifecycle = vip`, `'vip' is not a lifecycle stage at column 13 (one of new, activated, retained, paying, referrer, at_risk, churned)`},
		{`lifecycle in (paying, 3)`, `'3' is not a lifecycle stage at column 23 (one of new, activated, retained, paying, referrer, at_risk, churned)`},
		{`plan = x)`, `unexpected ')' at column 9 (no '(' to close)`},
		{`plan = x ltv > 3`, `unexpected 'ltv' at column 10 (expected 'and' or 'or' before it)`},
		{`(plan = x ltv > 3)`, `unexpected 'ltv' at column 11 (expected 'and', 'or' or ')')`},
		{``, `empty segment expression at column 1`},
		{`   `, `empty segment expression at column 1`},
		{`plan = x and`, `expected a condition after 'and' at column 13`},
		{`not`, `expected a condition after 'not' at column 4`},
		{`plan`, `expected an operator after 'plan' at column 5 (one of = != < <= > >= ~ in)`},
		{`plan == x`, `expected a value after '=' at column 7`},
		{`plan in paying`, `expected '(' after 'in' at column 9`},
		{`plan in ()`, `expected a value after '(' at column 10`},
		{`plan in (a,)`, `expected a value after ',' at column 12`},
		{`plan in (a b)`, `expected ',' or ')' after 'a' at column 12`},
		{`plan in (a, b`, `unclosed '(' opened at column 9`},
		{`plan not = x`, `expected 'in' after 'not' at column 10`},
		{`plan = and`, `expected a value after '=' at column 8 (put 'and' in quotes to match the word itself)`},
		{`plan = x # y`, `unexpected character '#' at column 10`},
		{`plan ! x`, `unexpected character '!' at column 6`},
		{"plan = x \x00", `unexpected character '\x00' at column 10`},
		{"plan = \xff", `invalid UTF-8 at column 8`},
		{`tag:`, `expected a tag name after 'tag:' at column 5`},
		{`tag:"a b"`, `tag "a b" may not contain spaces, commas or control characters at column 1`},
		{`attr. = 1`, `expected an attribute name after 'attr.' at column 6`},
		{`"plan" = x`, `unexpected "plan" at column 1`},
		{`- 3`, `unexpected character '-' at column 1`},
		{strings.Repeat("(", 200) + "tag:a" + strings.Repeat(")", 200), `expression nested too deeply at column 101`},
		{strings.Repeat("not ", 200) + "tag:a", `expression nested too deeply at column 401`},
	} {
		_, err := ParseSegment(c.in)
		var se *SegmentError
		if !errors.As(err, &se) {
			t.Errorf("ParseSegment(%q) = %v, want a *SegmentError", c.in, err)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("ParseSegment(%q)\n got: %s\nwant: %s", c.in, err, c.want)
		}
	}
}

// Hostile text is a value like any other: the parser neither chokes on it
// nor lets it escape its quotes in the canonical form.
func TestParseSegmentHostileValues(t *testing.T) {
	for _, c := range []struct{ in, text string }{
		{`name = "\"; DROP TABLE customers; --"`, `"; DROP TABLE customers; --`},
		{`name = '"; DROP TABLE customers; --'`, `"; DROP TABLE customers; --`},
		{`name = "' OR 1=1 --"`, `' OR 1=1 --`},
		{`name = 'it\'s'`, `it's`},
		{`name = "a\\b"`, `a\b`},
		{`name = "trailing\\"`, `trailing\`},
		{`name ~ "%_[*"`, `%_[*`},
		{"name = \"a\x00b\"", "a\x00b"},
		{"name = \"\x1b[31mred\u202e\"", "\x1b[31mred\u202e"},
		{"name = \"two\nlines\"", "two\nlines"},
		{`name = ""`, ``},
		{`name = "and"`, `and`},
		{`name = "tag:vip"`, `tag:vip`},
	} {
		x, err := ParseSegment(c.in)
		if err != nil {
			t.Errorf("ParseSegment(%q): %v", c.in, err)
			continue
		}
		cmp, ok := x.(*CompareExpr)
		if !ok || cmp.Value.Text != c.text || cmp.Value.IsNum {
			t.Errorf("ParseSegment(%q) = %#v, want the plain value %q", c.in, x, c.text)
			continue
		}
		y, err := ParseSegment(x.String())
		if err != nil || !reflect.DeepEqual(x, y) {
			t.Errorf("%q does not read back: %v", x.String(), err)
		}
	}
}

func TestSegmentFieldsAreTyped(t *testing.T) {
	for _, f := range SegmentFields {
		op := "="
		val := "x"
		if f.Kind == FieldNumber {
			op, val = ">=", "1"
		}
		if f.Name == "lifecycle" {
			val = "new"
		}
		x, err := ParseSegment(f.Name + " " + op + " " + val)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		if got := x.(*CompareExpr).Field; got != f {
			t.Errorf("field %s parsed as %+v", f.Name, got)
		}
	}
}

func FuzzParseSegment(f *testing.F) {
	f.Add(`plan = "enterprise" and csat_avg < 3`)
	f.Add(`not (lifecycle in (paying, retained) or tag:beta)`)
	f.Fuzz(func(t *testing.T, s string) {
		x, err := ParseSegment(s)
		if err != nil {
			var se *SegmentError
			if !errors.As(err, &se) {
				t.Fatalf("ParseSegment(%q) = %v, not a *SegmentError", s, err)
			}
			if se.Pos < 1 || se.Pos > utf8.RuneCountInString(s)+1 {
				t.Fatalf("ParseSegment(%q): column %d outside the input", s, se.Pos)
			}
			return
		}
		canon := x.String()
		y, err := ParseSegment(canon)
		if err != nil {
			t.Fatalf("ParseSegment(%q).String() = %q, which fails: %v", s, canon, err)
		}
		if again := y.String(); again != canon {
			t.Fatalf("String() not stable for %q: %q then %q", s, canon, again)
		}
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("%q and its canonical form %q parse differently", s, canon)
		}
	})
}

package db

import (
	"database/sql/driver"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"

	"github.com/rapportcrm/rapport/model"
)

// Segment expressions compile to one parameterized SQL boolean over the
// customers table aliased c. Column names come only from the switches
// below; every value, tag name and attribute path is a bound parameter.
//
// Each condition is two-valued: a condition on a missing figure (no CSAT
// yet, no such attribute) is false, never NULL, so that `csat_avg < 3` does
// not match customers without answers and `not csat_avg < 3` does.

func init() {
	// rapport_fold folds text for case-insensitive contains beyond ASCII,
	// which SQLite's lower() and LIKE leave alone.
	sqlite.MustRegisterDeterministicScalarFunction("rapport_fold", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return foldText(v), nil
			case []byte:
				return foldText(string(v)), nil
			case nil:
				return nil, nil
			default:
				return fmt.Sprint(v), nil
			}
		})
	// rapport_num reads a value as a number: numbers as they are, text
	// that is a number after trimming, else NULL (so "abc" is not 0).
	sqlite.MustRegisterDeterministicScalarFunction("rapport_num", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			var s string
			switch v := args[0].(type) {
			case int64:
				return float64(v), nil
			case float64:
				return v, nil
			case string:
				s = v
			case []byte:
				s = string(v)
			default:
				return nil, nil
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, nil
			}
			return f, nil
		})
}

// textColumns maps the text fields to their columns.
var textColumns = map[string]string{
	"name": "c.name", "email": "c.email", "phone": "c.phone", "company": "c.company",
	"plan": "c.plan", "region": "c.region", "city": "c.city", "language": "c.language",
	"lifecycle": "c.lifecycle",
}

// numberColumns maps the numeric fields kept on the customer row; nullable
// says a customer may have no value.
var numberColumns = map[string]struct {
	col      string
	nullable bool
}{
	"ltv":             {"c.ltv", false},
	"csat_avg":        {"c.csat_avg", true},
	"csat_n":          {"c.csat_n", false},
	"nps_last":        {"c.nps_last", true},
	"feedback_n":      {"c.feedback_n", false},
	"complaints_open": {"c.complaints_open", false},
	"followups_open":  {followupsOpenExpr, false},
}

// compileSegment turns a parsed expression into a SQL boolean over
// customers c, with its arguments. now anchors the *_days and
// feedback_90d fields.
func compileSegment(e model.SegmentExpr, now time.Time) (where string, args []any, err error) {
	return compileSegmentFor(dialect{}, e, now)
}

// compileSegmentFor is compileSegment in the store's dialect.
func compileSegmentFor(d dialect, e model.SegmentExpr, now time.Time) (where string, args []any, err error) {
	c := &segCompiler{now: now.UTC(), d: d}
	var b strings.Builder
	if err := c.expr(&b, e); err != nil {
		return "", nil, err
	}
	return b.String(), c.args, nil
}

type segCompiler struct {
	d    dialect
	now  time.Time
	args []any
	side attrSide // which attrs an attribute condition reads (facts_where.go)
}

func (c *segCompiler) bind(v any) string {
	c.args = append(c.args, v)
	return "?"
}

func (c *segCompiler) expr(b *strings.Builder, e model.SegmentExpr) error {
	switch x := e.(type) {
	case *model.AndExpr:
		return c.binary(b, x.L, x.R, " AND ")
	case *model.OrExpr:
		return c.binary(b, x.L, x.R, " OR ")
	case *model.NotExpr:
		b.WriteString("NOT (")
		if err := c.expr(b, x.X); err != nil {
			return err
		}
		b.WriteString(")")
		return nil
	case *model.TagExpr:
		b.WriteString("EXISTS (SELECT 1 FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = c.id AND t.name = " +
			c.bind(x.Name) + " COLLATE " + c.d.binary() + ")")
		return nil
	case *model.CompareExpr:
		s, err := c.compare(x.Field, x.Op, x.Value)
		if err != nil {
			return err
		}
		b.WriteString(s)
		return nil
	case *model.InExpr:
		if len(x.Values) == 0 {
			return fmt.Errorf("%w: empty in-list", model.ErrInvalid)
		}
		s, err := c.in(x.Field, x.Values)
		if err != nil {
			return err
		}
		if x.Not {
			s = "NOT " + s
		}
		b.WriteString(s)
		return nil
	case *model.SegmentRefExpr:
		// expandSegmentText replaces references before compiling
		return &model.SegmentError{Pos: x.Pos, Msg: fmt.Sprintf("segment %q is not expanded", x.Name)}
	case nil:
		return fmt.Errorf("%w: empty segment expression", model.ErrInvalid)
	}
	return fmt.Errorf("%w: unknown segment node %T", model.ErrInvalid, e)
}

func (c *segCompiler) binary(b *strings.Builder, l, r model.SegmentExpr, op string) error {
	b.WriteString("(")
	if err := c.expr(b, l); err != nil {
		return err
	}
	b.WriteString(op)
	if err := c.expr(b, r); err != nil {
		return err
	}
	b.WriteString(")")
	return nil
}

var sqlOps = map[string]string{"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

// compare compiles one field-operator-value condition; the result is never
// NULL.
func (c *segCompiler) compare(f model.Field, op string, v model.Value) (string, error) {
	if op == "~" {
		return c.contains(f, v)
	}
	sop, ok := sqlOps[op]
	if !ok {
		return "", fmt.Errorf("%w: unknown operator %q", model.ErrInvalid, op)
	}
	switch {
	case f.IsAttr():
		return c.attrCompare(f, sop, v), nil
	case f.Name == "email":
		if sop != "=" && sop != "<>" {
			return "", fmt.Errorf("%w: %s needs = or !=", model.ErrInvalid, f.Name)
		}
		return "c.email_key " + sop + " " + c.bind(model.NormalizeEmail(v.Text)), nil
	case f.Name == "phone":
		if sop != "=" && sop != "<>" {
			return "", fmt.Errorf("%w: %s needs = or !=", model.ErrInvalid, f.Name)
		}
		if d := model.PhoneDigits(v.Text); d != "" {
			return "c.phone_digits " + sop + " " + c.bind(d), nil
		}
		return "c.phone " + sop + " " + c.bind(v.Text), nil
	case textColumns[f.Name] != "":
		if sop != "=" && sop != "<>" {
			return "", fmt.Errorf("%w: %s needs = or !=", model.ErrInvalid, f.Name)
		}
		return textColumns[f.Name] + " " + sop + " " + c.bind(v.Text), nil
	}
	if !v.IsNum {
		return "", fmt.Errorf("%w: %s needs a number", model.ErrInvalid, f.Name)
	}
	switch f.Name {
	case "last_contact_days":
		return c.days("c.last_contact_at", true, sop, v.Num), nil
	case "created_days":
		return c.days("c.created_at", false, sop, v.Num), nil
	case "feedback_90d":
		return c.feedback90dCompare(sop, v.Num), nil
	}
	nc, ok := numberColumns[f.Name]
	if !ok {
		return "", fmt.Errorf("%w: unknown field %q", model.ErrInvalid, f.Name)
	}
	cond := nc.col + " " + sop + " " + c.bind(v.Num)
	if nc.nullable {
		cond = "(" + nc.col + " IS NOT NULL AND " + cond + ")"
	}
	return cond, nil
}

// feedback90dCompare compiles a comparison of the 90-day feedback count.
// "At least one" and "none", the common thresholds, compare the
// customer's latest feedback time (kept with the derived figures, and
// indexed with ltv) instead of counting each customer's rows.
func (c *segCompiler) feedback90dCompare(op string, n float64) string {
	some := (op == ">=" && n > 0 && n <= 1) || (op == ">" && n >= 0 && n < 1) || (op == "<>" && n == 0)
	none := (op == "=" && n == 0) || (op == "<" && n > 0 && n <= 1) || (op == "<=" && n >= 0 && n < 1)
	if some || none {
		since := c.bind(fmtTime(c.now.Add(-90 * 24 * time.Hour)))
		if none {
			return "(c.last_feedback_at IS NULL OR c.last_feedback_at < " + since + ")"
		}
		return "c.last_feedback_at >= " + since
	}
	return c.feedback90d() + " " + op + " " + c.bind(n)
}

func (c *segCompiler) feedback90d() string {
	return "(SELECT count(*) FROM feedback WHERE customer_id = c.id AND created_at >= " +
		c.bind(fmtTime(c.now.Add(-90*24*time.Hour))) + ")"
}

// cutoff is the moment that lies n days before now.
func (c *segCompiler) cutoff(days float64) string {
	// 100,000 days (274 years) lies beyond any stored time; keep the
	// arithmetic inside time.Duration
	days = max(-1e5, min(days, 1e5))
	d := time.Duration(days * float64(24*time.Hour))
	return fmtTime(c.now.Add(-d))
}

// days compiles a comparison of "days since col" with n as a comparison of
// col with the cutoff now − n days, which an index on col can serve. A
// customer never contacted (col NULL, when nullable) lies infinitely long
// ago: more than any number of days, equal to none. = n means n ≤ days <
// n+1, i.e. n whole days.
func (c *segCompiler) days(col string, nullable bool, op string, n float64) string {
	null := func(match bool) string {
		if !nullable {
			return ""
		}
		if match {
			return col + " IS NULL OR "
		}
		return col + " IS NOT NULL AND "
	}
	switch op {
	case ">":
		return "(" + null(true) + col + " < " + c.bind(c.cutoff(n)) + ")"
	case ">=":
		return "(" + null(true) + col + " <= " + c.bind(c.cutoff(n)) + ")"
	case "<":
		return "(" + null(false) + col + " > " + c.bind(c.cutoff(n)) + ")"
	case "<=":
		return "(" + null(false) + col + " >= " + c.bind(c.cutoff(n)) + ")"
	case "<>":
		return "NOT " + c.dayEq(col, nullable, n)
	}
	return c.dayEq(col, nullable, n)
}

func (c *segCompiler) dayEq(col string, nullable bool, n float64) string {
	cond := col + " > " + c.bind(c.cutoff(n+1)) + " AND " + col + " <= " + c.bind(c.cutoff(n))
	if nullable {
		cond = col + " IS NOT NULL AND " + cond
	}
	return "(" + cond + ")"
}

// attrPath is the JSON path of a custom attribute, with the key quoted so
// that dots, quotes and any script are part of the name.
func attrPath(name string) string {
	return `$."` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
}

// attrCompare compares a custom attribute (see attrEither): as a number
// when the value was written as one (= also matches the text exactly, so
// 007 finds "007"), else as text.
func (c *segCompiler) attrCompare(f model.Field, sop string, v model.Value) string {
	return c.attrEither(func(attrs string) string {
		// each use binds the path afresh: placeholders are positional
		val := func() string { return "json_extract(" + attrs + ", " + c.bind(attrPath(f.Attr)) + ")" }
		if !v.IsNum {
			return "coalesce(CAST(" + val() + " AS TEXT) " + sop + " " + c.bind(v.Text) + ", " + c.d.no() + ")"
		}
		switch sop {
		case "=":
			return "(coalesce(rapport_num(" + val() + ") = " + c.bind(v.Num) + ", " + c.d.no() + ") OR coalesce(CAST(" + val() +
				" AS TEXT) = " + c.bind(v.Text) + ", " + c.d.no() + "))"
		case "<>":
			// present, and neither the same number nor the same text
			return "(" + val() + " IS NOT NULL AND NOT coalesce(rapport_num(" + val() + ") = " + c.bind(v.Num) +
				", " + c.d.no() + ") AND CAST(" + val() + " AS TEXT) <> " + c.bind(v.Text) + ")"
		}
		return "coalesce(rapport_num(" + val() + ") " + sop + " " + c.bind(v.Num) + ", " + c.d.no() + ")"
	})
}

// attrEither applies a condition on an attribute at both levels an import
// keeps unmapped columns at: a customer matches when its own attrs satisfy
// cond, or when any of its feedback items' attrs do (a ticket export's
// extra columns belong to the ticket). The customer's own attrs are tried
// first; the feedback side is one uncorrelated subquery over the feedback
// that has attributes at all (the partial index feedback_with_attrs,
// migration 10), computed once per statement and only when some customer
// needs it. cond(col) must be two-valued and bind its arguments in the
// order it writes them.
func (c *segCompiler) attrEither(cond func(attrs string) string) string {
	switch c.side {
	case attrOwn:
		return cond("c.attrs")
	case attrFeedback:
		return cond("fa.attrs")
	}
	own := cond("c.attrs")
	fb := cond("fa.attrs")
	return "(" + own + " OR c.id IN (SELECT fa.customer_id FROM feedback fa WHERE fa.attrs <> '{}' AND " + fb + "))"
}

// contains compiles ~, a case-insensitive substring match. LIKE folds
// ASCII itself; other scripts go through rapport_fold on both sides.
func (c *segCompiler) contains(f model.Field, v model.Value) (string, error) {
	var col string
	switch {
	case f.IsAttr():
		return c.attrEither(func(attrs string) string {
			return c.textContains("CAST(json_extract("+attrs+", "+c.bind(attrPath(f.Attr))+") AS TEXT)", v.Text)
		}), nil
	case f.Name == "phone":
		if d := model.PhoneDigits(v.Text); d != "" && isPhoneLike(v.Text) {
			return "c.phone_digits LIKE " + c.bind("%"+likeEscape(d)+"%") + " ESCAPE '\\'", nil
		}
		col = "c.phone"
	case textColumns[f.Name] != "":
		col = textColumns[f.Name]
	default:
		return "", fmt.Errorf("%w: '~' needs a text field", model.ErrInvalid)
	}
	return c.textContains(col, v.Text), nil
}

// textContains is col ~ text: a case-insensitive substring match that is
// never NULL.
func (c *segCompiler) textContains(col, text string) string {
	ascii := isASCII(text)
	if !ascii {
		col, text = c.fold(col), foldText(text)
	}
	if strings.IndexByte(text, 0) >= 0 {
		// LIKE reads its pattern up to a NUL; instr compares all of it.
		if ascii {
			col, text = c.fold(col), foldText(text)
		}
		return "coalesce(instr(" + col + ", " + c.bind(text) + ") > 0, " + c.d.no() + ")"
	}
	return "coalesce(" + col + " " + c.d.like() + " " + c.bind("%"+likeEscape(text)+"%") + " ESCAPE '\\', " + c.d.no() + ")"
}

// fold is col's text folded for ~ as foldText folds the pattern: through
// rapport_fold (Go's strings.ToLower on SQLite, ICU's lower on
// PostgreSQL), with the final sigma, which ICU's lower writes at the end
// of a word, made the plain σ as Go writes it.
func (c *segCompiler) fold(col string) string {
	if c.d.pg { // İ first made i: ICU lowers it to i and a combining dot
		return "translate(rapport_fold(translate(" + col + ", 'İ', 'i')), 'ς', 'σ')"
	}
	return "rapport_fold(" + col + ")"
}

// foldText lower-cases text for ~ and makes a final sigma (ς, which a
// Greek keyboard types at the end of a word) the plain σ, so that
// "νικολαος" is found in "ΝΙΚΟΛΑΟΣ" and inside "νικολαοσ…" alike.
func foldText(s string) string { return strings.ReplaceAll(strings.ToLower(s), "ς", "σ") }

// in compiles field in (values) as a condition that is never NULL.
func (c *segCompiler) in(f model.Field, vals []model.Value) (string, error) {
	list := func(conv func(model.Value) any) string {
		ph := make([]string, len(vals))
		for i, v := range vals {
			ph[i] = c.bind(conv(v))
		}
		return "(" + strings.Join(ph, ", ") + ")"
	}
	text := func(v model.Value) any { return v.Text }
	switch {
	case f.Name == "email":
		return "c.email_key IN " + list(func(v model.Value) any { return model.NormalizeEmail(v.Text) }), nil
	case textColumns[f.Name] != "" && f.Name != "phone":
		return textColumns[f.Name] + " IN " + list(text), nil
	}
	if f.IsAttr() && c.side == attrBoth {
		// One value of the list on one attrs object: the customer's own,
		// or one feedback item's — the same customers as an OR of
		// equalities, in one pass over the feedback's attributes.
		var err error
		where := c.attrEither(func(attrs string) string {
			saved := c.side
			c.side = attrFeedback
			if attrs == "c.attrs" {
				c.side = attrOwn
			}
			defer func() { c.side = saved }()
			var s string
			s, err = c.in(f, vals)
			return s
		})
		return where, err
	}
	// Anything else: an OR of equalities, each two-valued.
	parts := make([]string, len(vals))
	for i, v := range vals {
		s, err := c.compare(f, "=", v)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return "(" + strings.Join(parts, " OR ") + ")", nil
}

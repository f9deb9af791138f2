package model

import (
	"strconv"
	"strings"
)

// Segment expressions pick customers by their profile and figures:
//
//	plan = "enterprise" and csat_avg < 3
//	lifecycle in (paying, retained) and not tag:beta
//	region ~ "华东" or attr.城市 = 上海
//	last_contact_days > 30d
//
// Grammar (keywords in any case):
//
//	expr    := or
//	or      := and ('or' and)*
//	and     := not ('and' not)*
//	not     := 'not' not | primary
//	primary := '(' expr ')' | 'tag:' NAME
//	         | field op value
//	         | field ['not'] 'in' '(' value (',' value)* ')'
//	op      := '=' | '!=' | '<' | '<=' | '>' | '>=' | '~'
//
// ParseSegment checks fields, operators and values against each field's type,
// so the store can compile the tree to parameterized SQL without
// second-guessing it.

// SegmentExpr is a node of a parsed segment expression: *AndExpr, *OrExpr,
// *NotExpr, *CompareExpr, *InExpr or *TagExpr. String gives a canonical form
// that ParseSegment reads back to the same tree.
type SegmentExpr interface {
	String() string
	// writeSegment appends the canonical form; it also keeps the set of
	// node types closed, so the store's compiler can switch over them.
	writeSegment(b *strings.Builder)
}

// AndExpr matches customers that both sides match.
type AndExpr struct{ L, R SegmentExpr }

// OrExpr matches customers that either side matches.
type OrExpr struct{ L, R SegmentExpr }

// NotExpr matches customers that X does not match.
type NotExpr struct{ X SegmentExpr }

// CompareExpr compares a field with a value. Op is one of
// = != < <= > >= ~ (~ is a case-insensitive contains, on text fields only).
type CompareExpr struct {
	Field Field
	Op    string
	Value Value
}

// InExpr matches when the field equals one of Values, or none of them when Not.
type InExpr struct {
	Field  Field
	Values []Value
	Not    bool
}

// TagExpr matches customers carrying the tag Name (exact, case-sensitive).
type TagExpr struct{ Name string }

// FieldKind says how a field compares: as text or as a number.
type FieldKind int

const (
	FieldText FieldKind = iota
	FieldNumber
)

func (k FieldKind) String() string {
	if k == FieldNumber {
		return "number"
	}
	return "text"
}

// Field is what a condition looks at: a profile column, a derived figure,
// or a custom attribute (Name "attr", Attr the attribute's key).
type Field struct {
	Name string
	Attr string
	Kind FieldKind
}

// IsAttr says whether the field is a custom attribute, attr.NAME.
func (f Field) IsAttr() bool { return f.Name == "attr" }

// IsDays says whether the field counts days, so durations such as 12h or 2w
// may be compared with it.
func (f Field) IsDays() bool { return strings.HasSuffix(f.Name, "_days") }

func (f Field) String() string {
	if !f.IsAttr() {
		return f.Name
	}
	if f.Attr != "" && strings.IndexFunc(f.Attr, func(r rune) bool { return !isWordRune(r) }) < 0 {
		return "attr." + f.Attr
	}
	return "attr." + quoteSegmentString(f.Attr)
}

// SegmentFields lists the built-in fields in the order help text shows them.
// Custom attributes (attr.NAME) and tags (tag:NAME) come on top.
var SegmentFields = []Field{
	{Name: "name"}, {Name: "email"}, {Name: "phone"}, {Name: "company"},
	{Name: "plan"}, {Name: "region"}, {Name: "city"}, {Name: "language"},
	{Name: "lifecycle"},
	{Name: "ltv", Kind: FieldNumber},
	{Name: "csat_avg", Kind: FieldNumber},
	{Name: "csat_n", Kind: FieldNumber},
	{Name: "nps_last", Kind: FieldNumber},
	{Name: "feedback_n", Kind: FieldNumber},
	{Name: "feedback_90d", Kind: FieldNumber},
	{Name: "complaints_open", Kind: FieldNumber},
	{Name: "followups_open", Kind: FieldNumber},
	{Name: "last_contact_days", Kind: FieldNumber},
	{Name: "created_days", Kind: FieldNumber},
}

// Value is the right-hand side of a condition. Text holds what text fields
// compare with: the unquoted string, the bare word, or a number as written
// (so phone = 007 keeps its zeros). IsNum says the value was written as a
// number; Num holds it, in days for a duration (30d, 12h, 2w) on a *_days
// field. Values on numeric fields are always numbers.
type Value struct {
	Text  string
	Num   float64
	IsNum bool
}

func (v Value) String() string {
	if !v.IsNum {
		return quoteSegmentString(v.Text)
	}
	if isNumberLiteral(v.Text) || isDurationLiteral(v.Text) {
		return v.Text
	}
	return strconv.FormatFloat(v.Num, 'f', -1, 64)
}

// SegmentError points at the column (in runes, from 1) where an expression
// went wrong.
type SegmentError struct {
	Pos  int
	Msg  string
	Hint string // optional, e.g. "did you mean csat_avg?"
}

func (e *SegmentError) Error() string {
	s := e.Msg + " at column " + strconv.Itoa(e.Pos)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Binding strength, for printing with only the brackets the tree needs.
const (
	segPrecOr = iota + 1
	segPrecAnd
	segPrecNot
	segPrecPrimary
)

func segPrecedence(x SegmentExpr) int {
	switch x.(type) {
	case *OrExpr:
		return segPrecOr
	case *AndExpr:
		return segPrecAnd
	case *NotExpr:
		return segPrecNot
	}
	return segPrecPrimary
}

// writeOperand prints x as an operand of an operator that binds with
// strength prec; a right operand of and/or is bracketed at equal strength
// too, so the printed form groups exactly as the tree does.
func writeOperand(b *strings.Builder, x SegmentExpr, prec int, right bool) {
	if x == nil {
		b.WriteString("()")
		return
	}
	p := segPrecedence(x)
	if p < prec || (right && p == prec) {
		b.WriteByte('(')
		x.writeSegment(b)
		b.WriteByte(')')
		return
	}
	x.writeSegment(b)
}

func segmentString(x SegmentExpr) string {
	var b strings.Builder
	x.writeSegment(&b)
	return b.String()
}

func (x *AndExpr) String() string     { return segmentString(x) }
func (x *OrExpr) String() string      { return segmentString(x) }
func (x *NotExpr) String() string     { return segmentString(x) }
func (x *CompareExpr) String() string { return segmentString(x) }
func (x *InExpr) String() string      { return segmentString(x) }
func (x *TagExpr) String() string     { return segmentString(x) }

func (x *AndExpr) writeSegment(b *strings.Builder) {
	writeOperand(b, x.L, segPrecAnd, false)
	b.WriteString(" and ")
	writeOperand(b, x.R, segPrecAnd, true)
}

func (x *OrExpr) writeSegment(b *strings.Builder) {
	writeOperand(b, x.L, segPrecOr, false)
	b.WriteString(" or ")
	writeOperand(b, x.R, segPrecOr, true)
}

func (x *NotExpr) writeSegment(b *strings.Builder) {
	b.WriteString("not ")
	writeOperand(b, x.X, segPrecNot, false)
}

func (x *CompareExpr) writeSegment(b *strings.Builder) {
	b.WriteString(x.Field.String() + " " + x.Op + " " + x.Value.String())
}

func (x *InExpr) writeSegment(b *strings.Builder) {
	b.WriteString(x.Field.String())
	if x.Not {
		b.WriteString(" not")
	}
	b.WriteString(" in (")
	for i, v := range x.Values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v.String())
	}
	b.WriteString(")")
}

func (x *TagExpr) writeSegment(b *strings.Builder) {
	b.WriteString("tag:")
	if x.Name != "" && strings.IndexFunc(x.Name, func(r rune) bool { return !isTagRune(r) }) < 0 {
		b.WriteString(x.Name)
		return
	}
	b.WriteString(quoteSegmentString(x.Name))
}

// quoteSegmentString writes s in double quotes with " and \ escaped, the one
// form the lexer reads back unchanged.
func quoteSegmentString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

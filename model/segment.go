package model

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
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

// maxSegmentDepth bounds brackets and nots, so a hostile expression cannot
// exhaust the stack.
const maxSegmentDepth = 100

// ParseSegment parses a segment expression. A mistake comes back as a
// *SegmentError naming the column.
func ParseSegment(src string) (x SegmentExpr, err error) {
	p := &segParser{toks: lexSegment(src)}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(segBailout)
			if !ok {
				panic(r)
			}
			x, err = nil, b.err
		}
	}()
	if p.peek().kind == segEOF {
		p.failAt(1, "empty segment expression", "")
	}
	x = p.parseOr()
	if t := p.peek(); t.kind != segEOF {
		if t.kind == segRParen {
			p.failAt(t.pos, "unexpected ')'", "no '(' to close")
		}
		p.failAt(t.pos, "unexpected "+describeToken(t), "expected 'and' or 'or' before it")
	}
	return x, nil
}

type segBailout struct{ err *SegmentError }

type segParser struct {
	toks  []segToken
	i     int
	depth int
}

func (p *segParser) failAt(pos int, msg, hint string) {
	panic(segBailout{&SegmentError{Pos: pos, Msg: msg, Hint: hint}})
}

// peek returns the next token; reaching a lexing error reports it.
func (p *segParser) peek() segToken {
	t := p.toks[p.i]
	if t.kind == segError {
		panic(segBailout{t.err})
	}
	return t
}

func (p *segParser) next() segToken {
	t := p.peek()
	if t.kind != segEOF {
		p.i++
	}
	return t
}

// prev is the last token consumed, for "after X" messages.
func (p *segParser) prev() segToken { return p.toks[p.i-1] }

func (p *segParser) isKeyword(t segToken, kw string) bool {
	return t.kind == segWord && strings.EqualFold(t.text, kw)
}

func isSegmentKeyword(t segToken) bool {
	if t.kind != segWord {
		return false
	}
	switch strings.ToLower(t.text) {
	case "and", "or", "not", "in":
		return true
	}
	return false
}

func (p *segParser) enter(t segToken) {
	p.depth++
	if p.depth > maxSegmentDepth {
		p.failAt(t.pos, "expression nested too deeply", "")
	}
}

func (p *segParser) parseOr() SegmentExpr {
	x := p.parseAnd()
	for p.isKeyword(p.peek(), "or") {
		p.next()
		x = &OrExpr{L: x, R: p.parseAnd()}
	}
	return x
}

func (p *segParser) parseAnd() SegmentExpr {
	x := p.parseNot()
	for p.isKeyword(p.peek(), "and") {
		p.next()
		x = &AndExpr{L: x, R: p.parseNot()}
	}
	return x
}

func (p *segParser) parseNot() SegmentExpr {
	if t := p.peek(); p.isKeyword(t, "not") {
		p.next()
		p.enter(t)
		x := p.parseNot()
		p.depth--
		return &NotExpr{X: x}
	}
	return p.parsePrimary()
}

func (p *segParser) parsePrimary() SegmentExpr {
	t := p.peek()
	switch {
	case t.kind == segEOF:
		p.failAt(t.pos, "expected a condition after "+describeToken(p.prev()), "")
	case t.kind == segLParen:
		p.next()
		p.enter(t)
		x := p.parseOr()
		p.depth--
		switch c := p.peek(); c.kind {
		case segRParen:
			p.next()
			return x
		case segEOF:
			p.failAt(t.pos, "unclosed '(' opened", "")
		default:
			p.failAt(c.pos, "unexpected "+describeToken(c), "expected 'and', 'or' or ')'")
		}
	case t.kind == segTag:
		p.next()
		if t.text == "" {
			p.failAt(t.pos+4, "expected a tag name after 'tag:'", "")
		}
		if err := ValidateTag(t.text); err != nil {
			p.failAt(t.pos, strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "), "")
		}
		return &TagExpr{Name: t.text}
	case t.kind == segAttr:
		p.next()
		if t.text == "" {
			p.failAt(t.pos+5, "expected an attribute name after 'attr.'", "")
		}
		return p.parseCondition(t, Field{Name: "attr", Attr: t.text})
	case t.kind == segWord && !isSegmentKeyword(t):
		p.next()
		return p.parseCondition(t, p.lookupField(t))
	}
	p.failAt(t.pos, "unexpected "+describeToken(t), "")
	return nil
}

func (p *segParser) lookupField(t segToken) Field {
	name := strings.ToLower(t.text)
	for _, f := range SegmentFields {
		if f.Name == name {
			return f
		}
	}
	hint := ""
	if close := closeFieldNames(name); len(close) > 0 {
		hint = "did you mean " + joinWithOr(close) + "?"
	}
	p.failAt(t.pos, "unknown field "+describeToken(t), hint)
	return Field{}
}

// parseCondition reads what follows a field: an operator and a value, or an
// in-list.
func (p *segParser) parseCondition(ft segToken, f Field) SegmentExpr {
	t := p.peek()
	switch {
	case t.kind == segOp:
		p.next()
		p.checkOperator(t, f)
		v := p.parseValue(f, t.text)
		return &CompareExpr{Field: f, Op: t.text, Value: v}
	case p.isKeyword(t, "in"):
		p.next()
		return p.parseList(f, false)
	case p.isKeyword(t, "not"):
		p.next()
		if in := p.peek(); !p.isKeyword(in, "in") {
			p.failAt(in.pos, "expected 'in' after 'not'", "")
		}
		p.next()
		return p.parseList(f, true)
	}
	p.failAt(t.pos, "expected an operator after "+describeToken(ft), "one of = != < <= > >= ~ in")
	return nil
}

func (p *segParser) checkOperator(op segToken, f Field) {
	switch op.text {
	case "~":
		if f.Kind == FieldNumber {
			p.failAt(op.pos, "'~' (contains) needs a text field, and "+f.String()+" is a number", "")
		}
	case "<", "<=", ">", ">=":
		if f.Kind == FieldText && !f.IsAttr() {
			p.failAt(op.pos, "'"+op.text+"' needs a numeric field, and "+f.String()+" is text", "")
		}
	}
}

func (p *segParser) parseList(f Field, not bool) SegmentExpr {
	open := p.peek()
	if open.kind != segLParen {
		p.failAt(open.pos, "expected '(' after "+describeToken(p.prev()), "")
	}
	p.next()
	x := &InExpr{Field: f, Not: not}
	for {
		x.Values = append(x.Values, p.parseValue(f, "in"))
		switch t := p.peek(); t.kind {
		case segComma:
			p.next()
		case segRParen:
			p.next()
			return x
		case segEOF:
			p.failAt(open.pos, "unclosed '(' opened", "")
		default:
			p.failAt(t.pos, "expected ',' or ')' after "+describeToken(p.prev()), "")
		}
	}
}

// parseValue reads one value for field f; op is the operator, or "in".
func (p *segParser) parseValue(f Field, op string) Value {
	t := p.peek()
	after := "expected a value after " + describeToken(p.prev())
	var v Value
	switch t.kind {
	case segString:
		v = Value{Text: t.text}
	case segNumber:
		v = Value{Text: t.text, Num: p.number(t, t.text), IsNum: true}
	case segDuration:
		v = Value{Text: t.text}
		if f.Kind == FieldNumber {
			if !f.IsDays() {
				p.failAt(t.pos, "a duration such as "+describeToken(t)+" only fits last_contact_days and created_days", "")
			}
			v = Value{Text: t.text, Num: p.number(t, t.text[:len(t.text)-1]) * durationDays(t.text), IsNum: true}
		}
	case segWord:
		if isSegmentKeyword(t) {
			hint := ""
			if p.endsCondition(p.i + 1) {
				// plan = and: most likely the word itself was meant
				hint = "put " + describeToken(t) + " in quotes to match the word itself"
			}
			p.failAt(t.pos, after, hint)
		}
		v = Value{Text: t.text}
	default:
		p.failAt(t.pos, after, "")
	}
	p.next()
	if f.Kind == FieldNumber && !v.IsNum {
		p.failAt(t.pos, f.String()+" is a number, not "+describeToken(t), "")
	}
	if f.Name == "lifecycle" && op != "~" {
		l, err := ParseLifecycle(v.Text)
		if err != nil || v.IsNum {
			names := make([]string, len(Lifecycles))
			for i, l := range Lifecycles {
				names[i] = string(l)
			}
			p.failAt(t.pos, describeToken(t)+" is not a lifecycle stage", "one of "+strings.Join(names, ", "))
		}
		v = Value{Text: string(l)}
	}
	return v
}

func (p *segParser) number(t segToken, s string) float64 {
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(n*7, 0) {
		p.failAt(t.pos, "number "+describeToken(t)+" is out of range", "")
	}
	return n
}

// endsCondition says whether the token at i could follow a complete
// condition: the end, a closing bracket, a comma, and, or.
func (p *segParser) endsCondition(i int) bool {
	if i >= len(p.toks) {
		return true
	}
	t := p.toks[i]
	switch t.kind {
	case segEOF, segRParen, segComma:
		return true
	}
	return p.isKeyword(t, "and") || p.isKeyword(t, "or")
}

// durationDays gives the days in one unit of a duration such as 30d, 12h or 2w.
func durationDays(s string) float64 {
	switch s[len(s)-1] {
	case 'h', 'H':
		return 1.0 / 24
	case 'w', 'W':
		return 7
	}
	return 1
}

// describeToken shows a token in a message: 'and', "quoted text", end of input.
func describeToken(t segToken) string {
	if t.kind == segEOF {
		return "end of expression"
	}
	s := t.raw
	if utf8.RuneCountInString(s) > 24 {
		s = string([]rune(s)[:23]) + "…"
	}
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
	if t.kind == segString {
		return s
	}
	return "'" + s + "'"
}

// fieldAliases maps names people type by habit to the field they mean.
var fieldAliases = map[string]string{
	"csat":         "csat_avg",
	"satisfaction": "csat_avg",
	"nps":          "nps_last",
	"feedback":     "feedback_n",
	"complaints":   "complaints_open",
	"followups":    "followups_open",
	"follow_ups":   "followups_open",
	"last_contact": "last_contact_days",
	"created":      "created_days",
	"stage":        "lifecycle",
	"tag":          "tag:NAME",
	"tags":         "tag:NAME",
	"attr":         "attr.NAME",
	"value":        "ltv",
}

// closeFieldNames suggests fields for a name that is not one: a known alias,
// else fields within a small edit distance or starting with it.
func closeFieldNames(name string) []string {
	if a, ok := fieldAliases[name]; ok {
		return []string{a}
	}
	type cand struct {
		name string
		dist int
	}
	var cands []cand
	n := utf8.RuneCountInString(name)
	limit := 1
	if n >= 5 {
		limit = 2
	}
	for _, f := range SegmentFields {
		prefix := n >= 3 && strings.HasPrefix(f.Name, name)
		if diff := n - len(f.Name); !prefix && (diff > limit || -diff > limit) {
			continue
		}
		d := fieldDistance(name, f.Name)
		if d > limit && !prefix {
			continue
		}
		cands = append(cands, cand{f.Name, d})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].dist < cands[j].dist })
	var out []string
	for i := 0; i < len(cands) && i < 3; i++ {
		out = append(out, cands[i].name)
	}
	return out
}

func joinWithOr(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// fieldDistance is the Levenshtein distance in runes, with a swap of two
// neighbours counting once (plna → plan).
func fieldDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

package model

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
	case t.kind == segRef:
		p.next()
		return p.segmentRef(t, t.text, t.pos+8)
	case t.kind == segWord && strings.EqualFold(t.text, "segment") && p.toks[p.i+1].kind == segOp:
		p.next()
		return p.segmentIs(t)
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
	"segment":      `segment:"NAME"`,
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

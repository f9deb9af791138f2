package model

import (
	"fmt"
	"strings"
)

// A saved segment can be used inside another expression by its name:
//
//	segment:"churn warning" and plan = enterprise
//	segment = "core users" or tag:vip
//	segment != trial
//
// The parser only records the reference; the store expands it into the
// saved expression (ExpandSegments) before compiling, so a segment always
// means what it says now, and a cycle or an unknown name is an error
// pointing at the column where the reference was written.

// SegmentRefExpr matches the customers of the saved segment Name. Pos is
// the column of the reference, for errors found when it is expanded.
type SegmentRefExpr struct {
	Name string
	Pos  int
}

func (x *SegmentRefExpr) String() string { return segmentString(x) }

func (x *SegmentRefExpr) writeSegment(b *strings.Builder) {
	b.WriteString("segment:" + quoteSegmentString(x.Name))
}

// maxSegmentRefDepth bounds how deep saved segments may refer to others.
const maxSegmentRefDepth = 16

// segmentRef reads the NAME of segment:NAME (namePos: its column).
func (p *segParser) segmentRef(t segToken, name string, namePos int) SegmentExpr {
	if strings.TrimSpace(name) == "" {
		p.failAt(namePos, "expected a segment name after 'segment:'", `e.g. segment:"churn warning"`)
	}
	return &SegmentRefExpr{Name: strings.TrimSpace(name), Pos: t.pos}
}

// segmentIs reads segment = NAME or segment != NAME.
func (p *segParser) segmentIs(t segToken) SegmentExpr {
	op := p.next()
	if op.text != "=" && op.text != "!=" {
		p.failAt(op.pos, "'"+op.text+"' does not compare segments", "use segment = NAME or segment != NAME")
	}
	v := p.peek()
	switch v.kind {
	case segString, segWord, segNumber, segDuration:
		if v.kind == segWord && isSegmentKeyword(v) {
			p.failAt(v.pos, "expected a segment name after "+describeToken(op), "put it in quotes")
		}
	default:
		p.failAt(v.pos, "expected a segment name after "+describeToken(op), "")
	}
	p.next()
	x := p.segmentRef(t, v.text, v.pos)
	if op.text == "!=" {
		return &NotExpr{X: x}
	}
	return x
}

// HasSegmentRef reports whether e refers to a saved segment anywhere.
func HasSegmentRef(e SegmentExpr) bool {
	switch x := e.(type) {
	case *SegmentRefExpr:
		return true
	case *AndExpr:
		return HasSegmentRef(x.L) || HasSegmentRef(x.R)
	case *OrExpr:
		return HasSegmentRef(x.L) || HasSegmentRef(x.R)
	case *NotExpr:
		return HasSegmentRef(x.X)
	}
	return false
}

// SegmentLookup finds a saved segment's expression by name (any case);
// found is false when there is none.
type SegmentLookup func(name string) (expr string, found bool, err error)

// ExpandSegments replaces every segment reference in e by the saved
// expression it names, recursively. An unknown name, a saved expression
// that no longer parses, a cycle (a segment that uses itself, directly or
// through others) or references nested too deep are *SegmentError values
// pointing at the reference in e. Other errors come from lookup.
func ExpandSegments(e SegmentExpr, lookup SegmentLookup) (SegmentExpr, error) {
	return expandRefs(e, lookup, nil, 0)
}

func expandRefs(e SegmentExpr, lookup SegmentLookup, chain []string, pos int) (SegmentExpr, error) {
	switch x := e.(type) {
	case *AndExpr:
		l, err := expandRefs(x.L, lookup, chain, pos)
		if err != nil {
			return nil, err
		}
		r, err := expandRefs(x.R, lookup, chain, pos)
		if err != nil {
			return nil, err
		}
		return &AndExpr{L: l, R: r}, nil
	case *OrExpr:
		l, err := expandRefs(x.L, lookup, chain, pos)
		if err != nil {
			return nil, err
		}
		r, err := expandRefs(x.R, lookup, chain, pos)
		if err != nil {
			return nil, err
		}
		return &OrExpr{L: l, R: r}, nil
	case *NotExpr:
		inner, err := expandRefs(x.X, lookup, chain, pos)
		if err != nil {
			return nil, err
		}
		return &NotExpr{X: inner}, nil
	case *SegmentRefExpr:
		at := pos
		if len(chain) == 0 {
			at = x.Pos // errors point at the reference the user wrote
		}
		via := ""
		if len(chain) > 0 {
			via = fmt.Sprintf("segment %q uses ", chain[len(chain)-1])
		}
		for _, c := range chain {
			if strings.EqualFold(c, x.Name) {
				return nil, &SegmentError{Pos: at, Msg: fmt.Sprintf("segment %q refers to itself", x.Name),
					Hint: strings.Join(append(quoteAll(chain), fmt.Sprintf("%q", x.Name)), " → ")}
			}
		}
		if len(chain) >= maxSegmentRefDepth {
			return nil, &SegmentError{Pos: at, Msg: "saved segments nested too deeply", Hint: strings.Join(quoteAll(chain), " → ")}
		}
		src, found, err := lookup(x.Name)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, &SegmentError{Pos: at, Msg: via + fmt.Sprintf("unknown segment %q", x.Name), Hint: "see rapport segment list"}
		}
		saved, err := ParseSegment(src)
		if err != nil {
			return nil, &SegmentError{Pos: at, Msg: via + fmt.Sprintf("segment %q does not parse: %v", x.Name, err)}
		}
		return expandRefs(saved, lookup, append(append([]string(nil), chain...), x.Name), at)
	}
	return e, nil
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = fmt.Sprintf("%q", n)
	}
	return out
}

package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// Segment references (segment:"NAME") are expanded into the saved
// expressions they name before an expression is compiled, so the compiler
// only ever sees fields, tags and attributes. Expressions that name no
// segment (the usual case) pass through without a query.

// segmentLookup finds saved segments through q.
func segmentLookup(ctx context.Context, q querier) model.SegmentLookup {
	return func(name string) (string, bool, error) {
		var expr string
		err := q.QueryRowContext(ctx, "SELECT expression FROM segments WHERE name = ?", name).Scan(&expr)
		if errors.Is(err, sql.ErrNoRows) {
			return "", false, nil
		}
		return expr, err == nil, err
	}
}

// mayReferSegment is a cheap test before parsing: no reference without
// the word.
func mayReferSegment(src string) bool {
	return strings.Contains(strings.ToLower(src), "segment")
}

// expandSegmentText returns src with its segment references replaced by
// the saved expressions, in canonical form (which parses to the expanded
// tree). A mistake comes back as a *model.SegmentError pointing into src.
func expandSegmentText(ctx context.Context, q querier, src string) (string, error) {
	if !mayReferSegment(src) {
		return src, nil
	}
	x, err := model.ParseSegment(src)
	if err != nil || !model.HasSegmentRef(x) {
		return src, err
	}
	y, err := model.ExpandSegments(x, segmentLookup(ctx, q))
	if err != nil {
		return "", err
	}
	return y.String(), nil
}

// expandWhere is expandSegmentText in a read transaction of its own.
func (s *Store) expandWhere(ctx context.Context, src string) (string, error) {
	if !mayReferSegment(src) {
		return src, nil
	}
	out := src
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = expandSegmentText(ctx, tx, src)
		return err
	})
	return out, err
}

// checkSegmentRefs refuses to save name = expr when expr names an unknown
// segment or would make a segment use itself, through q, seeing expr in
// place of the saved expression of that name.
func checkSegmentRefs(ctx context.Context, q querier, name, expr string) error {
	if !mayReferSegment(expr) {
		return nil
	}
	x, err := model.ParseSegment(expr)
	if err != nil || !model.HasSegmentRef(x) {
		return err
	}
	saved := segmentLookup(ctx, q)
	lookup := func(n string) (string, bool, error) {
		if strings.EqualFold(n, name) {
			return expr, true, nil
		}
		return saved(n)
	}
	// Expanding what was typed, with it in place of the saved segment of
	// that name, finds unknown names and any way back to this segment;
	// errors point at the reference as typed.
	_, err = model.ExpandSegments(x, lookup)
	return err
}

// refusedWhileUsed refuses to delete a segment that other saved segments
// name: they would stop working (a warning line would silently flag no one).
func refusedWhileUsed(ctx context.Context, q querier, name string) error {
	segs, err := segmentsWhere(ctx, q, "")
	if err != nil {
		return err
	}
	var users []string
	for _, g := range segs {
		if strings.EqualFold(g.Name, name) || !mayReferSegment(g.Expression) {
			continue
		}
		x, err := model.ParseSegment(g.Expression)
		if err == nil && refersTo(x, name) {
			users = append(users, fmt.Sprintf("%q", g.Name))
		}
	}
	if len(users) > 0 {
		return fmt.Errorf("%w: segment %q is used by segment %s; change that first", model.ErrConflict, name, strings.Join(users, ", "))
	}
	return nil
}

// refersTo reports whether e names the segment name directly.
func refersTo(e model.SegmentExpr, name string) bool {
	switch x := e.(type) {
	case *model.SegmentRefExpr:
		return strings.EqualFold(x.Name, name)
	case *model.AndExpr:
		return refersTo(x.L, name) || refersTo(x.R, name)
	case *model.OrExpr:
		return refersTo(x.L, name) || refersTo(x.R, name)
	case *model.NotExpr:
		return refersTo(x.X, name)
	}
	return false
}

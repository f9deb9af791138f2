package db

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestSegmentReferences: segment:"NAME" (and segment = NAME) in an
// expression means the saved segment's customers, on every path that
// takes an expression; unknown names and cycles are refused with the
// column of the reference.
func TestSegmentReferences(t *testing.T) {
	s, ids := segmentFixture(t)
	ctx := context.Background()
	save := func(name, expr string, warn bool) error {
		_, err := s.SaveSegment(ctx, "ann", name, expr, warn)
		return err
	}
	for _, g := range [][2]string{{"churn warning", "csat_avg < 3"}, {"east", `region = "华东"`}, {"vips", "tag:vip"}} {
		if err := save(g[0], g[1], false); err != nil {
			t.Fatal(err)
		}
	}
	// A segment made of segments.
	if err := save("east vips", `segment:"east" and segment = vips`, false); err != nil {
		t.Fatal(err)
	}
	members := func(where string) string {
		t.Helper()
		page, err := s.ListCustomers(ctx, model.CustomerQuery{Where: where, Sort: model.SortID})
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		var out []string
		for _, c := range page.Rows {
			for k, id := range ids {
				if id == c.ID {
					out = append(out, k)
				}
			}
		}
		return strings.Join(out, ",")
	}
	for where, want := range map[string]string{
		`segment:"churn warning"`:                 "alice",
		`segment:"CHURN WARNING"`:                 "alice",
		`segment = "east vips"`:                   "alice,carol",
		`segment:"east vips" and ltv < 2000`:      "carol",
		`segment != "east" and plan = pro`:        "dave",
		`segment:vips or segment:"churn warning"`: "alice,carol",
	} {
		if got := members(where); got != want {
			t.Errorf("%s: %s, want %s", where, got, want)
		}
	}
	n, capped, err := s.CountCustomers(ctx, model.CustomerQuery{Where: `segment:"east vips"`}, 100)
	if err != nil || n != 2 || capped {
		t.Errorf("count: %d %v %v", n, capped, err)
	}
	if n, err := s.SegmentCount(ctx, "east vips"); err != nil || n != 2 {
		t.Errorf("SegmentCount of a segment of segments: %d, %v", n, err)
	}
	sum, err := s.Summary(ctx, model.SummaryQuery{By: "plan", Where: `segment:"churn warning"`})
	if err != nil || sum.Overall.CustomersN != 1 {
		t.Errorf("summary over a segment reference: %+v, %v", sum.Overall, err)
	}

	// An unknown name points at the reference.
	var se *model.SegmentError
	_, err = s.ListCustomers(ctx, model.CustomerQuery{Where: `plan = pro and segment:"nowhere"`})
	if !errors.As(err, &se) || se.Pos != 16 || !strings.Contains(se.Msg, `unknown segment "nowhere"`) {
		t.Errorf("unknown segment: %v", err)
	}
	// Saving a reference to an unknown segment, or a cycle, is refused and
	// leaves the saved segments as they were.
	if err := save("dangling", `segment:"nowhere"`, false); !errors.As(err, &se) || se.Pos != 1 {
		t.Errorf("saving a dangling reference: %v", err)
	}
	if err := save("east", `segment:"east vips" or city = 杭州`, false); !errors.As(err, &se) ||
		!strings.Contains(se.Msg, "refers to itself") || se.Pos != 1 {
		t.Errorf("saving a cycle: %v", err)
	}
	if err := save("me", `tag:x or segment:me`, false); !errors.As(err, &se) || se.Pos != 10 {
		t.Errorf("saving a self reference: %v", err)
	}
	g, err := s.Segment(ctx, "east")
	if err != nil || g.Expression != `region = "华东"` {
		t.Errorf("east after the refused save: %+v %v", g, err)
	}
	if _, err := s.Segment(ctx, "dangling"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the refused segment was saved: %v", err)
	}
	// A segment that others use cannot be deleted from under them.
	if err := s.DeleteSegment(ctx, "ann", "VIPS"); !errors.Is(err, model.ErrConflict) || !strings.Contains(err.Error(), `used by segment "east vips"`) {
		t.Errorf("deleting a used segment: %v", err)
	}
	if _, err := s.Segment(ctx, "vips"); err != nil {
		t.Errorf("the refused delete removed the segment: %v", err)
	}
	// A warning line defined through a reference flags its members.
	if err := save("east churn", `segment:east and segment:"churn warning"`, true); err != nil {
		t.Fatal(err)
	}
	c, err := s.Customer(ctx, ids["alice"])
	if err != nil || strings.Join(c.Warnings, ",") != "east churn" {
		t.Errorf("alice's warnings: %v %v", c.Warnings, err)
	}
	// Once nothing uses it, it goes.
	if err := s.DeleteSegment(ctx, "ann", "east vips"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSegment(ctx, "ann", "vips"); err != nil {
		t.Errorf("deleting an unused segment: %v", err)
	}
}

package demo

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"slices"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

var testNow = time.Date(2025, 6, 18, 10, 30, 0, 0, time.UTC)

// recorder is a model.DemoSink that digests every value and checks the
// order the contract promises.
type recorder struct {
	t                               *testing.T
	h                               hash.Hash
	customers, feedback, fus, notes int
	lastFeedbackAt                  time.Time
	categories, tags                map[string]bool
	stopAt                          int
}

var errStop = errors.New("stop")

func (r *recorder) DemoCustomer(c *model.Customer) error {
	r.customers++
	if c.ID != int64(r.customers) || r.feedback+r.fus+r.notes > 0 {
		r.t.Fatalf("customer %d arrived as number %d, after other rows", c.ID, r.customers)
	}
	for _, tag := range c.Tags {
		if !r.tags[tag] {
			r.t.Errorf("customer %d has tag %q, not in the setup", c.ID, tag)
		}
	}
	fmt.Fprintf(r.h, "%+v\n", *c)
	if r.stopAt > 0 && r.customers == r.stopAt {
		return errStop
	}
	return nil
}

func (r *recorder) DemoFeedback(f *model.Feedback, updated time.Time) error {
	r.feedback++
	if f.ID != int64(r.feedback) || f.CustomerID < 1 || f.CustomerID > int64(r.customers) {
		r.t.Fatalf("feedback %d (number %d) of customer %d", f.ID, r.feedback, f.CustomerID)
	}
	if f.CreatedAt.Before(r.lastFeedbackAt) || f.CreatedAt.After(testNow) || updated.Before(f.CreatedAt) {
		r.t.Errorf("feedback %d at %v after %v, updated %v", f.ID, f.CreatedAt, r.lastFeedbackAt, updated)
	}
	r.lastFeedbackAt = f.CreatedAt
	if f.Category != "" && !r.categories[f.Category] {
		r.t.Errorf("feedback %d in category %q, not in the setup", f.ID, f.Category)
	}
	v := *f // pointers print as addresses: print what they point at
	v.CSAT, v.NPS, v.ResolvedAt = nil, nil, nil
	var resolved any
	if f.ResolvedAt != nil {
		resolved = *f.ResolvedAt
	}
	fmt.Fprintf(r.h, "%+v %v %v %v %v\n", v, deref(f.CSAT), deref(f.NPS), resolved, updated)
	return nil
}

func (r *recorder) DemoFollowUp(f *model.FollowUp, updated time.Time) error {
	r.fus++
	if f.ID != int64(r.fus) || f.CustomerID < 1 || f.CustomerID > int64(r.customers) || f.Due.IsZero() {
		r.t.Fatalf("follow-up %+v", *f)
	}
	v := *f
	v.DoneAt = nil
	var done any
	if f.DoneAt != nil {
		done = *f.DoneAt
	}
	fmt.Fprintf(r.h, "%+v %v %v\n", v, done, updated)
	return nil
}

func (r *recorder) DemoNote(n *model.Note) error {
	r.notes++
	fmt.Fprintf(r.h, "%+v\n", *n)
	return nil
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func generate(t *testing.T, opts Options) (model.DemoSetup, *recorder) {
	t.Helper()
	g, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	setup := g.DemoSetup()
	r := &recorder{t: t, h: sha256.New(), categories: map[string]bool{}, tags: map[string]bool{}}
	for _, c := range setup.Categories {
		r.categories[c] = true
	}
	for _, tag := range setup.Tags {
		r.tags[tag] = true
	}
	if err := g.Generate(r); err != nil {
		t.Fatal(err)
	}
	return setup, r
}

// TestGenerateReproducible: the setup's sizes are what is generated, in
// the promised order, and the same options give the same values while
// another seed gives others.
func TestGenerateReproducible(t *testing.T) {
	opts := Options{Customers: 400, Feedback: 2000, Seed: 9, Now: testNow}
	setup, a := generate(t, opts)
	if a.customers != 400 || a.feedback != 2000 || a.fus != setup.FollowUps || a.notes != setup.Notes ||
		setup.Customers != 400 || setup.Feedback != 2000 || setup.FollowUps != 40 || setup.Notes != 50 {
		t.Errorf("setup %+v; generated %d customers, %d feedback, %d follow-ups, %d notes",
			setup, a.customers, a.feedback, a.fus, a.notes)
	}
	if !setup.Now.Equal(testNow) || setup.Seed != 9 || len(setup.Segments) != 3 || !slices.Contains(setup.Tags, "vip") {
		t.Errorf("setup %+v", setup)
	}
	_, b := generate(t, opts)
	opts.Seed = 10
	_, c := generate(t, opts)
	if string(a.h.Sum(nil)) != string(b.h.Sum(nil)) {
		t.Error("the same options gave different values")
	}
	if string(a.h.Sum(nil)) == string(c.h.Sum(nil)) {
		t.Error("another seed gave the same values")
	}
}

// TestGenerateStopsOnSinkError: an error from the sink ends the
// generation and is returned as it is.
func TestGenerateStopsOnSinkError(t *testing.T) {
	g, err := New(Options{Customers: 50, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{t: t, h: sha256.New(), stopAt: 7, tags: map[string]bool{}}
	for _, tag := range g.DemoSetup().Tags {
		r.tags[tag] = true
	}
	if err := g.Generate(r); !errors.Is(err, errStop) || r.customers != 7 || r.feedback != 0 {
		t.Errorf("Generate = %v after %d customers, %d feedback", err, r.customers, r.feedback)
	}
}

func TestNewRefuses(t *testing.T) {
	for _, o := range []Options{{Customers: -1, Now: testNow}, {Feedback: -5, Now: testNow}, {Customers: 10}} {
		if _, err := New(o); !errors.Is(err, model.ErrInvalid) {
			t.Errorf("New(%+v) = %v, want ErrInvalid", o, err)
		}
	}
	g, err := New(Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if s := g.DemoSetup(); s.Customers != 3000 || s.Feedback != 15000 || s.Seed != 1 {
		t.Errorf("defaults %+v", s)
	}
}

package db

import (
	"context"
	"time"

	"github.com/rapportcrm/rapport/demo"
)

// testDemo is what a test asks of the demo: package demo's options and a
// progress function.
type testDemo struct {
	Customers, Feedback int
	Seed                int64
	Now                 time.Time // zero: the store's clock
	Progress            func(done, total int)
}

// loadTestDemo generates package demo's data for o and loads it into s.
func loadTestDemo(s *Store, ctx context.Context, o testDemo) (DemoReport, error) {
	if o.Now.IsZero() {
		o.Now = s.Now()
	}
	g, err := demo.New(demo.Options{Customers: o.Customers, Feedback: o.Feedback, Seed: o.Seed, Now: o.Now})
	if err != nil {
		return DemoReport{}, err
	}
	return s.LoadDemo(ctx, g, o.Progress)
}

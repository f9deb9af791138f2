// Package demo makes realistic, reproducible demo data from a seed: the
// customers, feedback, follow-ups and notes of an imagined support team
// with Chinese and international customers, 18 months of history and an
// outage four months back, as model values. It knows nothing of storage: a
// store loads a Generator, which is a model.DemoSource, through its own
// fast path (db.Store.LoadDemo). It imports model and the standard library
// only (arch_test.go at the module root checks this).
package demo

import (
	"fmt"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// Options size and seed the demo data.
type Options struct {
	Customers int       // default 3000
	Feedback  int       // default 5 × Customers
	Seed      int64     // default 1
	Now       time.Time // "today" for the data; required
}

// Generator is one demo data set; the same Options give the same rows,
// byte for byte. It is a model.DemoSource.
type Generator struct {
	opts Options
	now  time.Time
}

var _ model.DemoSource = (*Generator)(nil)

// demoDay is a day in seconds.
const demoDay = 86400

// New checks and completes the options.
func New(opts Options) (*Generator, error) {
	if opts.Customers < 0 || opts.Feedback < 0 {
		return nil, fmt.Errorf("%w: demo sizes must not be negative", model.ErrInvalid)
	}
	if opts.Now.IsZero() {
		return nil, fmt.Errorf("%w: demo data needs a date to be generated for", model.ErrInvalid)
	}
	if opts.Customers == 0 {
		opts.Customers = 3000
	}
	if opts.Feedback == 0 {
		opts.Feedback = 5 * opts.Customers
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	return &Generator{opts: opts, now: opts.Now.UTC().Truncate(time.Second)}, nil
}

// DemoSetup says what the rows refer to and how many there are.
func (g *Generator) DemoSetup() model.DemoSetup { return newDemoGen(g.opts, g.now).setup() }

// Generate hands every row to sink; each call starts again from the seed.
func (g *Generator) Generate(sink model.DemoSink) error {
	return newDemoGen(g.opts, g.now).generate(sink)
}

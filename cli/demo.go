package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"github.com/rapportcrm/rapport/model"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/demo"
)

// defaultDemoSeed makes `rapport demo PATH` give the same data every time.
const defaultDemoSeed = 1

type demoSize struct {
	customers, feedback int
	seed                int64
}

func (a *app) demoCmd() *cobra.Command {
	size := demoSize{customers: 3000, seed: defaultDemoSeed}
	var force bool
	cmd := &cobra.Command{
		Use:   "demo [--customers N] [--feedback M] [--seed S] [--force] PATH",
		Short: "Write a new database with realistic, reproducible demo data",
		Long: "Write a new database with realistic demo data: the same seed gives the same data.\n" +
			"An existing file is refused unless --force is given, which replaces it.",
		Args: exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if size.customers < 1 {
				return usageErrorf("--customers must be at least 1")
			}
			if cmd.Flags().Changed("feedback") && size.feedback < 1 {
				return usageErrorf("--feedback must be at least 1")
			}
			path := args[0]
			if err := a.clearDemoPath(path, force); err != nil {
				return err
			}
			st, report, err := a.generateDemo(cmd.Context(), path, size)
			if err != nil {
				return err
			}
			if err := st.Close(); err != nil {
				return err
			}
			fmt.Fprintln(a.stderr, demoSummary(report, path))
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&size.customers, "customers", size.customers, "number of customers")
	f.IntVar(&size.feedback, "feedback", 0, "number of feedback items (default 5 per customer)")
	f.Int64Var(&size.seed, "seed", size.seed, "random seed; the same seed gives the same data")
	f.BoolVar(&force, "force", false, "replace an existing file")
	return cmd
}

// clearDemoPath refuses an existing file, or with force removes it and its
// WAL files. A directory is never removed.
func (a *app) clearDemoPath(path string, force bool) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: %s", path, unwrapPathError(err))
	case fi.IsDir():
		return fmt.Errorf("%s: is a directory, not a database file", path)
	case !force:
		return fmt.Errorf("%s: already exists; use --force to replace it", path)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s: cannot remove: %s", p, unwrapPathError(err))
		}
	}
	return nil
}

// generateDemo creates the database at path and fills it, drawing progress
// on stderr when it is a terminal. On failure the new file is removed.
func (a *app) generateDemo(ctx context.Context, path string, size demoSize) (*db.Store, db.DemoReport, error) {
	gen, err := demo.New(demo.Options{
		Customers: size.customers,
		Feedback:  size.feedback,
		Seed:      size.seed,
		Now:       time.Now().UTC(),
	})
	if err != nil {
		return nil, db.DemoReport{}, err
	}
	st, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		return nil, db.DemoReport{}, err
	}
	var bar *progressLine
	var progress func(done, total int)
	if a.stderrTTY {
		bar = &progressLine{w: a.stderr, label: "generating demo data"}
		progress = bar.update
	}
	start := time.Now()
	report, err := st.LoadDemo(ctx, gen, progress)
	if bar != nil {
		bar.clear()
	}
	if err != nil {
		st.Close()
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			os.Remove(p)
		}
		if errors.Is(err, context.Canceled) {
			return nil, report, errors.New("demo generation interrupted; nothing was kept")
		}
		return nil, report, fmt.Errorf("generating demo data in %s: %w", path, err)
	}
	if report.Elapsed == 0 {
		report.Elapsed = time.Since(start)
	}
	return st, report, nil
}

// demoSummary is the line printed when a demo database is ready.
func demoSummary(r db.DemoReport, path string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "demo: %s customers, %s feedback, %s follow-ups, %s notes in %s",
		model.Thousands(int64(r.Customers)), model.Thousands(int64(r.Feedback)),
		model.Thousands(int64(r.FollowUps)), model.Thousands(int64(r.Notes)),
		r.Elapsed.Round(10*time.Millisecond))
	if kb, ok := peakMemoryKB(); ok {
		fmt.Fprintf(&b, ", peak memory %d MB", (kb+512)/1024)
	}
	fmt.Fprintf(&b, " → %s", path)
	return oneLine(b.String())
}

// peakMemoryKB reads the resident-set high-water mark (VmHWM) where the
// system reports it (Linux).
func peakMemoryKB() (int64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			fields := strings.Fields(v)
			if len(fields) == 0 {
				return 0, false
			}
			n, err := strconv.ParseInt(fields[0], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

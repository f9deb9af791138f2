package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

// cacheChecker is what doctor needs of a store: recompute the caches the
// writes keep (customers' derived figures, summary aggregates) from the
// rows and say where they differ.
type cacheChecker interface {
	CheckCaches(ctx context.Context) ([]model.CacheDrift, error)
}

// doctorMaxLines bounds the differences printed as a table; JSON gives all.
const doctorMaxLines = 50

func (a *app) doctorCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "doctor [--format table|json]",
		Short: "Check that the cached figures (customer figures, summary aggregates) match the rows; exit 1 if not",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := parseFormat(format, formatTable, formatJSON)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.openStore(ctx, true)
			if err != nil {
				return err
			}
			if a.served == nil {
				defer st.Close()
			}
			return a.doctor(ctx, st, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", formatTable, "output: table or json")
	return cmd
}

func (a *app) doctor(ctx context.Context, st cacheChecker, format string) error {
	drifts, err := st.CheckCaches(ctx)
	if err != nil {
		return err
	}
	if format == formatJSON {
		if drifts == nil {
			drifts = []model.CacheDrift{}
		}
		if err := writeJSON(a.stdout, map[string]any{"differences": drifts}); err != nil {
			return err
		}
	} else {
		for i, d := range drifts {
			if i == doctorMaxLines {
				fmt.Fprintf(a.stdout, "… and %s more\n", model.Thousands(int64(len(drifts)-i)))
				break
			}
			fmt.Fprintln(a.stdout, model.CleanLine(d.String()))
		}
		if len(drifts) == 0 {
			fmt.Fprintln(a.stdout, "the cached figures match the rows")
		}
	}
	if len(drifts) > 0 {
		verb := "differ"
		if len(drifts) == 1 {
			verb = "differs"
		}
		return fmt.Errorf("%s %s from the rows", plural(len(drifts), "cached figure"), verb)
	}
	return nil
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

// mergeRef resolves a merge's REF: one that names no customer is a usage
// error (exit 2), as the contract says.
func mergeRef(ctx context.Context, st model.Store, ref string) (model.Customer, error) {
	c, err := findCustomer(ctx, st, ref)
	if isNotFound(err) {
		return c, usageErrorf("no customer matches %q (give an id, an email or a phone)", strings.TrimSpace(ref))
	}
	return c, err
}

func (a *app) customerMergeCmd() *cobra.Command {
	var format *formatOpt
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "merge REF INTO_REF [--dry-run]",
		Short: "Merge customer REF into INTO_REF: one person, one customer (REF: id, email or phone)",
		Long: `Moves everything of REF (feedback, notes, follow-ups, tags, source keys and
its audit entries) to INTO_REF, fills INTO_REF's empty fields from REF,
recomputes the figures, removes REF and records one audit entry, which
'rapport customers unmerge AUDIT_ID' undoes.`,
		Args: exactArgs("REF", "INTO_REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			return a.withAgentStore(cmd, true, func(ctx context.Context, st model.Store, agent string) error {
				from, err := mergeRef(ctx, st, args[0])
				if err != nil {
					return err
				}
				into, err := mergeRef(ctx, st, args[1])
				if err != nil {
					return err
				}
				if from.ID == into.ID {
					return usageErrorf("%q and %q are the same customer (%d)", args[0], args[1], from.ID)
				}
				res, err := st.MergeCustomers(ctx, agent, from.ID, into.ID, model.MergeOptions{DryRun: dryRun})
				if errors.Is(err, model.ErrNotFound) {
					return usageErrorf("%v", err)
				}
				if err != nil {
					return err
				}
				return a.printMerge(format, "merged", res, dryRun)
			})
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show what would move, change nothing")
	format = tableOrJSON(cmd)
	return cmd
}

func (a *app) customerUnmergeCmd() *cobra.Command {
	var format *formatOpt
	cmd := &cobra.Command{
		Use:   "unmerge AUDIT_ID",
		Short: "Undo a merge: bring the merged customer back with everything that moved",
		Args:  exactArgs("AUDIT_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			id, err := strconv.ParseInt(strings.TrimSpace(args[0]), 10, 64)
			if err != nil || id <= 0 {
				return usageErrorf("%q is not an audit entry id (rapport audit --entity customer shows them)", args[0])
			}
			return a.withAgentStore(cmd, true, func(ctx context.Context, st model.Store, agent string) error {
				res, err := st.UnmergeCustomers(ctx, agent, id)
				if err != nil {
					return err
				}
				return a.printMerge(format, "restored", res, false)
			})
		},
	}
	format = tableOrJSON(cmd)
	return cmd
}

func (a *app) printMerge(format, verb string, r model.MergeResult, dryRun bool) error {
	m := r.Moved
	what := fmt.Sprintf("%d feedback, %d notes, %d follow-ups, %d tags, %d keys", m.Feedback, m.Notes, m.FollowUps, m.Tags, m.Keys)
	var line string
	switch {
	case dryRun:
		line = fmt.Sprintf("would merge customer %d into %d %s, moving %s (nothing written)", r.From, r.Into,
			fitCell(customerLabel(r.Survivor), 40), what)
	case verb == "restored":
		line = fmt.Sprintf("restored customer %d from %d %s, moving back %s", r.From, r.Into,
			fitCell(customerLabel(r.Survivor), 40), what)
	default:
		line = fmt.Sprintf("merged customer %d into %d %s, moving %s (undo: rapport customers unmerge %d)", r.From, r.Into,
			fitCell(customerLabel(r.Survivor), 40), what, r.AuditID)
	}
	return a.printResult(format, toMergeJSON(r, dryRun), linef("%s\n", line))
}

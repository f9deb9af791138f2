package cli

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

// exportCmd is `rapport export customers|feedback|followups`: every row
// the list would show, streamed to CSV (formula-safe) or JSON, to a file
// with -o. An exported feedback CSV re-imports into an empty database
// with the same data.
func (a *app) exportCmd() *cobra.Command {
	cmd := groupCmd("export", "Write customers, feedback or follow-ups to CSV or JSON (all rows)")
	cmd.AddCommand(a.exportCustomersCmd(), a.exportFeedbackCmd(), a.exportFollowUpsCmd())
	return cmd
}

// exportTo points the command's output at -o FILE (created new, 0600)
// for the duration of fn.
func (a *app) exportTo(path string, fn func() error) error {
	if path == "" || path == "-" {
		return fn()
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	saved := a.stdout
	a.stdout = f
	err = fn()
	a.stdout = saved
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

func exportFlags(cmd *cobra.Command, out *string) {
	cmd.Flags().StringVarP(out, "output", "o", "", "write to this file instead of stdout")
	cmd.Flags().Lookup("format").DefValue = formatCSV
	cmd.Flags().Set("format", formatCSV)
	cmd.Flags().Lookup("format").Usage = "output format: csv or json"
	cmd.Flags().Lookup("limit").DefValue = "0"
	cmd.Flags().Set("limit", "0")
}

func checkExportFormat(f string) error {
	if f != formatCSV && f != formatJSON {
		return usageErrorf("export writes csv or json, not %q", f)
	}
	return nil
}

func (a *app) exportCustomersCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{Use: "customers [filters]", Short: "Every customer the list would show", Args: noArgs}
	o := customerListFlags(cmd)
	exportFlags(cmd, &out)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if err := checkExportFormat(o.format.value); err != nil {
			return err
		}
		return a.exportTo(out, func() error { return a.runCustomerList(cmd, o) })
	}
	return cmd
}

func (a *app) exportFeedbackCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{Use: "feedback [filters]", Short: "Every feedback item the list would show, ready to re-import", Args: noArgs}
	o := feedbackListFlags(cmd)
	exportFlags(cmd, &out)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if err := checkExportFormat(o.format.value); err != nil {
			return err
		}
		if o.format.value == formatJSON {
			return a.exportTo(out, func() error { return a.runFeedbackList(cmd, o) })
		}
		return a.exportTo(out, func() error { return a.runFeedbackExport(cmd, o) })
	}
	return cmd
}

func (a *app) exportFollowUpsCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{Use: "followups", Short: "Every follow-up, open and done", Args: noArgs}
	format := formatFlag(cmd.Flags(), formatCSV, formatJSON)
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of stdout")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if err := checkExportFormat(format.value); err != nil {
			return err
		}
		ctx := cmd.Context()
		return a.exportTo(out, func() error {
			return a.withStore(ctx, true, func(st model.Store) error {
				q := model.FollowUpQuery{State: model.StateAll, Limit: listBatch}
				return streamList(a.stdout, format.value, followUpView, func(emit func(model.FollowUp) error) error {
					return listFollowUps(ctx, st, q, emit)
				})
			})
		})
	}
	return cmd
}

// feedbackExportHeader names the columns so that the importer maps every
// one of them back to its field: nothing lands in attrs on re-import.
var feedbackExportHeader = []string{"ticket id", "customer id", "customer name", "customer email", "phone", "company",
	"channel", "type", "subject", "body", "category", "priority", "status", "tags", "satisfaction", "nps", "agent",
	"created at", "resolved at"}

// runFeedbackExport streams feedback as an import-ready CSV, with each
// customer's contact details (read once per customer).
func (a *app) runFeedbackExport(cmd *cobra.Command, o *feedbackListOpts) error {
	q, err := o.query()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	return a.withStore(ctx, true, func(st model.Store) error {
		if err := o.resolveCustomer(ctx, st, &q); err != nil {
			return err
		}
		out := newOutput(a.stdout)
		cw, err := newCSV(out, feedbackExportHeader)
		if err != nil {
			return err
		}
		people := map[int64]model.Customer{}
		customer := func(ctx context.Context, id int64) (model.Customer, error) {
			if c, ok := people[id]; ok {
				return c, nil
			}
			if len(people) > 50000 {
				clear(people)
			}
			c, err := st.Customer(ctx, id)
			people[id] = c
			return c, err
		}
		err = listFeedback(ctx, st, q, o.limit, o.offset, func(f model.Feedback) error {
			c, err := customer(ctx, f.CustomerID)
			if err != nil {
				return err
			}
			return cw.Write(feedbackExportRow(f, c))
		})
		if err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return out.Flush()
	})
}

func feedbackExportRow(f model.Feedback, c model.Customer) []string {
	ticket := f.ExternalID
	if ticket == "" {
		ticket = "rapport-" + strconv.FormatInt(f.ID, 10)
	}
	csat := f.CSATRaw
	if csat == "" {
		csat = fmtIntPtr(f.CSAT)
	}
	cells := []string{ticket, "rapport-" + strconv.FormatInt(c.ID, 10), c.Name, c.Email, c.Phone, c.Company,
		f.Channel, string(f.Kind), f.Subject, f.Body, f.Category, string(f.Priority), string(f.Status),
		strings.Join(f.Tags, " "), csat, fmtIntPtr(f.NPS), f.Agent, rfc3339(&f.CreatedAt), rfc3339(f.ResolvedAt)}
	return csvSafe(cells, 9) // the body keeps its lines
}

package cli

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

var importRunsView = listView[model.ImportRun]{
	columns: []column{{title: "ID", right: true}, {title: "STARTED"}, {title: "FILE", max: 36}, {title: "PRESET"},
		{title: "ROWS", right: true}, {title: "CREATED", right: true}, {title: "UPDATED", right: true},
		{title: "UNCHANGED", right: true}, {title: "ERRORS", right: true}, {title: "AGENT"}, {title: "TOOK", right: true}},
	cells: func(r model.ImportRun) []string {
		return []string{fmt.Sprint(r.ID), localMinute(r.StartedAt), filepath.Base(r.File), r.Preset,
			model.Thousands(int64(r.Rows)), model.Thousands(int64(r.CustomersCreated + r.FeedbackCreated)),
			model.Thousands(int64(r.CustomersUpdated + r.FeedbackUpdated)), model.Thousands(int64(r.Unchanged)),
			model.Thousands(int64(r.Errors)), r.Agent, took(r)}
	},
	csvHeader: []string{"id", "file", "preset", "encoding", "delimiter", "source", "rows", "customers_created",
		"customers_updated", "feedback_created", "feedback_updated", "unchanged", "skipped", "errors", "agent",
		"started_at", "finished_at"},
	csvCells: func(r model.ImportRun) []string {
		return []string{fmt.Sprint(r.ID), model.CSVCell(r.File, false), r.Preset, r.Encoding, model.CSVCell(r.Delimiter, false),
			model.CSVCell(r.Source, false), fmt.Sprint(r.Rows), fmt.Sprint(r.CustomersCreated), fmt.Sprint(r.CustomersUpdated),
			fmt.Sprint(r.FeedbackCreated), fmt.Sprint(r.FeedbackUpdated), fmt.Sprint(r.Unchanged), fmt.Sprint(r.Skipped),
			fmt.Sprint(r.Errors), model.CSVCell(r.Agent, false), rfc3339(&r.StartedAt), rfc3339(&r.FinishedAt)}
	},
	json: func(r model.ImportRun) any { return r },
}

// took is how long a run lasted, or "" when it did not finish.
func took(r model.ImportRun) string {
	if r.FinishedAt.IsZero() || r.FinishedAt.Before(r.StartedAt) {
		return ""
	}
	d := r.FinishedAt.Sub(r.StartedAt)
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// importsCmd is `rapport imports`: the files imported into this database,
// newest first, with what each did (the import_runs table).
func (a *app) importsCmd() *cobra.Command {
	var format *formatOpt
	var limit int
	cmd := &cobra.Command{
		Use:   "imports [--limit N]",
		Short: "List the latest imports: file, preset, counts, errors, who and how long",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			if limit < 1 {
				return usageErrorf("--limit must be at least 1, not %d", limit)
			}
			ctx := cmd.Context()
			return a.withStore(ctx, false, func(s model.Store) error {
				runs, err := s.ImportRuns(ctx, limit)
				if err != nil {
					return err
				}
				return writeList(a.stdout, format, importRunsView, runs)
			})
		},
	}
	f := cmd.Flags()
	f.IntVar(&limit, "limit", 20, "at most this many imports, newest first")
	format = formatFlag(f, formatTable, formatCSV, formatJSON)
	return cmd
}

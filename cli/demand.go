package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

var demandView = listView[model.DemandRow]{
	columns: []column{{title: "KEY", max: 40}, {title: "SCORE", right: true}, {title: "CUSTOMERS", right: true},
		{title: "FEEDBACK", right: true}, {title: "COMPLAINTS", right: true}, {title: "LTV", right: true}},
	cells: func(r model.DemandRow) []string {
		return []string{r.Key, fmt.Sprintf("%.1f", r.Score), model.Thousands(int64(r.CustomersN)),
			model.Thousands(int64(r.FeedbackN)), model.Thousands(int64(r.ComplaintsN)), fmt.Sprintf("%.0f", r.LTVSum)}
	},
	csvHeader: []string{"key", "feedback_n", "complaints_n", "customers_n", "ltv_sum", "score"},
	csvCells: func(r model.DemandRow) []string {
		return []string{model.CSVCell(r.Key, false), fmt.Sprint(r.FeedbackN), fmt.Sprint(r.ComplaintsN), fmt.Sprint(r.CustomersN),
			fmt.Sprint(r.LTVSum), fmt.Sprint(r.Score)}
	},
	json: func(r model.DemandRow) any { return r },
}

// demandCmd is `rapport demand`: what customers ask for and complain
// about, ranked for product managers (需求排序).
func (a *app) demandCmd() *cobra.Command {
	var by, since, kind string
	var format *formatOpt
	var limit int
	cmd := &cobra.Command{
		Use:   "demand [--by category|tag] [--since DATE] [--kind K]",
		Short: "Rank categories or tags by how many customers raised them, weighted by their value",
		Long: "Feedback grouped by category or tag, ranked by score = Σ over the distinct customers\n" +
			"who raised it of (1 + log10(1 + LTV)), ×1.5 for a customer who raised it as a complaint.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			q := model.DemandQuery{By: strings.ToLower(strings.TrimSpace(by)), Limit: limit}
			if q.By != "category" && q.By != "tag" {
				return usageErrorf("--by must be category or tag, not %q", by)
			}
			if kind != "" {
				k, err := model.ParseKind(kind)
				if err != nil {
					return usageErrorf("%v", err)
				}
				q.Kind = k
			}
			if since != "" {
				if q.Since, err = parseWhen("--since", since, false); err != nil {
					return err
				}
			}
			ctx := cmd.Context()
			return a.withStore(ctx, false, func(s model.Store) error {
				rows, err := s.Demand(ctx, q)
				if err != nil {
					return err
				}
				return writeList(a.stdout, format, demandView, rows)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&by, "by", "category", "rank categories or tags")
	f.StringVar(&since, "since", "", "only feedback from this date on")
	f.StringVar(&kind, "kind", "", "only this kind (complaint, request, …)")
	f.IntVar(&limit, "limit", 0, "at most this many rows (0: all)")
	format = formatFlag(f, formatTable, formatCSV, formatJSON)
	return cmd
}

package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

// followupRecallCmd is `rapport followup recall`: one open follow-up for
// each member of a segment that has none open in the campaign (召回).
func (a *app) followupRecallCmd() *cobra.Command {
	var segment, where, due, note, campaign string
	var format *formatOpt
	var assignees []string
	cmd := &cobra.Command{
		Use:   "recall (--segment NAME | --where EXPR) --due WHEN --note TEXT --campaign NAME",
		Short: "Create follow-ups for every member of a segment (idempotent per campaign)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			if (segment == "") == (where == "") {
				return usageErrorf("recall needs --segment NAME or --where EXPR (one of them)")
			}
			if due == "" || campaign == "" {
				return usageErrorf("recall needs --due WHEN and --campaign NAME")
			}
			if where != "" {
				if err := checkExpr(where); err != nil {
					return err
				}
			}
			when, err := model.ParseWhen(due, time.Now(), time.Local)
			if err != nil {
				return err
			}
			req := model.RecallRequest{Segment: segment, Where: where, Due: when, Note: note, Campaign: campaign}
			for _, list := range assignees {
				req.Assignees = append(req.Assignees, strings.Split(list, ",")...)
			}
			return a.withAgentStore(cmd, true, func(ctx context.Context, s model.Store, agent string) error {
				var progress func(done, total int)
				bar := &progressLine{w: a.stderr, label: "recall " + campaign}
				if a.stderrTTY {
					progress = bar.update
				}
				res, err := s.Recall(ctx, agent, req, progress)
				bar.clear()
				if err != nil {
					return exprUsage(err)
				}
				return a.printResult(format, res, linef("campaign %s: %d follow-ups created, %d members skipped (already open), due %s\n",
					campaign, res.Created, res.Skipped, localMinute(when)))
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&segment, "segment", "", "saved segment name")
	f.StringVar(&where, "where", "", "segment expression, e.g. 'last_contact_days > 90 and ltv > 1000'")
	f.StringVar(&due, "due", "", "when: 2026-11-25, 2026-11-25 14:00, +3d, +2h, tomorrow, next monday")
	f.StringSliceVar(&assignees, "assignee", nil, "who follows up; several (a,b,c) share the members round-robin (default: the agent)")
	f.StringVar(&note, "note", "", "what to do")
	f.StringVar(&campaign, "campaign", "", "campaign name; a member with an open follow-up in it is skipped")
	format = tableOrJSON(cmd)
	return cmd
}

// followupCampaignsCmd is `rapport followup campaigns`: each campaign's
// progress.
func (a *app) followupCampaignsCmd() *cobra.Command {
	var format *formatOpt
	cmd := &cobra.Command{
		Use:   "campaigns",
		Short: "Show recall campaigns and how far they got",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withStore(ctx, false, func(s model.Store) error {
				cs, err := s.Campaigns(ctx)
				if err != nil {
					return err
				}
				return a.printResult(format, cs, func(w io.Writer) error {
					fmt.Fprintf(w, "%-28s %8s %8s %8s %8s  %s\n", "CAMPAIGN", "OPEN", "DONE", "OVERDUE", "DONE %", "DUE")
					for _, c := range cs {
						pct := 0.0
						if c.Total() > 0 {
							pct = 100 * float64(c.Done) / float64(c.Total())
						}
						fmt.Fprintf(w, "%-28s %8d %8d %8d %7.0f%%  %s – %s\n", fitCell(c.Name, 28), c.Open, c.Done, c.Overdue, pct,
							localMinute(c.FirstDue), localMinute(c.LastDue))
					}
					return nil
				})
			})
		},
	}
	format = tableOrJSON(cmd)
	return cmd
}

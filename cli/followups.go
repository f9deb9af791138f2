package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

var followUpView = listView[model.FollowUp]{
	columns: []column{{title: "ID", right: true}, {title: "DUE"}, {title: "STATUS"}, {title: "CUSTOMER", max: 24},
		{title: "ASSIGNEE"}, {title: "NOTE", max: 60}},
	cells: func(f model.FollowUp) []string {
		return []string{fmt.Sprint(f.ID), localMinute(f.Due), string(f.Status), f.CustomerLabel, f.Assignee, f.Note}
	},
	csvHeader: []string{"id", "customer_id", "customer_name", "feedback_id", "assignee", "due_at", "note", "status",
		"campaign", "created_by", "created_at", "done_at", "version"},
	csvCells: func(f model.FollowUp) []string {
		fb := ""
		if f.FeedbackID != nil {
			fb = fmt.Sprint(*f.FeedbackID)
		}
		return []string{fmt.Sprint(f.ID), fmt.Sprint(f.CustomerID), model.CSVCell(f.CustomerName, false), fb,
			model.CSVCell(f.Assignee, false), rfc3339(&f.Due), model.CSVCell(f.Note, true), string(f.Status),
			model.CSVCell(f.Campaign, false), model.CSVCell(f.CreatedBy, false), rfc3339(&f.CreatedAt), rfc3339(f.DoneAt),
			fmt.Sprint(f.Version)}
	},
	json: func(f model.FollowUp) any { return toFollowUpJSON(f) },
}

func (a *app) followupCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "followup",
		Short: "Follow-ups: promises to get back to customers (list, add, done, snooze, reassign)",
		Args:  noArgs,
	}
	listCmd := listCommand(cmd, "list", "List follow-ups (default: your open ones)", followupListFlags, a.runFollowupList)
	cmd.AddCommand(listCmd, a.followupAddCmd(), a.followupDoneCmd(), a.followupSnoozeCmd(), a.followupReassignCmd(),
		a.followupRecallCmd(), a.followupCampaignsCmd())
	return cmd
}

type followupListOpts struct {
	assignee, state string
	all             bool
	format          *formatOpt
}

func followupListFlags(cmd *cobra.Command) *followupListOpts {
	o := &followupListOpts{}
	f := cmd.Flags()
	f.StringVar(&o.assignee, "assignee", "", "whose follow-ups (default: the agent's)")
	f.BoolVar(&o.all, "all", false, "everyone's follow-ups")
	f.StringVar(&o.state, "state", "open", "overdue, today, upcoming, open, done or all")
	o.format = formatFlag(f, formatTable, formatCSV, formatJSON)
	return o
}

func (a *app) runFollowupList(cmd *cobra.Command, o *followupListOpts) error {
	format, err := o.format.parse()
	if err != nil {
		return err
	}
	state := model.FollowUpState(strings.ToLower(o.state))
	switch state {
	case model.StateOverdue, model.StateToday, model.StateUpcoming, model.StateOpen, model.StateDone, model.StateAll:
	default:
		return usageErrorf("--state must be overdue, today, upcoming, open, done or all, not %q", o.state)
	}
	agent, err := a.agentFrom(cmd)
	if err != nil {
		return err
	}
	who := agent
	switch {
	case o.all && cmd.Flags().Changed("assignee"):
		return usageErrorf("--assignee and --all exclude each other")
	case o.all:
		who = ""
	case cmd.Flags().Changed("assignee"):
		who = o.assignee
	}
	ctx := cmd.Context()
	return a.withStore(ctx, true, func(st model.Store) error {
		now := time.Now()
		local := now.In(time.Local)
		q := model.FollowUpQuery{Assignee: who, State: state, Now: now, Limit: 1000,
			DayEnd: time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, time.Local)}
		return streamList(a.stdout, format, followUpView, func(emit func(model.FollowUp) error) error {
			return listFollowUps(ctx, st, q, emit)
		})
	})
}

// listFollowUps emits every follow-up q selects, page by page.
func listFollowUps(ctx context.Context, st model.Store, q model.FollowUpQuery, emit func(model.FollowUp) error) error {
	for {
		p, err := st.FollowUpPage(ctx, q)
		if err != nil {
			return err
		}
		for _, f := range p.Rows {
			if err := emit(f); err != nil {
				return err
			}
		}
		if !p.HasMore {
			return nil
		}
		q.After = &p.Cursors[len(p.Cursors)-1]
	}
}

func (a *app) followupAddCmd() *cobra.Command {
	var customer, due, assignee, note string
	var format *formatOpt
	var feedback int64
	cmd := &cobra.Command{
		Use:   "add --customer REF --due WHEN",
		Short: "Promise a follow-up (WHEN: 2026-11-25, 2026-11-25 14:00, +3d, +2h, tomorrow, next monday)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			if customer == "" || due == "" {
				return usageErrorf("followup add needs --customer and --due")
			}
			when, err := model.ParseWhen(due, time.Now(), time.Local)
			if err != nil {
				return err
			}
			return a.withAgentStore(cmd, true, func(ctx context.Context, s model.Store, agent string) error {
				c, err := findCustomer(ctx, s, customer)
				if err != nil {
					return err
				}
				f := model.FollowUp{CustomerID: c.ID, Due: when, Assignee: assignee, Note: note}
				if cmd.Flags().Changed("feedback") {
					f.FeedbackID = &feedback
				}
				f, err = s.AddFollowUp(ctx, agent, f)
				if err != nil {
					return err
				}
				return a.printResult(format, toFollowUpJSON(f), linef("follow-up %d for %s due %s (%s)\n",
					f.ID, fitCell(customerLabel(c), 40), localMinute(f.Due), f.Assignee))
			})
		},
	}
	cmd.Flags().StringVar(&customer, "customer", "", "customer id, email or phone")
	cmd.Flags().StringVar(&due, "due", "", "when: 2026-11-25, 2026-11-25 14:00, +3d, +2h, tomorrow, next monday")
	cmd.Flags().Int64Var(&feedback, "feedback", 0, "the feedback item it follows up")
	cmd.Flags().StringVar(&assignee, "assignee", "", "who follows up (default: the agent)")
	cmd.Flags().StringVar(&note, "note", "", "what was promised")
	format = formatFlag(cmd.Flags(), formatTable, formatJSON)
	return cmd
}

// eachFollowUp runs fn on each id argument, in one store session.
func (a *app) eachFollowUp(cmd *cobra.Command, args []string, verb string,
	fn func(ctx context.Context, s model.Store, agent string, id int64) error) error {
	ids, err := parseIDs(args, "follow-up")
	if err != nil {
		return err
	}
	return a.withAgentStore(cmd, true, func(ctx context.Context, s model.Store, agent string) error {
		for _, id := range ids {
			if err := fn(ctx, s, agent, id); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "follow-up %d %s\n", id, verb)
		}
		return nil
	})
}

func (a *app) followupDoneCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "done ID...",
		Short: "Mark follow-ups done",
		Args:  minArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.eachFollowUp(cmd, args, "done", func(ctx context.Context, s model.Store, agent string, id int64) error {
				return s.FollowUpDone(ctx, agent, id)
			})
		},
	}
}

func (a *app) followupSnoozeCmd() *cobra.Command {
	var until string
	cmd := &cobra.Command{
		Use:   "snooze ID... --until WHEN",
		Short: "Move follow-ups to a later time",
		Args:  minArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if until == "" {
				return usageErrorf("snooze needs --until WHEN")
			}
			when, err := model.ParseWhen(until, time.Now(), time.Local)
			if err != nil {
				return err
			}
			return a.eachFollowUp(cmd, args, "snoozed until "+localMinute(when),
				func(ctx context.Context, s model.Store, agent string, id int64) error {
					return s.SnoozeFollowUp(ctx, agent, id, when)
				})
		},
	}
	cmd.Flags().StringVar(&until, "until", "", "when: 2026-11-25 14:00, +3d, tomorrow, next monday")
	return cmd
}

func (a *app) followupReassignCmd() *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "reassign ID... --to NAME",
		Short: "Give follow-ups to another agent",
		Args:  minArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if strings.TrimSpace(to) == "" {
				return usageErrorf("reassign needs --to NAME")
			}
			return a.eachFollowUp(cmd, args, "reassigned to "+to,
				func(ctx context.Context, s model.Store, agent string, id int64) error {
					return s.ReassignFollowUp(ctx, agent, id, to)
				})
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the agent who takes them over")
	return cmd
}

// minArgs wants at least one argument, named for the message.
func minArgs(name string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return usageErrorf("%s needs at least one %s", cmd.CommandPath(), name)
		}
		return nil
	}
}

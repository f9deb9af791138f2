package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

// Logging and classifying feedback from the command line: feedback add
// and set, categories, rules (CONTRACT "Feedback").

// parseScoreFlag reads --csat/--nps when given: a whole number in range,
// else a usage error (exit 2) before anything is opened.
func parseScoreFlag(cmd *cobra.Command, name, v string, lo, hi int) (*int, error) {
	if !cmd.Flags().Changed(name) {
		return nil, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		return nil, usageErrorf("--%s %q: a whole number from %d to %d", name, v, lo, hi)
	}
	return &n, nil
}

// tagEdits splits --tag +T / -T / T into additions and removals.
func tagEdits(tags []string) (add, remove []string, err error) {
	for _, s := range tags {
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, "-") {
			if t := strings.TrimSpace(s[1:]); t != "" {
				remove = append(remove, t)
				continue
			}
			return nil, nil, usageErrorf("--tag %q: expected +TAG or -TAG", s)
		}
		t := strings.TrimSpace(strings.TrimPrefix(s, "+"))
		if err := model.ValidateTag(t); err != nil {
			return nil, nil, err
		}
		add = append(add, t)
	}
	return add, remove, nil
}

func (a *app) feedbackAddCmd() *cobra.Command {
	var customer, text, subject, channel, kind, csat, nps, category, priority, format string
	var tags []string
	cmd := &cobra.Command{
		Use:   "add --customer REF --text TEXT",
		Short: "Log feedback (a call, chat, email or survey answer); classification rules apply",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := parseFormat(format, formatTable, formatJSON)
			if err != nil {
				return err
			}
			if strings.TrimSpace(customer) == "" {
				return usageErrorf("feedback add needs --customer REF")
			}
			f := model.Feedback{Source: "manual", Channel: strings.ToLower(strings.TrimSpace(channel)), Subject: subject,
				Body: text, Category: strings.TrimSpace(category), Status: model.StatusOpen}
			if f.CSAT, err = parseScoreFlag(cmd, "csat", csat, 1, 5); err != nil {
				return err
			}
			if f.NPS, err = parseScoreFlag(cmd, "nps", nps, 0, 10); err != nil {
				return err
			}
			if kind != "" {
				if f.Kind, err = model.ParseKind(kind); err != nil {
					return err
				}
			}
			if priority != "" {
				if f.Priority, err = model.ParsePriority(priority); err != nil {
					return err
				}
			}
			if f.Tags, _, err = tagEdits(tags); err != nil {
				return err
			}
			agent, err := a.agentFrom(cmd)
			if err != nil {
				return err
			}
			f.Agent = agent
			ctx := cmd.Context()
			return a.withStore(ctx, true, func(s model.Store) error {
				c, err := findCustomer(ctx, s, customer)
				if err != nil {
					return err
				}
				f.CustomerID = c.ID
				saved, err := s.AddFeedback(ctx, agent, f)
				if err != nil {
					return err
				}
				out := newOutput(a.stdout)
				if format == formatJSON {
					err = writeJSON(out, toFeedbackJSON(saved))
				} else {
					_, err = fmt.Fprintf(out, "feedback %d for %s logged (%s, %s%s)\n", saved.ID, fitCell(customerLabel(c), 40),
						saved.Kind, saved.Status, categorySuffix(saved.Category))
				}
				if err != nil {
					return err
				}
				return out.Flush()
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&customer, "customer", "", "customer id, email or phone")
	f.StringVar(&text, "text", "", "what the customer said")
	f.StringVar(&subject, "subject", "", "subject")
	f.StringVar(&channel, "channel", "", "channel: email, phone, chat, web, social, survey, app, …")
	f.StringVar(&kind, "kind", "", "feedback, complaint, praise, question or request")
	f.StringVar(&csat, "csat", "", "CSAT score 1–5")
	f.StringVar(&nps, "nps", "", "NPS answer 0–10")
	f.StringVar(&category, "category", "", "category path, e.g. Billing/Refund")
	f.StringVar(&priority, "priority", "", "low, normal, high or urgent")
	f.StringArrayVar(&tags, "tag", nil, "tag; repeatable")
	f.StringVar(&format, "format", formatTable, "output format: table or json")
	return cmd
}

func categorySuffix(c string) string {
	if c == "" {
		return ""
	}
	return ", " + c
}

func (a *app) feedbackSetCmd() *cobra.Command {
	var status, priority, kind, category, format string
	var tags []string
	var ifVersion int64
	cmd := &cobra.Command{
		Use:   "set ID... [--status S] [--priority P] [--kind K] [--category PATH] [--tag +T|-T]... [--if-version V]",
		Short: "Classify feedback: one item or many in one transaction",
		Args:  minArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := parseFormat(format, formatTable, formatJSON)
			if err != nil {
				return err
			}
			ids := make([]int64, len(args))
			for i, s := range args {
				if ids[i], err = strconv.ParseInt(s, 10, 64); err != nil || ids[i] <= 0 {
					return usageErrorf("%q is not a feedback id", s)
				}
			}
			var p model.FeedbackPatch
			if status != "" {
				v, err := model.ParseStatus(status)
				if err != nil {
					return err
				}
				p.Status = &v
			}
			if priority != "" {
				v, err := model.ParsePriority(priority)
				if err != nil {
					return err
				}
				p.Priority = &v
			}
			if kind != "" {
				v, err := model.ParseKind(kind)
				if err != nil {
					return err
				}
				p.Kind = &v
			}
			if cmd.Flags().Changed("category") {
				c := strings.TrimSpace(category)
				p.Category = &c
			}
			if p.AddTags, p.RemoveTags, err = tagEdits(tags); err != nil {
				return err
			}
			if p.Empty() {
				return usageErrorf("nothing to change: give --status, --priority, --kind, --category or --tag")
			}
			if ifVersion > 0 && len(ids) != 1 {
				return usageErrorf("--if-version names the version of one item")
			}
			agent, err := a.agentFrom(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withStore(ctx, true, func(s model.Store) error {
				res, err := s.SetFeedback(ctx, agent, ids, p, ifVersion)
				if err != nil {
					return err
				}
				out := newOutput(a.stdout)
				if format == formatJSON {
					err = writeJSON(out, bulkResultJSON{Changed: res.Changed, Unchanged: res.Unchanged})
				} else {
					_, err = fmt.Fprintf(out, "%s changed, %s unchanged\n", plural(res.Changed, "item"), plural(res.Unchanged, "item"))
				}
				if err != nil {
					return err
				}
				return out.Flush()
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&status, "status", "", "open, pending, resolved or closed")
	f.StringVar(&priority, "priority", "", "low, normal, high or urgent")
	f.StringVar(&kind, "kind", "", "feedback, complaint, praise, question or request")
	f.StringVar(&category, "category", "", `category path, e.g. Billing/Refund ("" clears it)`)
	f.StringArrayVar(&tags, "tag", nil, "+T adds tag T, -T removes it; repeatable")
	f.Int64Var(&ifVersion, "if-version", 0, "refuse (exit 4) when the item changed since this version")
	f.StringVar(&format, "format", formatTable, "output format: table or json")
	return cmd
}

func (a *app) categoriesCmd() *cobra.Command {
	var format string
	list := func(cmd *cobra.Command, _ []string) error {
		format, err := parseFormat(format, formatTable, formatJSON)
		if err != nil {
			return err
		}
		ctx := cmd.Context()
		return a.withStore(ctx, true, func(s model.Store) error {
			cs, err := s.Categories(ctx)
			if err != nil {
				return err
			}
			out := newOutput(a.stdout)
			if format == formatJSON {
				paths := make([]string, 0, len(cs))
				for _, c := range cs {
					paths = append(paths, c.Path)
				}
				err = writeJSON(out, paths)
			} else {
				for _, c := range cs {
					indent := ""
					if c.ParentID != nil {
						indent = "  "
					}
					if _, err = fmt.Fprintln(out, indent+fitCell(c.Path, 60)); err != nil {
						break
					}
				}
			}
			if err != nil {
				return err
			}
			return out.Flush()
		})
	}
	cmd := &cobra.Command{Use: "categories [list] | add PATH | rm PATH", Short: "The two-level category taxonomy",
		Args: noArgs, RunE: list}
	cmd.Flags().StringVar(&format, "format", formatTable, "output format: table or json")
	listCmd := &cobra.Command{Use: "list", Short: "List the categories", Args: noArgs, RunE: list}
	listCmd.Flags().StringVar(&format, "format", formatTable, "output format: table or json")
	write := func(use, short, verb string, fn func(s model.Store, cmd *cobra.Command, agent, path string) error) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, Args: exactArgs("PATH"), RunE: func(cmd *cobra.Command, args []string) error {
			agent, err := a.agentFrom(cmd)
			if err != nil {
				return err
			}
			return a.withStore(cmd.Context(), true, func(s model.Store) error {
				if err := fn(s, cmd, agent, args[0]); err != nil {
					return err
				}
				_, err := fmt.Fprintf(a.stdout, "category %s %s\n", oneLine(args[0]), verb)
				return err
			})
		}}
	}
	cmd.AddCommand(listCmd,
		write("add PATH", "Add a category (Parent/Child; the parent is made when missing)", "added",
			func(s model.Store, cmd *cobra.Command, agent, path string) error {
				_, err := s.AddCategory(cmd.Context(), agent, path)
				return err
			}),
		write("rm PATH", "Remove an unused category", "removed",
			func(s model.Store, cmd *cobra.Command, agent, path string) error {
				return s.RemoveCategory(cmd.Context(), agent, path)
			}))
	return cmd
}

func (a *app) rulesCmd() *cobra.Command {
	var format string
	list := func(cmd *cobra.Command, _ []string) error {
		format, err := parseFormat(format, formatTable, formatJSON)
		if err != nil {
			return err
		}
		ctx := cmd.Context()
		return a.withStore(ctx, true, func(s model.Store) error {
			rs, err := s.Rules(ctx)
			if err != nil {
				return err
			}
			out := newOutput(a.stdout)
			if format == formatJSON {
				js := make([]ruleJSON, len(rs))
				for i, r := range rs {
					js[i] = toRuleJSON(r)
				}
				err = writeJSON(out, js)
			} else {
				tw := newTable(out, column{title: "ID", right: true}, column{title: "MATCH", max: 40}, column{title: "CATEGORY"},
					column{title: "TAGS"}, column{title: "KIND"}, column{title: "PRIORITY"})
				for _, r := range rs {
					tw.add(fmt.Sprint(r.ID), r.Pattern, r.Category, strings.Join(r.Tags, " "), string(r.Kind), string(r.Priority))
				}
				err = tw.flush()
			}
			if err != nil {
				return err
			}
			return out.Flush()
		})
	}
	cmd := &cobra.Command{Use: "rules [list] | add --match REGEX … | rm ID | apply [--all]",
		Short: "Keyword and regex rules that classify feedback", Args: noArgs, RunE: list}
	cmd.Flags().StringVar(&format, "format", formatTable, "output format: table or json")
	listCmd := &cobra.Command{Use: "list", Short: "List the rules", Args: noArgs, RunE: list}
	listCmd.Flags().StringVar(&format, "format", formatTable, "output format: table or json")
	cmd.AddCommand(listCmd, a.ruleAddCmd(), a.ruleRmCmd(), a.ruleApplyCmd())
	return cmd
}

func (a *app) ruleAddCmd() *cobra.Command {
	var match, category, kind, priority, format string
	var tags []string
	cmd := &cobra.Command{
		Use:   "add --match REGEX [--category PATH] [--tag T]... [--kind K] [--priority P]",
		Short: "Add a rule: subject or body matching REGEX (case-insensitive) gets what the rule names",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := parseFormat(format, formatTable, formatJSON)
			if err != nil {
				return err
			}
			if strings.TrimSpace(match) == "" {
				return usageErrorf("rules add needs --match REGEX")
			}
			r := model.Rule{Pattern: match, Category: category, Kind: model.Kind(kind), Priority: model.Priority(priority)}
			if r.Tags, _, err = tagEdits(tags); err != nil {
				return err
			}
			if err := r.Validate(); err != nil {
				return err
			}
			agent, err := a.agentFrom(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withStore(ctx, true, func(s model.Store) error {
				saved, err := s.AddRule(ctx, agent, r)
				if err != nil {
					return err
				}
				out := newOutput(a.stdout)
				if format == formatJSON {
					err = writeJSON(out, toRuleJSON(saved))
				} else {
					_, err = fmt.Fprintf(out, "rule %d added: %s\n", saved.ID, oneLine(saved.Pattern))
				}
				if err != nil {
					return err
				}
				return out.Flush()
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&match, "match", "", "keyword or regular expression (Go syntax), matched case-insensitively")
	f.StringVar(&category, "category", "", "category path to fill")
	f.StringArrayVar(&tags, "tag", nil, "tag to add; repeatable")
	f.StringVar(&kind, "kind", "", "kind to fill")
	f.StringVar(&priority, "priority", "", "priority to fill")
	f.StringVar(&format, "format", formatTable, "output format: table or json")
	return cmd
}

func (a *app) ruleRmCmd() *cobra.Command {
	return &cobra.Command{Use: "rm ID", Short: "Remove a rule", Args: exactArgs("ID"), RunE: func(cmd *cobra.Command, args []string) error {
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return usageErrorf("%q is not a rule id", args[0])
		}
		agent, err := a.agentFrom(cmd)
		if err != nil {
			return err
		}
		return a.withStore(cmd.Context(), true, func(s model.Store) error {
			if err := s.RemoveRule(cmd.Context(), agent, id); err != nil {
				return err
			}
			_, err := fmt.Fprintf(a.stdout, "rule %d removed\n", id)
			return err
		})
	}}
}

func (a *app) ruleApplyCmd() *cobra.Command {
	var all bool
	cmd := &cobra.Command{Use: "apply [--all]", Short: `Run the rules over all feedback; prints {"matched": n, "changed": m}`,
		Args: noArgs, RunE: func(cmd *cobra.Command, _ []string) error {
			agent, err := a.agentFrom(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withStore(ctx, true, func(s model.Store) error {
				matched, changed, err := s.ApplyRules(ctx, agent, all)
				if err != nil {
					return err
				}
				out := newOutput(a.stdout)
				if err := writeJSON(out, rulesApplyJSON{Changed: changed, Matched: matched}); err != nil {
					return err
				}
				return out.Flush()
			})
		}}
	cmd.Flags().BoolVar(&all, "all", false, "replace category, kind and priority too, not only fill what is empty")
	return cmd
}

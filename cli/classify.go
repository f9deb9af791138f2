package cli

import (
	"context"
	"fmt"
	"io"
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
	var customer, text, subject, channel, kind, csat, nps, category, priority string
	var format *formatOpt
	var tags []string
	cmd := &cobra.Command{
		Use:   "add --customer REF --text TEXT",
		Short: "Log feedback (a call, chat, email or survey answer); classification rules apply",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := format.parse()
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
			return a.withAgentStore(cmd, true, func(ctx context.Context, s model.Store, agent string) error {
				c, err := findCustomer(ctx, s, customer)
				if err != nil {
					return err
				}
				f.CustomerID, f.Agent = c.ID, agent
				saved, err := s.AddFeedback(ctx, agent, f)
				if err != nil {
					return err
				}
				return a.printResult(format, toFeedbackJSON(saved), linef("feedback %d for %s logged (%s, %s%s)\n",
					saved.ID, fitCell(customerLabel(c), 40), saved.Kind, saved.Status, categorySuffix(saved.Category)))
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
	format = formatFlag(f, formatTable, formatJSON)
	return cmd
}

func categorySuffix(c string) string {
	if c == "" {
		return ""
	}
	return ", " + c
}

func (a *app) feedbackSetCmd() *cobra.Command {
	var status, priority, kind, category string
	var format *formatOpt
	var tags []string
	var ifVersion int64
	cmd := &cobra.Command{
		Use:   "set ID... [--status S] [--priority P] [--kind K] [--category PATH] [--tag +T|-T]... [--if-version V]",
		Short: "Classify feedback: one item or many in one transaction",
		Args:  minArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			ids, err := parseIDs(args, "feedback")
			if err != nil {
				return err
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
			return a.withAgentStore(cmd, true, func(ctx context.Context, s model.Store, agent string) error {
				res, err := s.SetFeedback(ctx, agent, ids, p, ifVersion)
				if err != nil {
					return err
				}
				return a.printResult(format, bulkResultJSON{Changed: res.Changed, Unchanged: res.Unchanged},
					linef("%s changed, %s unchanged\n", plural(res.Changed, "item"), plural(res.Unchanged, "item")))
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
	format = formatFlag(f, formatTable, formatJSON)
	return cmd
}

// tableOrJSON is the --format flag of a command that writes a table or
// JSON.
func tableOrJSON(cmd *cobra.Command) *formatOpt {
	return formatFlag(cmd.Flags(), formatTable, formatJSON)
}

func (a *app) categoriesCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "categories [list] | add PATH | rm PATH", Short: "The two-level category taxonomy", Args: noArgs}
	listCmd := listCommand(cmd, "list", "List the categories", tableOrJSON, a.runCategoryList)
	write := func(use, short, verb string, fn func(ctx context.Context, s model.Store, agent, path string) error) *cobra.Command {
		return &cobra.Command{Use: use, Short: short, Args: exactArgs("PATH"), RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAgentStore(cmd, true, func(ctx context.Context, s model.Store, agent string) error {
				if err := fn(ctx, s, agent, args[0]); err != nil {
					return err
				}
				_, err := fmt.Fprintf(a.stdout, "category %s %s\n", oneLine(args[0]), verb)
				return err
			})
		}}
	}
	cmd.AddCommand(listCmd,
		write("add PATH", "Add a category (Parent/Child; the parent is made when missing)", "added",
			func(ctx context.Context, s model.Store, agent, path string) error {
				_, err := s.AddCategory(ctx, agent, path)
				return err
			}),
		write("rm PATH", "Remove an unused category", "removed",
			func(ctx context.Context, s model.Store, agent, path string) error {
				return s.RemoveCategory(ctx, agent, path)
			}))
	return cmd
}

func (a *app) runCategoryList(cmd *cobra.Command, format *formatOpt) error {
	f, err := format.parse()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	return a.withStore(ctx, true, func(s model.Store) error {
		cs, err := s.Categories(ctx)
		if err != nil {
			return err
		}
		paths := make([]string, 0, len(cs))
		for _, c := range cs {
			paths = append(paths, c.Path)
		}
		return a.printResult(f, paths, func(w io.Writer) error {
			for _, c := range cs {
				indent := ""
				if c.ParentID != nil {
					indent = "  "
				}
				if _, err := fmt.Fprintln(w, indent+fitCell(c.Path, 60)); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

func (a *app) rulesCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "rules [list] | add --match REGEX … | rm ID | apply [--all]",
		Short: "Keyword and regex rules that classify feedback", Args: noArgs}
	listCmd := listCommand(cmd, "list", "List the rules", tableOrJSON, a.runRuleList)
	cmd.AddCommand(listCmd, a.ruleAddCmd(), a.ruleRmCmd(), a.ruleApplyCmd())
	return cmd
}

func (a *app) runRuleList(cmd *cobra.Command, format *formatOpt) error {
	f, err := format.parse()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	return a.withStore(ctx, true, func(s model.Store) error {
		rs, err := s.Rules(ctx)
		if err != nil {
			return err
		}
		js := make([]ruleJSON, len(rs))
		for i, r := range rs {
			js[i] = toRuleJSON(r)
		}
		return a.printResult(f, js, func(w io.Writer) error {
			tw := newTable(w, column{title: "ID", right: true}, column{title: "MATCH", max: 40}, column{title: "CATEGORY"},
				column{title: "TAGS"}, column{title: "KIND"}, column{title: "PRIORITY"})
			for _, r := range rs {
				tw.add(fmt.Sprint(r.ID), r.Pattern, r.Category, strings.Join(r.Tags, " "), string(r.Kind), string(r.Priority))
			}
			return tw.flush()
		})
	})
}

func (a *app) ruleAddCmd() *cobra.Command {
	var match, category, kind, priority string
	var format *formatOpt
	var tags []string
	cmd := &cobra.Command{
		Use:   "add --match REGEX [--category PATH] [--tag T]... [--kind K] [--priority P]",
		Short: "Add a rule: subject or body matching REGEX (case-insensitive) gets what the rule names",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := format.parse()
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
			return a.withAgentStore(cmd, true, func(ctx context.Context, s model.Store, agent string) error {
				saved, err := s.AddRule(ctx, agent, r)
				if err != nil {
					return err
				}
				return a.printResult(format, toRuleJSON(saved), linef("rule %d added: %s\n", saved.ID, oneLine(saved.Pattern)))
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&match, "match", "", "keyword or regular expression (Go syntax), matched case-insensitively")
	f.StringVar(&category, "category", "", "category path to fill")
	f.StringArrayVar(&tags, "tag", nil, "tag to add; repeatable")
	f.StringVar(&kind, "kind", "", "kind to fill")
	f.StringVar(&priority, "priority", "", "priority to fill")
	format = formatFlag(f, formatTable, formatJSON)
	return cmd
}

func (a *app) ruleRmCmd() *cobra.Command {
	return &cobra.Command{Use: "rm ID", Short: "Remove a rule", Args: exactArgs("ID"), RunE: func(cmd *cobra.Command, args []string) error {
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return usageErrorf("%q is not a rule id", args[0])
		}
		return a.withAgentStore(cmd, true, func(ctx context.Context, s model.Store, agent string) error {
			if err := s.RemoveRule(ctx, agent, id); err != nil {
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
			return a.withAgentStore(cmd, true, func(ctx context.Context, s model.Store, agent string) error {
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

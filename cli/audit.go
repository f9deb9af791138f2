package cli

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

var auditView = listView[model.AuditEntry]{
	columns: []column{{title: "AT"}, {title: "AGENT"}, {title: "ENTITY"}, {title: "ID", right: true},
		{title: "ACTION"}, {title: "CHANGES", max: 80}},
	cells: func(e model.AuditEntry) []string {
		return []string{localMinute(e.At), e.Agent, e.Entity, fmt.Sprint(e.EntityID), e.Action, describeAudit(e.Changes)}
	},
	csvHeader: []string{"at", "agent", "entity", "entity_id", "action", "changes"},
	csvCells: func(e model.AuditEntry) []string {
		return []string{e.At.UTC().Format(time.RFC3339), model.CSVCell(e.Agent, false), e.Entity, fmt.Sprint(e.EntityID),
			e.Action, model.CSVCell(describeAudit(e.Changes), false)}
	},
	json: func(e model.AuditEntry) any {
		return auditJSON{At: e.At.UTC().Format(time.RFC3339), Agent: e.Agent, Entity: e.Entity,
			EntityID: e.EntityID, Action: e.Action, Changes: e.Changes}
	},
}

// describeAudit words a change set for a table: "plan: free → pro".
func describeAudit(ch map[string][2]any) string {
	keys := make([]string, 0, len(ch))
	for k := range ch {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %v → %v", k, orDash(ch[k][0]), orDash(ch[k][1]))
	}
	return strings.Join(parts, "; ")
}

func orDash(v any) any {
	if v == nil {
		return "–"
	}
	return v
}

func (a *app) auditCmd() *cobra.Command {
	var q model.AuditQuery
	var since string
	var format *formatOpt
	cmd := &cobra.Command{
		Use:   "audit [--entity customer|feedback|followup|note|segment] [--id ID] [--agent NAME] [--since DATE] [--limit N]",
		Short: "Show who changed what, newest first",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			if since != "" {
				if q.Since, err = parseWhen("--since", since, false); err != nil {
					return err
				}
			}
			// audit only reads, so --agent (global: who is working) names
			// whose changes to show, as the contract has it
			if cmd.Flags().Changed("agent") {
				q.Agent = a.agentFlag
			}
			if q.Limit < 0 {
				return usageErrorf("--limit must be 0 (all) or more")
			}
			ctx := cmd.Context()
			return a.withStore(ctx, true, func(st model.Store) error {
				entries, err := st.Audit(ctx, q)
				if err != nil {
					return err
				}
				return writeList(a.stdout, format, auditView, entries)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&q.Entity, "entity", "", "customer, feedback, followup, note or segment")
	f.Int64Var(&q.ID, "id", 0, "the record's id")
	f.StringVar(&since, "since", "", "only changes from this date on")
	f.IntVar(&q.Limit, "limit", 100, "at most this many (0 = all)")
	format = formatFlag(f, formatTable, formatCSV, formatJSON)
	return cmd
}

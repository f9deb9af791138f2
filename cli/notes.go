package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

func (a *app) notesCmd() *cobra.Command {
	cmd := groupCmd("notes", "Write notes on customers' profiles")
	var format *formatOpt
	add := &cobra.Command{
		Use:   "add REF TEXT",
		Short: "Add a note to a customer's profile (TEXT - reads it from stdin)",
		Args:  exactArgs("REF", "TEXT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			text := args[1]
			if text == "-" {
				b, err := io.ReadAll(io.LimitReader(a.stdin, 1<<20))
				if err != nil {
					return fmt.Errorf("reading the note from stdin: %w", err)
				}
				text = string(b)
			}
			text = strings.TrimSpace(text)
			if text == "" {
				return fmt.Errorf("%w: empty note", model.ErrInvalid)
			}
			return a.withAgentStore(cmd, true, func(ctx context.Context, st model.Store, agent string) error {
				c, err := findCustomer(ctx, st, args[0])
				if err != nil {
					return err
				}
				n, err := st.AddNote(ctx, agent, model.Note{CustomerID: c.ID, Agent: agent, Body: text})
				if err != nil {
					return err
				}
				return a.printResult(format, noteJSON{ID: n.ID, CustomerID: n.CustomerID, Agent: strPtr(n.Agent),
					Body: strPtr(n.Body), CreatedAt: timeStr(n.CreatedAt)},
					linef("added note %d to customer %d %s\n", n.ID, c.ID, fitCell(customerLabel(c), 60)))
			})
		},
	}
	format = tableOrJSON(add)
	cmd.AddCommand(add)
	return cmd
}

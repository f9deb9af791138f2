package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

func (a *app) notesCmd() *cobra.Command {
	cmd := groupCmd("notes", "Write notes on customers' profiles")
	var format string
	add := &cobra.Command{
		Use:   "add REF TEXT",
		Short: "Add a note to a customer's profile (TEXT - reads it from stdin)",
		Args:  exactArgs("REF", "TEXT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := parseFormat(format, formatTable, formatJSON)
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
			agent, err := a.agentFrom(cmd)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withStore(ctx, true, func(st model.Store) error {
				c, err := findCustomer(ctx, st, args[0])
				if err != nil {
					return err
				}
				n, err := st.AddNote(ctx, agent, model.Note{CustomerID: c.ID, Agent: agent, Body: text})
				if err != nil {
					return err
				}
				out := newOutput(a.stdout)
				if format == formatJSON {
					err = writeJSON(out, noteJSON{ID: n.ID, CustomerID: n.CustomerID, Agent: strPtr(n.Agent),
						Body: strPtr(n.Body), CreatedAt: timeStr(n.CreatedAt)})
				} else {
					_, err = fmt.Fprintf(out, "added note %d to customer %d %s\n", n.ID, c.ID, fitCell(customerLabel(c), 60))
				}
				if err != nil {
					return err
				}
				return out.Flush()
			})
		},
	}
	add.Flags().StringVar(&format, "format", formatTable, "output format: table or json")
	cmd.AddCommand(add)
	return cmd
}

package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rapportcrm/rapport/model"
)

// What the commands have in common, said once: the --format flag, the
// report of one result, the agent and store of a write, a listing with
// its `list` twin, and id arguments.

// formatOpt is a command's --format flag and the formats it allows; the
// first is the default.
type formatOpt struct {
	value   string
	allowed []string
}

// formatFlag registers --format on f, worded from the allowed formats
// ("output format: table, csv or json").
func formatFlag(f *pflag.FlagSet, allowed ...string) *formatOpt {
	o := &formatOpt{allowed: allowed}
	f.StringVar(&o.value, "format", allowed[0], "output format: "+orList(allowed))
	return o
}

// parse checks the flag before anything is opened: a usage error (exit 2)
// for a format the command does not write.
func (o *formatOpt) parse() (string, error) { return parseFormat(o.value, o.allowed...) }

// orList words a choice: "a", "a or b", "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// printResult reports what a command did or found: v as one JSON document
// for a script, else what text writes for a person. Output is buffered and
// flushed once.
func (a *app) printResult(format string, v any, text func(w io.Writer) error) error {
	out := newOutput(a.stdout)
	var err error
	if format == formatJSON {
		err = writeJSON(out, v)
	} else {
		err = text(out)
	}
	if err != nil {
		return err
	}
	return out.Flush()
}

// linef is the text of a result that is one formatted line (or a few).
func linef(layout string, args ...any) func(w io.Writer) error {
	return func(w io.Writer) error {
		_, err := fmt.Fprintf(w, layout, args...)
		return err
	}
}

// withAgentStore is the frame of a write: who is working (an empty
// --agent is refused), then the store the flags name, open for fn.
func (a *app) withAgentStore(cmd *cobra.Command, mustExist bool,
	fn func(ctx context.Context, st model.Store, agent string) error) error {
	agent, err := a.agentFrom(cmd)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	return a.withStore(ctx, mustExist, func(st model.Store) error { return fn(ctx, st, agent) })
}

// listCommand makes cmd run a listing and returns its twin subcommand
// `list` that runs the same one (`rapport feedback` and `rapport feedback
// list`). Each gets its own flags from flags.
func listCommand[O any](cmd *cobra.Command, use, short string, flags func(*cobra.Command) O,
	run func(*cobra.Command, O) error) *cobra.Command {
	o := flags(cmd)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error { return run(cmd, o) }
	list := &cobra.Command{Use: use, Short: short, Args: noArgs}
	lo := flags(list)
	list.RunE = func(cmd *cobra.Command, _ []string) error { return run(cmd, lo) }
	return list
}

// pageOpts are a list's --limit and --offset.
type pageOpts struct{ limit, offset int }

func (p *pageOpts) register(f *pflag.FlagSet) {
	f.IntVar(&p.limit, "limit", 50, "most rows to show; 0 means all")
	f.IntVar(&p.offset, "offset", 0, "skip this many rows first")
}

// check refuses negative values before anything is opened.
func (p pageOpts) check() error {
	if p.limit < 0 {
		return usageErrorf("--limit may not be negative (0 means all)")
	}
	if p.offset < 0 {
		return usageErrorf("--offset may not be negative")
	}
	return nil
}

// parseIDs reads id arguments: whole numbers from 1, else a usage error
// naming what the id is of ("feedback", "follow-up").
func parseIDs(args []string, of string) ([]int64, error) {
	ids := make([]int64, len(args))
	for i, s := range args {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, usageErrorf("%q is not a %s id", s, of)
		}
		ids[i] = id
	}
	return ids, nil
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

// exprError is a mistake in a segment expression: a usage error (exit 2)
// worded as the parser put it, with the column, and without the help hint
// that would push the column out of sight.
type exprError struct{ se *model.SegmentError }

func (e *exprError) Error() string   { return e.se.Error() }
func (e *exprError) Unwrap() []error { return []error{e.se, model.ErrInvalid} }

// exprUsage turns a *model.SegmentError anywhere in err into an exprError.
func exprUsage(err error) error {
	var se *model.SegmentError
	if errors.As(err, &se) {
		return &exprError{se: se}
	}
	return err
}

// checkExpr parses an expression given on the command line before anything
// is opened.
func checkExpr(expr string) error {
	_, err := model.ParseSegment(expr)
	return exprUsage(err)
}

func (a *app) segmentCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "segment [list] | add NAME EXPR [--warn] | rm NAME | show NAME",
		Short: "Save, list and remove segments (named customer expressions)",
		Long: "A segment picks customers by an expression such as\n" +
			"  plan = enterprise and csat_avg < 3\n" +
			"  lifecycle in (paying, retained) and not tag:beta\n" +
			"  region ~ \"华东\" or attr.城市 = 上海\n" +
			"  last_contact_days > 30d\n" +
			"  segment:\"churn warning\" and plan = enterprise\n" +
			"Fields: " + segmentFieldNames() + ", tag:NAME, attr.NAME.\n" +
			"A saved segment is used by its name: segment:NAME, segment = NAME, segment != NAME.\n" +
			"Operators: = != < <= > >= ~ (contains, any case), in (a, b), not in, and, or, not, ( ).\n" +
			"A segment added with --warn is a churn warning line: its members show ⚠ and\n" +
			"carry its name in warnings[].",
		Args: noArgs,
	}
	list := listCommand(cmd, "list", "List saved segments (the default for 'rapport segment')", tableOrJSON, a.runSegmentList)
	cmd.AddCommand(list, a.segmentAddCmd(), a.segmentRmCmd(), a.segmentShowCmd())
	return cmd
}

func segmentFieldNames() string {
	names := make([]string, len(model.SegmentFields))
	for i, f := range model.SegmentFields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// segmentView is how saved segments look in a table and in JSON.
var segmentView = listView[model.Segment]{
	columns: []column{{title: "NAME", max: 24}, {title: "WARN"}, {title: "EXPRESSION", max: 60}, {title: "UPDATED"}},
	cells: func(g model.Segment) []string {
		warn := ""
		if g.Warn {
			warn = "⚠"
		}
		return []string{g.Name, warn, g.Expression, localMinute(g.UpdatedAt)}
	},
	json: func(g model.Segment) any { return toSegmentJSON(g) },
}

func (a *app) runSegmentList(cmd *cobra.Command, format *formatOpt) error {
	f, err := format.parse()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	return a.withStore(ctx, true, func(st model.Store) error {
		segs, err := st.Segments(ctx)
		if err != nil {
			return err
		}
		return writeList(a.stdout, f, segmentView, segs)
	})
}

// segmentResult is a segment with its member count, as add and show
// report it in JSON.
func segmentResult(g model.Segment, n int) segmentJSON {
	j := toSegmentJSON(g)
	j.Count = &n
	return j
}

func (a *app) segmentAddCmd() *cobra.Command {
	var warn bool
	var format *formatOpt
	cmd := &cobra.Command{
		Use:   "add NAME EXPR [--warn]",
		Short: "Save a segment (replacing one of the same name)",
		Args:  exactArgs("NAME", "EXPR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			name := strings.TrimSpace(args[0])
			if name == "" {
				return usageErrorf("a segment needs a name")
			}
			if err := checkExpr(args[1]); err != nil {
				return err
			}
			return a.withAgentStore(cmd, false, func(ctx context.Context, st model.Store, agent string) error {
				g, err := st.SaveSegment(ctx, agent, name, args[1], warn)
				if err != nil {
					return exprUsage(err)
				}
				n, err := st.SegmentCount(ctx, g.Name)
				if err != nil {
					return err
				}
				return a.printResult(format, segmentResult(g, n),
					linef("saved segment %s (%s)\n", fitCell(g.Name, 0), plural(n, "customer")))
			})
		},
	}
	cmd.Flags().BoolVar(&warn, "warn", false, "mark it a churn warning line: members show ⚠ and carry its name in warnings")
	format = tableOrJSON(cmd)
	return cmd
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func (a *app) segmentRmCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME",
		Short: "Remove a saved segment",
		Args:  exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAgentStore(cmd, true, func(ctx context.Context, st model.Store, agent string) error {
				if err := st.DeleteSegment(ctx, agent, args[0]); err != nil {
					return err
				}
				_, err := fmt.Fprintf(a.stdout, "removed segment %s\n", fitCell(strings.TrimSpace(args[0]), 0))
				return err
			})
		},
	}
}

func (a *app) segmentShowCmd() *cobra.Command {
	var format *formatOpt
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a segment's expression and how many customers it holds",
		Args:  exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withStore(ctx, true, func(st model.Store) error {
				g, err := st.Segment(ctx, args[0])
				if err != nil {
					return err
				}
				n, err := st.SegmentCount(ctx, g.Name)
				if err != nil {
					return exprUsage(err)
				}
				warn := "no"
				if g.Warn {
					warn = "yes ⚠"
				}
				return a.printResult(format, segmentResult(g, n),
					linef("name        %s\nexpression  %s\nwarn        %s\ncustomers   %d\nupdated     %s\n",
						fitCell(g.Name, 0), fitCell(g.Expression, 0), warn, n, localMinute(g.UpdatedAt)))
			})
		},
	}
	format = tableOrJSON(cmd)
	return cmd
}

// resolveWhere combines a saved segment (by name) and an expression into
// one expression for a list.
func resolveWhere(ctx context.Context, st model.Store, segment, where string) (string, error) {
	if strings.TrimSpace(segment) == "" {
		return where, nil
	}
	g, err := st.Segment(ctx, segment)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(where) == "" {
		return g.Expression, nil
	}
	return "(" + g.Expression + ") and (" + where + ")", nil
}

// parseWhen reads --since/--until: a date (local midnight; for an upper
// bound the end of that day), a local date and minute, or RFC 3339.
func parseWhen(flag, s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t.UTC(), nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t.UTC(), nil
	}
	return time.Time{}, usageErrorf("%s %q is not a date (use 2026-11-25, '2026-11-25 14:00' or RFC 3339)", flag, s)
}

type summaryOpts struct {
	by, where, since, until, trend string
	segments, bands                bool
	format                         *formatOpt
}

func (a *app) summaryCmd() *cobra.Command {
	var o summaryOpts
	cmd := &cobra.Command{
		Use:   "summary [--by DIM | --segments] [--bands] [--where EXPR] [--since DATE] [--until DATE] [--trend week|month]",
		Short: "Satisfaction figures (CSAT, NPS) overall and by group",
		Long: "Satisfaction figures over feedback: CSAT mean and % satisfied (4–5) with its 95%\n" +
			"Wilson interval, NPS with its margin of error. With --by, one row per group,\n" +
			"largest first, flagged ▲/▼ when the overall % satisfied lies outside the\n" +
			"group's interval, or 'small' under 5 answers.\n" +
			"DIM: " + strings.Join(model.SummaryDimensions, ", ") + ", attr.NAME.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runSummary(cmd, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.by, "by", "", "group by this dimension ("+strings.Join(model.SummaryDimensions, ", ")+", attr.NAME)")
	f.BoolVar(&o.segments, "segments", false, "one group per saved segment")
	f.BoolVar(&o.bands, "bands", false, "with --by attr.NAME: group numbers into ranges (20–29) and ISO dates into months (JSON says \"banded\": true when it did)")
	f.StringVar(&o.where, "where", "", "only feedback of customers matching this segment expression")
	f.StringVar(&o.since, "since", "", "only feedback from this date on")
	f.StringVar(&o.until, "until", "", "only feedback up to this date (inclusive)")
	f.StringVar(&o.trend, "trend", "", "add a trend per group: week or month")
	o.format = tableOrJSON(cmd)
	return cmd
}

func (a *app) runSummary(cmd *cobra.Command, o summaryOpts) error {
	format, err := o.format.parse()
	if err != nil {
		return err
	}
	q := model.SummaryQuery{By: strings.TrimSpace(o.by), Segments: o.segments, Where: o.where,
		Trend: strings.ToLower(strings.TrimSpace(o.trend)), Bands: o.bands}
	if q.Bands && !strings.HasPrefix(q.By, "attr.") {
		return usageErrorf("--bands groups an attribute's values: use it with --by attr.NAME")
	}
	if q.Segments && q.By != "" {
		return usageErrorf("--by and --segments do not go together")
	}
	if q.By != "" && !strings.HasPrefix(q.By, "attr.") {
		q.By = strings.ToLower(q.By)
		known := false
		for _, d := range model.SummaryDimensions {
			known = known || d == q.By
		}
		if !known {
			return usageErrorf("cannot summarise by %q (one of %s, attr.NAME)", o.by, strings.Join(model.SummaryDimensions, ", "))
		}
	}
	if q.By == "attr." {
		return usageErrorf("--by attr. needs an attribute name (attr.NAME)")
	}
	if q.Trend != "" && q.Trend != "week" && q.Trend != "month" {
		return usageErrorf("--trend must be week or month, not %q", o.trend)
	}
	if strings.TrimSpace(q.Where) != "" {
		if err := checkExpr(q.Where); err != nil {
			return err
		}
	}
	if o.since != "" {
		if q.Since, err = parseWhen("--since", o.since, false); err != nil {
			return err
		}
	}
	if o.until != "" {
		if q.Until, err = parseWhen("--until", o.until, true); err != nil {
			return err
		}
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return usageErrorf("--until must come after --since")
	}
	ctx := cmd.Context()
	return a.withStore(ctx, true, func(st model.Store) error {
		sum, err := st.Summary(ctx, q)
		if err != nil {
			return exprUsage(err)
		}
		j := summaryJSON{Overall: sum.Overall, Groups: sum.Groups}
		if sum.By != "" {
			j.By = &sum.By
		}
		return a.printResult(format, j, func(w io.Writer) error { return writeSummaryTable(w, sum, q.Trend != "") })
	})
}

// writeSummaryTable shows the overall row, then the groups.
func writeSummaryTable(w io.Writer, sum model.Summary, trend bool) error {
	title := strings.ToUpper(sum.By)
	if title == "" {
		title = "GROUP"
	}
	cols := []column{{title: title, max: 28}, {title: "FEEDBACK", right: true}, {title: "CUSTOMERS", right: true},
		{title: "CSAT", right: true}, {title: "SATISFIED", right: true}, {title: "95% CI", right: true},
		{title: "NPS", right: true}, {title: "COMPLAINTS", right: true}, {title: "FLAG"}}
	if trend {
		cols = append(cols, column{title: "TREND (CSAT)"})
	}
	t := newTable(w, cols...)
	row := func(g model.GroupFigures) {
		csat, sat, ci, nps := "", "", "", ""
		if g.CSATAvg != nil {
			csat = fmt.Sprintf("%s (%d)", fmtFloat(*g.CSATAvg, 2), g.CSATN)
		}
		if g.CSATSatPct != nil {
			sat = fmtFloat(*g.CSATSatPct, 0) + "%"
			ci = fmtFloat(*g.CSATCILow, 0) + "–" + fmtFloat(*g.CSATCIHigh, 0) + "%"
		}
		if g.NPS != nil && g.NPSMoE != nil {
			nps = fmt.Sprintf("%s ±%s (%d)", fmtFloat(*g.NPS, 0), fmtFloat(*g.NPSMoE, 0), g.NPSN)
		}
		flag := g.Flag
		switch g.Flag {
		case model.FlagAbove:
			flag = "▲"
		case model.FlagBelow:
			flag = "▼"
		}
		t.add(g.Key, strconv.Itoa(g.FeedbackN), strconv.Itoa(g.CustomersN), csat, sat, ci, nps,
			strconv.Itoa(g.ComplaintsN), flag, sparkline(g.Trend))
	}
	row(sum.Overall)
	for _, g := range sum.Groups {
		row(g)
	}
	return t.flush()
}

// sparkline draws mean CSAT per period on 1–5; a period without CSAT is a
// space.
func sparkline(points []model.TrendPoint) string {
	const bars = "▁▂▃▄▅▆▇█"
	rs := []rune(bars)
	var b strings.Builder
	for _, p := range points {
		if p.CSATAvg == nil {
			b.WriteRune('·')
			continue
		}
		i := int(math.Round((*p.CSATAvg - 1) / 4 * float64(len(rs)-1)))
		b.WriteRune(rs[max(0, min(len(rs)-1, i))])
	}
	return b.String()
}

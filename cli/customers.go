package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

// listBatch is how many rows a list asks the store for at a time; tests
// make it small to cross page boundaries.
var listBatch = 1000

// customerView is how customers look in a table, in CSV and in JSON.
var customerView = listView[model.Customer]{
	columns: []column{
		{title: "ID", right: true},
		{title: "NAME", max: 28},
		{title: "EMAIL", max: 30},
		{title: "COMPANY", max: 24},
		{title: "PLAN", max: 12},
		{title: "LIFECYCLE"},
		{title: "CSAT", right: true},
		{title: "LAST CONTACT"},
		{title: "FOLLOW-UPS", right: true},
		{title: "LTV", right: true},
	},
	cells: func(c model.Customer) []string {
		name := c.Name
		if len(c.Warnings) > 0 {
			name = "⚠ " + name
		}
		csat := ""
		if c.CSATAvg != nil {
			csat = fmt.Sprintf("%s (%d)", fmtFloat(*c.CSATAvg, 1), c.CSATN)
		}
		fu := ""
		if c.FollowupsOpen > 0 {
			fu = strconv.Itoa(c.FollowupsOpen)
		}
		return []string{strconv.FormatInt(c.ID, 10), name, c.Email, c.Company, c.Plan,
			string(c.Lifecycle), csat, localDate(c.LastContactAt), fu, fmtMoney(c.LTV)}
	},
	csvHeader: []string{"id", "name", "email", "phone", "company", "plan", "region", "city",
		"language", "gender", "lifecycle", "ltv", "tags", "attrs", "csat_avg", "csat_n", "nps_last",
		"feedback_n", "complaints_open", "followups_open", "last_contact_at", "created_at",
		"updated_at", "version", "warnings"},
	csvCells: func(c model.Customer) []string {
		ltv := ""
		if c.LTV != 0 {
			ltv = strconv.FormatFloat(c.LTV, 'f', -1, 64)
		}
		attrs := ""
		if len(c.Attrs) > 0 {
			b, _ := json.Marshal(c.Attrs)
			attrs = string(b)
		}
		cells := []string{strconv.FormatInt(c.ID, 10), c.Name, c.Email, c.Phone, c.Company, c.Plan,
			c.Region, c.City, c.Language, c.Gender, string(c.Lifecycle), ltv,
			strings.Join(c.Tags, ","), attrs, fmtFloatPtr(c.CSATAvg, -1), strconv.Itoa(c.CSATN),
			fmtIntPtr(c.NPSLast), strconv.Itoa(c.FeedbackN), strconv.Itoa(c.ComplaintsOpen),
			strconv.Itoa(c.FollowupsOpen), rfc3339(c.LastContactAt), rfc3339(&c.CreatedAt),
			rfc3339(&c.UpdatedAt), strconv.FormatInt(c.Version, 10), strings.Join(c.Warnings, ",")}
		return csvSafe(cells, -1)
	},
	json: func(c model.Customer) any { return toCustomerJSON(c) },
}

func (a *app) customersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "customers [list] [flags]",
		Short: "List, show, add and change customers",
		Args:  noArgs,
	}
	list := listCommand(cmd, "list [flags]", "List customers (the default for 'rapport customers')",
		customerListFlags, a.runCustomerList)
	cmd.AddCommand(list, a.customerShowCmd(), a.customerAddCmd(), a.customerSetCmd(), a.customerMergeCmd(), a.customerUnmergeCmd())
	return cmd
}

type customerListOpts struct {
	search, tag, lifecycle, sort string
	where, segment               string
	pageOpts
	format *formatOpt
}

func customerListFlags(cmd *cobra.Command) *customerListOpts {
	o := &customerListOpts{}
	f := cmd.Flags()
	f.StringVar(&o.search, "search", "", "text in name, email, phone or company")
	f.StringVar(&o.tag, "tag", "", "only customers with this tag")
	f.StringVar(&o.lifecycle, "lifecycle", "", "only this lifecycle stage ("+joinLifecycles()+")")
	f.StringVar(&o.where, "where", "", "only customers matching this segment expression (see 'rapport segment --help')")
	f.StringVar(&o.segment, "segment", "", "only customers in this saved segment")
	f.StringVar(&o.sort, "sort", "name", "sort by FIELD or FIELD:desc ("+joinSorts()+")")
	o.pageOpts.register(f)
	o.format = formatFlag(f, formatTable, formatCSV, formatJSON)
	return o
}

func joinLifecycles() string {
	names := make([]string, len(model.Lifecycles))
	for i, l := range model.Lifecycles {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

func joinSorts() string {
	names := make([]string, len(model.CustomerSorts))
	for i, s := range model.CustomerSorts {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// customerQuery checks the list flags before anything is opened.
func (o *customerListOpts) query() (model.CustomerQuery, error) {
	var q model.CustomerQuery
	q.Search = strings.TrimSpace(o.search)
	q.Tag = strings.TrimSpace(o.tag)
	if strings.TrimSpace(o.where) != "" {
		if err := checkExpr(o.where); err != nil {
			return q, err
		}
		q.Where = o.where
	}
	if o.lifecycle != "" {
		l, err := model.ParseLifecycle(o.lifecycle)
		if err != nil {
			return q, err
		}
		q.Lifecycle = l
	}
	s, desc, err := model.ParseCustomerSort(strings.ToLower(strings.TrimSpace(o.sort)))
	if err != nil {
		return q, err
	}
	q.Sort, q.Desc = s, desc
	return q, o.pageOpts.check()
}

func (a *app) runCustomerList(cmd *cobra.Command, o *customerListOpts) error {
	q, err := o.query()
	if err != nil {
		return err
	}
	format, err := o.format.parse()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	return a.withStore(ctx, true, func(st model.Store) error {
		if q.Where, err = resolveWhere(ctx, st, o.segment, q.Where); err != nil {
			return err
		}
		return streamList(a.stdout, format, customerView, func(emit func(model.Customer) error) error {
			return exprUsage(listCustomers(ctx, st, q, o.limit, o.offset, emit))
		})
	})
}

// listCustomers pages through the list: the first page at the offset,
// then by cursor, in batches, until limit rows (0: all) were emitted.
func listCustomers(ctx context.Context, st model.Store, q model.CustomerQuery, limit, offset int,
	emit func(model.Customer) error) error {
	q.Offset = offset
	fetched := 0
	for {
		batch := listBatch
		if limit > 0 {
			batch = min(limit-fetched, listBatch)
		}
		q.Limit = batch
		page, err := st.ListCustomers(ctx, q)
		if err != nil {
			return err
		}
		rows := page.Rows
		if len(rows) > batch {
			rows = rows[:batch]
		}
		for _, c := range rows {
			if err := emit(c); err != nil {
				return err
			}
		}
		fetched += len(rows)
		if (limit > 0 && fetched >= limit) || !page.HasMore || len(rows) == 0 {
			return nil
		}
		if len(page.Cursors) >= len(rows) {
			cur := page.Cursors[len(rows)-1]
			q.After, q.Offset = &cur, 0
		} else { // no cursors: fall back to the offset
			q.After, q.Offset = nil, offset+fetched
		}
	}
}

// findCustomer resolves a REF (id, email or phone), wording a miss.
func findCustomer(ctx context.Context, st model.Store, ref string) (model.Customer, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return model.Customer{}, usageErrorf("empty customer reference (give an id, an email or a phone)")
	}
	c, err := st.FindCustomer(ctx, ref)
	if err != nil {
		if isNotFound(err) {
			return c, fmt.Errorf("no customer matches %q (give an id, an email or a phone): %w", ref, model.ErrNotFound)
		}
		return c, err
	}
	return c, nil
}

func (a *app) customerShowCmd() *cobra.Command {
	var format *formatOpt
	var timeline int
	cmd := &cobra.Command{
		Use:   "show REF",
		Short: "Show a customer's profile and timeline (REF: id, email or phone)",
		Args:  exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := format.parse()
			if err != nil {
				return err
			}
			if timeline < 0 {
				return usageErrorf("--timeline may not be negative")
			}
			ctx := cmd.Context()
			return a.withStore(ctx, true, func(st model.Store) error {
				c, err := findCustomer(ctx, st, args[0])
				if err != nil {
					return err
				}
				var entries []model.TimelineEntry
				if timeline > 0 && format != formatCSV {
					if entries, err = st.Timeline(ctx, c.ID, timeline); err != nil {
						return err
					}
				}
				if format == formatCSV {
					return writeList(a.stdout, format, customerView, []model.Customer{c})
				}
				return a.printResult(format, customerShowJSON{customerJSON: toCustomerJSON(c), Timeline: toTimelineJSON(entries)},
					func(w io.Writer) error { return writeProfile(w, c, entries) })
			})
		},
	}
	format = formatFlag(cmd.Flags(), formatTable, formatCSV, formatJSON)
	cmd.Flags().IntVar(&timeline, "timeline", 50, "most timeline entries to show")
	return cmd
}

// writeProfile prints a customer for a person: the fields that have a
// value, then the timeline.
func writeProfile(w io.Writer, c model.Customer, entries []model.TimelineEntry) error {
	var b strings.Builder
	title := fmt.Sprintf("Customer %d  %s", c.ID, fitCell(c.Name, 0))
	if len(c.Warnings) > 0 {
		title += "  ⚠ " + fitCell(strings.Join(c.Warnings, ", "), 0)
	}
	b.WriteString(title + "\n")
	type kv struct{ k, v string }
	csat, nps := "", ""
	if c.CSATAvg != nil {
		csat = fmt.Sprintf("%s average over %s", fmtFloat(*c.CSATAvg, 2), plural(c.CSATN, "answer"))
	}
	if c.NPSLast != nil {
		nps = strconv.Itoa(*c.NPSLast)
	}
	feedback := ""
	if c.FeedbackN > 0 || c.ComplaintsOpen > 0 {
		feedback = fmt.Sprintf("%d (%s open)", c.FeedbackN, plural(c.ComplaintsOpen, "complaint"))
	}
	fu := ""
	if c.FollowupsOpen > 0 {
		fu = strconv.Itoa(c.FollowupsOpen) + " open"
	}
	fields := []kv{
		{"email", c.Email}, {"phone", c.Phone}, {"company", c.Company}, {"plan", c.Plan},
		{"region", c.Region}, {"city", c.City}, {"language", c.Language}, {"gender", c.Gender},
		{"lifecycle", string(c.Lifecycle)}, {"ltv", fmtMoney(c.LTV)},
		{"tags", strings.Join(c.Tags, ", ")},
	}
	keys := make([]string, 0, len(c.Attrs))
	for k := range c.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fields = append(fields, kv{"attr." + k, c.Attrs[k]})
	}
	fields = append(fields, []kv{
		{"csat", csat}, {"nps last", nps}, {"feedback", feedback}, {"follow-ups", fu},
		{"last contact", localMinute(deref(c.LastContactAt))},
		{"created", localMinute(c.CreatedAt)}, {"updated", localMinute(c.UpdatedAt)},
		{"version", strconv.FormatInt(c.Version, 10)},
	}...)
	width := 0
	for _, f := range fields {
		if fitCell(f.v, 0) != "" {
			width = max(width, ansi.StringWidth(fitCell(f.k, 30)))
		}
	}
	for _, f := range fields {
		v := fitCell(f.v, 100)
		if v == "" {
			continue
		}
		k := fitCell(f.k, 30)
		b.WriteString("  " + k + strings.Repeat(" ", width-ansi.StringWidth(k)+2) + v + "\n")
	}
	if len(entries) > 0 {
		b.WriteString("\nTimeline\n")
		tl := newTable(&b,
			column{title: "AT"}, column{title: "TYPE"}, column{title: "ID", right: true},
			column{title: "AGENT", max: 16}, column{title: "SUMMARY", max: 80})
		for _, e := range entries {
			tl.add(localMinute(e.At), e.Type, strconv.FormatInt(e.ID, 10), e.Agent, e.Summary)
		}
		if err := tl.flush(); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

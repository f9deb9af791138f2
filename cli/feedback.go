package cli

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/model"
)

// feedbackView is how feedback looks in a table, in CSV and in JSON.
var feedbackView = listView[model.Feedback]{
	columns: []column{
		{title: "ID", right: true},
		{title: "DATE"},
		{title: "CUSTOMER", max: 20},
		{title: "CHANNEL", max: 10},
		{title: "KIND"},
		{title: "STATUS"},
		{title: "PRIORITY"},
		{title: "CSAT", right: true},
		{title: "NPS", right: true},
		{title: "CATEGORY", max: 22},
		{title: "SUBJECT", max: 50},
	},
	cells: func(f model.Feedback) []string {
		text := f.Subject
		if strings.TrimSpace(text) == "" {
			text = f.Body
		}
		return []string{strconv.FormatInt(f.ID, 10), localMinute(f.CreatedAt), f.CustomerLabel,
			f.Channel, string(f.Kind), string(f.Status), string(f.Priority),
			fmtIntPtr(f.CSAT), fmtIntPtr(f.NPS), f.Category, text}
	},
	csvHeader: []string{"id", "customer_id", "customer_name", "source", "external_id", "channel",
		"kind", "subject", "body", "category", "priority", "status", "tags", "csat", "csat_raw",
		"nps", "agent", "created_at", "resolved_at", "version"},
	csvCells: func(f model.Feedback) []string {
		cells := []string{strconv.FormatInt(f.ID, 10), strconv.FormatInt(f.CustomerID, 10),
			f.CustomerName, f.Source, f.ExternalID, f.Channel, string(f.Kind), f.Subject, f.Body,
			f.Category, string(f.Priority), string(f.Status), strings.Join(f.Tags, ","),
			fmtIntPtr(f.CSAT), f.CSATRaw, fmtIntPtr(f.NPS), f.Agent, rfc3339(&f.CreatedAt),
			rfc3339(f.ResolvedAt), strconv.FormatInt(f.Version, 10)}
		return csvSafe(cells, 8) // the body keeps its lines
	},
	json: func(f model.Feedback) any { return toFeedbackJSON(f) },
}

func (a *app) feedbackCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "feedback [list] [flags]",
		Short: "List feedback, newest first",
		Args:  noArgs,
	}
	list := listCommand(cmd, "list [flags]", "List feedback, newest first (the default for 'rapport feedback')",
		feedbackListFlags, a.runFeedbackList)
	cmd.AddCommand(list, a.feedbackAddCmd(), a.feedbackSetCmd())
	return cmd
}

type feedbackListOpts struct {
	customer, status, kind, channel, tag, search string
	pageOpts
	attrs  []string
	format *formatOpt
}

func feedbackListFlags(cmd *cobra.Command) *feedbackListOpts {
	o := &feedbackListOpts{}
	f := cmd.Flags()
	f.StringVar(&o.customer, "customer", "", "only this customer's (id, email or phone)")
	f.StringVar(&o.status, "status", "", "only this status (open, pending, resolved, closed)")
	f.StringVar(&o.kind, "kind", "", "only this kind (feedback, complaint, praise, question, request)")
	f.StringVar(&o.channel, "channel", "", "only this channel (email, phone, chat, …)")
	f.StringVar(&o.tag, "tag", "", "only feedback with this tag")
	f.StringVar(&o.search, "search", "", "text in subject or body")
	f.StringArrayVar(&o.attrs, "attr", nil, "only feedback whose attribute NAME is VALUE (NAME=VALUE; the item's own, else its customer's); repeatable")
	o.pageOpts.register(f)
	o.format = formatFlag(f, formatTable, formatCSV, formatJSON)
	return o
}

// query checks the flags before anything is opened; the customer is
// resolved later, against the store.
func (o *feedbackListOpts) query() (model.FeedbackQuery, error) {
	q := model.FeedbackQuery{
		Channel: strings.ToLower(strings.TrimSpace(o.channel)),
		Tag:     strings.TrimSpace(o.tag),
		Search:  strings.TrimSpace(o.search),
	}
	if o.status != "" {
		s, err := model.ParseStatus(o.status)
		if err != nil {
			return q, err
		}
		q.Status = s
	}
	if o.kind != "" {
		k, err := model.ParseKind(o.kind)
		if err != nil {
			return q, err
		}
		q.Kind = k
	}
	for _, kv := range o.attrs {
		k, v, ok := strings.Cut(kv, "=")
		if k = strings.TrimSpace(k); !ok || k == "" {
			return q, usageErrorf("--attr takes NAME=VALUE, not %q", kv)
		}
		if q.Attrs == nil {
			q.Attrs = map[string]string{}
		}
		q.Attrs[k] = strings.TrimSpace(v)
	}
	return q, o.pageOpts.check()
}

func (a *app) runFeedbackList(cmd *cobra.Command, o *feedbackListOpts) error {
	q, err := o.query()
	if err != nil {
		return err
	}
	format, err := o.format.parse()
	if err != nil {
		return err
	}
	if cmd.Flags().Changed("customer") && strings.TrimSpace(o.customer) == "" {
		return usageErrorf("--customer needs an id, an email or a phone")
	}
	ctx := cmd.Context()
	return a.withStore(ctx, true, func(st model.Store) error {
		if err := o.resolveCustomer(ctx, st, &q); err != nil {
			return err
		}
		return streamList(a.stdout, format, feedbackView, func(emit func(model.Feedback) error) error {
			return listFeedback(ctx, st, q, o.limit, o.offset, emit)
		})
	})
}

// resolveCustomer fills the query's customer from --customer, now that
// the store is open.
func (o *feedbackListOpts) resolveCustomer(ctx context.Context, st model.Store, q *model.FeedbackQuery) error {
	if o.customer == "" {
		return nil
	}
	c, err := findCustomer(ctx, st, o.customer)
	if err != nil {
		return err
	}
	q.CustomerID = c.ID
	return nil
}

// listFeedback emits up to limit rows (0: all), newest first, in
// batches: by cursor from the start, or by offset when one is given (the
// store's cursor pages take no offset).
func listFeedback(ctx context.Context, st model.Store, q model.FeedbackQuery, limit, offset int,
	emit func(model.Feedback) error) error {
	fetched := 0
	byOffset := offset > 0
	for {
		batch := listBatch
		if limit > 0 {
			batch = min(limit-fetched, listBatch)
		}
		q.Limit = batch
		var rows []model.Feedback
		more := true
		if byOffset {
			q.After, q.Offset = nil, offset+fetched
			var err error
			if rows, err = st.ListFeedback(ctx, q); err != nil {
				return err
			}
			more = len(rows) >= batch
		} else {
			page, err := st.FeedbackPage(ctx, q)
			if err != nil {
				return err
			}
			rows, more = page.Rows, page.HasMore
			if len(page.Cursors) >= len(rows) && len(rows) > 0 {
				cur := page.Cursors[len(rows)-1]
				q.After = &cur
			} else { // no cursors: continue by offset
				byOffset = true
			}
		}
		if len(rows) > batch {
			rows = rows[:batch]
		}
		for _, f := range rows {
			if err := emit(f); err != nil {
				return err
			}
		}
		fetched += len(rows)
		if !more || len(rows) == 0 || (limit > 0 && fetched >= limit) {
			return nil
		}
	}
}

// nonNilMap gives {} for no map, as the contract has it.
func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

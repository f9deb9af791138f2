package db

import (
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// storeDim is how the store reads one dimension of model.SummaryDims:
// the column it groups by, and whether the summary aggregates keep it.
type storeDim struct {
	name string
	of   model.DimOf // from model.SummaryDims: a column of customers c or of the feedback
	// col is the column of customers (OfCustomer) or feedback (OfFeedback)
	// the dimension groups by; "" when group says it.
	col string
	// group names a feedback's group in a summary scan when it is not
	// the column itself (a category's path, a tag, a period); join adds
	// what group needs beyond feedback f and its customer c.
	group, join string
	// agg: summary_agg keeps the dimension (its triggers, rebuild, batch
	// tally and check are generated from this table).
	agg bool
	// byID: the aggregate's key is the column's id as text ("0" for none)
	// rather than the text itself ("(none)" when empty); keyJoin finds
	// the group (group) of such a key a.key of summary_agg a.
	byID    bool
	keyJoin string
}

// storeDims is the store's one table of dimensions, in model.SummaryDims'
// order (TestStoreDimsFollowModel). Everything in package db that groups
// by a dimension reads it: the summary scan (summaryKeys), and for the
// dimensions marked agg, summary_agg's triggers (summaryAggTriggers), its
// rebuild and the check of `rapport doctor` (rebuildSummaryAgg), the batch
// writers' tally in memory (bulkAgg) and the summaries it answers
// (aggAnswers).
var storeDims = func() []storeDim {
	ds := []storeDim{
		{name: "plan", col: "plan", agg: true},
		{name: "region", col: "region", agg: true},
		{name: "city", col: "city"},
		{name: "lifecycle", col: "lifecycle", agg: true},
		{name: "language", col: "language"},
		{name: "channel", col: "channel", agg: true},
		{name: "kind", col: "kind", agg: true},
		{name: "category", col: "category_id", agg: true, byID: true,
			group: "cat.path", join: " LEFT JOIN categories cat ON cat.id = f.category_id",
			keyJoin: " LEFT JOIN categories cat ON cat.id = CAST(a.key AS INTEGER)"},
		// a feedback counts once in each of its customer's tags
		{name: "tag", group: "tg.name", join: " LEFT JOIN customer_tags ctg ON ctg.customer_id = c.id LEFT JOIN tags tg ON tg.id = ctg.tag_id"},
		{name: "agent", col: "agent"},
		{name: "source", col: "source"},
		{name: "month", group: "substr(f.created_at, 1, 7)"}, // 2026-11 of the fixed-width UTC text
		{name: "week", group: weekExpr},
	}
	for i := range ds {
		md, ok := model.LookupDim(ds[i].name)
		if !ok {
			panic("db: dimension " + ds[i].name + " is not in model.SummaryDims")
		}
		ds[i].of = md.Of
	}
	return ds
}()

// lookupStoreDim finds a dimension of storeDims by name.
func lookupStoreDim(name string) (storeDim, bool) {
	for _, d := range storeDims {
		if d.name == name {
			return d, true
		}
	}
	return storeDim{}, false
}

// aggDim is one dimension of summary_agg. The first, 'all', is the
// overall figures (key ”); it alone counts distinct customers in its
// monthly rows too (the trend's customers). Every other dimension counts
// them in its all-time rows only.
type aggDim struct {
	storeDim
	monthCustomers bool
}

// aggDims are the rows of summary_agg's dim column, in the order of
// aggRow.keys.
var aggDims = func() []aggDim {
	out := []aggDim{{storeDim: storeDim{name: "all"}, monthCustomers: true}}
	for _, d := range storeDims {
		if d.agg {
			out = append(out, aggDim{storeDim: d})
		}
	}
	return out
}()

// aggKept reports whether summary_agg keeps the dimension name.
func aggKept(name string) bool {
	for _, d := range aggDims[1:] {
		if d.name == name {
			return true
		}
	}
	return false
}

// summaryKeys maps each dimension to the expression that names a
// feedback's group in a scan; join adds what it needs beyond feedback f
// and its customer c.
var summaryKeys = func() map[string]struct{ expr, join string } {
	m := map[string]struct{ expr, join string }{}
	for _, d := range storeDims {
		expr := d.group
		if expr == "" {
			expr = d.rowAlias("f", "c") + "." + d.col
		}
		m[d.name] = struct{ expr, join string }{expr, d.join}
	}
	return m
}()

// rowAlias is the alias of the row the dimension's column is on.
func (d storeDim) rowAlias(feedback, customer string) string {
	if d.of == model.OfCustomer {
		return customer
	}
	return feedback
}

// keySQL is the SQL of the dimension's summary_agg key for the feedback
// row feedback of customer row customer (aliases such as f and c, or a
// trigger's NEW and OLD).
func (d aggDim) keySQL(feedback, customer string) string {
	if d.col == "" {
		return "''"
	}
	c := d.rowAlias(feedback, customer) + "." + d.col
	if d.byID {
		return "CAST(coalesce(" + c + ", 0) AS TEXT)"
	}
	return "coalesce(nullif(" + c + ", ''), '" + model.SummaryNone + "')"
}

// keyOf is keySQL in Go, for a column value read as the driver gives it
// (text, an int64 id, or nil).
func (d aggDim) keyOf(v any) string {
	if d.byID {
		id, _ := v.(int64)
		return strconv.FormatInt(id, 10)
	}
	s, _ := v.(string)
	if s == "" {
		return model.SummaryNone
	}
	return s
}

// sameCell is the condition on another feedback G of the same customer
// that puts it in the same all-time cell as row: any other row for 'all'
// and the customer's own dimensions, the same column value for the
// feedback's.
func (d aggDim) sameCell(row string) string {
	if d.col == "" || d.of != model.OfFeedback {
		return ""
	}
	return " AND G." + d.col + " IS " + row + "." + d.col
}

// sameMonth is the condition on another feedback G that puts it in row's
// month.
func sameMonth(row string) string {
	return " AND G.created_at >= strftime('%Y-%m-01', " + row + ".created_at) AND G.created_at < date(" + row +
		".created_at, 'start of month', '+1 month')"
}

// otherRow is EXISTS another feedback of row's customer meeting cond.
func otherRow(row, cond string) string {
	return "EXISTS (SELECT 1 FROM feedback G INDEXED BY feedback_by_customer WHERE G.customer_id = " + row +
		".customer_id AND G.id <> " + row + ".id" + cond + ")"
}

// complaintSQL is 1 for a complaint row.
func complaintSQL(row string) string {
	return "(" + row + ".kind = '" + string(model.KindComplaint) + "')"
}

// aggRowSQL selects, for the feedback row (alias) and its customer c, the
// columns aggRow scans: the month, each aggregated dimension's key
// (after 'all'), whether it is a complaint, the scores.
func aggRowSQL(row string) string {
	return aggRowCols(row, "strftime('%Y-%m', "+row+".created_at)")
}

// aggRowCols is aggRowSQL with the month given as month (PostgreSQL has
// no strftime; substr of the fixed-width UTC text is the same).
func aggRowCols(row, month string) string {
	cols := []string{month}
	for _, d := range aggDims[1:] {
		cols = append(cols, d.keySQL(row, "c"))
	}
	cols = append(cols, complaintSQL(row), row+".csat", row+".nps")
	return strings.Join(cols, ", ")
}

// scanAggRow scans the columns of aggRowSQL.
func scanAggRow(r rowScanner, r0 *aggRow, extra ...any) error {
	r0.keys = make([]string, len(aggDims))
	dest := append(extra, &r0.month)
	for i := 1; i < len(aggDims); i++ {
		dest = append(dest, &r0.keys[i])
	}
	dest = append(dest, &r0.complaint, &r0.csat, &r0.nps)
	return r.Scan(dest...)
}

// aggFeedbackCols are the feedback columns of the aggregated dimensions,
// in aggDims' order.
var aggFeedbackCols = func() []string {
	var out []string
	for _, d := range aggDims[1:] {
		if d.of == model.OfFeedback {
			out = append(out, d.col)
		}
	}
	return out
}()

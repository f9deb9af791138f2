package db

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// summary_agg's triggers are generated from aggDims (summary_dims.go), so
// the aggregated dimensions are stated once, in Go. Migrations 5, 6 and
// 15 wrote them out by hand; Open (installAggTriggers) replaces whatever
// triggers a database has with the generated ones when their text differs
// from what sqlite_schema holds, and rebuilds summary_agg from the rows in
// the same transaction. The stored text is the fingerprint: a change to
// the table, to the rules' SQL below, or a trigger edited by hand all
// differ from it.

// aggTrigger is one generated trigger.
type aggTrigger struct{ name, sql string }

// aggBulkGate lets a batch writer that keeps the aggregates itself
// (bulkAgg, a first load) turn the triggers off.
const aggBulkGate = "NOT EXISTS (SELECT 1 FROM bulk_load WHERE tbl = 'summary_agg')"

const aggInsertInto = "INSERT INTO summary_agg(dim, key, month, fb_n, cust_n, csat_n, csat_sum, csat_sat, nps_n, nps_pro, nps_det, compl_n)"

const aggUpsert = "ON CONFLICT(dim, key, month) DO UPDATE SET fb_n = fb_n + excluded.fb_n, cust_n = cust_n + excluded.cust_n, " +
	"csat_n = csat_n + excluded.csat_n, csat_sum = csat_sum + excluded.csat_sum, csat_sat = csat_sat + excluded.csat_sat, " +
	"nps_n = nps_n + excluded.nps_n, nps_pro = nps_pro + excluded.nps_pro, nps_det = nps_det + excluded.nps_det, " +
	"compl_n = compl_n + excluded.compl_n"

// aggCellRows is every (dim, per) pair a feedback row counts in: per 'm'
// its month's row, per ” the all-time row.
var aggCellRows = func() string {
	var parts []string
	for _, d := range aggDims {
		for _, per := range []string{"m", ""} {
			parts = append(parts, fmt.Sprintf("SELECT '%s' AS dim, '%s' AS per", d.name, per))
		}
	}
	return "(" + strings.Join(parts, " UNION ALL ") + ") d"
}()

// scoreCells is what one feedback row adds to a cell after fb_n and cust_n,
// negated with sign "-"; the satisfaction rules are Go's
// (rules_sql.go).
func scoreCells(row, sign string) string {
	return fmt.Sprintf("%[2]s(%[1]s.csat IS NOT NULL), %[2]scoalesce(%[1]s.csat, 0), %[2]scoalesce(rapport_csat_sat(%[1]s.csat), 0), "+
		"%[2]s(%[1]s.nps IS NOT NULL), %[2]scoalesce(rapport_nps_pro(%[1]s.nps), 0), %[2]scoalesce(rapport_nps_det(%[1]s.nps), 0), %[2]s%[3]s",
		row, sign, complaintSQL(row))
}

// feedbackCells is the INSERT that adds (sign "") or takes away ("-")
// feedback row (NEW or OLD) in each of its cells; where restricts the
// cells (the update trigger's unchanged ones).
func feedbackCells(row, sign, where string) string {
	var key, cust, xcols strings.Builder
	// x holds each dimension's key (k), and each distinct "another row
	// of the customer there" (p) once
	key.WriteString("CASE d.dim")
	present := make([]int, len(aggDims))
	var conds []string
	for i, d := range aggDims {
		fmt.Fprintf(&key, " WHEN '%s' THEN x.k%d", d.name, i)
		fmt.Fprintf(&xcols, "%s AS k%d, ", d.keySQL(row, "c"), i)
		c := d.sameCell(row)
		present[i] = slices.Index(conds, c)
		if present[i] < 0 {
			present[i] = len(conds)
			conds = append(conds, c)
			fmt.Fprintf(&xcols, "%s AS p%d, ", otherRow(row, c), present[i])
		}
	}
	key.WriteString(" END")
	var monthly []string
	for _, d := range aggDims {
		if d.monthCustomers {
			monthly = append(monthly, "'"+d.name+"'")
		}
	}
	// distinct customers: a cell counts the customer unless another of
	// their rows is already there
	fmt.Fprintf(&cust, "CASE WHEN d.per = 'm' THEN (d.dim IN (%s) AND NOT x.pm)", strings.Join(monthly, ", "))
	for i, d := range aggDims {
		fmt.Fprintf(&cust, " WHEN d.dim = '%s' THEN NOT x.p%d", d.name, present[i])
	}
	cust.WriteString(" END")
	fmt.Fprintf(&xcols, "%s AS pm, strftime('%%Y-%%m', %s.created_at) AS m", otherRow(row, sameMonth(row)), row)
	return fmt.Sprintf(`    %s
        SELECT d.dim, %s, CASE d.per WHEN 'm' THEN x.m ELSE '' END, %s1, %s%s, %s
        FROM (SELECT %s
            FROM (SELECT 1) LEFT JOIN customers c ON c.id = %s.customer_id) x, %s
        WHERE %s
        %s;`, aggInsertInto, key.String(), sign, sign, cust.String(), scoreCells(row, sign), xcols.String(), row, aggCellRows, where, aggUpsert)
}

// customerCells is the INSERT that moves a customer's feedback out of
// (sign "-", row OLD) or into (sign "", row NEW) the cells of the
// customer's dimension d, per month (per "m") or all time.
func customerCells(d aggDim, row, sign, per string) string {
	month, cust, group := "strftime('%Y-%m', f.created_at)", "0", "3"
	if per == "" {
		month, cust, group = "''", "1", "1"
	}
	return fmt.Sprintf(`    %s
        SELECT '%s', %s, %s, %scount(*), %s%s, %scount(f.csat), %scoalesce(sum(f.csat), 0), %scoalesce(sum(rapport_csat_sat(f.csat)), 0), %scount(f.nps), %scoalesce(sum(rapport_nps_pro(f.nps)), 0), %scoalesce(sum(rapport_nps_det(f.nps)), 0), %scoalesce(sum(%s), 0)
        FROM feedback f WHERE f.customer_id = NEW.id GROUP BY %s
        %s;`, aggInsertInto, d.name, d.keySQL("f", row), month, sign, sign, cust, sign, sign, sign, sign, sign, sign, sign,
		complaintSQL("f"), group, aggUpsert)
}

// summaryAggTriggers generates summary_agg's triggers from aggDims.
func summaryAggTriggers() []aggTrigger {
	// the feedback columns a cell's key or content depends on
	watched := append([]string{"customer_id", "created_at", "csat", "nps", "kind"}, aggFeedbackCols...)
	var cols []string
	for _, c := range watched {
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	// An update moves the row's cells when its customer, month, scores or
	// complaint change (every cell), or a dimension's own column (its
	// cells).
	changed := "OLD.customer_id IS NOT NEW.customer_id OR OLD.created_at IS NOT NEW.created_at OR OLD.csat IS NOT NEW.csat" +
		" OR OLD.nps IS NOT NEW.nps OR OLD.kind IS NOT NEW.kind"
	for _, d := range aggDims {
		if d.of == model.OfFeedback && d.col != "" {
			changed += fmt.Sprintf(" OR (d.dim = '%s' AND OLD.%s IS NOT NEW.%s)", d.name, d.col, d.col)
		}
	}
	ts := []aggTrigger{
		{"summary_agg_feedback_ai", "CREATE TRIGGER summary_agg_feedback_ai AFTER INSERT ON feedback\nWHEN " + aggBulkGate +
			" BEGIN\n" + feedbackCells("NEW", "", "true") + "\nEND"},
		{"summary_agg_feedback_ad", "CREATE TRIGGER summary_agg_feedback_ad AFTER DELETE ON feedback\nWHEN " + aggBulkGate +
			" BEGIN\n" + feedbackCells("OLD", "-", "true") + "\nEND"},
		{"summary_agg_feedback_au", "CREATE TRIGGER summary_agg_feedback_au AFTER UPDATE OF " + strings.Join(cols, ", ") +
			" ON feedback\nWHEN " + aggBulkGate + " BEGIN\n" + feedbackCells("OLD", "-", changed) + "\n" +
			feedbackCells("NEW", "", changed) + "\nEND"},
	}
	for _, d := range aggDims {
		if d.of != model.OfCustomer || d.col == "" {
			continue
		}
		name := "summary_agg_customer_" + d.col
		ts = append(ts, aggTrigger{name, "CREATE TRIGGER " + name + " AFTER UPDATE OF " + d.col + " ON customers\nWHEN (" +
			d.keySQL("", "OLD") + " <> " + d.keySQL("", "NEW") + ") AND " + aggBulkGate + " BEGIN\n" +
			customerCells(d, "OLD", "-", "m") + "\n" + customerCells(d, "OLD", "-", "") + "\n" +
			customerCells(d, "NEW", "", "m") + "\n" + customerCells(d, "NEW", "", "") + "\nEND"})
	}
	return ts
}

// installAggTriggers makes the database's summary_agg triggers the
// generated ones. When they already are (the text in sqlite_schema is
// the same) it only reads; otherwise, in one write transaction, it drops
// the old ones, creates the generated ones and rebuilds summary_agg from
// the rows (as `rapport doctor` recomputes it). A database with none of
// them is left alone: the demo load drops them while it writes and puts
// them back at its end.
func (s *Store) installAggTriggers(ctx context.Context) error {
	if s.d.pg {
		return s.installAggTriggersPG(ctx) // summary_agg_pg.go
	}
	want := summaryAggTriggers()
	same, have, err := aggTriggersMatch(ctx, s.db, want)
	if err != nil || same || have == 0 {
		return err
	}
	// Migration 15's triggers count as the generated ones do
	// (TestGeneratedAggTriggersMatchMigration15): replacing them needs no
	// rebuild, which takes over a minute at 5M feedback.
	handWritten, err := migrationAggTriggers(15)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		same, have, err := aggTriggersMatch(ctx, tx, want) // another process may have done it meanwhile
		if err != nil || same || have == 0 {
			return err
		}
		equivalent, _, err := aggTriggersMatch(ctx, tx, handWritten)
		if err != nil {
			return err
		}
		old, err := queryColumn[string](ctx, tx, "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name GLOB 'summary_agg_*'")
		if err != nil {
			return err
		}
		for _, n := range old {
			if _, err := tx.ExecContext(ctx, "DROP TRIGGER "+quoteIdent(n)); err != nil {
				return err
			}
		}
		for _, t := range want {
			if _, err := tx.ExecContext(ctx, t.sql); err != nil {
				return fmt.Errorf("trigger %s: %w", t.name, err)
			}
		}
		if equivalent {
			return nil
		}
		return rebuildSummaryAgg(ctx, tx)
	})
}

// migrationAggTriggers are the summary_agg triggers migration n creates,
// as sqlite_schema keeps them (the text from CREATE to END).
func migrationAggTriggers(n int) ([]aggTrigger, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	if n < 1 || n > len(ms) {
		return nil, fmt.Errorf("no migration %d", n)
	}
	var out []aggTrigger
	for _, m := range createTriggerRE.FindAllStringSubmatch(ms[n-1].sql, -1) {
		if strings.HasPrefix(m[2], "summary_agg_") {
			out = append(out, aggTrigger{m[2], m[1]})
		}
	}
	return out, nil
}

var createTriggerRE = regexp.MustCompile(`(?s)(CREATE TRIGGER (\S+) .*?\nEND);`)

// aggTriggersMatch reports whether the database's summary_agg triggers
// are exactly want, and how many it has.
func aggTriggersMatch(ctx context.Context, q querier, want []aggTrigger) (same bool, have int, err error) {
	rows, err := q.QueryContext(ctx, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name GLOB 'summary_agg_*'")
	if err != nil {
		return false, 0, err
	}
	defer rows.Close()
	stored := map[string]string{}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			return false, 0, err
		}
		stored[name] = text
	}
	if err := rows.Err(); err != nil {
		return false, 0, err
	}
	if len(stored) != len(want) {
		return false, len(stored), nil
	}
	for _, t := range want {
		if stored[t.name] != t.sql {
			return false, len(stored), nil
		}
	}
	return true, len(stored), nil
}

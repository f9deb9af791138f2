package importer

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
	_ "modernc.org/sqlite"
)

// incremental hides the store's first-load capability, so that Run takes
// the row-by-row path an import into a non-empty database takes.
type incremental struct{ s *db.Store }

func (i incremental) ImportBatch(ctx context.Context, agent, source string, recs []model.ImportRecord, dryRun bool) (model.ImportCounts, error) {
	return i.s.ImportBatch(ctx, agent, source, recs, dryRun)
}
func (i incremental) OldestFeedbackAt(ctx context.Context) (time.Time, bool, error) {
	return i.s.OldestFeedbackAt(ctx)
}
func (i incremental) KeepUndatedBelow(ctx context.Context, agent string) (int, error) {
	return i.s.KeepUndatedBelow(ctx, agent)
}
func (i incremental) RecordImportRun(ctx context.Context, r model.ImportRun) (int64, error) {
	return i.s.RecordImportRun(ctx, r)
}

// TestFirstLoadMatchesIncremental imports the same file into two empty
// databases, one by the first-load path and one row by row, and finds the
// same rows everywhere: customers with their derived figures, source ids,
// tags and attributes, feedback with its tags, categories, the summary
// aggregates, the audit, and the same search index contents.
func TestFirstLoadMatchesIncremental(t *testing.T) {
	defer func(n int64) { firstLoadBytes = n }(firstLoadBytes)
	firstLoadBytes = 0 // small files take the first-load path too
	generated := filepath.Join(t.TempDir(), "tickets.csv")
	writeTickets(t, generated, 6000)
	files := []string{generated}
	for _, name := range []string{"kaggle-customer-support-tickets.csv", "glpi-helpdesk-uenp-utf8bom-semicolon.csv",
		"freshdesk-thingtrax-2025-02.csv", "ibm-telco-churn-status.csv"} {
		if p := corpusPath(name); p != "" {
			files = append(files, p)
		}
	}
	for _, file := range files {
		var columns map[string]Field
		if file == generated {
			columns = map[string]Field{"Customer tags": FieldCustomerTags}
		}
		t.Run(filepath.Base(file), func(t *testing.T) { compareFirstLoad(t, file, columns) })
	}
}

// TestFirstLoadRepeatedCustomer covers the rows a first load does not send
// to importCustomer because they equal the row that created the customer:
// a customer whose later row changes them (with a customer tag) and whose
// last row repeats that change, one whose rows all agree, one whose middle
// row only adds a tag, and one known by e-mail only.
func TestFirstLoadRepeatedCustomer(t *testing.T) {
	defer func(n int64) { firstLoadBytes = n }(firstLoadBytes)
	firstLoadBytes = 0
	file := filepath.Join(t.TempDir(), "repeats.csv")
	rows := "Ticket ID,Requester ID,Requester,Requester email,Plan,Customer tags,Subject,Created at\n" +
		"1,c1,Ann,ann@example.com,free,,Refund,2025-01-01 10:00\n" +
		"2,c2,Bob,bob@example.com,pro,,Login,2025-01-01 11:00\n" +
		"3,c1,Ann Lee,ann@example.com,pro,vip,Refund again,2025-01-02 10:00\n" +
		"4,c3,Cy,cy@example.com,free,,Invoice,2025-01-02 11:00\n" +
		"5,c2,Bob,bob@example.com,pro,,Login again,2025-01-03 11:00\n" +
		"6,c3,Cy,cy@example.com,free,trial,Invoice 2,2025-01-03 12:00\n" +
		"7,,Dee,dee@example.com,free,,Hello,2025-01-03 13:00\n" +
		"8,c1,Ann Lee,ann@example.com,pro,vip,Refund third,2025-01-04 10:00\n" +
		"9,c3,Cy,cy@example.com,free,,Invoice 3,2025-01-04 11:00\n" +
		"10,c2,Bob,bob@example.com,pro,,Login third,2025-01-05 11:00\n" +
		"11,,Dee,dee@example.com,free,,Hello again,2025-01-05 13:00\n"
	if err := os.WriteFile(file, []byte(rows), 0o600); err != nil {
		t.Fatal(err)
	}
	compareFirstLoad(t, file, map[string]Field{"Customer tags": FieldCustomerTags})
}

// compareFirstLoad imports file by the first-load path and row by row
// into two empty databases and compares counts and every table.
func compareFirstLoad(t *testing.T, file string, columns map[string]Field) {
	t.Helper()
	fast, fastPath := clockedStore(t, "fast.db")
	slow, slowPath := clockedStore(t, "slow.db")
	opts := Options{Loc: time.UTC, Agent: "importer", Columns: columns}
	fr, err := Run(context.Background(), fast, file, opts)
	if err != nil {
		t.Fatal(err)
	}
	sr, err := Run(context.Background(), incremental{slow}, file, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fr.ImportCounts.FeedbackCreated+fr.ImportCounts.CustomersCreated == 0 {
		t.Fatalf("nothing imported: %+v", fr.ImportCounts)
	}
	if a, b := counts(fr), counts(sr); a != b {
		t.Errorf("counts differ:\nfirst load  %s\nincremental %s", a, b)
	}
	fast.Close()
	slow.Close()
	fd, sd := dumpTables(t, fastPath), dumpTables(t, slowPath)
	for _, tbl := range slices.Sorted(maps.Keys(sd)) {
		if fd[tbl] != sd[tbl] {
			t.Errorf("%s differs:\n%s", tbl, firstDiff(fd[tbl], sd[tbl]))
		}
	}
}

func corpusPath(name string) string {
	for dir, _ := filepath.Abs("."); ; dir = filepath.Dir(dir) {
		for _, p := range []string{filepath.Join(dir, "shared", "corpus", name), filepath.Join(dir, "..", "shared", "corpus", name)} {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
		if dir == "/" {
			return ""
		}
	}
}

func clockedStore(t *testing.T, name string) (*db.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	s, err := db.Open(context.Background(), path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) }
	t.Cleanup(func() { s.Close() })
	return s, path
}

func counts(r FileReport) string {
	c := r.ImportCounts
	c.Rejected = nil
	b, _ := json.Marshal(struct {
		model.ImportCounts
		Errors []RowError
	}{c, r.Errors})
	return string(b)
}

// dumpTables reads every row of the tables an import writes, as sorted
// JSON lines, and what the search indexes hold.
func dumpTables(t *testing.T, path string) map[string]string {
	t.Helper()
	sqldb, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	queries := map[string]string{
		"customers": "SELECT * FROM customers", "customer_keys": "SELECT * FROM customer_keys",
		"customer_tags": "SELECT * FROM customer_tags", "tags": "SELECT * FROM tags", "categories": "SELECT * FROM categories",
		"feedback": "SELECT * FROM feedback", "feedback_tags": "SELECT * FROM feedback_tags",
		"summary_agg": "SELECT * FROM summary_agg WHERE fb_n <> 0 OR cust_n <> 0",
		// one audit row per batch, and a first load's batches are larger:
		// the rows of the batches are compared by their totals
		"audit": "SELECT at, agent, entity, entity_id, action, changes FROM audit WHERE entity <> 'import'",
		"audit_import": `SELECT count(*) > 0, sum(changes ->> '$.customers_created[1]'), sum(changes ->> '$.customers_updated[1]'),
			sum(changes ->> '$.feedback_created[1]'), sum(changes ->> '$.feedback_updated[1]') FROM audit WHERE entity = 'import'`,
		"deferred_index": "SELECT * FROM deferred_index",
		"indexes":        "SELECT name, sql FROM sqlite_schema WHERE type = 'index'",
		// what each row is found by: trigram terms and CJK bigrams
		"feedback_fts":   "SELECT term, doc FROM feedback_fts_v",
		"customers_fts":  "SELECT term, doc, col FROM customers_fts_v",
		"feedback_grams": "SELECT term, doc FROM feedback_grams_v", "customers_grams": "SELECT term, doc FROM customers_grams_v",
	}
	for _, v := range []string{"feedback_fts", "customers_fts", "feedback_grams", "customers_grams"} {
		if _, err := sqldb.Exec(fmt.Sprintf("CREATE VIRTUAL TABLE temp.%s_v USING fts5vocab(main, %s, instance)", v, v)); err != nil {
			t.Fatal(err)
		}
	}
	for _, v := range []string{"feedback_fts", "customers_fts"} {
		if _, err := sqldb.Exec(fmt.Sprintf("INSERT INTO %s(%s) VALUES ('integrity-check')", v, v)); err != nil {
			t.Errorf("%s: %v", v, err)
		}
	}
	out := map[string]string{}
	for name, q := range queries {
		rows, err := sqldb.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					vals[i] = string(b)
				}
			}
			b, _ := json.Marshal(vals)
			lines = append(lines, string(b))
		}
		rows.Close()
		slices.Sort(lines)
		out[name] = strconv.Itoa(len(lines)) + " rows\n" + strings.Join(lines, "\n")
	}
	return out
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d\nfirst load  %.400s\nincremental %.400s", i, x, y)
		}
	}
	return ""
}

// writeTickets writes a helpdesk export like the import benchmark's, with
// what makes identities hard: customers that recur with changing names and
// plans, and others whose rows all agree (some with tags on some rows),
// tags on customers and tickets, a ticket exported twice (GLPI-like),
// rows known only by e-mail, CSAT and NPS, undated rows and Chinese text.
func writeTickets(t *testing.T, path string, rows int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"Ticket ID", "Requester ID", "Requester", "Requester email", "Plan", "Customer tags", "Channel", "Type",
		"Subject", "Description", "Category", "Priority", "Status", "Tags", "Satisfaction Score", "NPS", "Assignee", "Created at"})
	r := rand.New(rand.NewPCG(3, 4))
	subjects := []string{"Refund not received", "退款两周还没到账", "发票抬头错误", "App crashes on upload", "客服态度很差"}
	customers := rows / 6
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= rows; i++ {
		c := r.IntN(customers) + 1
		ticket := strconv.Itoa(100000 + i)
		if i%97 == 0 {
			ticket = strconv.Itoa(100000 + i - 1) // the same ticket again, changed
		}
		rid := strconv.Itoa(c)
		if c%11 == 0 {
			rid = "" // known by e-mail only
		}
		csat, nps, created := "", "", start.Add(time.Duration(r.Int64N(int64(600*24*time.Hour)))).Format("2006-01-02 15:04:05")
		if i%3 == 0 {
			csat = strconv.Itoa(r.IntN(5) + 1)
		}
		if i%7 == 0 {
			nps = strconv.Itoa(r.IntN(11))
		}
		if i%301 == 0 {
			created = ""
		}
		s := r.IntN(len(subjects))
		name, plan, ctag := fmt.Sprintf("Customer %d %s", c, []string{"", "Jr"}[r.IntN(2)]),
			[]string{"free", "pro", "enterprise"}[(c+i/2000)%3], []string{"", "", "vip", "trial"}[r.IntN(4)]
		switch c % 4 { // customers whose rows all agree, with and without tags on some
		case 1:
			name, plan = fmt.Sprintf("Customer %d", c), "pro"
		case 3:
			name, plan, ctag = fmt.Sprintf("Customer %d", c), "free", ""
		}
		w.Write([]string{ticket, rid, name, fmt.Sprintf("customer%d@example.com", c), plan, ctag, []string{"email", "chat", "phone"}[r.IntN(3)],
			[]string{"complaint", "question", "praise"}[r.IntN(3)], subjects[s],
			fmt.Sprintf("订单 %d 的问题 body %d", 400000+i, r.IntN(1000)), []string{"Billing/Refund", "Product/Bug", ""}[s%3],
			[]string{"low", "normal", "high"}[r.IntN(3)], []string{"open", "pending", "resolved"}[r.IntN(3)],
			[]string{"", "vip followup", "urgent"}[r.IntN(3)], csat, nps, fmt.Sprintf("agent%d", r.IntN(5)), created})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

package cli

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	importer "github.com/rapportcrm/rapport/import"
)

// BenchmarkImportVsSQLite imports a generated ticket CSV of
// RAPPORT_BENCH_IMPORT_ROWS rows (default 1,000,000) into an empty
// database and, in the same run, lets the sqlite3 shell .import the same
// file and build the indexes an import needs (shellIndexing); it reports
// both times, their ratio and the process's peak RSS. Run it alone, once:
//
//	RAPPORT_BENCH_IMPORT=1 go test -run '^$' -bench ImportVsSQLite -benchtime 1x ./cli/
func BenchmarkImportVsSQLite(b *testing.B) {
	if os.Getenv("RAPPORT_BENCH_IMPORT") == "" {
		b.Skip("set RAPPORT_BENCH_IMPORT=1 (and optionally RAPPORT_BENCH_IMPORT_ROWS)")
	}
	rows := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_BENCH_IMPORT_ROWS")); err == nil && n > 0 {
		rows = n
	}
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("the sqlite3 shell is not installed (apt-get install sqlite3)")
	}
	dir := b.TempDir()
	csvPath := filepath.Join(dir, "tickets.csv")
	if err := writeBenchTickets(csvPath, rows); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(csvPath)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		bare := filepath.Join(dir, fmt.Sprintf("bare%d.db", i))
		start := time.Now()
		cmd := exec.Command(sqlite3, append([]string{bare, ".mode csv", ".import " + csvPath + " tickets"}, shellIndexing...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("sqlite3 .import: %v: %s", err, out)
		}
		shell := time.Since(start)
		shellCPU := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()

		start = time.Now()
		cpu0 := processCPU()
		if err := pureGoShellWork(ctx, filepath.Join(dir, fmt.Sprintf("purego%d.db", i)), csvPath); err != nil {
			b.Fatal(err)
		}
		pureGo, pureGoCPU := time.Since(start), processCPU()-cpu0

		st, err := db.Open(ctx, filepath.Join(dir, fmt.Sprintf("rapport%d.db", i)), db.Options{})
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		cpu0 = processCPU()
		rep, err := importer.Run(ctx, st, csvPath, importer.Options{Source: "bench", Agent: "bench", Loc: time.UTC})
		ours := time.Since(start)
		oursCPU := processCPU() - cpu0
		st.Close()
		if err != nil || rep.FeedbackCreated != rows {
			b.Fatalf("import: %d feedback of %d, %v (first errors %v)", rep.FeedbackCreated, rows, err, rep.Errors[:min(3, len(rep.Errors))])
		}
		b.ReportMetric(shell.Seconds(), "sqlite3-s")
		b.ReportMetric(ours.Seconds(), "rapport-s")
		b.ReportMetric(ours.Seconds()/shell.Seconds(), "ratio")
		b.ReportMetric(float64(rows)/ours.Seconds(), "rows/s")
		// CPU seconds (user + system) compare the two when other work
		// shares the cores; ours counts every goroutine of the process.
		b.ReportMetric(oursCPU.Seconds()/shellCPU.Seconds(), "cpu-ratio")
		// The floor: the shell's own work (the same table, rows and
		// indexes) through the pure-Go SQLite we use, in this process.
		b.ReportMetric(pureGoCPU.Seconds()/shellCPU.Seconds(), "purego-cpu-ratio")
		b.Logf("the shell's work through pure-Go SQLite: %.2f s (CPU %.2f s), %.2f× the shell's CPU; rapport import is %.2f× that",
			pureGo.Seconds(), pureGoCPU.Seconds(), pureGoCPU.Seconds()/shellCPU.Seconds(), oursCPU.Seconds()/pureGoCPU.Seconds())
		b.Logf("%d rows, %.0f MB: sqlite3 .import + indexes %.2f s (CPU %.2f s), rapport import %.1f s (CPU %.1f s, %.0f rows/s), ratio %.2f (CPU %.2f), %d customers, peak RSS %d MB",
			rows, float64(fi.Size())/1e6, shell.Seconds(), shellCPU.Seconds(), ours.Seconds(), oursCPU.Seconds(),
			float64(rows)/ours.Seconds(), ours.Seconds()/shell.Seconds(), oursCPU.Seconds()/shellCPU.Seconds(),
			rep.CustomersCreated, peakRSSMB())
	}
	b.ReportMetric(float64(peakRSSMB()), "peak-RSS-MB")
}

// shellIndexing is what the shell builds after its .import, in the same
// run: the indexes our schema keeps for the same columns — a trigram
// full-text index over subject and description (detail='none', as
// feedback_fts), an index on the requester's e-mail (customers_by_email)
// and a unique index on the ticket id (feedback_by_external). Our import
// builds more (a bigram table, the customers' text index, the aggregates
// and per-customer figures), which the shell cannot do without our code.
var shellIndexing = []string{
	`CREATE VIRTUAL TABLE tickets_fts USING fts5(subject, description, content='tickets', tokenize='trigram', detail='none')`,
	`INSERT INTO tickets_fts(rowid, subject, description) SELECT rowid, "Subject", "Description" FROM tickets`,
	`CREATE INDEX tickets_by_email ON tickets("Requester email")`,
	`CREATE UNIQUE INDEX tickets_by_id ON tickets("Ticket ID")`,
}

// pureGoShellWork does what the shell does in BenchmarkImportVsSQLite —
// a table of the CSV's columns as text, every row inserted in one
// transaction, then shellIndexing — through modernc.org/sqlite, the
// pure-Go SQLite our store runs on: the floor any import of ours has.
func pureGoShellWork(ctx context.Context, path, csvPath string) error {
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer conn.Close()
	f, err := os.Open(csvPath)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	header, err := r.Read()
	if err != nil {
		return err
	}
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = strconv.Quote(h)
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE tickets("+strings.Join(cols, " TEXT, ")+" TEXT)"); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO tickets VALUES (?"+strings.Repeat(", ?", len(cols)-1)+")")
	if err != nil {
		return err
	}
	args := make([]any, len(cols))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		for i := range args {
			args[i] = rec[i]
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for _, q := range shellIndexing {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// peakRSSMB reads the process's peak resident set (Linux).
func peakRSSMB() int {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kb / 1024
		}
	}
	return 0
}

// writeBenchTickets writes a helpdesk-like export: one ticket a row, about
// seven per customer, English and Chinese text, CSAT on a third of them.
func writeBenchTickets(path string, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write([]string{"Ticket ID", "Requester ID", "Requester", "Requester email", "Channel", "Type", "Subject",
		"Description", "Category", "Priority", "Status", "Tags", "Satisfaction Score", "Assignee", "Created at"})
	r := rand.New(rand.NewPCG(1, 2))
	subjects := []string{"Refund not received", "退款两周还没到账", "Cannot log in after password reset", "发票抬头错误",
		"Delivery delayed again", "App crashes on upload", "Feature request: export to Excel", "客服态度很差"}
	bodies := []string{"Hello, I was charged twice for order %d and still have no refund.",
		"订单 %d 的发票抬头写错了，请重新开具。", "After the update the app closes when I upload a photo (ticket %d).",
		"The parcel for order %d is a week late and tracking has not moved.", "我已经等了很久，订单 %d 还是没有处理，非常失望。"}
	cats := []string{"Billing/Refund", "Billing/Invoice", "Account/Login", "Delivery/Delay", "Product/Bug", "Product/Feature request", "Service/Attitude", ""}
	channels := []string{"email", "chat", "phone", "web", "wechat"}
	kinds := []string{"complaint", "question", "request", "praise"}
	statuses := []string{"open", "pending", "resolved", "closed"}
	customers := max(1, rows/7)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= rows; i++ {
		c := r.IntN(customers) + 1
		csat := ""
		if i%3 == 0 {
			csat = strconv.Itoa(r.IntN(5) + 1)
		}
		tags := ""
		if i%5 == 0 {
			tags = "vip followup"
		}
		s := r.IntN(len(subjects))
		w.Write([]string{
			strconv.Itoa(100000 + i), strconv.Itoa(c), fmt.Sprintf("Customer %d", c), fmt.Sprintf("customer%d@example.com", c),
			channels[r.IntN(len(channels))], kinds[r.IntN(len(kinds))], subjects[s],
			fmt.Sprintf(bodies[r.IntN(len(bodies))], 400000+i), cats[s], []string{"low", "normal", "high", "urgent"}[r.IntN(4)],
			statuses[r.IntN(len(statuses))], tags, csat, fmt.Sprintf("agent%d", r.IntN(20)),
			start.Add(time.Duration(r.Int64N(int64(700 * 24 * time.Hour)))).Format("2006-01-02 15:04:05"),
		})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// TestImportSurvivesKill9 kills `rapport import` of a large file at random
// moments, several rounds; after each, the database passes
// integrity_check; then re-running the import ends with exactly the
// file's rows, and one more run reports every row unchanged.
// RAPPORT_CRASH_ROWS sets the file's size (default 6,000 rows).
func TestImportSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs imports: skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "rapport")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/rapportcrm/rapport").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rows := 6000
	if v := os.Getenv("RAPPORT_CRASH_ROWS"); v != "" {
		fmt.Sscan(v, &rows)
	}
	customers := rows / 3
	file := filepath.Join(dir, "tickets.csv")
	writeTicketCSV(t, file, rows, customers)
	dbPath := filepath.Join(dir, "crash.db")
	run := func() *exec.Cmd {
		cmd := exec.Command(bin, "import", "--db", dbPath, "--agent", "crash", "--source", "helpdesk", "--format", "json", file)
		cmd.Stdout, cmd.Stderr = &bytes.Buffer{}, &bytes.Buffer{}
		return cmd
	}
	rng := rand.New(rand.NewPCG(1, 2))
	killed := 0
	for round := 0; round < 4; round++ {
		cmd := run()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(200+rng.IntN(1800)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
			killed++
		}
		cmd.Wait()
		checkIntegrity(t, dbPath, fmt.Sprintf("after kill %d", round+1))
	}
	if killed == 0 {
		t.Log("every import finished before its kill; raise RAPPORT_CRASH_ROWS")
	}
	full := run()
	if err := full.Run(); err != nil {
		t.Fatalf("import after the kills: %v\n%s", err, full.Stderr)
	}
	st, err := db.Open(context.Background(), dbPath, db.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fbN, _, err := st.CountFeedback(ctx, model.FeedbackQuery{}, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	custN, _, err := st.CountCustomers(ctx, model.CustomerQuery{}, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if fbN != rows || custN != customers {
		t.Errorf("after %d kills and a full run: %d feedback, %d customers; the file has %d and %d", killed, fbN, custN, rows, customers)
	}
	again := run()
	if err := again.Run(); err != nil {
		t.Fatalf("re-import: %v\n%s", err, again.Stderr)
	}
	var rep struct {
		Totals map[string]int `json:"totals"`
	}
	if err := json.Unmarshal(again.Stdout.(*bytes.Buffer).Bytes(), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, again.Stdout)
	}
	if rep.Totals["unchanged"] != rows || rep.Totals["feedback_created"] != 0 || rep.Totals["customers_created"] != 0 {
		t.Errorf("re-import should change nothing: %v", rep.Totals)
	}
	t.Logf("%d rows, %d kills: integrity ok each time, then %d feedback / %d customers, re-import all unchanged", rows, killed, fbN, custN)
}

func checkIntegrity(t *testing.T, path, when string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return // killed before the file was made
	}
	st, err := db.Open(context.Background(), path, db.Options{MustExist: true})
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	defer st.Close()
	problems, err := st.IntegrityCheck(context.Background())
	if err != nil || len(problems) > 0 {
		t.Fatalf("%s: integrity_check %v %v", when, problems, err)
	}
}

// writeTicketCSV writes a helpdesk-like export: rows tickets from
// customers customers, with Chinese and quoted multi-line text.
func writeTicketCSV(t *testing.T, path string, rows, customers int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"Ticket ID", "Customer Email", "Customer Name", "Subject", "Description", "Created At", "Satisfaction", "Status"})
	base := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < rows; i++ {
		c := i % customers
		w.Write([]string{fmt.Sprint(100000 + i), fmt.Sprintf("user%d@example.com", c), fmt.Sprintf("用户 %d", c),
			fmt.Sprintf("退款问题 #%d", i), "第一行\n\"quoted\" second line", base.Add(time.Duration(i) * time.Minute).Format("2006-01-02 15:04"),
			[]string{"5", "4", "3", "2", "1", ""}[i%6], []string{"open", "solved", "pending"}[i%3]})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

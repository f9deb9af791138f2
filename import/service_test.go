package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// TestImportServiceMapping drives the TUI's importer adapter on a temp
// file and a temp database: inspect, change a column's mapping, import,
// read back.
func TestImportServiceMapping(t *testing.T) {
	ctx := context.Background()
	data := "Ticket ID,客户姓名,Email,满意度,Membership,Subject\n" +
		"T-1,王芳,wang.fang@example.cn,5,gold,退款一直没到账\n" +
		"T-2,Lucas Martin,not-an-email,4,gold,Login fails\n" +
		"T-3,张伟,zhang.wei@example.cn,非常满意,bronze,如何导出发票\n"
	svc, st, csvPath := serviceWithFile(t, "tickets.csv", data)
	dir := filepath.Dir(csvPath)

	plan, err := svc.Inspect(ctx, csvPath, model.ImportSettings{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range plan.Columns {
		got = append(got, c.Header+"="+c.Field)
	}
	want := "Ticket ID=feedback.id 客户姓名=customer.name Email=customer.email 满意度=feedback.csat Membership= Subject=feedback.subject"
	// Rejected rows are offered a free name beside the database.
	if plan.ErrorsFile != filepath.Join(dir, "tickets.errors.csv") {
		t.Errorf("suggested errors file %q", plan.ErrorsFile)
	}
	if strings.Join(got, " ") != want || plan.Encoding != "utf-8" || plan.Delimiter != "," || len(plan.Preview) != 3 || plan.Size != int64(len(data)) {
		t.Fatalf("plan: %v %+v", got, plan)
	}

	// A cancelled run stores nothing of the batch it was in.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	rep, err := svc.Run(cctx, csvPath, model.ImportSettings{Agent: "tester"}, nil)
	if err != nil || !rep.Cancelled || rep.CustomersCreated != 0 {
		t.Fatalf("cancelled run: %+v, %v", rep, err)
	}

	// Membership is mapped to the plan instead of attrs.
	fields := make([]string, len(plan.Columns))
	for i, c := range plan.Columns {
		fields[i] = c.Field
	}
	fields[4] = "customer.plan"

	// A dry run counts what the run will do and writes nothing: no rows,
	// and no errors file unless one is named.
	rep, err = svc.Run(ctx, csvPath, model.ImportSettings{Agent: "tester", Fields: fields, DryRun: true}, nil)
	if err != nil || !rep.DryRun || rep.CustomersCreated != 2 || rep.FeedbackCreated != 2 || rep.ImportCounts.Errors != 1 || rep.ErrorsFile != "" {
		t.Fatalf("dry run: %+v, %v", rep, err)
	}
	if n, _, err := st.CountCustomers(ctx, model.CustomerQuery{}, 100); err != nil || n != 0 {
		t.Fatalf("after the dry run: %d customers, %v", n, err)
	}
	if _, err := os.Stat(plan.ErrorsFile); !os.IsNotExist(err) {
		t.Fatalf("the dry run wrote %s: %v", plan.ErrorsFile, err)
	}

	var calls int
	rep, err = svc.Run(ctx, csvPath, model.ImportSettings{Agent: "tester", Fields: fields, ErrorsFile: plan.ErrorsFile},
		func(model.ImportProgress) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cancelled || rep.Rows != 3 || rep.CustomersCreated != 2 || rep.FeedbackCreated != 2 || rep.ImportCounts.Errors != 1 {
		t.Errorf("report: %+v", rep)
	}
	if len(rep.Errors) != 1 || rep.Errors[0].Line != 3 || rep.Errors[0].Column != "Email" {
		t.Errorf("errors: %+v", rep.Errors)
	}
	if rep.ErrorsFile != filepath.Join(dir, "tickets.errors.csv") {
		t.Errorf("errors file %q", rep.ErrorsFile)
	}
	rejected, err := os.ReadFile(rep.ErrorsFile)
	if err != nil || !strings.HasPrefix(string(rejected), "Ticket ID,客户姓名,Email,满意度,Membership,Subject,errors\n") ||
		!strings.Contains(string(rejected), "not-an-email") {
		t.Errorf("errors file: %q, %v", rejected, err)
	}
	page, err := st.ListCustomers(ctx, model.CustomerQuery{Search: "王芳", Limit: 5})
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("王芳: %+v, %v", page.Rows, err)
	}
	if c := page.Rows[0]; c.Plan != "gold" {
		t.Errorf("王芳 plan %q", c.Plan)
	}

	// Importing again with the detected mapping (Membership goes to the
	// ticket's attributes) creates nothing new and leaves the plan alone;
	// its rejected rows go to a new file, the first one is kept.
	rep, err = svc.Run(ctx, csvPath, model.ImportSettings{Agent: "tester", ErrorsFile: plan.ErrorsFile}, nil)
	if err != nil || rep.CustomersCreated != 0 || rep.FeedbackCreated != 0 {
		t.Errorf("second run: %+v, %v", rep, err)
	}
	if rep.ErrorsFile != filepath.Join(dir, "tickets.errors-2.csv") {
		t.Errorf("second errors file %q", rep.ErrorsFile)
	}
	if again, err := os.ReadFile(plan.ErrorsFile); err != nil || string(again) != string(rejected) {
		t.Errorf("the first errors file changed: %q, %v", again, err)
	}
	full, err := st.Customer(ctx, page.Rows[0].ID)
	if err != nil || full.Plan != "gold" {
		t.Errorf("after the detected mapping: plan %q, %v", full.Plan, err)
	}
}

// serviceWithFile is the Import tab's adapter on a new temp database, and
// a CSV file of data beside it.
func serviceWithFile(t *testing.T, name, data string) (Service, *db.Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := db.Open(context.Background(), filepath.Join(dir, "svc.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return Service{Store: st}, st, path
}

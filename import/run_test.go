package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

func importStore(t *testing.T) *db.Store {
	t.Helper()
	s, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "imp.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func run(t *testing.T, s *db.Store, file string, opts Options) FileReport {
	t.Helper()
	if opts.Loc == nil {
		opts.Loc = time.UTC
	}
	opts.Agent = "importer"
	rep, err := Run(context.Background(), s, corpus(t, file), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func overall(t *testing.T, s *db.Store) model.GroupFigures {
	t.Helper()
	sum, err := s.Summary(context.Background(), model.SummaryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return sum.Overall
}

func TestImportKaggleTwice(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "kaggle-customer-support-tickets.csv", Options{})
	if rep.FeedbackCreated != 8469 || rep.ImportCounts.Errors != 0 || rep.Rows != 8469 {
		t.Fatalf("first import: %+v", rep.ImportCounts)
	}
	o := overall(t, s)
	if o.FeedbackN != 8469 || o.CSATN != 2769 {
		t.Errorf("stored %d feedback with %d CSAT answers; want 8,469 and 2,769", o.FeedbackN, o.CSATN)
	}
	again := run(t, s, "kaggle-customer-support-tickets.csv", Options{})
	if again.Unchanged != 8469 || again.FeedbackCreated+again.FeedbackUpdated+again.CustomersCreated+again.CustomersUpdated != 0 {
		t.Errorf("re-import should change nothing: %+v", again.ImportCounts)
	}
	ds := importStore(t)
	dry := run(t, ds, "multilang-helpdesk-customer-tickets.csv", Options{DryRun: true})
	if dry.FeedbackCreated != 600 || overall(t, ds).FeedbackN != 0 {
		t.Errorf("a dry run counts exactly and stores nothing: %+v", dry.ImportCounts)
	}
}

func TestImportTelcoFilesJoin(t *testing.T) {
	s := importStore(t)
	run(t, s, "ibm-telco-churn-demographics.csv", Options{Source: "telco"})
	rep := run(t, s, "ibm-telco-churn-status.csv", Options{Source: "telco"})
	if rep.CustomersCreated != 0 || rep.ImportCounts.Errors != 0 {
		t.Errorf("the status file should find the demographics file's customers: %+v", rep.ImportCounts)
	}
	n, _, err := s.CountCustomers(context.Background(), model.CustomerQuery{}, 0)
	if err != nil || n != 7043 {
		t.Fatalf("%d customers, want 7,043", n)
	}
	c, err := s.FindCustomer(context.Background(), "1") // first customer id
	if err != nil {
		t.Fatal(err)
	}
	if c.Attrs["Age"] == "" || c.Gender == "" || c.CSATAvg == nil {
		t.Errorf("a customer should have demographics and a CSAT: %+v", c)
	}
}

func TestImportChineseEncodings(t *testing.T) {
	s := importStore(t)
	jd := run(t, s, "jd-iphone-reviews-gbk.csv", Options{})
	if jd.Encoding != EncGB18030 || jd.ImportCounts.Errors != 0 {
		t.Fatalf("jd: %s %+v %v", jd.Encoding, jd.ImportCounts, jd.Errors)
	}
	o := overall(t, s)
	// 21,930 rows, but only 4,553 distinct: repeated rows are one feedback.
	if o.CSATN == 0 || o.FeedbackN > 4553 || o.FeedbackN < 4000 {
		t.Errorf("jd: %d feedback, %d CSAT", o.FeedbackN, o.CSATN)
	}
	sn := run(t, importStore(t), "suning-iphone-reviews-gb18030.csv", Options{})
	if sn.Encoding != EncGB18030 || sn.Skipped != 6 {
		t.Errorf("suning: %s skipped %d", sn.Encoding, sn.Skipped)
	}
}

func TestImportGLPIDeduplicatesTickets(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "glpi-helpdesk-uenp-cp1252-semicolon.csv", Options{Source: "glpi"})
	if rep.FeedbackCreated != 1315 {
		t.Errorf("%d tickets created from 3,568 rows, want 1,315 (%+v)", rep.FeedbackCreated, rep.ImportCounts)
	}
	again := run(t, s, "glpi-helpdesk-uenp-cp1252-semicolon.csv", Options{Source: "glpi"})
	if again.Unchanged != 3568 {
		t.Errorf("re-import should find nothing to change: %+v", again.ImportCounts)
	}
}

// TestImportRunsRecorded: each file's import leaves an import_runs row with
// its preset, encoding, counts and first errors; a dry run and a file that
// is not delimited text leave none.
func TestImportRunsRecorded(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "t.csv")
	os.WriteFile(csvPath, []byte("Ticket ID,Email,Satisfaction\nT1,a@example.com,4\nT2,b@example.com@,5\n"), 0o600)
	junk := filepath.Join(dir, "junk.csv")
	os.WriteFile(junk, append([]byte("PK\x03\x04"), make([]byte, 200)...), 0o600)
	s := importStore(t)
	ctx := context.Background()
	for _, o := range []Options{{DryRun: true}, {}, {}} {
		o.Loc, o.Agent = time.UTC, "li.na"
		if _, err := Run(ctx, s, csvPath, o); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Run(ctx, s, junk, Options{Loc: time.UTC}); err == nil {
		t.Fatal("junk should fail")
	}
	runs, err := s.ImportRuns(ctx, 10)
	if err != nil || len(runs) != 2 {
		t.Fatalf("%d runs, want 2 (no dry run, no junk): %v", len(runs), err)
	}
	first, second := runs[1], runs[0]
	if first.File != csvPath || first.Preset != "tickets" || first.Encoding != "utf-8" || first.Agent != "li.na" ||
		first.FeedbackCreated != 1 || first.Errors != 1 || len(first.ErrorSample) != 1 ||
		!strings.Contains(first.ErrorSample[0], "Email") || first.FinishedAt.Before(first.StartedAt) {
		t.Errorf("first run: %+v", first)
	}
	if second.Unchanged != 1 || second.FeedbackCreated != 0 {
		t.Errorf("second run: %+v", second)
	}
}

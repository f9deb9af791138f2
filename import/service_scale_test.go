package importer

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestImportServiceScale: the Import tab's adapter offers the scales of
// a 0–10 survey column, imports it rescaled to CSAT 1–5 when the user
// chose so (a dry run first, then for real), and reports the findings.
func TestImportServiceScale(t *testing.T) {
	ctx := context.Background()
	svc, st, csvPath := serviceWithFile(t, "survey.csv",
		"id,satisfaction,nps,comment\n"+
			"1,10,9,Très bien\n"+
			"2,6,3,Trop d'attente\n"+
			"3,NA,10,NA\n"+
			"4,0,7,Caisse fermée\n")
	plan, err := svc.Inspect(ctx, csvPath, model.ImportSettings{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range plan.Columns {
		got = append(got, fmt.Sprintf("%s=%s%v", c.Header, c.Field, c.Scales))
	}
	want := "id=customer.id[] satisfaction=[attribute nps csat-from-0-10] nps=feedback.nps[nps csat-from-0-10 csat-from-1-10 attribute] comment=feedback.body[]"
	if strings.Join(got, " ") != want {
		t.Fatalf("columns: %s", strings.Join(got, " "))
	}
	fields := []string{"customer.id", "feedback.csat", "feedback.nps", "feedback.body"}
	scales := []string{"", "csat-from-0-10", "", ""}
	for _, dry := range []bool{true, false} {
		rep, err := svc.Run(ctx, csvPath, model.ImportSettings{Agent: "tester", Fields: fields, Scales: scales, DryRun: dry}, nil)
		if err != nil || rep.FeedbackCreated != 4 || rep.ImportCounts.Errors != 0 || rep.Findings.Rescaled != 3 ||
			rep.Findings.Undated != 4 || len(rep.Findings.Notes) != 2 {
			t.Fatalf("dry %v: %+v, %v", dry, rep, err)
		}
	}
	sum, err := st.Summary(ctx, model.SummaryQuery{})
	if err != nil {
		t.Fatal(err)
	}
	// 10 → 5, 6 → 3, 0 → 1
	if o := sum.Overall; o.CSATN != 3 || o.CSATAvg == nil || *o.CSATAvg != 3 || o.NPSN != 4 {
		t.Errorf("stored: %d CSAT (mean %v), %d NPS", o.CSATN, o.CSATAvg, o.NPSN)
	}
	// A scale the importer does not know is refused before anything runs.
	if _, err := svc.Run(ctx, csvPath, model.ImportSettings{Scales: []string{"", "stars", "", ""}}, nil); err == nil {
		t.Error("unknown scale accepted")
	}
}

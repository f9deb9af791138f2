package importer

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// The real exports 17–24 of corpus/SOURCES.md, imported with no option
// but the file, give the figures SOURCES.md measured independently.

func near(a *float64, want float64) bool { return a != nil && math.Abs(*a-want) < 0.00005 }

func column(rep FileReport, header string) Column {
	for _, c := range rep.Columns {
		if c.Header == header {
			return c
		}
	}
	return Column{}
}

func allFeedback(t *testing.T, s *db.Store) []model.Feedback {
	t.Helper()
	fb, err := s.ListFeedback(context.Background(), model.FeedbackQuery{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return fb
}

func countCustomers(t *testing.T, s *db.Store, where string) int {
	t.Helper()
	n, _, err := s.CountCustomers(context.Background(), model.CustomerQuery{Where: where}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func groups(t *testing.T, s *db.Store, by string) map[string]model.GroupFigures {
	t.Helper()
	sum, err := s.Summary(context.Background(), model.SummaryQuery{By: by})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]model.GroupFigures{}
	for _, g := range sum.Groups {
		out[g.Key] = g
	}
	return out
}

func TestCorpusZendeskExplore(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "zendesk-explore-branch-q425.csv", Options{})
	if rep.Preset != "zendesk-explore" || rep.Source != "zendesk" || rep.ImportCounts.Errors != 0 {
		t.Fatalf("preset %q source %q, %+v", rep.Preset, rep.Source, rep.ImportCounts)
	}
	o := overall(t, s)
	if o.FeedbackN != 3548 || o.CSATN != 138 || !near(o.CSATAvg, 3.9855) {
		t.Errorf("%d feedback, %d CSAT answers, mean %v; want 3,548, 138 and 3.9855", o.FeedbackN, o.CSATN, o.CSATAvg)
	}
	if n := countCustomers(t, s, ""); n != 1717 {
		t.Errorf("%d customers, want 1,717", n)
	}
	if agents := groups(t, s, "agent"); len(agents) != 17 {
		t.Errorf("%d agents, want 17", len(agents))
	}
	lo, hi := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range allFeedback(t, s) {
		if f.CreatedAt.Before(lo) || !f.CreatedAt.Before(hi) {
			t.Fatalf("feedback %d created %s, outside Oct–Dec 2025", f.ID, f.CreatedAt)
		}
	}
	if c := column(rep, "Ticket satisfaction rating"); c.Field != "feedback.csat" || !strings.Contains(c.Evidence, "Good/Bad") {
		t.Errorf("satisfaction column: %+v", c)
	}
	// Explore writes organisation names HTML-escaped ("Domino&#x27;s",
	// "&amp;"); they are read as the names they are. The subject column
	// holds bare '&' (plain text) and stays as written.
	if c := column(rep, "Ticket organization name"); !strings.Contains(c.Evidence, "HTML-escaped") {
		t.Errorf("organisation column: %+v", c)
	}
	if c := column(rep, "Ticket subject"); strings.Contains(c.Evidence, "HTML") {
		t.Errorf("subject column: %+v", c)
	}
	for where, want := range map[string]int{`company ~ "&amp;"`: 0, `company ~ "&#x27;"`: 0, `company ~ "Domino's"`: 2} {
		if n := countCustomers(t, s, where); n != want {
			t.Errorf("%s: %d customers, want %d", where, n, want)
		}
	}
	if n := countCustomers(t, s, `company ~ " & "`); n == 0 {
		t.Errorf("no company with a decoded ' & '")
	}
}

func TestCorpusFreshdeskThingtrax(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "freshdesk-thingtrax-2025-02.csv", Options{})
	if rep.FeedbackCreated != 21 || rep.ImportCounts.Errors != 0 || rep.UnknownScores != 1 {
		t.Fatalf("%+v, %d unknown scores", rep.ImportCounts, rep.UnknownScores)
	}
	page, err := s.ListCustomers(context.Background(), model.CustomerQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Rows) != 9 {
		t.Errorf("%d customers, want 9", len(page.Rows))
	}
	for _, c := range page.Rows {
		if c.Email == "" {
			t.Errorf("customer %q has no e-mail", c.Name)
		}
	}
	if c := column(rep, "Contact ID"); c.Field != "customer.email" || !strings.Contains(c.Evidence, "100% e-mails") {
		t.Errorf("Contact ID: %+v", c)
	}
	tags := map[string]bool{}
	for _, f := range allFeedback(t, s) {
		if f.ResolvedAt != nil {
			t.Errorf("feedback %s resolved at %s, but no row has a resolved time", f.ExternalID, f.ResolvedAt)
		}
		if f.CSATRaw == "Slightly dissatisfied" && f.CSAT != nil {
			t.Errorf("a 7-point word got a 1–5 score: %d", *f.CSAT)
		}
		for _, tg := range f.Tags {
			tags[tg] = true
		}
	}
	if !tags["Carclo-Mitcham"] || tags["Mitcham"] || !tags["Desch-UK"] || !tags["carclo"] {
		t.Errorf("tags split on commas only: %v", tags)
	}
}

func TestCorpusFreshdeskTrial(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "freshdesk-trial-moengage.csv", Options{})
	if rep.FeedbackCreated != 45 || rep.CustomersCreated != 44 || rep.ImportCounts.Errors != 0 {
		t.Errorf("%+v", rep.ImportCounts)
	}
}

func TestCorpusJiraSpanish(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "jira-cloud-es-lipu.csv", Options{})
	if rep.Preset != "jira" || rep.FeedbackCreated != 106 || rep.ImportCounts.Errors != 0 {
		t.Fatalf("preset %q, %+v", rep.Preset, rep.ImportCounts)
	}
	if n := countCustomers(t, s, ""); n != 7 {
		t.Errorf("%d customers, want 7 reporters", n)
	}
	tagged, statuses := 0, map[model.Status]int{}
	lo := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range allFeedback(t, s) {
		if len(f.Tags) > 0 {
			tagged++
		}
		statuses[f.Status]++
		if f.CreatedAt.Before(lo) || f.CreatedAt.After(time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s created %s: the Spanish dates were not read", f.ExternalID, f.CreatedAt)
		}
	}
	if tagged != 34 {
		t.Errorf("tags on %d issues, want 34", tagged)
	}
	if statuses[model.StatusOpen] != 106 { // Tareas por hacer 93, En curso 13
		t.Errorf("statuses %v", statuses)
	}
	s2 := importStore(t)
	run(t, s2, "jsm-es-it-helpdesk.csv", Options{})
	fb := allFeedback(t, s2)
	resolved := 0
	for _, f := range fb {
		if f.Status == model.StatusResolved {
			resolved++
		}
	}
	if len(fb) != 3 || resolved != 3 || countCustomers(t, s2, "email ~ ithelpdesk-demo.com") != 2 {
		t.Errorf("JSM: %d feedback, %d resolved (Completado, Resuelta), want 3 and 3, and 2 customers by e-mail", len(fb), resolved)
	}
}

func TestCorpusBotanicNPS(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "nps-botanic-fr.csv", Options{})
	if rep.Encoding != EncMixedLatin || rep.ImportCounts.Errors != 0 || rep.FeedbackCreated != 13954 || rep.CustomersCreated != 13954 {
		t.Fatalf("encoding %s, %+v", rep.Encoding, rep.ImportCounts)
	}
	o := overall(t, s)
	if o.NPSN != 13612 || o.NPS == nil || math.Abs(*o.NPS-53.42) > 0.005 || o.CSATN != 0 {
		t.Errorf("NPS %v over %d answers (CSAT n %d); want +53.42 over 13,612 and no CSAT", o.NPS, o.NPSN, o.CSATN)
	}
	if c := column(rep, "satisfaction"); c.Field != "attrs" || !strings.Contains(c.Evidence, "0–10 scale, not CSAT 1–5") {
		t.Errorf("satisfaction: %+v", c)
	}
	if c := column(rep, "id"); c.Field != "customer.id" {
		t.Errorf("id: %+v", c)
	}
	if c := column(rep, "explication"); c.Field != "feedback.body" {
		t.Errorf("explication: %+v", c)
	}
	if rep.Undated != 13954 || len(rep.Notes) == 0 || !strings.Contains(rep.Notes[0], "no creation-date column") {
		t.Errorf("undated %d, notes %q", rep.Undated, rep.Notes)
	}
	text := ""
	for _, f := range allFeedback(t, s) {
		text += f.Body
	}
	if strings.Contains(text, "diff‚rence") || !strings.Contains(text, "différence") {
		t.Error("cp850 letters inside cp1252 text were not read as letters")
	}
}

func TestCorpusBankChurn(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "bank-churn-satisfaction.csv", Options{})
	if rep.CustomersCreated != 10000 || rep.ImportCounts.Errors != 0 {
		t.Fatalf("%+v", rep.ImportCounts)
	}
	if o := overall(t, s); o.CSATN != 10000 || !near(o.CSATAvg, 3.0138) {
		t.Errorf("CSAT %v over %d", o.CSATAvg, o.CSATN)
	}
	if n := countCustomers(t, s, "attr.Geography = France"); n != 5014 {
		t.Errorf("%d customers in France, want 5,014", n)
	}
	if c := column(rep, "Geography"); c.Level != LevelCustomer {
		t.Errorf("Geography: %+v", c)
	}
	page, _ := s.ListCustomers(context.Background(), model.CustomerQuery{Search: "Hargrave", Limit: 5})
	if len(page.Rows) == 0 || page.Rows[0].Name != "Hargrave" {
		t.Errorf("the Surname is the customer's name: %+v", page.Rows)
	}
}

func TestCorpusDouban(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "douban-book-reviews-zh.csv", Options{})
	if rep.ImportCounts.Errors != 0 || rep.FeedbackCreated != 362 {
		t.Fatalf("%+v", rep.ImportCounts)
	}
	if o := overall(t, s); o.CSATN != 335 || !near(o.CSATAvg, 3.6328) || o.NPSN != 0 {
		t.Errorf("CSAT %v over %d, NPS n %d", o.CSATAvg, o.CSATN, o.NPSN)
	}
	if c := column(rep, "推荐"); c.Field != "attrs" || !strings.Contains(c.Evidence, "Douban") {
		t.Errorf("推荐: %+v", c)
	}
	if rep.NoPerson != 12 { // 3 blank names, one "null", 8 deleted accounts ([已注销])
		t.Errorf("%d rows without a person, want 12", rep.NoPerson)
	}
}

// TestCorpusAllIntoOneDatabase: every corpus file imported into one
// database, then all again, changes nothing the second time.
func TestCorpusAllIntoOneDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the whole corpus twice")
	}
	dir := filepath.Dir(corpus(t, "SOURCES.md"))
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	s := importStore(t)
	for _, f := range files {
		run(t, s, filepath.Base(f), Options{})
	}
	before := overall(t, s)
	for _, f := range files {
		again := run(t, s, filepath.Base(f), Options{})
		if changed := again.CustomersCreated + again.CustomersUpdated + again.FeedbackCreated + again.FeedbackUpdated; changed != 0 {
			t.Errorf("%s again changed %d: %+v", filepath.Base(f), changed, again.ImportCounts)
		}
	}
	if after := overall(t, s); after.FeedbackN != before.FeedbackN || after.CSATN != before.CSATN || after.NPSN != before.NPSN {
		t.Errorf("figures moved: %+v then %+v", before, after)
	}
}

// TestInspectDecidesAsRun: the Import preview's look at a file decides
// its columns as the import will and says what the import will note.
func TestInspectDecidesAsRun(t *testing.T) {
	in, err := Inspect(corpus(t, "nps-botanic-fr.csv"), ReadOptions{}, "auto")
	if err != nil {
		t.Fatal(err)
	}
	if in.Encoding != EncMixedLatin || in.Mapping.Preset != "survey" || len(in.Sample) != sampleRows {
		t.Errorf("encoding %s, preset %s, %d sampled rows", in.Encoding, in.Mapping.Preset, len(in.Sample))
	}
	s := importStore(t)
	rep := run(t, s, "nps-botanic-fr.csv", Options{DryRun: true})
	for i, c := range in.Mapping.Columns {
		if !reflect.DeepEqual(rep.Columns[i], c) {
			t.Errorf("column %d: preview %+v, import %+v", i, c, rep.Columns[i])
		}
	}
	if len(in.Notes) != 1 || !strings.Contains(in.Notes[0], "no creation-date column") {
		t.Errorf("notes %q", in.Notes)
	}
}

package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// TestDetectPresets: each vendor's export header is recognised and its
// columns mean what the vendor means by them; files without a vendor are
// named by what they hold.
func TestDetectPresets(t *testing.T) {
	cases := []struct {
		preset string
		header []string
		want   map[int]Field
	}{
		{"zendesk", []string{"Id", "Requester", "Requester email", "Subject", "Via", "Ticket type", "Group", "Satisfaction Score", "Created at", "Solved at"},
			map[int]Field{0: FieldTicketID, 1: FieldName, 2: FieldEmail, 4: FieldChannel, 5: FieldKind, 6: FieldNone, 7: FieldCSAT, 8: FieldCreated, 9: FieldResolved}},
		{"freshdesk", []string{"Ticket ID", "Subject", "Status", "Priority", "Source", "Type", "Agent", "Group", "Created time", "Due by Time", "Resolved time", "Survey results", "Full name", "Contact ID"},
			map[int]Field{0: FieldTicketID, 4: FieldChannel, 5: FieldKind, 6: FieldAgent, 7: FieldNone, 8: FieldCreated, 10: FieldResolved, 11: FieldCSAT, 12: FieldName, 13: FieldCustomerID}},
		{"helpscout", []string{"Conversation Number", "Customer Name", "Customer Email", "Mailbox", "Assigned To", "Status", "Subject", "Happiness Rating", "Created At"},
			map[int]Field{0: FieldTicketID, 1: FieldName, 2: FieldEmail, 3: FieldNone, 4: FieldAgent, 7: FieldCSAT, 8: FieldCreated}},
		{"zammad", []string{"#", "Title", "State", "Priority", "Group", "Owner", "Customer", "Organization", "Create Channel", "Created At", "Closed At"},
			map[int]Field{0: FieldTicketID, 1: FieldSubject, 2: FieldStatus, 5: FieldAgent, 6: FieldName, 7: FieldCompany, 8: FieldChannel, 10: FieldResolved}},
		{"osticket", []string{"Ticket Number", "Date Created", "Subject", "From", "From Email", "Priority", "Department", "Help Topic", "Source", "Current Status", "Agent Assigned"},
			map[int]Field{0: FieldTicketID, 1: FieldCreated, 3: FieldName, 4: FieldEmail, 6: FieldNone, 7: FieldCategory, 8: FieldChannel, 9: FieldStatus, 10: FieldAgent}},
		{"jira", []string{"Summary", "Issue key", "Issue id", "Issue Type", "Status", "Reporter", "Created", "Resolved", "Labels", "Labels", "Custom field (Team)"},
			map[int]Field{0: FieldSubject, 1: FieldTicketID, 2: FieldNone, 3: FieldKind, 5: FieldName, 6: FieldCreated, 7: FieldResolved, 8: FieldTags, 9: FieldTags, 10: FieldNone}},
		{"intercom", []string{"Conversation ID", "User name", "User email", "Conversation rating", "Conversation started at (America/New_York)", "Last closed at (America/New_York)", "Teammate assigned"},
			map[int]Field{0: FieldTicketID, 1: FieldName, 2: FieldEmail, 3: FieldCSAT, 4: FieldCreated, 5: FieldResolved, 6: FieldAgent}},
		{"survey", []string{"Respondent", "Email", "How likely are you to recommend us to a friend?", "Comment"},
			map[int]Field{1: FieldEmail, 2: FieldNPS}},
		{"contacts", []string{"客户姓名", "手机号", "会员等级", "城市"},
			map[int]Field{0: FieldName, 1: FieldPhone, 2: FieldPlan, 3: FieldCity}},
		{"tickets", []string{"工单号", "客户姓名", "邮箱", "问题分类", "满意度", "创建时间"},
			map[int]Field{0: FieldTicketID, 3: FieldCategory, 4: FieldCSAT, 5: FieldCreated}},
	}
	for _, c := range cases {
		m, err := DetectMapping(c.header, "auto")
		if err != nil {
			t.Fatal(err)
		}
		if m.Preset != c.preset {
			t.Errorf("%v: preset %q, want %q", c.header, m.Preset, c.preset)
		}
		for i, f := range c.want {
			if m.Fields[i] != f {
				t.Errorf("%s: column %q → %q, want %q", c.preset, c.header[i], m.Fields[i], f)
			}
		}
	}
	if _, err := DetectMapping([]string{"a"}, "zendeks"); err == nil || !strings.Contains(err.Error(), "zendesk") {
		t.Errorf("an unknown preset should list the known ones: %v", err)
	}
	// Forcing a preset applies its columns even without its signature.
	m, _ := DetectMapping([]string{"Via", "Group"}, "zendesk")
	if m.Preset != "zendesk" || m.Fields[0] != FieldChannel || m.Fields[1] != FieldNone {
		t.Errorf("forced zendesk: %+v", m)
	}
}

// TestIntercomZonesInHeaders: a time in a column whose header names a zone
// is read in that zone, whatever --tz says.
func TestIntercomZonesInHeaders(t *testing.T) {
	header := []string{"Conversation ID", "User email", "Conversation rating", "Conversation started at (America/New_York)"}
	m, _ := DetectMapping(header, "")
	conv := &Converter{File: "x.csv", Header: header, Fields: m.Fields, Zones: m.Zones, Loc: time.UTC}
	rec, rerr := conv.Convert(Row{Line: 2, Fields: []string{"215", "ana@example.com", "5", "2024-03-05 14:22"}})
	if rerr != nil {
		t.Fatal(rerr)
	}
	if got := rec.Feedback.CreatedAt.UTC().Format(time.RFC3339); got != "2024-03-05T19:22:00Z" {
		t.Errorf("created %s, want 2024-03-05T19:22:00Z (14:22 in New York)", got)
	}
}

// TestMappingFileRoundTrip: --save-map writes what was used; edited and
// read back with --map, it overrides the detection, by header in any
// case; a mapping naming a column the file lacks, or an unknown field, is
// refused.
func TestMappingFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "t.csv")
	os.WriteFile(csvPath, []byte("Ticket ID,Email,Satisfaction,Plan,Note\nT1,a@example.com,4,gold,hello\n"), 0o600)
	s := importStore(t)
	var saved string
	rep, err := Run(context.Background(), s, csvPath, Options{Loc: time.UTC, DryRun: true,
		Mapping: func(h []string, m Mapping) {
			saved = filepath.Join(dir, "map.toml")
			if err := SaveMapping(saved, h, m); err != nil {
				t.Fatal(err)
			}
		}})
	if err != nil || rep.Preset != "tickets" {
		t.Fatalf("%+v %v", rep, err)
	}
	data, _ := os.ReadFile(saved)
	text := strings.Replace(string(data), `Plan = "customer.plan"`, `plan = "attrs"`, 1)
	text = strings.Replace(text, `Note = "attrs"`, `Note = "feedback.body"`, 1)
	if text == string(data) || !strings.Contains(text, `Satisfaction = "feedback.csat"`) {
		t.Fatalf("unexpected mapping file:\n%s", data)
	}
	os.WriteFile(saved, []byte(text), 0o600)
	preset, cols, err := LoadMapping(saved)
	if err != nil || preset != "tickets" {
		t.Fatal(preset, err)
	}
	m, _ := DetectMapping([]string{"Ticket ID", "Email", "Satisfaction", "Plan", "Note"}, preset)
	if err := m.Override([]string{"Ticket ID", "Email", "Satisfaction", "Plan", "Note"}, cols); err != nil {
		t.Fatal(err)
	}
	if m.Fields[3] != FieldNone || m.Fields[4] != FieldBody {
		t.Errorf("overridden fields %v", m.Fields)
	}
	if err := m.Override([]string{"Other"}, map[string]Field{"Missing": FieldBody}); err == nil {
		t.Error("a column the file lacks should be refused")
	}
	os.WriteFile(saved, []byte("[columns]\nEmail = \"customer.mail\"\n"), 0o600)
	if _, _, err := LoadMapping(saved); err == nil || !strings.Contains(err.Error(), "unknown field") {
		t.Errorf("an unknown field should be refused: %v", err)
	}
}

// TestEveryCorpusFileReimportsUnchanged: every file of the corpus imports
// without failing, under a preset, and importing it again into the same
// database changes nothing: every row is unchanged (or rejected again, or
// skipped as before).
func TestEveryCorpusFileReimportsUnchanged(t *testing.T) {
	dir := filepath.Dir(corpus(t, "SOURCES.md"))
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) == 0 {
		t.Skip("no corpus files")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s := importStore(t)
			first := run(t, s, filepath.Base(f), Options{})
			if first.Rows == 0 || first.Preset == "" || first.Preset == "auto" {
				t.Fatalf("first import: preset %q, %+v", first.Preset, first.ImportCounts)
			}
			again := run(t, s, filepath.Base(f), Options{})
			changed := again.CustomersCreated + again.CustomersUpdated + again.FeedbackCreated + again.FeedbackUpdated
			if changed != 0 || again.Unchanged+again.ImportCounts.Errors != again.Rows || again.Rows != first.Rows {
				t.Errorf("re-import should change nothing: first %+v, again %+v", first.ImportCounts, again.ImportCounts)
			}
		})
	}
}

// TestRowsThatDisagreeDoNotFlip: a customer's last row in the file sets
// their fields, earlier rows only find them; two source ids that share an
// email are one customer whose fields neither overwrites; a file without
// any person keeps each row's city with its ticket. Importing again
// changes nothing.
func TestRowsThatDisagreeDoNotFlip(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "t.csv")
	os.WriteFile(csvPath, []byte("Ticket ID,Customer ID,Name,Email,Plan,Subject\n"+
		"T1,c1,Ann Lee,ann@example.com,free,first\n"+
		"T2,c1,Ann Lee,ann@example.com,enterprise,latest\n"), 0o600)
	shared := filepath.Join(dir, "shared.csv")
	os.WriteFile(shared, []byte("Ticket ID,Customer ID,Name,Email,Plan,Subject\n"+
		"S1,c7,Bo Chen,bo@example.com,free,one\n"+
		"S2,c8,Bo C.,BO@example.com,pro,same email other id\n"+
		"S3,c7,Bo Chen,bo@example.com,enterprise,again\n"), 0o600)
	anon := filepath.Join(dir, "anon.csv")
	os.WriteFile(anon, []byte("Ticket #,Complaint,City\n1,slow,York\n2,down,Leeds\n"), 0o600)
	s := importStore(t)
	ctx := context.Background()
	for _, f := range []string{csvPath, shared, anon} {
		if _, err := Run(ctx, s, f, Options{Loc: time.UTC}); err != nil {
			t.Fatal(err)
		}
		again, err := Run(ctx, s, f, Options{Loc: time.UTC})
		if err != nil || again.Unchanged != again.Rows {
			t.Errorf("%s again: %+v %v", filepath.Base(f), again.ImportCounts, err)
		}
	}
	page, _ := s.ListCustomers(ctx, model.CustomerQuery{Search: "ann@", Limit: 5})
	if len(page.Rows) != 1 || page.Rows[0].Plan != "enterprise" || page.Rows[0].Name != "Ann Lee" {
		t.Errorf("customers: %+v", page.Rows)
	}
	fb, _ := s.ListFeedback(ctx, model.FeedbackQuery{Limit: 10})
	cities := map[string]bool{}
	for _, f := range fb {
		cities[f.Attrs["City"]] = true
	}
	if !cities["York"] || !cities["Leeds"] {
		t.Errorf("each anonymous ticket should keep its city: %v", cities)
	}
}

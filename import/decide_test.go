package importer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func rows(cells ...[]string) []Row {
	out := make([]Row, len(cells))
	for i, c := range cells {
		out[i] = Row{Line: i + 2, Fields: c}
	}
	return out
}

func decided(t *testing.T, header []string, sample []Row) Mapping {
	t.Helper()
	m, err := DetectMapping(header, "auto")
	if err != nil {
		t.Fatal(err)
	}
	m.Decide(header, sample, nil)
	return m
}

// TestDecideByValues: a column's field comes from its header and its
// values together, with the evidence written down.
func TestDecideByValues(t *testing.T) {
	// a 0–10 "satisfaction" is not CSAT; a 0–10 recommend question is NPS;
	// the bare id of a survey is the respondent
	m := decided(t, []string{"id", "satisfaction", "How likely are you to recommend us?", "comment"},
		rows([]string{"7", "10", "9", "great"}, []string{"8", "3", "NA", "NA"}, []string{"9", "7", "10", "-"}))
	want := []Field{FieldCustomerID, FieldNone, FieldNPS, FieldBody}
	for i, f := range want {
		if m.Fields[i] != f {
			t.Errorf("column %q → %q, want %q (%s)", m.Columns[i].Header, m.Fields[i], f, m.Columns[i].Evidence)
		}
	}
	if ev := m.Columns[1].Evidence; ev != "0–10 scale, not CSAT 1–5 → kept as attribute" {
		t.Errorf("satisfaction evidence %q", ev)
	}
	if m.Levels[1] != LevelCustomer {
		t.Errorf("a survey of one row per respondent keeps its other columns on the customer: %v", m.Levels)
	}
	// e-mails under any header identify the customer; a name of id numbers
	// gives way to the Surname column
	m = decided(t, []string{"Ticket", "Contact ID", "Name", "Surname", "Plan"},
		rows([]string{"1", "ann@example.com", "15634602", "Hargrave", "free"}, []string{"2", "bo@example.com", "15647311", "Hill", "pro"}))
	if m.Fields[1] != FieldEmail || m.Columns[1].Evidence != "100% e-mails → customer.email" {
		t.Errorf("Contact ID: %+v", m.Columns[1])
	}
	if m.Fields[2] != FieldCustomerID || m.Fields[3] != FieldName {
		t.Errorf("Name of ids, Surname: %v", m.Fields)
	}
	// a word scale under an NPS header is CSAT when no column is; a
	// 7-point wording is noted
	m = decided(t, []string{"推荐", "Survey results"}, rows([]string{"力荐", "Slightly dissatisfied"}, []string{"还行", "Very satisfied"}))
	if m.Fields[0] != FieldCSAT || !strings.Contains(m.Columns[0].Evidence, "Douban") {
		t.Errorf("推荐: %+v", m.Columns[0])
	}
	if m.Fields[1] != FieldNone && !m.SevenPoint[1] {
		t.Errorf("Survey results: %+v", m.Columns[1])
	}
	// dates that are not dates are kept as text
	m = decided(t, []string{"Ticket ID", "Created"}, rows([]string{"1", "soon"}, []string{"2", "later"}))
	if m.Fields[1] != FieldNone {
		t.Errorf("Created of words: %+v", m.Columns[1])
	}
}

func TestLocalizedValues(t *testing.T) {
	for v, want := range map[string]model.Status{"Completado": model.StatusResolved, "Resuelta": model.StatusResolved,
		"Cerrada": model.StatusClosed, "Abierta": model.StatusOpen, "En curso": model.StatusOpen, "Terminé": model.StatusResolved,
		"Erledigt": model.StatusResolved, "已解决": model.StatusResolved, "已关闭": model.StatusClosed,
		"Tareas por hacer": model.StatusOpen, "Waiting on Customer": model.StatusPending} {
		if got, known := statusOf(v); got != want || !known {
			t.Errorf("status %q → %q (known %v), want %q", v, got, known, want)
		}
	}
	if _, known := statusOf("Blorp"); known {
		t.Error("an unknown status should be reported as unknown")
	}
	for v, want := range map[string]string{"Social media": "social", "Web": "web", "网页": "web", "电话": "phone",
		"微信": "wechat", "WeChat": "wechat", "Email": "email"} {
		if got, known := channelOf(v); got != want || !known {
			t.Errorf("channel %q → %q, want %q", v, got, want)
		}
	}
	if got, known := channelOf("Pigeon Post"); got != "pigeon post" || known {
		t.Errorf("an unknown channel is kept and reported: %q %v", got, known)
	}
	for _, v := range []string{"", "-", "—", "NA", "N/A", "na", "null", "NULL"} {
		if !isEmptyMarker(v) {
			t.Errorf("%q should be empty", v)
		}
	}
	for _, v := range []string{"Nadia", "0", "none"} {
		if isEmptyMarker(v) {
			t.Errorf("%q is a value", v)
		}
	}
}

func TestLocalizedDates(t *testing.T) {
	cases := map[string]string{
		"10/nov/25 4:51 PM":      "2025-11-10T16:51:00Z",
		"18/jul/26 9:10 AM":      "2026-07-18T09:10:00Z",
		"5/ene/24 9:10 p. m.":    "2024-01-05T21:10:00Z",
		"5 févr. 2024":           "2024-02-05T00:00:00Z",
		"3. März 2024 10:00":     "2024-03-03T10:00:00Z",
		"12 dezembro 2023":       "2023-12-12T00:00:00Z",
		"7 maggio 2022":          "2022-05-07T00:00:00Z",
		"2024年3月5日":              "2024-03-05T00:00:00Z",
		"2025-10-01T00:05:28":    "2025-10-01T00:05:28Z",
		"25/01/2025 1:30":        "2025-01-25T01:30:00Z",
		"2016-12-30":             "2016-12-30T00:00:00Z",
		"10/Nov/25 4:51 PM":      "2025-11-10T16:51:00Z",
		"2 de mayo de 2024":      "",
		"Terminé":                "",
		"1 dic 2020":             "2020-12-01T00:00:00Z",
		"oct 3, 2024":            "2024-10-03T00:00:00Z",
		"30/04/2021 18:01":       "2021-04-30T18:01:00Z",
		"2019/2/20 16:13":        "2019-02-20T16:13:00Z",
		"22-Apr-15":              "2015-04-22T00:00:00Z",
		"5th Jan 2020":           "",
		"13/01/2020":             "2020-01-13T00:00:00Z",
		"2020-01-13 12:00:00 PM": "",
	}
	for in, want := range cases {
		got, err := ParseTime(in, time.UTC, true)
		switch {
		case want == "" && err == nil:
			t.Errorf("%q read as %s", in, got)
		case want != "" && (err != nil || got.Format(time.RFC3339) != want):
			t.Errorf("%q → %s %v, want %s", in, got.Format(time.RFC3339), err, want)
		}
	}
}

func TestMixedLatinEncoding(t *testing.T) {
	text := []byte("id,texte\n1,\"tr\xe8s d\xe9\xe7u, le mat\x82riel \x82tait ab\x8cm\x82 \xe0 l'arriv\x82e\"\n2,\"pr\x82f\x82r\xe9 \xe0 c\xf4t\xe9\"\n")
	if enc := SniffEncoding(text); enc != EncMixedLatin {
		t.Fatalf("sniffed %s, want %s", enc, EncMixedLatin)
	}
	path := filepath.Join(t.TempDir(), "m.csv")
	os.WriteFile(path, text, 0o600)
	_, rs := readAllRows(t, path, ReadOptions{})
	if len(rs) != 2 || rs[0].Fields[1] != "très déçu, le matériel était abîmé à l'arrivée" {
		t.Errorf("read %v", rs)
	}
	if enc := SniffEncoding([]byte("id,texte\n1,le client est tr\xe8s d\xe9\xe7u, le produit est arriv\xe9 cass\xe9 \xe0 la maison\n")); enc != EncWindows1252 {
		t.Errorf("plain Windows-1252 sniffed as %s", enc)
	}
}

// TestScalesNotRows: a score word no scale knows keeps its row, with the
// text and no score; a number off a scale the sample made certain still
// rejects its row; status and channel values no table knows are listed.
func TestScalesNotRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("Ticket ID,Email,CSAT,Channel,Status\n")
	for i := 0; i < sampleRows; i++ {
		fmt.Fprintf(&b, "T%d,c%d@example.com,%d,Social media,Abierta\n", i, i%7, 1+i%5)
	}
	b.WriteString("X1,x@example.com,meh,Pigeon,Blorp\nX2,y@example.com,9,web,Cerrada\n")
	path := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(path, []byte(b.String()), 0o600)
	s := importStore(t)
	rep, err := Run(context.Background(), s, path, Options{Loc: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != sampleRows+2 || rep.ImportCounts.Errors != 1 || len(rep.Errors) != 1 || rep.Errors[0].Column != "CSAT" {
		t.Fatalf("%+v %+v", rep.ImportCounts, rep.Errors)
	}
	if rep.UnknownScores != 1 || len(rep.UnknownValues) != 2 {
		t.Errorf("unknown scores %d, values %+v", rep.UnknownScores, rep.UnknownValues)
	}
	fb, _ := s.ListFeedback(context.Background(), model.FeedbackQuery{Search: "", Limit: 1000})
	for _, f := range fb {
		if f.ExternalID == "X1" && (f.CSAT != nil || f.CSATRaw != "meh" || f.Channel != "pigeon" || f.Status != model.StatusOpen) {
			t.Errorf("X1: %+v", f)
		}
		if f.ExternalID == "T1" && f.Channel != "social" {
			t.Errorf("Social media → %q", f.Channel)
		}
		if f.Attrs[UndatedAttr] != "yes" {
			t.Errorf("%s has no date and no undated flag", f.ExternalID)
		}
	}
}

// TestLocalizedHeaders: helpdesk exports in other languages map with no
// help.
func TestLocalizedHeaders(t *testing.T) {
	cases := []struct {
		header []string
		want   []Field
	}{
		{[]string{"ID del ticket", "Asunto", "Estado", "Prioridad", "Fuente", "Agente", "Hora de creación", "Resultados de la encuesta", "Nombre completo"},
			[]Field{FieldTicketID, FieldSubject, FieldStatus, FieldPriority, FieldChannel, FieldAgent, FieldCreated, FieldCSAT, FieldName}},
		{[]string{"ID du ticket", "Sujet", "Statut", "Priorité", "Heure de création", "Résultats de l'enquête", "Nom complet", "Description"},
			[]Field{FieldTicketID, FieldSubject, FieldStatus, FieldPriority, FieldCreated, FieldCSAT, FieldName, FieldBody}},
		{[]string{"Ticket-ID", "Betreff", "Status", "Priorität", "Erstellungszeit", "Umfrageergebnisse", "Beschreibung"},
			[]Field{FieldTicketID, FieldSubject, FieldStatus, FieldPriority, FieldCreated, FieldCSAT, FieldBody}},
		{[]string{"チケットID", "件名", "ステータス", "担当者", "作成日", "満足度評価", "リクエスタ"},
			[]Field{FieldTicketID, FieldSubject, FieldStatus, FieldAgent, FieldCreated, FieldCSAT, FieldName}},
		{[]string{"工单ID", "主题", "状态", "受理人", "创建时间", "满意度评价", "请求者"},
			[]Field{FieldTicketID, FieldSubject, FieldStatus, FieldAgent, FieldCreated, FieldCSAT, FieldName}},
		{[]string{"Chiave", "Riepilogo", "Stato", "Assegnatario", "Creato", "Descrizione"},
			[]Field{FieldTicketID, FieldSubject, FieldStatus, FieldAgent, FieldCreated, FieldBody}},
		{[]string{"ID do ticket", "Assunto", "Situação", "Responsável", "Criado em", "Descrição"},
			[]Field{FieldTicketID, FieldSubject, FieldStatus, FieldAgent, FieldCreated, FieldBody}},
	}
	for _, c := range cases {
		m, err := DetectMapping(c.header, "auto")
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range c.want {
			if m.Fields[i] != f {
				t.Errorf("%q → %q, want %q", c.header[i], m.Fields[i], f)
			}
		}
	}
	// an agent's e-mails are not the customer's
	m := decided(t, []string{"Ticket ID", "Assignee email", "Subject"}, rows([]string{"1", "ag@example.com", "x"}, []string{"2", "ag@example.com", "y"}))
	if m.Fields[1] == FieldEmail {
		t.Error("the assignee's e-mail became the customer's")
	}
}

// TestUndatedSortBelowDated: feedback without a creation date is flagged
// and dated just before the oldest feedback (of the database, or the
// oldest dated row of its own file), and keeps that date when imported
// again.
func TestUndatedSortBelowDated(t *testing.T) {
	dir := t.TempDir()
	dated := filepath.Join(dir, "dated.csv")
	os.WriteFile(dated, []byte("Ticket ID,Email,Subject,Created\nD1,a@example.com,old,2024-03-05 10:00\nD2,b@example.com,new,2025-06-01 09:00\nD3,c@example.com,no date,\n"), 0o600)
	undated := filepath.Join(dir, "undated.csv")
	os.WriteFile(undated, []byte("Ticket ID,Email,Subject\nU1,a@example.com,when?\n"), 0o600)
	s := importStore(t)
	ctx := context.Background()
	for _, f := range []string{dated, undated, dated, undated} {
		if _, err := Run(ctx, s, f, Options{Loc: time.UTC}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]model.Feedback{}
	for _, f := range allFeedback(t, s) {
		got[f.ExternalID] = f
	}
	// D3 goes before its file's oldest row, U1 before D3, the oldest stored
	for id, want := range map[string]time.Time{"D3": time.Date(2024, 3, 5, 9, 59, 59, 0, time.UTC),
		"U1": time.Date(2024, 3, 5, 9, 59, 58, 0, time.UTC)} {
		f := got[id]
		if !f.CreatedAt.Equal(want) || f.Attrs[UndatedAttr] != "yes" {
			t.Errorf("%s: created %s, attrs %v; want %s and undated", id, f.CreatedAt, f.Attrs, want)
		}
	}
	if f := got["D1"]; f.Attrs[UndatedAttr] != "" || !f.CreatedAt.Equal(time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("D1: %+v", f)
	}
}

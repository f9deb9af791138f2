package importer

import (
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func converter(t *testing.T, header string, edit func(*Mapping)) *Converter {
	t.Helper()
	h := strings.Split(header, ",")
	m := Detect(h)
	m.TZ = "UTC"
	if edit != nil {
		edit(&m)
	}
	c, err := NewConverter("t.csv", h, m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConvertTicket(t *testing.T) {
	c := converter(t, "Ticket ID,Customer Name,Customer Email,Phone,Plan,Ticket Subject,Ticket Description,Ticket Type,Ticket Status,Ticket Priority,Ticket Channel,Category,Sub-category,Customer Satisfaction Rating,Created at,Solved at,Tags,Shoe size", nil)
	rec, errs := c.Convert(2, []string{"T-1", " Ann Lee ", "Ann@Example.com", "+86 138-0013-8000", "enterprise",
		"Refund", "I want my money back\nplease", "Refund request", "Solved", "High", "E-mail", "Billing", "Refund",
		"4/5", "2024-03-05 14:22", "03/06/2024", "vip, refund", "42"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	cu, fb := rec.Customer, rec.Feedback
	if rec.CustomerKey != "" || cu.Name != "Ann Lee" || cu.Email != "Ann@Example.com" || cu.Phone != "+86 138-0013-8000" || cu.Plan != "enterprise" {
		t.Errorf("customer: %q %+v", rec.CustomerKey, cu)
	}
	if fb == nil {
		t.Fatal("no feedback")
	}
	want := model.Feedback{Source: "tickets", ExternalID: "T-1", CustomerName: "Ann Lee", Subject: "Refund",
		Body: "I want my money back\nplease", Kind: model.KindRequest, Status: model.StatusResolved,
		Priority: model.PriorityHigh, Channel: "email", Category: "Billing/Refund", CSATRaw: "4/5", Tags: []string{"vip", "refund"}}
	if fb.Source != want.Source || fb.ExternalID != want.ExternalID || fb.CustomerName != want.CustomerName ||
		fb.Subject != want.Subject || fb.Body != want.Body || fb.Kind != want.Kind || fb.Status != want.Status ||
		fb.Priority != want.Priority || fb.Channel != want.Channel || fb.Category != want.Category ||
		fb.CSATRaw != want.CSATRaw || strings.Join(fb.Tags, " ") != "vip refund" {
		t.Errorf("feedback:\n got %+v\nwant %+v", *fb, want)
	}
	if fb.CSAT == nil || *fb.CSAT != 4 || fb.CustomerID != 0 {
		t.Errorf("csat %v, customer id %d", fb.CSAT, fb.CustomerID)
	}
	if !fb.CreatedAt.Equal(time.Date(2024, 3, 5, 14, 22, 0, 0, time.UTC)) || fb.ResolvedAt == nil || fb.ResolvedAt.Month() != 3 || fb.ResolvedAt.Day() != 6 {
		t.Errorf("times: %v %v", fb.CreatedAt, fb.ResolvedAt)
	}
	if rec.Attrs["Shoe size"] != "42" || rec.Customer.Attrs["Shoe size"] != "42" || rec.Line != 2 || rec.FeedbackKey != "T-1" {
		t.Errorf("record: %+v", rec)
	}
}

// A row with one bad value is rejected whole, naming the column.
func TestConvertRejectsWhole(t *testing.T) {
	c := converter(t, "Ticket ID,Email,Satisfaction,Created at,Name", nil)
	rec, errs := c.Convert(7, []string{"1", "ann@example.com", "7", "2024-03-05", "Ann"})
	if len(errs) != 1 || errs[0].Column != "Satisfaction" || errs[0].Line != 7 || !strings.Contains(errs[0].Reason, "outside 1–5") {
		t.Fatalf("errors: %v", errs)
	}
	if rec.Feedback != nil || rec.Customer.Email != "" || rec.Line != 7 || len(rec.Raw) != 5 {
		t.Errorf("a rejected row must carry nothing but its line and raw fields: %+v", rec)
	}
	if got := errs[0].Error(); got != "t.csv:7: Satisfaction: CSAT 7 is outside 1–5 (for a 1–10 or 0–100 survey, set scale = \"10\" or \"100\" on this column in the mapping)" {
		t.Errorf("Error() = %q", got)
	}
	// every problem is listed
	_, errs = c.Convert(8, []string{"1", "not-an-email", "9", "yesterday", "Ann"})
	if len(errs) != 3 {
		t.Errorf("want 3 errors, got %v", errs)
	}
	if got := (RowError{File: "f.csv", Line: 3, Reason: "x"}).Error(); got != "f.csv:3: x" {
		t.Errorf("Error() without a column = %q", got)
	}
}

func TestConvertSkips(t *testing.T) {
	c := converter(t, "用户ID,会员级别,昵称,评论内容", nil)
	for _, fields := range [][]string{{"", "", "", ""}, {" ", "\t", "", "\x00"}, {}} {
		if rec, errs := c.Convert(2, fields); rec.Skip != SkipEmpty || errs != nil {
			t.Errorf("%q: skip %q, %v", fields, rec.Skip, errs)
		}
	}
	for _, fields := range [][]string{{"用户ID", "会员级别", "昵称", "评论内容"}, {" 用户ID ", "会员级别", "昵称", "评论内容", ""}} {
		if rec, errs := c.Convert(9, fields); rec.Skip != SkipHeader || errs != nil {
			t.Errorf("%q: skip %q, %v", fields, rec.Skip, errs)
		}
	}
	if rec, _ := c.Convert(9, []string{"用户ID", "会员级别", "昵称", "评论内容", "x"}); rec.Skip != "" {
		t.Error("a row with more in it is not a header")
	}
}

func TestConvertKeysAndAnonymous(t *testing.T) {
	c := converter(t, "review,label", nil)
	a, _ := c.Convert(2, []string{"很好", "1"})
	b, _ := c.Convert(5, []string{"很好", "1"})
	d, _ := c.Convert(6, []string{"很差", "0"})
	if !strings.HasPrefix(a.FeedbackKey, KeyRowHash) || a.FeedbackKey != b.FeedbackKey || a.FeedbackKey == d.FeedbackKey {
		t.Errorf("row keys: %q %q %q", a.FeedbackKey, b.FeedbackKey, d.FeedbackKey)
	}
	if a.CustomerKey != KeyAnon+a.FeedbackKey || a.Customer.Name != AnonymousName || a.Feedback.Body != "很好" {
		t.Errorf("anonymous: %+v", a)
	}
	_, errs := c.Convert(7, []string{"", "1"})
	if len(errs) != 1 || errs[0].Column != "" {
		t.Errorf("a row with nothing to import: %v", errs)
	}

	c = converter(t, "Requerente,Categoria,Ticker", nil)
	r, _ := c.Convert(2, []string{"JOÃO", "Suporte", "40857"})
	if r.CustomerKey != KeyByName+"JOÃO" || r.Feedback.Subject != "Suporte" || r.FeedbackKey != "40857" {
		t.Errorf("by name: %+v %+v", r, r.Feedback)
	}
	r, _ = c.Convert(3, []string{"JOÃO", "-", "40858"})
	if r.Feedback.Subject != "#40858" {
		t.Errorf("a ticket without text or category is named by its number: %q", r.Feedback.Subject)
	}

	c = converter(t, "CustomerID,NPS", nil)
	r, _ = c.Convert(2, []string{"1.03531E+12", "9"})
	if r.CustomerKey != "1035310000000" || r.Customer.Name != "1035310000000" || *r.Feedback.NPS != 9 || r.Feedback.Channel != "survey" {
		t.Errorf("id only: %+v", r)
	}
}

func TestConvertLenientValues(t *testing.T) {
	c := converter(t, "Email,Status,Kind,Phone,Lifecycle,Resolvido,Satisfaction,Priority,Subject", nil)
	r, errs := c.Convert(2, []string{"mailto:Bo <bo@example.com>", "Escalated", "Rant", "n/a", "Stayed", "sim", "Offered", "whenever", "Hi"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if r.Customer.Email != "bo@example.com" || r.Customer.Phone != "" || r.Customer.Lifecycle != model.LifecycleRetained {
		t.Errorf("customer: %+v", r.Customer)
	}
	fb := r.Feedback
	if fb.Status != model.StatusResolved || fb.Kind != "" || fb.Priority != "" || fb.CSAT != nil || fb.CSATRaw != "Offered" {
		t.Errorf("feedback: %+v", fb)
	}
	if r.Attrs["Kind"] != "Rant" || r.Attrs["Priority"] != "whenever" || r.Attrs["Status"] != "Escalated" {
		t.Errorf("unknown words are kept in attrs: %v", r.Attrs)
	}
	r, _ = c.Convert(3, []string{"bo@example.com", "", "", "unknown", "", "", "", "", "Hi"})
	if r.Customer.Phone != "" || r.Attrs["Phone"] != "unknown" {
		t.Errorf("a phone without digits is kept as an attribute: %+v", r)
	}
}

func TestConvertMultiColumnsAndExtras(t *testing.T) {
	c := converter(t, "Issue key,Summary,Labels,Labels,Labels,Description,Comment", nil)
	r, errs := c.Convert(2, []string{"P-1", "Crash", "Technical Support", "ios", "", "It crashes", "Still does", "extra", ""})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if strings.Join(r.Feedback.Tags, " ") != "Technical-Support ios" {
		t.Errorf("tags: %q", r.Feedback.Tags)
	}
	if r.Feedback.Body != "It crashes\n\nStill does" {
		t.Errorf("body: %q", r.Feedback.Body)
	}
	if r.Attrs["column 8"] != "extra" || len(r.Attrs) != 1 {
		t.Errorf("extras: %v", r.Attrs)
	}
	long := strings.Repeat("x", 70)
	if _, errs := c.Convert(3, []string{"P-2", "s", long, "", "", "", ""}); len(errs) != 1 || errs[0].Column != "Labels" {
		t.Errorf("a tag too long to store: %v", errs)
	}
}

func TestConvertNULAndText(t *testing.T) {
	c := converter(t, "Name,Body", nil)
	fields := []string{"A\x00nn", "  keep\x00 as is \n"}
	r, errs := c.Convert(2, fields)
	if len(errs) > 0 || r.Customer.Name != "Ann" || r.Feedback.Body != "  keep as is \n" {
		t.Errorf("got %+v %v", r, errs)
	}
	if fields[0] != "A\x00nn" {
		t.Error("Convert must not change the caller's slice")
	}
}

func TestConvertCreatedTimeAndZones(t *testing.T) {
	c := converter(t, "Ticket #,Date,Time,Customer Complaint", func(m *Mapping) {
		m.TZ = "America/New_York"
		m.Columns[1].DateOrder = DateDMY
	})
	r, errs := c.Convert(2, []string{"1", "04-08-2015", "3:53:50 PM", "Slow"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ny, _ := time.LoadLocation("America/New_York")
	if want := time.Date(2015, 8, 4, 15, 53, 50, 0, ny); !r.Feedback.CreatedAt.Equal(want) {
		t.Errorf("created %v, want %v", r.Feedback.CreatedAt, want)
	}
	c = converter(t, "Conversation ID,Created at (Asia/Shanghai),User email", nil)
	r, _ = c.Convert(2, []string{"9", "2024-03-05 08:00", "a@example.com"})
	if r.Feedback.CreatedAt.UTC().Hour() != 0 {
		t.Errorf("the header's zone applies: %v", r.Feedback.CreatedAt)
	}
}

func TestConvertContacts(t *testing.T) {
	c := converter(t, "id,name,email,tags,ltv", nil)
	r, errs := c.Convert(2, []string{"C-9", "Ann", "ann@example.com", "vip gold", "¥12,000"})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if r.Feedback != nil || r.CustomerKey != "C-9" || strings.Join(r.Customer.Tags, " ") != "vip gold" || r.Customer.LTV != 12000 {
		t.Errorf("contact: %+v", r)
	}
	if _, errs := c.Convert(3, []string{"C-9", "Ann", "", "", "-5"}); len(errs) != 1 || errs[0].Column != "ltv" {
		t.Errorf("a negative ltv: %v", errs)
	}
}

func TestConvertOwnExport(t *testing.T) {
	c := converter(t, "id,customer_id,customer_name,customer_email,source,external_id,channel,kind,subject,body,category,priority,status,tags,csat,csat_raw,nps,agent,created_at,resolved_at", nil)
	r, errs := c.Convert(2, []string{"17", "4", "Ann", "ann@example.com", "zendesk", "ZD-1", "email", "complaint", "Late",
		"Where is it", "Shipping/Delay", "high", "open", "late vip", "2", "Bad", "", "bob", "2024-03-05T14:22:05Z", ""})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	fb := r.Feedback
	if r.Source != "zendesk" || fb.Source != "zendesk" || fb.ExternalID != "ZD-1" || fb.Category != "Shipping/Delay" ||
		*fb.CSAT != 2 || fb.CSATRaw != "Bad" || fb.Agent != "bob" || r.Attrs["id"] != "17" || r.CustomerKey != "4" {
		t.Errorf("own export: %+v %+v", r, fb)
	}
}

func TestNewConverterRefusesBadMapping(t *testing.T) {
	m := Detect([]string{"a"})
	m.TZ = "Nowhere/Special"
	if _, err := NewConverter("x", []string{"a"}, m); err == nil {
		t.Error("a bad zone should be refused")
	}
}

package cli

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// TestExportFeedbackRoundTrip: exporting feedback and importing the file
// into an empty database gives the same data back.
func TestExportFeedbackRoundTrip(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	ctx := context.Background()
	st, err := db.Open(ctx, src, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 5, 8, 30, 0, 0, time.UTC)
	st.Now = func() time.Time { return at }
	wang, _ := st.CreateCustomer(ctx, "t", model.Customer{Name: "王芳", Email: "Wang.Fang@example.cn", Phone: "+86 138 0013 8000", Company: "=cmd|' /C calc'!A0"})
	emma, _ := st.CreateCustomer(ctx, "t", model.Customer{Name: "Emma Schmidt", Email: "emma@example.de", Company: "Blue Harbor"})
	items := []model.Feedback{
		{CustomerID: wang.ID, Channel: "email", Kind: model.KindComplaint, Subject: "退款一直没到账", Body: "申请退款两周了\n还没有到账, \"急\"",
			Category: "Billing/Refund", Priority: model.PriorityHigh, Tags: []string{"vip", "退款"}, CSAT: ptrInt(2), NPS: ptrInt(3), Agent: "li.na"},
		{CustomerID: emma.ID, Channel: "chat", Kind: model.KindRequest, Subject: "-SSO please", Body: "@team: SAML would help",
			Priority: model.PriorityLow, NPS: ptrInt(9), Agent: "emma"},
		{CustomerID: emma.ID, Channel: "phone", Kind: model.KindPraise, Body: "great support", CSAT: ptrInt(5)},
	}
	for i, f := range items {
		at = at.Add(time.Duration(i+1) * time.Hour)
		if _, err := st.AddFeedback(ctx, f.Agent, f); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := st.ListFeedback(ctx, model.FeedbackQuery{Limit: 10})
	done := model.StatusResolved
	if _, err := st.SetFeedback(ctx, "li.na", []int64{all[len(all)-1].ID}, model.FeedbackPatch{Status: &done}, 0); err != nil {
		t.Fatal(err)
	}
	want, _ := st.ListFeedback(ctx, model.FeedbackQuery{Limit: 10})
	st.Close()

	file := filepath.Join(dir, "feedback.csv")
	c.ok("export", "feedback", "--db", src, "-o", file)
	raw, _ := os.ReadFile(file)
	rows, err := csv.NewReader(strings.NewReader(string(raw))).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("export: %d rows, %v\n%s", len(rows), err, raw)
	}
	if !strings.Contains(string(raw), `'=cmd|`) || !strings.Contains(string(raw), `'-SSO please`) || !strings.Contains(string(raw), `'@team`) {
		t.Errorf("cells starting like formulas must be guarded:\n%s", raw)
	}

	dst := filepath.Join(dir, "dst.db")
	c.ok("import", "--db", dst, "--format", "json", "--preset", "tickets", file) // as CONTRACT says
	st2, err := db.Open(ctx, dst, db.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	got, _ := st2.ListFeedback(ctx, model.FeedbackQuery{Limit: 10})
	if len(got) != len(want) {
		t.Fatalf("%d items back, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		gc, _ := st2.Customer(ctx, g.CustomerID)
		wc := map[int64]model.Customer{wang.ID: wang, emma.ID: emma}[w.CustomerID]
		if g.Subject != w.Subject || g.Body != w.Body || g.Channel != w.Channel || g.Kind != w.Kind || g.Category != w.Category ||
			g.Priority != w.Priority || g.Status != w.Status || strings.Join(g.Tags, ",") != strings.Join(w.Tags, ",") ||
			fmtIntPtr(g.CSAT) != fmtIntPtr(w.CSAT) || fmtIntPtr(g.NPS) != fmtIntPtr(w.NPS) || g.Agent != w.Agent ||
			!g.CreatedAt.Equal(w.CreatedAt) || rfc3339(g.ResolvedAt) != rfc3339(w.ResolvedAt) || len(g.Attrs) != 0 {
			t.Errorf("item %d differs:\n got %+v\nwant %+v", i, g, w)
		}
		if gc.Name != wc.Name || !strings.EqualFold(gc.Email, wc.Email) || gc.Phone != wc.Phone || gc.Company != wc.Company || len(gc.Attrs) != 0 {
			t.Errorf("customer of item %d differs:\n got %+v\nwant %+v", i, gc, wc)
		}
	}
}

func ptrInt(v int) *int { return &v }

package db

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestIdentityRuleOnAddAndSet: a second customer with another's e-mail in
// another letter case, or another's phone written differently, is refused
// on add and on set, naming the customer who has it; nothing is written.
func TestIdentityRuleOnAddAndSet(t *testing.T) {
	s := openTemp(t)
	a := mustCreate(t, s, model.Customer{Name: "王芳", Email: "Wang.Fang@Example.cn", Phone: "+86 138-0013-8000"})
	b := mustCreate(t, s, model.Customer{Name: "Bob", Email: "bob@example.com"})
	for _, c := range []model.Customer{
		{Name: "王芳 2", Email: "  wang.fang@EXAMPLE.CN "},
		{Name: "王芳 3", Phone: "8613800138000"},
		{Name: "王芳 4", Email: "new@example.com", Phone: "(86) 138 0013 8000"},
	} {
		_, err := s.CreateCustomer(ctx, "tester", c)
		var dup *model.DuplicateError
		if !errors.As(err, &dup) || dup.ID != a.ID || !errors.Is(err, model.ErrDuplicate) || !errors.Is(err, model.ErrInvalid) {
			t.Fatalf("create %+v: %v, want a duplicate of %d", c, err, a.ID)
		}
		if !strings.Contains(err.Error(), "customer 1 (王芳)") {
			t.Errorf("message %q does not name the customer", err)
		}
	}
	email, phone := "WANG.FANG@example.cn", "+86 138 0013 8000"
	for _, p := range []model.CustomerPatch{{Email: &email}, {Phone: &phone}} {
		_, err := s.UpdateCustomer(ctx, "tester", b.ID, p, 0)
		var dup *model.DuplicateError
		if !errors.As(err, &dup) || dup.ID != a.ID {
			t.Fatalf("set: %v, want a duplicate of %d", err, a.ID)
		}
	}
	// A customer keeps its own e-mail in another case.
	own := "BOB@example.com"
	if _, err := s.UpdateCustomer(ctx, "tester", b.ID, model.CustomerPatch{Email: &own}, 0); err != nil {
		t.Fatalf("own e-mail in another case: %v", err)
	}
	var n int
	s.db.QueryRow("SELECT count(*) FROM customers").Scan(&n)
	if n != 2 {
		t.Errorf("%d customers after refused writes, want 2", n)
	}
	// A writer that does not ask first meets the unique index, worded.
	_, err := s.db.Exec("INSERT INTO customers(name, email, email_key, created_at, updated_at) VALUES ('x', 'W', 'wang.fang@example.cn', '', '')")
	if err = translate(err); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("raw insert: %v", err)
	}
}

// TestIdentityRuleOnImport: an import row whose e-mail names customer A
// and whose phone names customer B is rejected (counted, with its line and
// the customer it collides with) and nothing of it is stored; so is a row
// matched by its source id that names another customer's e-mail. The other
// rows of the batch are stored.
func TestIdentityRuleOnImport(t *testing.T) {
	s := openTemp(t)
	a := mustCreate(t, s, model.Customer{Name: "Ann", Email: "ann@example.com"})
	b := mustCreate(t, s, model.Customer{Name: "Ben", Email: "ben@example.com", Phone: "+1 415 555 0101"})
	recs := []model.ImportRecord{
		{Line: 2, Customer: model.Customer{Name: "Ann", Email: "ANN@example.com", Phone: "1 (415) 555-0101"},
			FeedbackKey: "t1", Feedback: &model.Feedback{Subject: "hi", Body: "x", Kind: model.KindFeedback, Status: model.StatusOpen, CreatedAt: demoTestNow}},
		{Line: 3, CustomerKey: "k9", Customer: model.Customer{Name: "Cat", Email: "cat@example.com"}},
		// matched by its source id, then naming Ben's e-mail
		{Line: 4, CustomerKey: "k9", Customer: model.Customer{Name: "Cat", Email: "Ben@example.com"}},
	}
	counts, err := s.ImportBatch(ctx, "tester", "crm", recs, false)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Errors != 2 || len(counts.Rejected) != 2 || counts.CustomersCreated != 1 || counts.FeedbackCreated != 0 {
		t.Fatalf("counts %+v", counts)
	}
	if r := counts.Rejected[0]; r.Line != 2 || !strings.Contains(r.Reason, "customer 2 (Ben)") {
		t.Errorf("rejected %+v", r)
	}
	if r := counts.Rejected[1]; r.Line != 4 || !strings.Contains(r.Reason, "customer 2 (Ben)") {
		t.Errorf("rejected %+v", r)
	}
	got, _ := s.Customer(ctx, a.ID)
	if got.Phone != "" || got.FeedbackN != 0 {
		t.Errorf("Ann changed by a rejected row: %+v", got)
	}
	if got, _ := s.FindCustomer(ctx, "cat@example.com"); got.Name != "Cat" || got.ID == b.ID {
		t.Errorf("Cat = %+v", got)
	}
	figuresMatch(t, s, "after import")
}

// TestMigrationKeepsOldDuplicates: a database from before the rule with
// two customers sharing an e-mail and a phone migrates; the later ones are
// marked, customers show by that e-mail is refused as ambiguous rather
// than picking one, and a marked customer's new e-mail is held to the rule.
func TestMigrationKeepsOldDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER customers_email_dup_clear", "DROP TRIGGER customers_phone_dup_clear",
		"DROP INDEX customers_email_unique", "DROP INDEX customers_phone_unique", "DROP INDEX feedback_with_attrs", "DROP INDEX followups_done_order", "DROP INDEX followups_done_by_assignee", "ALTER TABLE customer_keys DROP COLUMN matched", // migrations 10–13 run again
		"DROP TRIGGER followup_counts_customer_ai", "DROP TRIGGER followup_counts_customer_ad", "DROP TABLE followup_counts",
		"DROP TRIGGER facts_customer_ai", "DROP TRIGGER facts_customer_ad", "DROP TRIGGER facts_customer_au", // migration 14
		"DROP TRIGGER facts_feedback_ai", "DROP TRIGGER facts_feedback_ad", "DROP TRIGGER facts_feedback_au",
		"DROP TRIGGER facts_customer_tags_ai", "DROP TRIGGER facts_customer_tags_ad", "DROP TRIGGER facts_customer_tags_au",
		"DROP TRIGGER facts_tags_au", "DROP TRIGGER facts_tags_ad", "DROP TRIGGER facts_categories_au", "DROP TRIGGER facts_categories_ad",
		"DROP TABLE facts_changes",
		"CREATE INDEX customers_by_followups ON customers(followups_open, id)",
		"ALTER TABLE customers DROP COLUMN email_dup", "ALTER TABLE customers DROP COLUMN phone_dup", "PRAGMA user_version = 8"} {
		mustExec(t, s, q)
	}
	for _, c := range [][3]string{{"Ann", "ann@x.com", "111 222 333"}, {"Ann B", "ANN@x.com", "111-222-333"}, {"Cy", "cy@x.com", ""}} {
		mustExec(t, s, `INSERT INTO customers(name, email, email_key, phone, phone_digits, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`, c[0], c[1], model.NormalizeEmail(c[1]), c[2], model.PhoneDigits(c[2]))
	}
	s.Close()
	if s, err = Open(context.Background(), path, Options{}); err != nil {
		t.Fatalf("migrating a database with duplicates: %v", err)
	}
	defer s.Close()
	var marks string
	s.db.QueryRow("SELECT group_concat(id || ':' || email_dup || phone_dup, ' ') FROM customers").Scan(&marks)
	if marks != "1:00 2:11 3:00" {
		t.Errorf("marks %q", marks)
	}
	for _, ref := range []string{"ann@X.com", "111222333"} {
		_, err := s.FindCustomer(ctx, ref)
		var amb *model.AmbiguousError
		if !errors.As(err, &amb) || len(amb.IDs) != 2 || !errors.Is(err, model.ErrInvalid) {
			t.Errorf("FindCustomer(%q) = %v, want ambiguous", ref, err)
		}
	}
	cy := "CY@x.com"
	if _, err := s.UpdateCustomer(ctx, "t", 2, model.CustomerPatch{Email: &cy}, 0); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("marked customer taking Cy's e-mail: %v", err)
	}
	fresh := "ann.b@x.com"
	if _, err := s.UpdateCustomer(ctx, "t", 2, model.CustomerPatch{Email: &fresh}, 0); err != nil {
		t.Fatal(err)
	}
	var dupFlag int
	s.db.QueryRow("SELECT email_dup FROM customers WHERE id = 2").Scan(&dupFlag)
	if dupFlag != 0 {
		t.Errorf("a new e-mail keeps the duplicate mark")
	}
	// now held by the unique index too
	if _, err := s.db.Exec("UPDATE customers SET email_key = 'cy@x.com' WHERE id = 2"); !errors.Is(translate(err), model.ErrDuplicate) {
		t.Errorf("unique index after the mark cleared: %v", err)
	}
}

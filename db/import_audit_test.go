package db

import (
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestImportIsAudited: each batch that changed something leaves an
// "import" row, and a customer an import changed leaves its field-level
// change under the importing agent.
func TestImportIsAudited(t *testing.T) {
	s := openTemp(t)
	rec := func(plan string) []model.ImportRecord {
		return []model.ImportRecord{{Line: 2, CustomerKey: "c1", Customer: model.Customer{Name: "王芳", Plan: plan}}}
	}
	if _, err := s.ImportBatch(ctx, "importer", "crm", rec("free"), false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportBatch(ctx, "importer", "crm", rec("pro"), false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportBatch(ctx, "importer", "crm", rec("pro"), false); err != nil { // unchanged: no row
		t.Fatal(err)
	}
	if n := countRows(t, s, "SELECT count(*) FROM audit WHERE entity = 'import' AND agent = 'importer'"); n != 2 {
		t.Errorf("%d import rows in the audit, want 2", n)
	}
	entries, err := s.Audit(ctx, AuditQuery{Entity: "customer", Agent: "importer"})
	if err != nil || len(entries) != 1 || entries[0].Action != "import" || entries[0].Changes["plan"][1] != "pro" {
		t.Errorf("customer audit after the import: %+v %v", entries, err)
	}
}

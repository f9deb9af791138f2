package db

import (
	"errors"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// A merge made from the TUI is one action on the agent's undo stack: u
// puts both customers back as they were, and redo is refused with a reason.
func TestMergeUndoneFromTheStack(t *testing.T) {
	s := openTemp(t)
	ann := model.Customer{Name: "Ann Lee", Email: "ann@example.com", Plan: "pro"}
	bee := model.Customer{Name: "Ann L.", Phone: "+1 415 555 0101", Company: "Acme"}
	if _, err := s.ImportBatch(ctx, "imp", "zendesk", []model.ImportRecord{
		fbRec(2, "zendesk", "z1", ann, "t1", model.KindComplaint, 2, 3, 40),
		fbRec(3, "zendesk", "z2", bee, "t2", model.KindPraise, 5, 10, 5),
	}, false); err != nil {
		t.Fatal(err)
	}
	a, _ := s.FindCustomer(ctx, "ann@example.com")
	b, _ := s.FindCustomer(ctx, "14155550101")
	before := withoutAudit(mergeState(t, s))
	if _, err := s.MergeCustomers(tui, "li.na", b.ID, a.ID, model.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	if withoutAudit(mergeState(t, s)) == before {
		t.Fatal("the merge changed nothing")
	}
	act, err := s.Undo(tui, "li.na", 0)
	if err != nil {
		t.Fatalf("undo of the merge: %v", err)
	}
	if act.Label == "" && act.Summary == "" {
		t.Logf("undone action: %+v", act)
	}
	if got := auditActions(t, s); strings.Join(got, " ") != "import/import customer/merge action/do customer/undo action/undo" {
		t.Errorf("audit after undo: %v", got)
	}
	if got := withoutAudit(mergeState(t, s)); got != before {
		t.Errorf("after undo:\n%s\nwant\n%s", got, before)
	}
	aggregatesMatchRebuild(t, s, "after the merge's undo")
	_, err = s.Redo(tui, "li.na", 0)
	var ue *model.UndoError
	if !errors.As(err, &ue) {
		t.Errorf("redo of a merge: %v, want a refusal with a reason", err)
	}
}

// withoutAudit drops mergeState's section of customer audit rows: the undo
// adds its own entry there, checked by name above.
func withoutAudit(state string) string {
	parts := strings.Split(state, "--\n")
	parts[6] = ""
	return strings.Join(parts, "--\n")
}

func auditActions(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.db.Query("SELECT entity || '/' || action FROM audit ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		out = append(out, a)
	}
	return out
}

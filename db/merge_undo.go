package db

import (
	"context"
	"database/sql"

	"github.com/rapportcrm/rapport/model"
)

// A merge takes part in the agent's undo stack: undo runs the unmerge
// (which checks that nothing moved on since) inside the undo's
// transaction. Redo is refused with a reason: merging again from the
// profile shows the fields side by side, which a blind replay would not.
func init() {
	replayers["customer/merge"] = func(s *Store, ctx context.Context, _ *sql.Tx, agent string, row auditRow, redo bool) error {
		if redo {
			return &model.UndoError{Reason: "a merge is not redone blindly; merge the two customers again from the profile (M)"}
		}
		_, err := s.UnmergeCustomers(ctx, agent, row.id)
		return err
	}
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// rapport copy --from SRC --to DST: a whole database from one store to
// another (a SQLite file or a postgres:// URL on either side), ids,
// versions, audit and timestamps kept (db.Copy). DST must be new or
// empty: a second run on the same pair is refused with exit 2 and writes
// nothing, so a copy never duplicates.
func (a *app) copyCmd() *cobra.Command {
	var from, to string
	var format *formatOpt
	cmd := &cobra.Command{
		Use:   "copy --from SRC --to DST [--format json]",
		Short: "Copy a whole database into a new one (SQLite file ↔ PostgreSQL)",
		Long: "Copy a whole database into a new or empty one: SRC and DST are each a SQLite file\n" +
			"or a postgres:// URL. Ids, versions, timestamps and the audit trail are kept; search\n" +
			"indexes are rebuilt. A DST that holds data is refused (exit 2) and left untouched.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := format.parse()
			if err != nil {
				return err
			}
			if from == "" || to == "" {
				return usageErrorf("copy needs both --from and --to")
			}
			n, err := a.copyStores(cmd.Context(), from, to)
			if err != nil {
				return err
			}
			return a.printResult(f, n, linef("copied %s to %s: %s, %s feedback, %s, %s, %s\n",
				db.RedactURL(from), db.RedactURL(to), copyCount(n.Customers, "customer", "customers"), model.Thousands(n.Feedback),
				copyCount(n.FollowUps, "follow-up", "follow-ups"), copyCount(n.Notes, "note", "notes"), copyCount(n.Audit, "audit entry", "audit entries")))
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&from, "from", "", "the database to copy: a file or a postgres:// URL")
	fl.StringVar(&to, "to", "", "the new database: a file (created) or an empty postgres:// database")
	format = tableOrJSON(cmd)
	return cmd
}

// copyStores opens both stores and copies. A destination file that this
// command created is removed again when the copy fails.
func (a *app) copyStores(ctx context.Context, from, to string) (db.CopyCounts, error) {
	var n db.CopyCounts
	if same(from, to) {
		return n, usageErrorf("--from and --to name the same database")
	}
	src, err := db.Open(ctx, from, db.Options{MustExist: true, OnUpgrade: a.upgrading(from)})
	if err != nil {
		return n, err
	}
	defer src.Close()
	created := false
	if !db.IsURL(to) {
		if _, err := os.Stat(to); errors.Is(err, os.ErrNotExist) {
			created = true
		}
	}
	dst, err := db.Open(ctx, to, db.Options{OnUpgrade: a.upgrading(to)})
	if err != nil {
		return n, err
	}
	n, err = db.Copy(ctx, src, dst)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if created {
			for _, p := range []string{to, to + "-wal", to + "-shm"} {
				os.Remove(p)
			}
		}
		if errors.Is(err, db.ErrNotEmpty) {
			return n, usageErrorf("cannot copy into %s: %v", db.RedactURL(to), err)
		}
		return n, err
	}
	return n, nil
}

// upgrading is Open's OnUpgrade for a database named on the command line:
// the "upgrading…" line, with any password left out.
func (a *app) upgrading(name string) func(from, to int) {
	return func(from, to int) {
		fmt.Fprintf(a.stderr, "rapport: upgrading %s from schema %d to %d (a minute or so on millions of rows)…\n",
			db.RedactURL(name), from, to)
	}
}

// same tells whether two names are one database: the same URL, or paths
// of one file.
func same(a, b string) bool {
	if a == b {
		return true
	}
	if db.IsURL(a) || db.IsURL(b) {
		return false
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	pa, errA := filepath.Abs(a)
	pb, errB := filepath.Abs(b)
	return errA == nil && errB == nil && pa == pb
}

// copyCount is n with its noun: "1 note", "2,000 notes".
func copyCount(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return model.Thousands(n) + " " + many
}

package importer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

// A store on a server has no folder here (FilesDir ""): the rejected rows
// are offered a name beside the imported file; a database file's folder
// otherwise.
func TestImportServiceErrorsFileWhere(t *testing.T) {
	ctx := context.Background()
	csvDir, dbDir := t.TempDir(), t.TempDir()
	csvPath := filepath.Join(csvDir, "tickets.csv")
	if err := os.WriteFile(csvPath, []byte("Ticket ID,Email,Subject\nT-1,a@example.com,Hello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lite, err := db.Open(ctx, filepath.Join(dbDir, "crm.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if lite.FilesDir() != dbDir {
		t.Fatalf("SQLite FilesDir = %q, want %q", lite.FilesDir(), dbDir)
	}
	plan, err := Service{Store: lite}.Inspect(ctx, csvPath, model.ImportSettings{})
	if err != nil || plan.ErrorsFile != filepath.Join(dbDir, "tickets.errors.csv") {
		t.Fatalf("SQLite: errors file %q, %v; want beside the database", plan.ErrorsFile, err)
	}

	pg, err := db.Open(ctx, pgtest.Database(t), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if pg.FilesDir() != "" {
		t.Fatalf("PostgreSQL FilesDir = %q, want none", pg.FilesDir())
	}
	plan, err = Service{Store: pg}.Inspect(ctx, csvPath, model.ImportSettings{})
	if err != nil || plan.ErrorsFile != filepath.Join(csvDir, "tickets.errors.csv") {
		t.Fatalf("PostgreSQL: errors file %q, %v; want beside the imported file", plan.ErrorsFile, err)
	}
}

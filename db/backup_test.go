package db

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// TestBackupUnderWrites copies the database while two writers keep
// writing: the copy opens, passes integrity_check and holds a prefix of
// the writes; the source and existing files are never overwritten.
func TestBackupUnderWrites(t *testing.T) {
	s := openTemp(t)
	c := mustCreate(t, s, model.Customer{Name: "Busy"})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.AddNote(ctx, fmt.Sprint("w", w), model.Note{CustomerID: c.ID, Body: "note"}); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
	}
	dir := t.TempDir()
	var copies []string
	for i := 0; i < 3; i++ {
		p := filepath.Join(dir, fmt.Sprintf("copy%d.db", i))
		if err := s.Backup(ctx, p); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, p)
	}
	close(stop)
	wg.Wait()
	for _, p := range copies {
		b, err := Open(ctx, p, Options{MustExist: true})
		if err != nil {
			t.Fatal(err)
		}
		if bad, err := b.IntegrityCheck(ctx); err != nil || len(bad) > 0 {
			t.Errorf("%s: integrity %v %v", p, bad, err)
		}
		if fi, _ := os.Stat(p); fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s mode %v", p, fi.Mode().Perm())
		}
		b.Close()
	}
	for _, dest := range []string{s.Path(), copies[0]} {
		if err := s.Backup(ctx, dest); err == nil || !strings.Contains(err.Error(), "cannot back up") {
			t.Errorf("Backup(%s) = %v, want a refusal", dest, err)
		}
	}
}

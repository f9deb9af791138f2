package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRejectedWriter: rows stream to the file with their reasons, a new
// header comes with a file whose header differs, a row that could not be
// parsed names its line, and an exclusive writer never replaces a file.
func TestRejectedWriter(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	none := &RejectedWriter{Path: path}
	if err := none.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a writer with no rows created %s", path)
	}
	w := &RejectedWriter{Path: path}
	a, b := []string{"id", "email"}, []string{"id", "email", "note"}
	w.Add(a, 2, []string{"1", "bad"}, `"bad" is not an email address`)
	w.Add(a, 3, []string{"2", "=cmd"}, "bad too")
	w.Add(b, 7, nil, "bare \" in non-quoted field")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := "id,email,errors\n1,bad,\"\"\"bad\"\" is not an email address\"\n2,'=cmd,bad too\n" +
		"id,email,note,errors\n,,,\"line 7: bare \"\" in non-quoted field\"\n"
	if string(got) != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}

	ex := &RejectedWriter{Path: path, Exclusive: true}
	ex.Add(a, 2, []string{"1", "x"}, "r")
	if err := ex.Close(); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("exclusive writer over an existing file: %v", err)
	}
	if again, _ := os.ReadFile(path); string(again) != want {
		t.Error("the existing file changed")
	}
	if p := FreeName(path); p != filepath.Join(dir, "out-2.csv") {
		t.Errorf("free name %s", p)
	}
	if p := FreeErrorsPath(dir, "/elsewhere/tickets.csv"); p != filepath.Join(dir, "tickets.errors.csv") {
		t.Errorf("errors path %s", p)
	}
}

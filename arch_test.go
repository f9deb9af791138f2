package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// The layering of the house (see each package's doc.go): which package may
// not import which. A path without a dot is one of ours, relative to the
// module ("" is the root, main); "db" also forbids db/storetest and
// db/pgtest. Paths with a dot, or standard-library paths, are outside
// packages: naming one keeps a kind of code out (SQL out of ui, drawing out
// of db).
var layers = []struct {
	pkg    string
	forbid []string
	why    string
}{
	{"model", []string{"*", "database/sql", "github.com/charmbracelet", "github.com/spf13"},
		"model is the domain at the centre: it imports nothing of ours, no storage and no terminal"},
	{"facts", []string{"db", "import", "ui", "cli", "serve", "demo", "database/sql"},
		"facts tallies model values in memory; the store feeds it, it never asks the database"},
	{"demo", []string{"db", "import", "ui", "cli", "serve", "facts", "database/sql"},
		"demo makes model values; a store loads them through model.DemoSource"},
	{"db/storetest", []string{"db!", "import", "ui", "cli", "serve", "demo", "facts"},
		"the conformance suite is black-box: it sees a store through model's interfaces only"},
	{"db/pgtest", []string{"*"}, "pgtest hands out databases and knows nothing of Rapport"},
	{"db", []string{"ui", "cli", "import", "serve", "demo", "github.com/charmbracelet", "github.com/spf13"},
		"db stores and answers in model's terms; it never draws, parses CSV or runs commands"},
	{"import", []string{"db", "ui", "cli", "serve", "demo", "facts", "database/sql", "github.com/charmbracelet", "github.com/spf13"},
		"the importer reads files into a store through model's interfaces (where its files go too: FilesDir); the front ends call it, not the other way round"},
	{"ui", []string{"db", "import", "cli", "serve", "demo", "facts", "database/sql", "modernc.org/sqlite",
		"github.com/jackc/pgx"},
		"ui knows neither SQL nor CSV import: it declares the interfaces it needs (ui.Store, ui.Importer)"},
	{"serve", []string{"cli", "import", "demo", "facts", "github.com/spf13"},
		"serve hosts sessions of the TUI and the commands; cli wires it, not the other way round"},
	{"", []string{"db", "import", "ui", "serve", "demo", "facts", "model"},
		"main stays thin: it runs cli.Execute and nothing else"},
}

// testLayers are the rules that hold for test files too: a test may reach
// further than its package (ui's tests open a real db.Store), but these
// never.
var testLayers = map[string][]string{
	"model": {"*"},
	"facts": {"db", "import", "ui", "cli", "serve"},
	"db":    {"ui", "cli", "import", "serve"},
}

const module = "github.com/rapportcrm/rapport"

type goPackage struct {
	ImportPath, Doc                    string
	Imports, TestImports, XTestImports []string
}

// listPackages asks the go command for every package of the module.
func listPackages(t *testing.T) []goPackage {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command("go", "list", "-json=ImportPath,Doc,Imports,TestImports,XTestImports", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v: %s", err, stderr.String())
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	return pkgs
}

// rel is a package's path inside the module ("" for the root), or the
// path itself for an outside package; ours says which.
func rel(path string) (string, bool) {
	if path == module {
		return "", true
	}
	if r, ok := strings.CutPrefix(path, module+"/"); ok {
		return r, true
	}
	return path, false
}

// forbidden tells whether rule forbids importing path: "*" is any package
// of ours, "db!" is db alone, "db" is db and the packages below it.
func forbidden(rule, path string) bool {
	r, ours := rel(path)
	switch {
	case rule == "*":
		return ours
	case strings.HasSuffix(rule, "!"):
		return ours && r == strings.TrimSuffix(rule, "!")
	case strings.Contains(strings.SplitN(rule, "/", 2)[0], ".") || !isOurs(rule):
		return !ours && (path == rule || strings.HasPrefix(path, rule+"/"))
	}
	return ours && (r == rule || strings.HasPrefix(r, rule+"/"))
}

// isOurs tells a rule naming one of our packages from one naming a
// standard-library package (database/sql).
func isOurs(rule string) bool {
	switch strings.SplitN(rule, "/", 2)[0] {
	case "model", "facts", "demo", "db", "import", "ui", "cli", "serve", "":
		return true
	}
	return false
}

// TestImportsFollowTheLayers fails when a package imports what its layer
// forbids, naming the import and the reason.
func TestImportsFollowTheLayers(t *testing.T) {
	pkgs := listPackages(t)
	seen := map[string]bool{}
	for _, p := range pkgs {
		name, _ := rel(p.ImportPath)
		for _, l := range layers {
			if l.pkg != name {
				continue
			}
			seen[name] = true
			for _, imp := range p.Imports {
				for _, f := range l.forbid {
					if forbidden(f, imp) {
						t.Errorf("%s imports %s: %s", p.ImportPath, imp, l.why)
					}
				}
			}
		}
		for _, imp := range append(append([]string{}, p.TestImports...), p.XTestImports...) {
			for _, f := range testLayers[name] {
				if forbidden(f, imp) && imp != p.ImportPath {
					t.Errorf("a test of %s imports %s, which even its tests may not", p.ImportPath, imp)
				}
			}
		}
		// Only main runs the command line.
		if name != "" {
			for _, imp := range p.Imports {
				if r, ours := rel(imp); ours && r == "cli" {
					t.Errorf("%s imports %s: only main runs the command line", p.ImportPath, imp)
				}
			}
		}
	}
	for _, l := range layers {
		if !seen[l.pkg] {
			t.Errorf("no package %q in the module: the layer rules name a package that moved", l.pkg)
		}
	}
}

// TestEveryPackageSaysWhatItOwns fails for a package without a package
// comment (a doc.go, or the comment on its main file).
func TestEveryPackageSaysWhatItOwns(t *testing.T) {
	for _, p := range listPackages(t) {
		if strings.TrimSpace(p.Doc) == "" {
			t.Errorf("%s has no package comment: add a doc.go saying what it owns and what it may import", p.ImportPath)
		}
	}
}

// TestForbiddenMatches pins how a rule reads.
func TestForbiddenMatches(t *testing.T) {
	for _, c := range []struct {
		rule, path string
		want       bool
	}{
		{"*", module + "/model", true},
		{"*", "fmt", false},
		{"db", module + "/db", true},
		{"db", module + "/db/storetest", true},
		{"db!", module + "/db/storetest", false},
		{"db!", module + "/db", true},
		{"ui", module + "/uikit", false},
		{"database/sql", "database/sql", true},
		{"database/sql", "database/sql/driver", true},
		{"github.com/charmbracelet", "github.com/charmbracelet/lipgloss", true},
		{"github.com/charmbracelet", module + "/ui", false},
		{"model", module, false},
	} {
		if got := forbidden(c.rule, c.path); got != c.want {
			t.Errorf("forbidden(%q, %q) = %v, want %v", c.rule, c.path, got, c.want)
		}
	}
}

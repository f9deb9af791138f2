package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func TestOrList(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"json"}, "json"},
		{[]string{"csv", "json"}, "csv or json"},
		{[]string{"table", "csv", "json"}, "table, csv or json"},
	} {
		if got := orList(c.in); got != c.want {
			t.Errorf("orList(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFormatFlag: the flag is worded from what it allows, defaults to the
// first, takes any case, and refuses the rest as a usage error (exit 2).
func TestFormatFlag(t *testing.T) {
	f := pflag.NewFlagSet("x", pflag.ContinueOnError)
	o := formatFlag(f, formatTable, formatCSV, formatJSON)
	fl := f.Lookup("format")
	if fl.Usage != "output format: table, csv or json" || fl.DefValue != "table" {
		t.Errorf("usage %q, default %q", fl.Usage, fl.DefValue)
	}
	if got, err := o.parse(); got != formatTable || err != nil {
		t.Errorf("default parses to %q, %v", got, err)
	}
	if err := f.Parse([]string{"--format", " JSON "}); err != nil {
		t.Fatal(err)
	}
	if got, err := o.parse(); got != formatJSON || err != nil {
		t.Errorf("' JSON ' parses to %q, %v", got, err)
	}
	o.value = "xml"
	_, err := o.parse()
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), `unknown format "xml" (expected table, csv, json)`) {
		t.Errorf("xml: exit %d, %v", exitCode(err), err)
	}
}

func TestParseIDs(t *testing.T) {
	ids, err := parseIDs([]string{"3", "40"}, "feedback")
	if err != nil || len(ids) != 2 || ids[0] != 3 || ids[1] != 40 {
		t.Errorf("3 40: %v, %v", ids, err)
	}
	for _, bad := range []string{"0", "-1", "x", "1.5", ""} {
		_, err := parseIDs([]string{"1", bad}, "follow-up")
		if exitCode(err) != exitUsage || !strings.Contains(err.Error(), "is not a follow-up id") {
			t.Errorf("%q: exit %d, %v", bad, exitCode(err), err)
		}
	}
}

// TestPrintResult: one JSON document for a script, the text for a
// person, nothing else either way.
func TestPrintResult(t *testing.T) {
	var out bytes.Buffer
	a := &app{env: env{stdout: &out}}
	v := map[string]any{"id": 7, "name": "<王芳>"}
	if err := a.printResult(formatJSON, v, linef("never\n")); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"id\": 7,\n  \"name\": \"<王芳>\"\n}\n"; out.String() != want {
		t.Errorf("json: %q, want %q", out.String(), want)
	}
	out.Reset()
	if err := a.printResult(formatTable, v, linef("customer %d %s\n", 7, "王芳")); err != nil {
		t.Fatal(err)
	}
	if out.String() != "customer 7 王芳\n" {
		t.Errorf("table: %q", out.String())
	}
}

// TestListTwinsAgree: `rapport X` and `rapport X list` are one listing,
// with the same flags, the same output and the same refusals.
func TestListTwinsAgree(t *testing.T) {
	c := newCLI(t)
	path := filepath.Join(t.TempDir(), "t.db")
	c.ok("customers", "add", "--db", path, "--name", "王芳", "--email", "wf@example.cn", "--plan", "pro")
	c.ok("customers", "add", "--db", path, "--name", "Ann", "--email", "ann@example.com")
	c.ok("feedback", "add", "--db", path, "--customer", "wf@example.cn", "--text", "退款", "--csat", "2")
	c.ok("followup", "add", "--db", path, "--customer", "ann@example.com", "--due", "+2h", "--note", "call")
	c.ok("segment", "add", "--db", path, "pro", "plan = pro")
	c.ok("categories", "add", "--db", path, "Shipping/Late")
	c.ok("rules", "add", "--db", path, "--match", "退款", "--category", "Billing/Refund")
	for _, cmd := range []struct {
		name string
		args []string
	}{
		{"customers", []string{"--sort", "name:desc"}},
		{"feedback", []string{"--customer", "wf@example.cn"}},
		{"followup", []string{"--all"}},
		{"segment", nil},
		{"categories", nil},
		{"rules", nil},
	} {
		for _, format := range []string{"table", "json"} {
			args := append([]string{"--db", path, "--format", format}, cmd.args...)
			alone := c.ok(append([]string{cmd.name}, args...)...).stdout
			twin := c.ok(append([]string{cmd.name, "list"}, args...)...).stdout
			if alone != twin {
				t.Errorf("%s and %s list differ in %s:\n%s\n%s", cmd.name, cmd.name, format, alone, twin)
			}
			if strings.Count(alone, "\n") < 2 {
				t.Errorf("%s --format %s lists nothing: %q", cmd.name, format, alone)
			}
		}
		c.fails(2, []string{cmd.name, "--db", path, "--format", "xml"}, `unknown format "xml"`)
		c.fails(2, []string{cmd.name, "list", "--db", path, "--format", "xml"}, `unknown format "xml"`)
		help := c.ok(cmd.name, "--help").stdout
		listHelp := c.ok(cmd.name, "list", "--help").stdout
		if flags(help) != flags(listHelp) {
			t.Errorf("%s and %s list take different flags:\n%s\n---\n%s", cmd.name, cmd.name, flags(help), flags(listHelp))
		}
	}
}

// flags is the "Flags:" section of a command's help, without the line of
// --help (which names the command).
func flags(help string) string {
	_, after, _ := strings.Cut(help, "Flags:\n")
	section, _, _ := strings.Cut(after, "\n\n")
	var keep []string
	for _, l := range strings.Split(section, "\n") {
		if !strings.Contains(l, "--help") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

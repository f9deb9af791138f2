package cli

import (
	"fmt"
	"io"
	"strings"

	importer "github.com/rapportcrm/rapport/import"
)

// writeColumnDecisions prints, under a file's line of the table report,
// what each column was taken to mean and why, then the findings in
// words. Columns kept as attributes by their header alone are counted,
// not listed: a Jira export has hundreds.
func writeColumnDecisions(out io.Writer, fr importer.FileReport) {
	attrs := map[importer.Level]int{}
	for _, c := range fr.Columns {
		if c.Field == "attrs" && strings.HasPrefix(c.Evidence, "kept as") || c.Field == "attrs" && strings.HasPrefix(c.Evidence, "one row per customer") {
			attrs[c.Level]++
			continue
		}
		h := oneLine(c.Header)
		if h == "" {
			h = `""`
		}
		fmt.Fprintf(out, "  %s: %s\n", h, oneLine(c.Evidence))
	}
	for _, l := range []importer.Level{importer.LevelCustomer, importer.LevelFeedback} {
		if attrs[l] > 0 {
			fmt.Fprintf(out, "  + %d more columns kept as %s attributes\n", attrs[l], l)
		}
	}
	for _, n := range fr.Notes {
		fmt.Fprintln(out, "  note: "+oneLine(n))
	}
}

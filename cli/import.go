package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/db"
	importer "github.com/rapportcrm/rapport/import"
	"github.com/rapportcrm/rapport/model"
)

// exitRowErrors: the import finished but some rows were rejected.
const exitRowErrors = 3

// rowErrorsError makes the command exit 3 after printing the report.
type rowErrorsError struct{ n int }

func (e *rowErrorsError) Error() string {
	return plural(e.n, "row") + " rejected (the others are stored)"
}

func (a *app) importCmd() *cobra.Command {
	var opts importer.Options
	var encoding, delimiter, tz, errorsFile, format, preset, mapFile, saveMap string
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import helpdesk and survey CSV exports (any encoding; idempotent)",
		Args:  minArgs("FILE"),
		RunE: func(cmd *cobra.Command, files []string) error {
			format, err := parseFormat(format, formatTable, formatJSON)
			if err != nil {
				return err
			}
			if _, err := importer.DetectMapping(nil, preset); err != nil {
				return usageErrorf("--preset: %v", err)
			}
			opts.Preset = preset
			if mapFile != "" {
				mf, err := importer.LoadMappingFile(mapFile)
				if err != nil {
					return usageErrorf("--map: %v", err)
				}
				if mf.Preset != "" && !cmd.Flags().Changed("preset") {
					opts.Preset = mf.Preset
				}
				opts.Columns, opts.Scales = mf.Columns, mf.Scales
			}
			var saveErr error
			saved := false
			if saveMap != "" {
				opts.Mapping = func(header []string, m importer.Mapping) {
					if !saved { // the first file's mapping
						saved, saveErr = true, importer.SaveMapping(saveMap, header, m)
					}
				}
			}
			opts.Encoding = encoding
			if delimiter != "" {
				r := []rune(delimiter)
				if delimiter == "\\t" || delimiter == "tab" {
					r = []rune{'\t'}
				}
				if len(r) != 1 {
					return usageErrorf("--delimiter takes one character")
				}
				opts.Delimiter = r[0]
			}
			opts.Loc = time.Local
			if tz != "" {
				if opts.Loc, err = time.LoadLocation(tz); err != nil {
					return usageErrorf("--tz %q is not a time zone", tz)
				}
			}
			if opts.Agent, err = a.agentFrom(cmd); err != nil {
				return err
			}
			ctx := cmd.Context()
			rep := importReport{Files: []importer.FileReport{}, DryRun: opts.DryRun}
			var failures []error
			var rejected *importer.RejectedWriter
			if errorsFile != "" {
				rejected = &importer.RejectedWriter{Path: errorsFile}
				opts.Rejected = rejected.Add
			}
			err = a.withImportStore(ctx, opts.DryRun, func(st model.Store) error {
				for _, arg := range files {
					f, done, err := a.importPath(arg) // "-": standard input
					if err != nil {
						return err
					}
					bar := &progressLine{w: a.stderr, label: filepath.Base(f)}
					opts.Progress = nil
					if info, err := os.Stat(f); err == nil && a.stderrTTY {
						size := info.Size()
						opts.Progress = func(rows int, read int64) { bar.updateFile(rows, read, size) }
					}
					fr, err := importer.Run(ctx, st, f, opts)
					done()
					if arg == "-" {
						fr.File = "-"
					}
					bar.clear()
					if err != nil {
						if errors.Is(err, importer.ErrNotDelimited) || errors.Is(err, os.ErrNotExist) {
							failures = append(failures, err)
							continue // the other files still run
						}
						return err
					}
					rep.Files = append(rep.Files, fr)
					rep.Totals.Add(fr.ImportCounts)
				}
				return nil
			})
			if rejected != nil {
				if cerr := rejected.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				return err
			}
			if saveErr != nil {
				return fmt.Errorf("--save-map: %w", saveErr)
			}
			out := newOutput(a.stdout)
			if format == formatJSON {
				err = writeJSON(out, rep)
			} else {
				for _, f := range rep.Files {
					fmt.Fprintf(out, "%s: %s rows (%s, %s, %q) → %d customers created, %d updated; %d feedback created, %d updated; %d unchanged, %d skipped, %d rejected\n",
						f.File, model.Thousands(int64(f.Rows)), f.Preset, f.Encoding, f.Delimiter, f.CustomersCreated, f.CustomersUpdated,
						f.FeedbackCreated, f.FeedbackUpdated, f.Unchanged, f.Skipped, f.ImportCounts.Errors)
					writeColumnDecisions(out, f)
					for i, e := range f.Errors {
						if i == 5 {
							fmt.Fprintf(out, "  … %d more (--errors FILE writes them all)\n", f.ImportCounts.Errors-5)
							break
						}
						fmt.Fprintln(out, "  "+oneLine(e.Error()))
					}
				}
				if opts.DryRun {
					fmt.Fprintln(out, "dry run: nothing was stored")
				}
			}
			if err != nil {
				return err
			}
			if err := out.Flush(); err != nil {
				return err
			}
			switch {
			case len(failures) > 0:
				// one line each; the last is the command's error (exit 1)
				for _, e := range failures[:len(failures)-1] {
					fmt.Fprintln(a.stderr, "rapport: "+oneLine(e.Error()))
				}
				return failures[len(failures)-1]
			case rep.Totals.Errors > 0:
				return &rowErrorsError{n: rep.Totals.Errors}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&preset, "preset", "auto", "export format: "+strings.Join(importer.PresetNames(), ", "))
	f.StringVar(&mapFile, "map", "", "a mapping file (TOML) saying what columns mean; see --save-map")
	f.StringVar(&saveMap, "save-map", "", "write the mapping used (the first file's) to this TOML file, to edit and reuse with --map")
	f.StringVar(&encoding, "encoding", "auto", "auto, utf-8, utf-16, gb18030, windows-1252, cp850 or windows-1252+cp850")
	f.StringVar(&delimiter, "delimiter", "", "field delimiter (default: sniffed among , ; TAB |)")
	f.StringVar(&opts.Source, "source", "", "the system the file's ids come from (default: the preset's name, e.g. zendesk)")
	f.StringVar(&tz, "tz", "", "time zone of times without one (default: local)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "read and report exactly what an import would do, store nothing (no database file is created)")
	f.StringVar(&errorsFile, "errors", "", "write rejected rows, with an errors column, to this CSV file")
	f.StringVar(&format, "format", formatTable, "report format: table or json")
	return cmd
}

// withImportStore runs fn on the database an import writes to. A dry run
// gets a view of it whose writes are all rolled back at the end (exact
// counts, nothing kept); when the database does not exist yet, a dry run
// runs against an empty one in a temporary folder, removed afterwards, so
// that no database file appears.
func (a *app) withImportStore(ctx context.Context, dryRun bool, fn func(st model.Store) error) error {
	if !dryRun {
		return a.withStore(ctx, false, fn)
	}
	path, _, err := a.dbPath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); db.IsURL(path) || !errors.Is(err, os.ErrNotExist) {
		return a.withStore(ctx, true, func(st model.Store) error { return st.DryRun(ctx, fn) })
	}
	dir, err := os.MkdirTemp("", "rapport-dry-run-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	st, err := db.Open(ctx, filepath.Join(dir, "dry-run.db"), db.Options{})
	if err != nil {
		return err
	}
	err = st.DryRun(ctx, fn)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return err
}

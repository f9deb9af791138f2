package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/db"
	importer "github.com/rapportcrm/rapport/import"
	"github.com/rapportcrm/rapport/model"
	"github.com/rapportcrm/rapport/ui"
)

// Exit codes, fixed by CONTRACT.md.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitStale   = 4
)

// env is the outside world a command sees. main fills it from the
// process; tests fill it with buffers and a fixed environment.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// Whether the standard streams are terminals: the TUI needs one on
	// stdin and stdout, progress is drawn only on a terminal stderr.
	stdinTTY, stdoutTTY, stderrTTY bool
	// runUI starts the TUI; tests replace it.
	runUI func(ctx context.Context, st ui.Store, opts ui.Options) error
	// served is set for a command run over SSH by `rapport serve`.
	served *servedEnv
}

// app holds the global flags shared by every command.
type app struct {
	env
	dbFlag    string
	agentFlag string
	demo      bool
}

// usageError is a mistake in how the command was called: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// run executes one command line and returns the exit code. Errors are
// printed once, as one line on stderr.
func run(ctx context.Context, args []string, e env) int {
	a := &app{env: e}
	root := a.rootCmd()
	if args == nil {
		args = []string{} // cobra would read os.Args instead
	}
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	msg := oneLine(errorMessage(err))
	if ue := (*usageError)(nil); errors.As(err, &ue) {
		msg += " (see '" + helpCommand(root, args) + "')"
	}
	fmt.Fprintln(e.stderr, "rapport: "+msg)
	return code
}

// exitCode maps an error to the contract's exit codes.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue), errors.Is(err, model.ErrInvalid):
		return exitUsage
	case errors.Is(err, model.ErrStale):
		return exitStale
	case errors.Is(err, model.ErrForbidden):
		return exitForbidden
	case errors.As(err, new(*rowErrorsError)):
		return exitRowErrors
	}
	return exitFailure
}

// errorMessage words an error for a person.
func errorMessage(err error) string {
	var se *model.StaleError
	if errors.As(err, &se) {
		msg := se.Entity
		if se.ID != 0 {
			msg += fmt.Sprintf(" %d", se.ID)
		}
		msg += " changed since version " + fmt.Sprint(se.Want)
		if se.Have != 0 {
			msg += fmt.Sprintf(" (now version %d", se.Have)
			if se.ByAgent != "" {
				msg += ", by " + se.ByAgent
			}
			msg += ")"
		} else if se.ByAgent != "" {
			msg += " (by " + se.ByAgent + ")"
		}
		if len(se.Changes) > 0 {
			parts := make([]string, len(se.Changes))
			for i, c := range se.Changes {
				parts[i] = fmt.Sprintf("%s %s → %s (%s, %s)", c.Field, c.Old, c.New, c.Agent, c.At.Local().Format("2006-01-02 15:04"))
			}
			msg += ": " + strings.Join(parts, "; ")
		}
		return msg + "; nothing was written"
	}
	return err.Error()
}

// oneLine keeps a message to one clean terminal line.
func oneLine(s string) string {
	return strings.TrimSpace(model.CleanLine(s))
}

// helpCommand names the help for the command the arguments reached.
func helpCommand(root *cobra.Command, args []string) string {
	c, _, err := root.Find(args)
	if err != nil || c == nil {
		c = root
	}
	return c.CommandPath() + " --help"
}

// rootCmd builds the whole command tree; a fresh tree per run, so tests
// never see flags left over from another run.
func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "rapport",
		Short: "A keyboard-first terminal CRM for support and user-operations teams",
		Long: "Rapport keeps customer profiles, feedback, follow-ups and satisfaction scores\n" +
			"in one SQLite file. Without a command it opens the TUI; every command below is\n" +
			"scriptable (--format json), with exit codes 0 ok, 1 failure, 2 usage error,\n" +
			"4 changed since --if-version.",
		Args:          noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE:          a.runTUI,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{msg: err.Error()}
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.dbFlag, "db", "", "database: a file, or a postgres:// URL (default $RAPPORT_DB, else rapport.db in the user data dir)")
	pf.StringVar(&a.agentFlag, "agent", "", "who is working; recorded on every change (default $RAPPORT_AGENT, else the login name)")
	root.Flags().BoolVar(&a.demo, "demo", false, "open the TUI on a freshly generated demo database")

	if a.served != nil {
		root.PersistentPreRunE = a.servedPolicy
	}
	root.AddCommand(a.demoCmd(), a.customersCmd(), a.feedbackCmd(), a.notesCmd(), a.segmentCmd(), a.summaryCmd(), a.demandCmd(),
		a.followupCmd(), a.backupCmd(), a.auditCmd(), a.importCmd(), a.importsCmd(), a.exportCmd(), a.categoriesCmd(), a.rulesCmd(),
		a.serveCmd(), a.doctorCmd(), a.copyCmd())
	return root
}

// noArgs refuses arguments on a command that takes none, which for a
// command with subcommands means an unknown subcommand.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasSubCommands() {
		return usageErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return usageErrorf("%q takes no arguments (got %q)", cmd.CommandPath(), args[0])
}

// exactArgs wants n arguments, named for the message.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == len(names) {
			return nil
		}
		if len(args) < len(names) {
			return usageErrorf("%s needs %s", cmd.CommandPath(), strings.Join(names[len(args):], " and "))
		}
		return usageErrorf("%s takes %d argument(s), got %d (quote text that contains spaces)",
			cmd.CommandPath(), len(names), len(args))
	}
}

// groupCmd is a command that only holds subcommands: alone it shows its
// help; with an unknown subcommand it is a usage error.
func groupCmd(use, short string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
}

// agent is who is working: --agent, else $RAPPORT_AGENT, else the login
// name, else "agent".
func (a *app) agent() (string, error) {
	if a.served != nil {
		return a.served.id.Agent, nil
	}
	if name := oneLine(a.agentFlag); name != "" {
		return name, nil
	}
	if name := oneLine(a.getenv("RAPPORT_AGENT")); name != "" {
		return name, nil
	}
	if u, err := user.Current(); err == nil {
		name := u.Username
		if i := strings.LastIndexByte(name, '\\'); i >= 0 { // DOMAIN\user on Windows
			name = name[i+1:]
		}
		if name = oneLine(name); name != "" {
			return name, nil
		}
	}
	return "agent", nil
}

// dbPath is where the database lives: --db, else $RAPPORT_DB, else
// rapport.db in the user data dir. explicit says the user named it. A
// postgres:// URL is returned as given: it is not a path.
func (a *app) dbPath() (path string, explicit bool, err error) {
	if a.dbFlag != "" {
		return a.dbFlag, true, nil
	}
	if p := a.getenv("RAPPORT_DB"); p != "" {
		return p, true, nil
	}
	dir, err := a.dataDir()
	if err != nil {
		return "", false, err
	}
	return filepath.Join(dir, "rapport.db"), false, nil
}

// dataDir follows XDG on Unix ($XDG_DATA_HOME, else ~/.local/share) and
// the platform's application-data folder elsewhere.
func (a *app) dataDir() (string, error) {
	if d := a.getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "rapport"), nil
	}
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		d, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("cannot find a folder for the database (%v); use --db PATH", err)
		}
		return filepath.Join(d, "rapport"), nil
	}
	home := a.getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot find a folder for the database (%v); use --db PATH", err)
		}
		home = h
	}
	return filepath.Join(home, ".local", "share", "rapport"), nil
}

// openStore opens the database the global flags name. Read commands pass
// mustExist, so that a mistyped --db is reported rather than created
// empty; the default database is always created on first use.
func (a *app) openStore(ctx context.Context, mustExist bool) (*db.Store, error) {
	if a.served != nil {
		return a.served.store, nil
	}
	path, explicit, err := a.dbPath()
	if err != nil {
		return nil, err
	}
	if !explicit {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("cannot create %s: %v", filepath.Dir(path), unwrapPathError(err))
		}
	}
	// A postgres:// URL goes to the driver unchanged; messages show it
	// without its password (db.RedactURL).
	return db.Open(ctx, path, db.Options{MustExist: mustExist && explicit, OnUpgrade: a.upgrading(path)})
}

// withStore opens the store, runs fn and closes the store again.
func (a *app) withStore(ctx context.Context, mustExist bool, fn func(st model.Store) error) error {
	st, err := a.openStore(ctx, mustExist)
	if err != nil {
		return err
	}
	for _, w := range st.Warnings() {
		fmt.Fprintln(a.stderr, "rapport: warning: "+oneLine(w))
	}
	err = fn(st)
	if a.served != nil {
		return err // the server's store stays open
	}
	if cerr := st.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return err
}

func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// runTUI opens the TUI: on the database the flags name, or with --demo on
// a fresh demo database in a new temporary folder, kept after quitting.
func (a *app) runTUI(cmd *cobra.Command, _ []string) error {
	ctx := cmd.Context()
	if a.demo && cmd.Flags().Changed("db") {
		return usageErrorf("--demo makes its own database; leave out --db")
	}
	agent, err := a.agentFrom(cmd)
	if err != nil {
		return err
	}
	if !a.stdinTTY || !a.stdoutTTY {
		return errors.New("the TUI needs a terminal; for scripts use a command (see 'rapport --help')")
	}
	var st *db.Store // the TUI also polls Changes, which only the SQLite store offers
	if a.demo {
		dir, err := os.MkdirTemp("", "rapport-demo-")
		if err != nil {
			return fmt.Errorf("cannot create a folder for the demo database: %v", unwrapPathError(err))
		}
		path := filepath.Join(dir, "rapport.db")
		st, _, err = a.generateDemo(ctx, path, demoSize{customers: 3000, feedback: 15000, seed: defaultDemoSeed})
		if err != nil {
			os.RemoveAll(dir)
			return err
		}
		defer fmt.Fprintf(a.stderr, "Demo database kept at %s (rapport --db %s to reopen)\n", path, shellQuote(path))
	} else {
		st, err = a.openStore(ctx, false)
		if err != nil {
			return err
		}
	}
	defer st.Close()
	runUI := a.runUI
	if runUI == nil {
		runUI = ui.Run
	}
	shown := st.Path()
	if db.IsURL(shown) { // the status bar shows "crm on db.example:5432"
		shown = db.ShortName(shown)
	}
	return runUI(ctx, st, ui.Options{Agent: agent, DBPath: shown, Warnings: st.Warnings(), Importer: importer.Service{Store: st}})
}

// agentFrom resolves the agent, knowing whether --agent was given at all
// (so that --agent "" is refused rather than ignored).
func (a *app) agentFrom(cmd *cobra.Command) (string, error) {
	if f := cmd.Flags().Lookup("agent"); f != nil && f.Changed && oneLine(a.agentFlag) == "" {
		return "", usageErrorf("--agent needs a name")
	}
	return a.agent()
}

// shellQuote quotes a path for copying into a shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == ':' || r == '\\' ||
			r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func isNotFound(err error) bool { return errors.Is(err, model.ErrNotFound) }

func (a *app) backupCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "backup PATH",
		Short: "Write a consistent copy of the live database to a new file",
		Args:  exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, true, func(st model.Store) error {
				if err := st.Backup(ctx, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "backed up %s to %s\n", st.Path(), args[0])
				return nil
			})
		},
	}
}

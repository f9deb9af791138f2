package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
	"github.com/rapportcrm/rapport/serve"
)

// exitForbidden: the agent's role does not allow the action (served over
// SSH), per CONTRACT.md.
const exitForbidden = 5

// servedEnv is what a command run over SSH works with: the server's open
// store and the identity of the key that connected.
type servedEnv struct {
	store *db.Store
	id    model.Identity
}

// servedPolicy keeps a command run over SSH inside the server's store and
// off the server's filesystem: the agent is the key's, the database the
// server's, files come from standard input and go to standard output.
func (a *app) servedPolicy(cmd *cobra.Command, args []string) error {
	if !cmd.HasParent() {
		return usageErrorf("over SSH, connect without a command for the TUI, or give one: ssh … -- customers --format json")
	}
	for _, name := range []string{"db", "agent"} {
		if f := cmd.Flag(name); f != nil && f.Changed {
			return usageErrorf("--%s is not used over SSH: the database is the server's and you are %s (your key)", name, a.served.id.Agent)
		}
	}
	switch cmd.CommandPath() {
	case "rapport demo", "rapport backup":
		return usageErrorf("%s writes files on the server and is not available over SSH", cmd.CommandPath())
	case "rapport import":
		for _, f := range args {
			if f != "-" {
				return usageErrorf("over SSH, import reads standard input: ssh … -- import --preset auto - < %s", f)
			}
		}
		if len(args) > 1 {
			return usageErrorf("over SSH, import reads one file, from standard input (-)")
		}
	case "rapport export", "rapport export customers", "rapport export feedback", "rapport export followups", "rapport export summary":
		if err := model.Permit(cmd.Context(), model.RoleLead, "export"); err != nil {
			return err
		}
	}
	for _, name := range []string{"output", "map", "save-map", "errors"} {
		if f := cmd.Flag(name); f != nil && f.Changed {
			return usageErrorf("--%s names a file on the server and is not available over SSH; use standard input and output", name)
		}
	}
	return nil
}

func (a *app) serveCmd() *cobra.Command {
	cfg := serve.Config{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the TUI and the commands to your team over SSH (keys and roles from a team file)",
		Long: "rapport serve owns the database and serves it over SSH: `ssh -p 2323 HOST` opens the TUI as\n" +
			"the agent whose key connected, `ssh -p 2323 HOST -- COMMAND ARGS…` runs a command. Agents,\n" +
			"roles (viewer, agent, lead) and keys come from the team file (TOML; see the README).",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if a.served != nil {
				return usageErrorf("serve is not available over SSH")
			}
			ctx := cmd.Context()
			dir, err := a.dataDir()
			if err != nil {
				return err
			}
			if cfg.TeamFile == "" {
				cfg.TeamFile = filepath.Join(dir, "team.toml")
			}
			if _, err := os.Stat(cfg.TeamFile); err != nil {
				return usageErrorf("team file %s: %v (write one: see README, Team use; or pass --team FILE)", cfg.TeamFile, unwrapPathError(err))
			}
			if cfg.HostKeyPath == "" {
				if err := os.MkdirAll(dir, 0o700); err != nil {
					return err
				}
				cfg.HostKeyPath = filepath.Join(dir, "ssh_host_ed25519")
			}
			st, err := a.openStore(ctx, false)
			if err != nil {
				return err
			}
			defer st.Close() // after Shutdown: waits for statements in progress
			for _, w := range st.Warnings() {
				fmt.Fprintln(a.stderr, "rapport: warning: "+oneLine(w))
			}
			cfg.Store, cfg.DBLabel = st, db.ShortName(st.Path()) // "crm on db.example:5432", never the URL
			cfg.Log = log.New(a.stderr, "rapport serve: ", log.LstdFlags)
			cfg.Command = func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
				id, _ := model.IdentityFrom(ctx)
				return run(ctx, args, env{stdin: stdin, stdout: stdout, stderr: stderr,
					getenv: func(string) string { return "" }, served: &servedEnv{store: st, id: id}})
			}
			srv, err := serve.New(cfg)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", cfg.Listen)
			if err != nil {
				return err
			}
			cfg.Log.Printf("serving %s on %s (team %s, host key %s)", st.Path(), ln.Addr(), cfg.TeamFile, cfg.HostKeyPath)
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer signal.Stop(hup)
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			for {
				select {
				case <-hup:
					srv.ReloadTeam()
				case err := <-errc:
					return err
				case <-ctx.Done():
					cfg.Log.Printf("shutting down: telling %d sessions", srv.Sessions())
					err := srv.Shutdown(context.Background())
					<-errc
					cfg.Log.Printf("stopped")
					if errors.Is(err, net.ErrClosed) {
						err = nil
					}
					return err
				}
			}
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Listen, "listen", "127.0.0.1:2323", "address to listen on (host:port)")
	f.StringVar(&cfg.TeamFile, "team", "", "team file: agents, roles and keys (default team.toml in the data dir)")
	f.StringVar(&cfg.HostKeyPath, "host-key", "", "the server's SSH host key, created on first start (default ssh_host_ed25519 in the data dir)")
	f.IntVar(&cfg.MaxSessions, "max-sessions", 64, "most sessions at once")
	f.IntVar(&cfg.MaxPerAgent, "max-per-agent", 8, "most sessions of one agent at once")
	f.DurationVar(&cfg.IdleTimeout, "idle-timeout", 30*time.Minute, "close a connection with no traffic for this long")
	return cmd
}

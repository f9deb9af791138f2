package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"

	charmlog "github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// Command runs one command line of the CLI contract as the identity on
// ctx, with the session's streams, and returns its exit code.
type Command func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Config is what a server needs.
type Config struct {
	Listen      string    // host:port; default 127.0.0.1:2323
	HostKeyPath string    // created (0600) on first start, reused after
	TeamFile    string    // TOML: [[agent]] name, role, keys
	Store       *db.Store // owned by the caller, shared by every session
	DBLabel     string    // shown in the status bar
	Command     Command   // the CLI, for `ssh … -- COMMAND ARGS…`

	MaxSessions int           // all sessions together; default 64
	MaxPerAgent int           // sessions of one agent; default 8
	IdleTimeout time.Duration // a connection with no traffic is closed; default 30 min
	// After MaxAuthFailures refused keys from one address within
	// AuthWindow, that address is refused for AuthPause.
	MaxAuthFailures int           // default 10
	AuthWindow      time.Duration // default 1 min
	AuthPause       time.Duration // default 1 min
	TeamPoll        time.Duration // how often the team file is looked at; default 2 s
	Grace           time.Duration // how long Shutdown waits for commands; default 30 s

	Log *log.Logger // one line per session start/end and refused key; nil = discard
}

func (c *Config) defaults() {
	if c.Listen == "" {
		c.Listen = "127.0.0.1:2323"
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = 64
	}
	if c.MaxPerAgent <= 0 {
		c.MaxPerAgent = 8
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 30 * time.Minute
	}
	if c.MaxAuthFailures <= 0 {
		c.MaxAuthFailures = 10
	}
	if c.AuthWindow <= 0 {
		c.AuthWindow = time.Minute
	}
	if c.AuthPause <= 0 {
		c.AuthPause = time.Minute
	}
	if c.TeamPoll <= 0 {
		c.TeamPoll = 2 * time.Second
	}
	if c.Grace <= 0 {
		c.Grace = 30 * time.Second
	}
	if c.Log == nil {
		c.Log = log.New(io.Discard, "", 0)
	}
}

// Server serves the TUI and the CLI over SSH.
type Server struct {
	cfg  Config
	ssh  *ssh.Server
	team *teamWatch

	mu       sync.Mutex
	sessions map[*session]struct{}
	perAgent map[string]int
	failures map[string]*failures // by remote IP
	closing  bool
	wg       sync.WaitGroup // running session handlers

	stop chan struct{} // ends the team poll
}

type failures struct {
	n           int
	first       time.Time
	pausedUntil time.Time
}

// ctxIdentity is where authentication leaves the agent's identity on the
// connection's context.
type ctxIdentity struct{}

// New builds a server: it reads the team file and the host key (creating
// it on first start) but does not listen yet.
func New(cfg Config) (*Server, error) {
	cfg.defaults()
	if cfg.TeamFile == "" {
		return nil, errNoTeam
	}
	if cfg.Store == nil || cfg.Command == nil {
		return nil, errors.New("serve: a store and a command runner are needed")
	}
	// wish's middleware reports a program ended by a dropped connection
	// through charm's default logger: into our log, as one line.
	charmlog.SetOutput(cfg.Log.Writer())
	charmlog.SetReportTimestamp(false)
	tw, err := newTeamWatch(cfg.TeamFile)
	if err != nil {
		return nil, fmt.Errorf("team file: %w", err)
	}
	srv := &Server{cfg: cfg, team: tw, sessions: map[*session]struct{}{}, perAgent: map[string]int{},
		failures: map[string]*failures{}, stop: make(chan struct{})}
	s, err := wish.NewServer(
		wish.WithAddress(cfg.Listen),
		wish.WithHostKeyPath(cfg.HostKeyPath),
		wish.WithPublicKeyAuth(srv.authenticate),
		wish.WithIdleTimeout(cfg.IdleTimeout),
		wish.WithMiddleware(func(ssh.Handler) ssh.Handler { return srv.handle }),
	)
	if err != nil {
		return nil, fmt.Errorf("host key %s: %w", cfg.HostKeyPath, err)
	}
	s.ConnCallback = srv.admitConn
	// Nothing but sessions: no port forwarding, no subsystems (sftp).
	s.LocalPortForwardingCallback = nil
	s.ReversePortForwardingCallback = nil
	srv.ssh = s
	go srv.pollTeam()
	return srv, nil
}

// Serve accepts connections on ln until Shutdown.
func (srv *Server) Serve(ln net.Listener) error {
	err := srv.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on the configured address.
func (srv *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", srv.cfg.Listen)
	if err != nil {
		return err
	}
	srv.cfg.Log.Printf("listening on %s", ln.Addr())
	return srv.Serve(ln)
}

// ReloadTeam re-reads the team file now (SIGHUP). Sessions stay; a session
// whose key is no longer in the file is ended.
func (srv *Server) ReloadTeam() error {
	return srv.reloadTeam(true)
}

func (srv *Server) reloadTeam(force bool) error {
	changed, err := srv.team.reload(force)
	if err != nil {
		srv.cfg.Log.Printf("team file not reloaded (the previous team stays): %v", err)
		return err
	}
	if !changed {
		return nil
	}
	t := srv.team.current()
	srv.cfg.Log.Printf("team file reloaded: %d agents", t.Agents())
	srv.mu.Lock()
	var revoked []*session
	for s := range srv.sessions {
		if id, ok := t.Lookup(s.key); !ok || id != s.id {
			revoked = append(revoked, s)
		}
	}
	srv.mu.Unlock()
	for _, s := range revoked {
		srv.cfg.Log.Printf("session %d of %s ended: key removed or changed in the team file", s.n, s.id.Agent)
		s.end("your key was removed from the team file or its role changed; reconnect to continue", true)
	}
	return nil
}

func (srv *Server) pollTeam() {
	t := time.NewTicker(srv.cfg.TeamPoll)
	defer t.Stop()
	for {
		select {
		case <-srv.stop:
			return
		case <-t.C:
			srv.reloadTeam(false)
		}
	}
}

// admitConn drops a connection from an address that is paused after
// repeated failed authentication, before any handshake work.
func (srv *Server) admitConn(ctx ssh.Context, conn net.Conn) net.Conn {
	ip := hostOf(conn.RemoteAddr())
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.closing {
		return nil
	}
	if f := srv.failures[ip]; f != nil && time.Now().Before(f.pausedUntil) {
		return nil
	}
	return conn
}

// authenticate admits a key that the team file names, and nothing else:
// no password, no keyboard-interactive. The identity rides on the
// connection's context to the session.
func (srv *Server) authenticate(ctx ssh.Context, key ssh.PublicKey) bool {
	id, ok := srv.team.current().Lookup(key)
	ip := hostOf(ctx.RemoteAddr())
	srv.mu.Lock()
	defer srv.mu.Unlock()
	f := srv.failures[ip]
	now := time.Now()
	if f != nil && now.Before(f.pausedUntil) {
		return false
	}
	if ok {
		ctx.SetValue(ctxIdentity{}, id)
		return true
	}
	if f == nil || now.Sub(f.first) > srv.cfg.AuthWindow {
		f = &failures{first: now}
		srv.failures[ip] = f
	}
	f.n++
	srv.cfg.Log.Printf("refused key %s from %s (user %q): not in the team file", gossh.FingerprintSHA256(key), ip, ctx.User())
	if f.n >= srv.cfg.MaxAuthFailures {
		f.pausedUntil = now.Add(srv.cfg.AuthPause)
		srv.cfg.Log.Printf("pausing %s for %s after %d refused keys", ip, srv.cfg.AuthPause, f.n)
	}
	return false
}

// admit counts a session in, within the limits.
func (srv *Server) admit(s *session) error {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	switch {
	case srv.closing:
		return errors.New("the server is shutting down")
	case len(srv.sessions) >= srv.cfg.MaxSessions:
		return fmt.Errorf("the server is full (%d sessions); try again later", srv.cfg.MaxSessions)
	case srv.perAgent[s.id.Agent] >= srv.cfg.MaxPerAgent:
		return fmt.Errorf("%s already has %d sessions open; close one first", s.id.Agent, srv.cfg.MaxPerAgent)
	}
	srv.sessions[s] = struct{}{}
	srv.perAgent[s.id.Agent]++
	srv.wg.Add(1)
	return nil
}

func (srv *Server) leave(s *session) {
	srv.mu.Lock()
	delete(srv.sessions, s)
	if srv.perAgent[s.id.Agent]--; srv.perAgent[s.id.Agent] <= 0 {
		delete(srv.perAgent, s.id.Agent)
	}
	srv.mu.Unlock()
	srv.wg.Done()
}

// Sessions counts the open sessions.
func (srv *Server) Sessions() int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return len(srv.sessions)
}

// Shutdown stops accepting connections, tells every TUI session and ends
// it (as if its agent had quit), lets commands in flight (an import, a
// bulk edit) finish within the grace period, and closes the connections.
// The caller closes the store afterwards, which waits for statements in
// progress.
func (srv *Server) Shutdown(ctx context.Context) error {
	srv.mu.Lock()
	if srv.closing {
		srv.mu.Unlock()
		return nil
	}
	srv.closing = true
	close(srv.stop)
	var tuis []*session
	for s := range srv.sessions {
		if s.interactive {
			tuis = append(tuis, s)
		}
	}
	srv.mu.Unlock()
	for _, s := range tuis {
		s.end("rapport serve is shutting down; your work is saved. Reconnect when it is back.", false)
	}
	done := make(chan struct{})
	go func() { srv.wg.Wait(); close(done) }()
	grace, cancel := context.WithTimeout(ctx, srv.cfg.Grace)
	defer cancel()
	select {
	case <-done:
	case <-grace.Done():
		srv.cfg.Log.Printf("shutdown: %d sessions still running after %s; closing them", srv.Sessions(), srv.cfg.Grace)
	}
	return srv.ssh.Close()
}

func hostOf(a net.Addr) string {
	if a == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// identityOf reads what authenticate left on the connection.
func identityOf(ctx ssh.Context) (model.Identity, bool) {
	id, ok := ctx.Value(ctxIdentity{}).(model.Identity)
	return id, ok
}

// servedPollEvery is the TUI's PollEvery in a served session: it turns on the
// reminders; the change feed itself comes from the subscription.
const servedPollEvery = 2 * time.Second

func portOf(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "2323"
	}
	return port
}

package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *logBuf) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func key(t *testing.T) (gossh.Signer, string) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

type fixture struct {
	srv      *Server
	addr     string
	teamFile string
	log      *logBuf
}

// serveWith starts a server whose commands echo the identity they run as
// (`whoami`) or wait until told (`wait`), with the given team file text.
func serveWith(t *testing.T, team string, cfg Config) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{teamFile: filepath.Join(dir, "team.toml"), log: &logBuf{}}
	if err := os.WriteFile(f.teamFile, []byte(team), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := db.Open(context.Background(), filepath.Join(dir, "t.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Listen, cfg.HostKeyPath, cfg.TeamFile, cfg.Store = ln.Addr().String(), filepath.Join(dir, "hk"), f.teamFile, st
	cfg.Log = log.New(f.log, "", 0)
	if cfg.TeamPoll == 0 {
		cfg.TeamPoll = 20 * time.Millisecond
	}
	cfg.Command = func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		id, _ := model.IdentityFrom(ctx)
		switch args[0] {
		case "whoami":
			fmt.Fprintf(stdout, "%s %s", id.Agent, id.Role)
		case "panic":
			panic("a bug in a command")
		case "wait":
			io.Copy(io.Discard, stdin) // until the client closes its input
			fmt.Fprint(stdout, "finished")
		}
		return 0
	}
	f.srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.addr = cfg.Listen
	go f.srv.Serve(ln)
	t.Cleanup(func() {
		f.srv.Shutdown(context.Background())
		st.Close()
	})
	return f
}

func (f *fixture) dial(s gossh.Signer) (*gossh.Client, error) {
	return gossh.Dial("tcp", f.addr, &gossh.ClientConfig{User: "x", Auth: []gossh.AuthMethod{gossh.PublicKeys(s)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
}

func (f *fixture) run(t *testing.T, c *gossh.Client, cmd string) (string, error) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		return "", err
	}
	defer s.Close()
	out, err := s.CombinedOutput(cmd)
	return string(out), err
}

func TestParseTeam(t *testing.T) {
	_, k1 := key(t)
	_, k2 := key(t)
	team, err := ParseTeam(fmt.Sprintf("[[agent]]\nname = \"li.na\"\nrole = \"lead\"\nkeys = [%q, %q]\n", k1+" li@laptop", k2))
	if err != nil || team.Agents() != 1 {
		t.Fatalf("%v %v", team, err)
	}
	pk, _, _, _, _ := gossh.ParseAuthorizedKey([]byte(k2))
	if id, ok := team.Lookup(pk); !ok || id != (model.Identity{Agent: "li.na", Role: model.RoleLead}) {
		t.Errorf("lookup: %v %v", id, ok)
	}
	for _, bad := range []struct{ text, want string }{
		{"[[agent]]\nname = \"a\"\nrole = \"boss\"\nkeys = [\"" + k1 + "\"]\n", "viewer, agent or lead"},
		{"[[agent]]\nname = \"a\"\nrole = \"agent\"\nkeys = [\"ssh-ed25519 nonsense\"]\n", "not an authorized_keys line"},
		{"[[agent]]\nname = \"a\"\nrole = \"agent\"\nkeys = []\n", "no keys"},
		{"[[agent]]\nname = \"a\"\nrole = \"agent\"\nkeys = [\"" + k1 + "\"]\n[[agent]]\nname = \"b\"\nrole = \"agent\"\nkeys = [\"" + k1 + "\"]\n", "also \"a\"'s key"},
		{"[[agent]]\nname = \"a\"\nrole = \"agent\"\nkey = [\"" + k1 + "\"]\n", "unknown setting"},
	} {
		if _, err := ParseTeam(bad.text); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.text, err, bad.want)
		}
	}
}

// TestIdentityFromKeyAndReload: the key names the agent (not the SSH user
// name); the team file is re-read on change without dropping sessions; a
// session whose key was removed is ended; a broken file keeps the team.
func TestIdentityFromKeyAndReload(t *testing.T) {
	ann, annKey := key(t)
	bob, bobKey := key(t)
	eve, eveKey := key(t)
	team := func(lines ...string) string { return strings.Join(lines, "\n") + "\n" }
	annT := fmt.Sprintf("[[agent]]\nname = \"ann\"\nrole = \"agent\"\nkeys = [%q]", annKey)
	bobT := fmt.Sprintf("[[agent]]\nname = \"bob\"\nrole = \"viewer\"\nkeys = [%q]", bobKey)
	eveT := fmt.Sprintf("[[agent]]\nname = \"eve\"\nrole = \"lead\"\nkeys = [%q]", eveKey)
	f := serveWith(t, team(annT, bobT), Config{})
	ca, err := f.dial(ann)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close()
	if out, _ := f.run(t, ca, "whoami"); out != "ann agent" {
		t.Errorf("ann runs as %q", out)
	}
	// A command's panic ends its session only.
	if out, err := f.run(t, ca, "panic"); err == nil || !strings.Contains(out, "internal error") {
		t.Errorf("a panicking command: %q %v", out, err)
	}
	if out, _ := f.run(t, ca, "whoami"); out != "ann agent" {
		t.Errorf("after a panic ann runs as %q", out)
	}
	if _, err := f.dial(eve); err == nil {
		t.Fatal("eve is not in the team yet")
	}
	cb, err := f.dial(bob)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close()
	sb, _ := cb.NewSession()
	in, _ := sb.StdinPipe()
	var bobOut bytes.Buffer
	sb.Stdout = &bobOut
	sb.Start("wait") // a long command of bob's
	// Add eve, drop bob: eve gets in, ann's connection carries on, bob's
	// session is ended.
	time.Sleep(30 * time.Millisecond) // a new modification time
	if err := os.WriteFile(f.teamFile, []byte(team(annT, eveT)), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	var ce *gossh.Client
	for ce == nil && time.Now().Before(deadline) {
		ce, _ = f.dial(eve)
		time.Sleep(20 * time.Millisecond)
	}
	if ce == nil {
		t.Fatalf("eve still refused after the team file changed:\n%s", f.log)
	}
	defer ce.Close()
	if out, _ := f.run(t, ce, "whoami"); out != "eve lead" {
		t.Errorf("eve runs as %q", out)
	}
	if out, err := f.run(t, ca, "whoami"); err != nil || out != "ann agent" {
		t.Errorf("ann's connection after the reload: %q %v", out, err)
	}
	if !strings.Contains(f.log.String(), "bob ended: key removed") {
		t.Errorf("bob's session should be ended:\n%s", f.log)
	}
	if err := sb.Wait(); err == nil || strings.Contains(bobOut.String(), "finished") {
		t.Errorf("bob's command should have been cut off: %q %v", bobOut.String(), err)
	}
	in.Close()
	// A broken file keeps the team that was.
	os.WriteFile(f.teamFile, []byte("[[agent]]\nname = \n"), 0o600)
	if err := f.srv.ReloadTeam(); err == nil {
		t.Error("a broken team file was accepted")
	}
	if out, _ := f.run(t, ce, "whoami"); out != "eve lead" {
		t.Errorf("after a broken reload eve runs as %q", out)
	}
}

// TestLimitsAndAuthPause: sessions per agent are capped; repeated refused
// keys from one address pause it, even for a good key.
func TestLimitsAndAuthPause(t *testing.T) {
	ann, annKey := key(t)
	stranger, _ := key(t)
	f := serveWith(t, fmt.Sprintf("[[agent]]\nname = \"ann\"\nrole = \"agent\"\nkeys = [%q]\n", annKey),
		Config{MaxPerAgent: 2, MaxAuthFailures: 3, AuthPause: time.Hour})
	c, err := f.dial(ann)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var inputs []io.WriteCloser
	for range 2 {
		s, _ := c.NewSession()
		in, _ := s.StdinPipe()
		inputs = append(inputs, in)
		s.Start("wait")
	}
	deadline := time.Now().Add(5 * time.Second)
	for f.srv.Sessions() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	out, err := f.run(t, c, "whoami")
	if err == nil || !strings.Contains(out, "already has 2 sessions") {
		t.Errorf("a third session of ann: %q %v", out, err)
	}
	for _, in := range inputs {
		in.Close()
	}
	for range 3 {
		if _, err := f.dial(stranger); err == nil {
			t.Fatal("stranger let in")
		}
	}
	if _, err := f.dial(ann); err == nil {
		t.Error("the address should be paused after three refused keys")
	}
	if !strings.Contains(f.log.String(), "pausing 127.0.0.1") {
		t.Errorf("no log line for the pause:\n%s", f.log)
	}
}

// TestShutdownLetsCommandsFinish: Shutdown refuses new sessions and waits
// (within the grace period) for a command in flight.
func TestShutdownLetsCommandsFinish(t *testing.T) {
	ann, annKey := key(t)
	f := serveWith(t, fmt.Sprintf("[[agent]]\nname = \"ann\"\nrole = \"agent\"\nkeys = [%q]\n", annKey), Config{})
	c, err := f.dial(ann)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, _ := c.NewSession()
	in, _ := s.StdinPipe()
	var out bytes.Buffer
	s.Stdout = &out
	s.Start("wait")
	for f.srv.Sessions() < 1 {
		time.Sleep(10 * time.Millisecond)
	}
	done := make(chan error, 1)
	go func() { done <- f.srv.Shutdown(context.Background()) }()
	time.Sleep(100 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("Shutdown did not wait for the command in flight")
	default:
	}
	in.Close() // the command finishes its work
	if err := s.Wait(); err != nil || out.String() != "finished" {
		t.Errorf("the command in flight: %q %v", out.String(), err)
	}
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if _, err := f.dial(ann); err == nil {
		t.Error("a new connection after shutdown")
	}
}

package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
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

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
	"github.com/rapportcrm/rapport/serve"
)

// testServer is `rapport serve` on 127.0.0.1 with a random port, a
// temporary team file and the demo database.
type testServer struct {
	t      *testing.T
	addr   string
	path   string
	store  *db.Store
	srv    *serve.Server
	keys   map[string]gossh.Signer // by agent name, plus "stranger"
	logbuf *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newKey(t testing.TB) gossh.Signer {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// startServer serves a demo database to a team of ann and bob (agents),
// vic (viewer) and lee (lead).
func startServer(t *testing.T, customers, feedback int) *testServer {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "team.db")
	c := newCLI(t)
	c.ok("demo", "--customers", fmt.Sprint(customers), "--feedback", fmt.Sprint(feedback), "--seed", "3", path)
	ts := &testServer{t: t, path: path, keys: map[string]gossh.Signer{}, logbuf: &syncBuffer{}}
	var team strings.Builder
	for _, a := range []struct{ name, role string }{{"ann", "agent"}, {"bob", "agent"}, {"vic", "viewer"}, {"lee", "lead"}} {
		k := newKey(t)
		ts.keys[a.name] = k
		fmt.Fprintf(&team, "[[agent]]\nname = %q\nrole = %q\nkeys = [%q]\n\n", a.name, a.role,
			strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.PublicKey())))+" "+a.name+"@laptop")
	}
	ts.keys["stranger"] = newKey(t)
	teamFile := filepath.Join(dir, "team.toml")
	if err := os.WriteFile(teamFile, []byte(team.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := db.Open(context.Background(), path, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.SetFeedPoll(time.Hour) // between sessions only the in-process feed can deliver
	ts.store = st
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	srv, err := serve.New(serve.Config{
		Listen: ts.addr, HostKeyPath: filepath.Join(dir, "host_key"), TeamFile: teamFile,
		Store: st, DBLabel: "team.db", MaxAuthFailures: 1000,
		Log: log.New(ts.logbuf, "", 0),
		Command: func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			id, _ := model.IdentityFrom(ctx)
			return run(ctx, args, env{stdin: stdin, stdout: stdout, stderr: stderr,
				getenv: func(string) string { return "" }, served: &servedEnv{store: st, id: id}})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.srv = srv
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Shutdown(context.Background())
		st.Close()
	})
	return ts
}

func (ts *testServer) dial(who string) (*gossh.Client, error) {
	return gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{
		User:            "whoever", // the key names the agent, not the user name
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(ts.keys[who])},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         10 * time.Second,
	})
}

// command runs `ssh … -- args` as who and returns stdout, stderr and the
// exit status.
func (ts *testServer) command(who, stdin string, args ...string) (string, string, int) {
	ts.t.Helper()
	c, err := ts.dial(who)
	if err != nil {
		ts.t.Fatalf("%s cannot connect: %v", who, err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		ts.t.Fatal(err)
	}
	defer s.Close()
	var out, errb bytes.Buffer
	s.Stdin, s.Stdout, s.Stderr = strings.NewReader(stdin), &out, &errb
	code := 0
	if err := s.Run(shellJoin(args)); err != nil {
		var ee *gossh.ExitError
		if !errors.As(err, &ee) {
			ts.t.Fatalf("%s %v: %v", who, args, err)
		}
		code = ee.ExitStatus()
	}
	return out.String(), errb.String(), code
}

// shellJoin quotes arguments the way OpenSSH's client passes a command.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}

// screen is a TUI session over SSH with a pty: keys go in, and the output
// stream (ANSI stripped) is searched for what a person would see.
type screen struct {
	t      testing.TB
	client *gossh.Client
	sess   *gossh.Session
	in     io.WriteCloser
	mu     sync.Mutex
	out    bytes.Buffer
	drawn  chan struct{} // a signal per write of output; capacity 1
	// replies are the terminal's answers to the server's queries, written
	// by one goroutine in the order asked, as a terminal answers.
	replies chan []byte
	done    chan struct{} // closed by close
}

func (ts *testServer) open(t testing.TB, who string, w, h int, env ...string) *screen {
	c, err := ts.dial(who)
	if err != nil {
		t.Fatalf("%s cannot connect: %v", who, err)
	}
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sc := &screen{t: t, client: c, sess: s, drawn: make(chan struct{}, 1), replies: make(chan []byte, 64), done: make(chan struct{})}
	if sc.in, err = s.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			select {
			case b := <-sc.replies:
				sc.in.Write(b)
			case <-sc.done:
				return
			}
		}
	}()
	s.Stdout = writerFunc(func(p []byte) (int, error) {
		// Answer the server's terminal queries as a terminal would, in the
		// order asked: the background colour (dark), then the device
		// attributes. (Answered out of order, the colour reply came after
		// termenv had stopped listening and was read as keys.)
		if bytes.Contains(p, []byte("\x1b]11;?")) {
			sc.reply("\x1b]11;rgb:0000/0000/0000\x1b\\")
		}
		if bytes.Contains(p, []byte("\x1b[c")) {
			sc.reply("\x1b[?62;22c")
		}
		sc.mu.Lock()
		defer sc.mu.Unlock()
		select {
		case sc.drawn <- struct{}{}:
		default:
		}
		return sc.out.Write(p)
	})
	for i := 0; i+1 < len(env); i += 2 {
		if err := s.Setenv(env[i], env[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	return sc
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// text is everything shown so far, without escape sequences.
func (sc *screen) text() string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return ansi.Strip(sc.out.String())
}

// mark is where the output stands now; waitFor after a mark looks only at
// what was drawn since.
func (sc *screen) mark() int {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.out.Len()
}

// waitFor polls the output drawn since mark until it shows every text or
// the deadline passes, and says how long it took.
func (sc *screen) waitFor(mark int, within time.Duration, texts ...string) time.Duration {
	sc.t.Helper()
	start := time.Now()
	for {
		sc.mu.Lock()
		s := ansi.Strip(string(sc.out.Bytes()[mark:]))
		sc.mu.Unlock()
		all := true
		for _, x := range texts {
			if !strings.Contains(s, x) {
				all = false
			}
		}
		if all {
			return time.Since(start)
		}
		left := within - time.Since(start)
		if left <= 0 {
			sc.t.Fatalf("after %s the screen has not shown %q; it shows (the end):\n%s", within, texts, s[max(0, len(s)-3000):])
		}
		select { // look again when more is drawn
		case <-sc.drawn:
		case <-time.After(left):
		}
	}
}

// keys types like a person: each one a separate write.
func (sc *screen) keys(ks ...string) {
	sc.t.Helper()
	for _, k := range ks {
		b := []byte(k)
		switch k {
		case "enter":
			b = []byte{'\r'}
		case "esc":
			b = []byte{0x1b}
		case "tab":
			b = []byte{'\t'}
		case "ctrl+s":
			b = []byte{0x13}
		case "ctrl+c":
			b = []byte{0x03}
		}
		if _, err := sc.in.Write(b); err != nil {
			sc.t.Fatal(err)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// clear forgets what was drawn so far (long runs).
func (sc *screen) clear() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.out.Reset()
}

// reply queues a terminal's answer behind the ones before it.
func (sc *screen) reply(s string) {
	select {
	case sc.replies <- []byte(s):
	case <-sc.done:
	}
}

func (sc *screen) close() {
	close(sc.done)
	sc.sess.Close()
	sc.client.Close()
}

// TestServeTeamOverSSH: two agents' TUI sessions over SSH; one logs
// feedback, the other's Inbox shows it through the change feed (the poll
// is an hour, so only the feed can deliver it; the time taken is logged,
// 13 ms on a quiet machine, not asserted); the audit names the right
// agents; an unknown key is refused; a viewer's write is refused with
// exit 5; a command over SSH gives the same JSON as run locally.
func TestServeTeamOverSSH(t *testing.T) {
	ts := startServer(t, 200, 600)
	ctx := context.Background()
	zed, err := ts.store.CreateCustomer(ctx, "owner", model.Customer{Name: "Zed Quinn", Email: "zed@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(filepath.Dir(ts.path), "host_key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("host key: %v %v, want mode 0600", fi, err)
	}

	// An unknown key is refused before anything is shown.
	if c, err := ts.dial("stranger"); err == nil {
		c.Close()
		t.Fatal("a key not in the team file was let in")
	}
	if !strings.Contains(ts.logbuf.String(), "refused key SHA256:") {
		t.Errorf("no log line for the refused key:\n%s", ts.logbuf.String())
	}

	t.Cleanup(func() {
		if t.Failed() {
			t.Log(ts.logbuf.String())
		}
	})
	ann := ts.open(t, "ann", 140, 36)
	defer ann.close()
	bob := ts.open(t, "bob", 120, 30)
	defer bob.close()
	ann.waitFor(0, 10*time.Second, "Customers", "ann")
	bob.waitFor(0, 10*time.Second, "Customers", "bob")
	m := bob.mark()
	bob.keys("2")
	bob.waitFor(m, 10*time.Second, "Inbox")

	// ann finds Zed, opens the profile and logs feedback.
	m = ann.mark()
	ann.keys("/", "Zed Quinn")
	ann.waitFor(m, 10*time.Second, "1–1 of 1")
	ann.keys("enter", "enter")
	ann.waitFor(m, 10*time.Second, "Timeline")
	m = ann.mark()
	ann.keys("f")
	ann.waitFor(m, 10*time.Second, "ctrl+s")
	mb := bob.mark()
	m = ann.mark()
	ann.keys("Served over SSH e2e")
	saved := time.Now()
	if _, err := ann.in.Write([]byte{0x13}); err != nil { // ctrl+s
		t.Fatal(err)
	}
	bob.waitFor(mb, 10*time.Second, "Served over SSH e2e", "1 change by others — refreshed")
	t.Logf("bob's Inbox showed ann's feedback %s after ann pressed ctrl+s", time.Since(saved))
	ann.waitFor(m, 10*time.Second, "feedback logged")

	// bob writes a note by command over SSH; the audit names each agent.
	if out, errs, code := ts.command("bob", "", "notes", "add", "zed@example.com", "called back"); code != 0 {
		t.Fatalf("bob's note: exit %d %s %s", code, out, errs)
	}
	audit := decode[[]map[string]any](t, must(t, ts, "lee", "audit", "--id", fmt.Sprint(zed.ID), "--entity", "customer", "--format", "json"))
	fb := decode[[]map[string]any](t, must(t, ts, "lee", "feedback", "--customer", "zed@example.com", "--format", "json"))
	if len(fb) != 1 || fb[0]["agent"] != "ann" || fb[0]["body"] != "Served over SSH e2e" {
		t.Errorf("zed's feedback: %v", fb)
	}
	agents := map[string]bool{}
	for _, e := range decode[[]map[string]any](t, must(t, ts, "lee", "audit", "--limit", "10", "--format", "json")) {
		agents[fmt.Sprint(e["agent"])] = true
	}
	if !agents["ann"] || !agents["bob"] || agents["whoever"] {
		t.Errorf("audit agents %v: want ann and bob, never the SSH user name (audit for zed: %v)", agents, audit)
	}

	// A viewer's write is refused where the store writes: exit 5, nothing stored.
	_, errs, code := ts.command("vic", "", "feedback", "add", "--customer", "zed@example.com", "--text", "viewer was here")
	if code != exitForbidden || !strings.Contains(errs, "vic (viewer) may not log feedback") {
		t.Errorf("viewer's feedback add: exit %d, %q", code, errs)
	}
	_, errs, code = ts.command("ann", "", "segment", "add", "big", "ltv > 1000")
	if code != exitForbidden || !strings.Contains(errs, "lead") {
		t.Errorf("agent's segment add: exit %d, %q", code, errs)
	}
	_, errs, code = ts.command("ann", "", "export", "customers")
	if code != exitForbidden {
		t.Errorf("agent's export: exit %d, %q", code, errs)
	}
	_, errs, code = ts.command("lee", "", "backup", "/tmp/x.db")
	if code != exitUsage || !strings.Contains(errs, "not available over SSH") {
		t.Errorf("backup over SSH: exit %d, %q", code, errs)
	}
	_, errs, code = ts.command("lee", "", "customers", "--db", "/etc/passwd")
	if code != exitUsage {
		t.Errorf("--db over SSH: exit %d, %q", code, errs)
	}
	if fb := decode[[]map[string]any](t, must(t, ts, "vic", "feedback", "--customer", "zed@example.com", "--format", "json")); len(fb) != 1 {
		t.Errorf("the viewer's refused write was stored: %v", fb)
	}

	// A command over SSH gives the same JSON as the same command run locally.
	c := newCLI(t)
	for _, args := range [][]string{
		{"customers", "--search", "王", "--format", "json"},
		{"summary", "--by", "channel", "--format", "json"},
		{"feedback", "--customer", "zed@example.com", "--format", "json"},
	} {
		over := must(t, ts, "vic", args...)
		local := c.ok(append(args, "--db", ts.path)...).stdout
		if over != local || len(over) < 10 {
			t.Errorf("%v over SSH differs from local:\nssh:   %.300s\nlocal: %.300s", args, over, local)
		}
	}

	// A lead imports from standard input; an agent may not.
	csv := "email,name,subject,body,created_at\nnew.one@example.com,New One,Hello,First contact,2026-11-01 10:00:00\n"
	_, errs, code = ts.command("ann", csv, "import", "--preset", "tickets", "-")
	if code != exitForbidden {
		t.Errorf("agent's import: exit %d, %q", code, errs)
	}
	out, errs, code := ts.command("lee", csv, "import", "--preset", "tickets", "--format", "json", "-")
	if code != 0 || !strings.Contains(out, `"file": "-"`) && !strings.Contains(out, `"file":"-"`) {
		t.Errorf("lead's import from stdin: exit %d\n%s\n%s", code, out, errs)
	}
	_, errs, code = ts.command("lee", "", "import", "/etc/passwd")
	if code != exitUsage || !strings.Contains(errs, "standard input") {
		t.Errorf("import of a server file: exit %d, %q", code, errs)
	}
	// Each session has its own renderer: vic's terminal asked for no
	// colour, ann's did not.
	vic := ts.open(t, "vic", 100, 24, "NO_COLOR", "1")
	defer vic.close()
	vic.waitFor(0, 10*time.Second, "Customers", "vic")
	vic.mu.Lock()
	plain := !bytes.Contains(vic.out.Bytes(), []byte("\x1b[38;")) && !bytes.Contains(vic.out.Bytes(), []byte(";38;"))
	vic.mu.Unlock()
	ann.mu.Lock()
	coloured := bytes.Contains(ann.out.Bytes(), []byte("38;5;"))
	ann.mu.Unlock()
	if !plain || !coloured {
		t.Errorf("NO_COLOR session plain %v, other session coloured %v", plain, coloured)
	}
	// A window resize reaches that session's program only.
	m = bob.mark()
	if err := bob.sess.WindowChange(20, 90); err != nil {
		t.Fatal(err)
	}
	bob.waitFor(m, 5*time.Second, "Inbox")

	// Shutdown tells the TUI sessions and ends them.
	m = ann.mark()
	stopped := make(chan error, 1)
	go func() { stopped <- ts.srv.Shutdown(context.Background()) }()
	ann.waitFor(m, 10*time.Second, "rapport serve is shutting down; your work is saved")
	if err := <-stopped; err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if log := ts.logbuf.String(); !strings.Contains(log, "start: ann (agent)") || !strings.Contains(log, "end: bob") {
		t.Errorf("session log lines missing:\n%s", log)
	}
}

// must runs a command over SSH that has to succeed and returns stdout.
func must(t *testing.T, ts *testServer, who string, args ...string) string {
	t.Helper()
	out, errs, code := ts.command(who, "", args...)
	if code != 0 {
		t.Fatalf("%s: ssh -- %v: exit %d: %s", who, args, code, errs)
	}
	return out
}

package serve

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"

	"github.com/rapportcrm/rapport/model"
	"github.com/rapportcrm/rapport/ui"
)

// session is one SSH session: a TUI or one command.
type session struct {
	n           int64
	id          model.Identity
	key         ssh.PublicKey
	interactive bool
	sess        ssh.Session

	mu       sync.Mutex
	program  *tea.Program // the TUI's, once started
	farewell string       // said when the server ends the session
	ended    bool
}

var sessionSeq atomic.Int64

// end stops the session from outside, telling the agent why: a TUI quits
// as if its agent had; a command is cut off only when revoked (at
// shutdown it finishes its work within the grace period).
func (s *session) end(why string, revoked bool) {
	s.mu.Lock()
	s.farewell, s.ended = why, true
	p := s.program
	s.mu.Unlock()
	if p != nil {
		p.Quit()
		return
	}
	if s.interactive || revoked {
		s.sess.Close()
	}
}

// handle is every session's handler.
func (srv *Server) handle(sess ssh.Session) {
	id, ok := identityOf(sess.Context())
	if !ok { // cannot happen: authentication sets it
		fmt.Fprintln(sess.Stderr(), "rapport: not authenticated")
		sess.Exit(1)
		return
	}
	_, _, hasPty := sess.Pty()
	s := &session{n: sessionSeq.Add(1), id: id, key: sess.PublicKey(), sess: sess,
		interactive: len(sess.Command()) == 0}
	if err := srv.admit(s); err != nil {
		srv.cfg.Log.Printf("session refused for %s from %s: %v", id.Agent, hostOf(sess.RemoteAddr()), err)
		fmt.Fprintln(sess.Stderr(), "rapport: "+err.Error())
		sess.Exit(1)
		return
	}
	defer srv.leave(s)
	start := time.Now()
	what := "tui"
	if !s.interactive {
		what = "command " + model.CleanLine(sess.Command()[0]) // the agent's text: no escapes in the log
	}
	srv.cfg.Log.Printf("session %d start: %s (%s) from %s, %s", s.n, id.Agent, id.Role, hostOf(sess.RemoteAddr()), what)
	code := 0
	if s.interactive {
		if !hasPty {
			fmt.Fprintln(sess.Stderr(), "rapport: the TUI needs a terminal (ssh -t), or give a command: ssh … -- customers --format json")
			code = 1
		} else {
			srv.runTUI(s)
		}
	} else {
		code = srv.command(s)
	}
	srv.cfg.Log.Printf("session %d end: %s, %s, exit %d", s.n, id.Agent, time.Since(start).Round(time.Millisecond), code)
	sess.Exit(code)
}

// runTUI runs the session's own tea.Program on its pty, with its own
// renderer (that terminal's colours, its NO_COLOR), its own change-feed
// subscription and the agent's identity on every query and write.
func (srv *Server) runTUI(s *session) {
	sess := s.sess
	ctx, cancel := context.WithCancel(model.WithIdentity(sess.Context(), s.id))
	defer cancel() // queries still running when the session ends are interrupted
	renderer := bm.MakeRenderer(sess)
	noColor := false
	for _, kv := range sess.Environ() {
		if len(kv) > len("NO_COLOR=") && kv[:len("NO_COLOR=")] == "NO_COLOR=" {
			noColor = true
		}
	}
	if noColor {
		renderer.SetColorProfile(termenv.Ascii)
	}
	opts := ui.Options{
		Agent:      s.id.Agent,
		DBPath:     srv.cfg.DBLabel,
		PollEvery:  servedPollEvery,
		Warnings:   srv.cfg.Store.Warnings(),
		Served:     true,
		ImportNote: fmt.Sprintf("Import from your own machine: ssh -p %s HOST -- import --preset auto - < export.csv (leads only).", portOf(srv.cfg.Listen)),
	}
	if sub, err := srv.cfg.Store.Subscribe(ctx); err == nil {
		defer sub.Close()
		opts.Feed = sub
	}
	m := ui.New(ctx, srv.cfg.Store, ui.NewStylesFor(renderer, noColor), opts)
	handler := func(ssh.Session) *tea.Program {
		p := tea.NewProgram(m, append(bm.MakeOptions(sess), tea.WithAltScreen(), tea.WithContext(ctx),
			tea.WithoutSignalHandler())...)
		s.mu.Lock()
		s.program = p
		ended := s.ended
		s.mu.Unlock()
		if ended {
			go p.Quit()
		}
		return p
	}
	bm.MiddlewareWithProgramHandler(handler, termenv.Ascii)(func(ssh.Session) {})(sess)
	s.mu.Lock()
	farewell := s.farewell
	s.mu.Unlock()
	if farewell != "" {
		fmt.Fprintf(sess, "\r\n%s\r\n", farewell)
	}
}

// command runs one command line as the session's agent. A panic in it
// ends that session only, never the server and the others.
func (srv *Server) command(s *session) (code int) {
	defer func() {
		if r := recover(); r != nil {
			srv.cfg.Log.Printf("session %d: command failed: %v", s.n, r)
			fmt.Fprintln(s.sess.Stderr(), "rapport: internal error; the server logged it")
			code = 1
		}
	}()
	ctx := model.WithIdentity(s.sess.Context(), s.id)
	return srv.cfg.Command(ctx, s.sess.Command(), s.sess, s.sess, s.sess.Stderr())
}

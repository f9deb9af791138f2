// Package serve is `rapport serve`: one process that owns the store and
// serves the TUI and the command line to a team over SSH (wish). Each
// session is a program of its own — its own tea.Program on the session's
// pty, its own lipgloss renderer (that terminal's colour profile and
// NO_COLOR), its own subscription to the change feed — and carries the
// identity of the key that connected, taken from the team file. Roles are
// enforced by the store where it writes (model.WithIdentity).
//
// It imports model, db (Config.Store: the one store every session
// shares), ui (each session's TUI) and the SSH libraries; the commands
// reach it through a function that cli hands it (Config.Command), so
// serve never imports cli (arch_test.go at the module root checks this).
package serve

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	gossh "golang.org/x/crypto/ssh"

	"github.com/rapportcrm/rapport/model"
)

// Team is the parsed team file: who may connect, with which keys, in which
// role.
type Team struct {
	byKey map[string]model.Identity // key (wire form) → identity
	names int
}

// teamFile is the TOML layout:
//
//	[[agent]]
//	name = "li.na"
//	role = "lead"      # viewer | agent | lead
//	keys = ["ssh-ed25519 AAAA… li.na@laptop"]
type teamFile struct {
	Agent []struct {
		Name string   `toml:"name"`
		Role string   `toml:"role"`
		Keys []string `toml:"keys"`
	} `toml:"agent"`
}

// ParseTeam reads a team file's text. Every mistake is refused with the
// agent and key it concerns, so that a typo never locks out the team
// silently or lets a key in under the wrong name.
func ParseTeam(text string) (*Team, error) {
	var f teamFile
	md, err := toml.Decode(text, &f)
	if err != nil {
		return nil, err
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, fmt.Errorf("unknown setting %q (want [[agent]] with name, role, keys)", und[0].String())
	}
	t := &Team{byKey: map[string]model.Identity{}}
	seen := map[string]bool{}
	for i, a := range f.Agent {
		name := model.CleanLine(strings.TrimSpace(a.Name))
		if name == "" {
			return nil, fmt.Errorf("agent %d has no name", i+1)
		}
		if seen[name] {
			return nil, fmt.Errorf("agent %q is listed twice", name)
		}
		seen[name] = true
		role, err := model.ParseRole(a.Role)
		if err != nil {
			return nil, fmt.Errorf("agent %q: %v", name, err)
		}
		if len(a.Keys) == 0 {
			return nil, fmt.Errorf("agent %q has no keys", name)
		}
		for j, line := range a.Keys {
			key, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
			if err != nil {
				return nil, fmt.Errorf("agent %q key %d: not an authorized_keys line (%v)", name, j+1, err)
			}
			wire := string(key.Marshal())
			if other, ok := t.byKey[wire]; ok {
				return nil, fmt.Errorf("agent %q key %d is also %q's key", name, j+1, other.Agent)
			}
			t.byKey[wire] = model.Identity{Agent: name, Role: role}
		}
	}
	t.names = len(seen)
	return t, nil
}

// LoadTeam reads and parses a team file.
func LoadTeam(path string) (*Team, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := ParseTeam(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// Lookup names the agent a key belongs to.
func (t *Team) Lookup(key gossh.PublicKey) (model.Identity, bool) {
	if t == nil || key == nil {
		return model.Identity{}, false
	}
	id, ok := t.byKey[string(key.Marshal())]
	return id, ok
}

// Agents counts the agents in the file.
func (t *Team) Agents() int { return t.names }

// teamWatch holds the current team and re-reads the file when it changes
// (by modification time and size, polled) or when asked (SIGHUP). A file
// that no longer parses keeps the previous team, and says why.
type teamWatch struct {
	path string
	mu   sync.RWMutex
	team *Team
	mod  time.Time
	size int64
}

func newTeamWatch(path string) (*teamWatch, error) {
	w := &teamWatch{path: path}
	if _, err := w.reload(true); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *teamWatch) current() *Team {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.team
}

// reload re-reads the file if it changed (or always, with force); it
// reports whether the team was replaced.
func (w *teamWatch) reload(force bool) (bool, error) {
	fi, err := os.Stat(w.path)
	if err != nil {
		return false, err
	}
	w.mu.RLock()
	same := !force && fi.ModTime().Equal(w.mod) && fi.Size() == w.size
	w.mu.RUnlock()
	if same {
		return false, nil
	}
	t, err := LoadTeam(w.path)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.mod, w.size = fi.ModTime(), fi.Size() // a broken file is reported once
	if err != nil {
		return false, err
	}
	w.team = t
	return true, nil
}

// errNoTeam: serving without a team file would let nobody in.
var errNoTeam = errors.New("no team file: pass --team FILE (see README, Team use)")

package model

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Role is what a team member may change when Rapport is served to a team
// (`rapport serve`). Each role may do everything the one before it may.
type Role int

const (
	// RoleNone is the zero value: not a member of the team.
	RoleNone Role = iota
	// RoleViewer reads everything and writes nothing.
	RoleViewer
	// RoleAgent also logs feedback, classifies it, keeps follow-ups and
	// notes, and edits customers.
	RoleAgent
	// RoleLead also manages segments, rules, categories, recall
	// campaigns, imports, exports and merges.
	RoleLead
)

var roleNames = []string{"", "viewer", "agent", "lead"}

func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return fmt.Sprintf("Role(%d)", int(r))
	}
	return roleNames[r]
}

// ParseRole reads a role name as written in a team file.
func ParseRole(s string) (Role, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, n := range roleNames {
		if i > 0 && n == s {
			return Role(i), nil
		}
	}
	return RoleNone, fmt.Errorf("%w: role %q (want viewer, agent or lead)", ErrInvalid, s)
}

// ErrForbidden: the agent's role does not allow the change (exit code 5).
var ErrForbidden = errors.New("not allowed for your role")

// ForbiddenError says who was refused what, and which role it needs.
type ForbiddenError struct {
	Agent  string
	Role   Role   // the agent's role
	Needs  Role   // the role the change needs
	Action string // what was refused, e.g. "log feedback"
}

func (e *ForbiddenError) Error() string {
	what := e.Action
	if what == "" {
		what = "make this change"
	}
	return fmt.Sprintf("%s (%s) may not %s: that needs the %s role", e.Agent, e.Role, what, e.Needs)
}

// Unwrap lets errors.Is(err, ErrForbidden) match.
func (e *ForbiddenError) Unwrap() error { return ErrForbidden }

// Identity is who is working in a served session: the agent named by the
// team file for the key that connected, and that agent's role.
type Identity struct {
	Agent string
	Role  Role
}

type identityKey struct{}

// WithIdentity marks ctx as a served session's: every write made with it
// (or a context derived from it) is checked against the role where the
// store makes the write. A context without an identity is the owner of the
// database working locally, who may do anything.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the identity WithIdentity put on ctx, if any.
func IdentityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// Permit says whether ctx may make a change that needs role needs; action
// words the change for the refusal. Local work (no identity) may do anything.
func Permit(ctx context.Context, needs Role, action string) error {
	id, ok := IdentityFrom(ctx)
	if !ok || id.Role >= needs {
		return nil
	}
	return &ForbiddenError{Agent: id.Agent, Role: id.Role, Needs: needs, Action: action}
}

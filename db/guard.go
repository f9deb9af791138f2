package db

import (
	"context"

	"github.com/rapportcrm/rapport/model"
)

// Roles are enforced where the write is made: every write method declares
// with requires what its change needs, and write (the one way into a write
// transaction) refuses it for a served session whose role is lower (see
// model.WithIdentity). A write that declares nothing needs the lead role,
// so a method added later is closed to viewers and agents until it says
// otherwise. Local work, whose context has no identity, may do anything.

type requiredKey struct{}

type required struct {
	role   model.Role
	action string // "log feedback": words the refusal
}

// requires declares on ctx the role a write method's change needs.
func requires(ctx context.Context, role model.Role, action string) context.Context {
	return context.WithValue(ctx, requiredKey{}, required{role: role, action: action})
}

// permitted checks the declared need against the session's role.
func permitted(ctx context.Context) error {
	r, ok := ctx.Value(requiredKey{}).(required)
	if !ok {
		r = required{role: model.RoleLead}
	}
	return model.Permit(ctx, r.role, r.action)
}

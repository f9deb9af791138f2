package model

import (
	"fmt"
	"strings"
	"time"
)

// SavedView is a screen's filters saved under a name and shared by the
// team: the Inbox's status, kind, category, tag, channel, agent and search
// ("my open complaints": status open, kind complaint, agent me).
type SavedView struct {
	ID        int64
	Screen    string // "inbox"
	Name      string
	Filters   ViewFilters
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// ViewFilters are the filter fields a view keeps; empty ones do not
// filter. Stored as JSON with these names.
type ViewFilters struct {
	Status   Status `json:"status,omitempty"`
	Kind     Kind   `json:"kind,omitempty"`
	Category string `json:"category,omitempty"`
	Tag      string `json:"tag,omitempty"`
	Channel  string `json:"channel,omitempty"`
	Agent    string `json:"agent,omitempty"`
	Search   string `json:"search,omitempty"`
}

// Validate refuses a view without a name, with control characters in its
// name, on an unknown screen, or with values its screen does not know.
func (v *SavedView) Validate() error {
	v.Name = strings.TrimSpace(v.Name)
	if v.Name == "" {
		return fmt.Errorf("%w: a view needs a name", ErrInvalid)
	}
	if CleanLine(v.Name) != v.Name {
		return fmt.Errorf("%w: view name %q has control characters", ErrInvalid, v.Name)
	}
	if v.Screen != "inbox" {
		return fmt.Errorf("%w: no saved views on screen %q", ErrInvalid, v.Screen)
	}
	if v.Filters.Status != "" {
		if _, err := ParseStatus(string(v.Filters.Status)); err != nil {
			return err
		}
	}
	if v.Filters.Kind != "" {
		if _, err := ParseKind(string(v.Filters.Kind)); err != nil {
			return err
		}
	}
	return nil
}

// Describe words the filters: "status open · kind complaint · agent li.na · “退款”".
func (f ViewFilters) Describe() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+" "+v)
		}
	}
	add("status", string(f.Status))
	add("kind", string(f.Kind))
	add("category", f.Category)
	add("tag", f.Tag)
	add("channel", f.Channel)
	add("agent", f.Agent)
	if f.Search != "" {
		parts = append(parts, "“"+f.Search+"”")
	}
	if len(parts) == 0 {
		return "everything"
	}
	return strings.Join(parts, " · ")
}

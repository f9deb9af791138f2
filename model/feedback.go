package model

import (
	"fmt"
	"strings"
	"time"
)

// Feedback is one thing a customer told us: a call, chat, email, survey
// answer or ticket, with its classification and scores.
type Feedback struct {
	ID           int64
	CustomerID   int64
	CustomerName string
	// CustomerLabel is what a list shows for the customer: the name, else
	// the e-mail, else the phone (Customer.Label).
	CustomerLabel string
	Source        string // system the external id comes from ("zendesk", "manual")
	ExternalID    string
	Channel       string
	Kind          Kind
	Subject       string
	Body          string
	CategoryID    *int64
	Category      string // path, e.g. "Billing/Refund"
	Priority      Priority
	Status        Status
	Tags          []string
	Attrs         map[string]string // imported columns that match no field
	CSAT          *int              // 1–5
	CSATRaw       string
	NPS           *int // 0–10
	Agent         string
	CreatedAt     time.Time
	ResolvedAt    *time.Time
	Version       int64
}

// Validate reports the first value the domain does not allow.
func (f *Feedback) Validate() error {
	if f.CustomerID <= 0 {
		return fmt.Errorf("%w: feedback needs a customer", ErrInvalid)
	}
	if strings.TrimSpace(f.Subject) == "" && strings.TrimSpace(f.Body) == "" && f.CSAT == nil && f.NPS == nil {
		return fmt.Errorf("%w: feedback needs a text or a score", ErrInvalid)
	}
	if f.Kind != "" {
		if _, err := ParseKind(string(f.Kind)); err != nil {
			return err
		}
	}
	if f.Status != "" {
		if _, err := ParseStatus(string(f.Status)); err != nil {
			return err
		}
	}
	if f.Priority != "" {
		if _, err := ParsePriority(string(f.Priority)); err != nil {
			return err
		}
	}
	if err := ValidateCSAT(f.CSAT); err != nil {
		return err
	}
	if err := ValidateNPS(f.NPS); err != nil {
		return err
	}
	for _, t := range f.Tags {
		if err := ValidateTag(t); err != nil {
			return err
		}
	}
	return nil
}

// ValidateCSAT accepts nil or 1–5.
func ValidateCSAT(v *int) error {
	if v != nil && (*v < 1 || *v > 5) {
		return fmt.Errorf("%w: CSAT %d is outside 1–5", ErrInvalid, *v)
	}
	return nil
}

// ValidateNPS accepts nil or 0–10.
func ValidateNPS(v *int) error {
	if v != nil && (*v < 0 || *v > 10) {
		return fmt.Errorf("%w: NPS %d is outside 0–10", ErrInvalid, *v)
	}
	return nil
}

// Normalize fills defaults (kind feedback, status open, priority normal,
// lower-case channel) on a new item.
func (f *Feedback) Normalize() {
	if f.Kind == "" {
		f.Kind = KindFeedback
	}
	if f.Status == "" {
		f.Status = StatusOpen
	}
	if f.Priority == "" {
		f.Priority = PriorityNormal
	}
	f.Channel = strings.ToLower(strings.TrimSpace(f.Channel))
}

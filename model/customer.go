package model

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Customer is one person (or account) the team looks after: the profile
// (用户画像) plus the figures derived from what was logged about them.
type Customer struct {
	ID        int64
	Name      string
	Email     string
	Phone     string
	Company   string
	Plan      string
	Region    string
	City      string
	Language  string
	Gender    string
	Lifecycle Lifecycle
	LTV       float64
	Tags      []string
	Attrs     map[string]string

	// Derived figures, kept current by the store on every write.
	CSATAvg        *float64
	CSATN          int
	NPSLast        *int
	FeedbackN      int
	Feedback90d    int
	ComplaintsOpen int
	FollowupsOpen  int
	LastContactAt  *time.Time

	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64

	// Warnings names the churn-warning segments the customer is in.
	Warnings []string
}

// Label is what a list shows for the customer: the name, else the e-mail,
// else the phone. The name sort orders by it (db's nameLabel).
func (c *Customer) Label() string {
	switch {
	case c.Name != "":
		return c.Name
	case c.Email != "":
		return c.Email
	default:
		return c.Phone
	}
}

// Validate reports the first value the domain does not allow. It never
// fixes a value silently.
func (c *Customer) Validate() error {
	if strings.TrimSpace(c.Name) == "" && strings.TrimSpace(c.Email) == "" && PhoneDigits(c.Phone) == "" {
		return fmt.Errorf("%w: a customer needs a name, an email or a phone", ErrInvalid)
	}
	if err := ValidateEmail(c.Email); err != nil {
		return err
	}
	if c.Phone != "" && PhoneDigits(c.Phone) == "" {
		return fmt.Errorf("%w: phone %q has no digits", ErrInvalid, c.Phone)
	}
	if c.Lifecycle != "" {
		if _, err := ParseLifecycle(string(c.Lifecycle)); err != nil {
			return err
		}
	}
	if c.LTV < 0 {
		return fmt.Errorf("%w: ltv %v is negative", ErrInvalid, c.LTV)
	}
	for _, t := range c.Tags {
		if err := ValidateTag(t); err != nil {
			return err
		}
	}
	return nil
}

// ValidateEmail accepts an empty string or one plain address.
func ValidateEmail(s string) error {
	if s == "" {
		return nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return fmt.Errorf("%w: %q is not an email address", ErrInvalid, s)
	}
	return nil
}

// ValidateTag refuses empty tags and tags with spaces or control characters,
// which could not be typed back in a filter.
func ValidateTag(t string) error {
	if t == "" {
		return fmt.Errorf("%w: empty tag", ErrInvalid)
	}
	for _, r := range t {
		if r <= ' ' || r == 0x7f || r == ',' {
			return fmt.Errorf("%w: tag %q may not contain spaces, commas or control characters", ErrInvalid, t)
		}
	}
	if len([]rune(t)) > 64 {
		return fmt.Errorf("%w: tag %q is longer than 64 characters", ErrInvalid, t)
	}
	return nil
}

// NormalizeEmail folds an address for identity matching.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// PhoneDigits keeps only the digits of a phone number, which is how phones
// are compared.
func PhoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r >= '０' && r <= '９' { // full-width digits from Chinese input methods
			b.WriteRune('0' + (r - '０'))
		}
	}
	return b.String()
}

// CustomerPatch changes some fields of a customer; nil fields stay as they are.
type CustomerPatch struct {
	Name, Email, Phone, Company, Plan, Region, City, Language, Gender *string
	Lifecycle                                                         *Lifecycle
	LTV                                                               *float64
	SetAttrs                                                          map[string]string
	AddTags, RemoveTags                                               []string
}

// Apply returns c with the patch applied, validated.
func (p CustomerPatch) Apply(c Customer) (Customer, error) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&c.Name, p.Name)
	set(&c.Email, p.Email)
	set(&c.Phone, p.Phone)
	set(&c.Company, p.Company)
	set(&c.Plan, p.Plan)
	set(&c.Region, p.Region)
	set(&c.City, p.City)
	set(&c.Language, p.Language)
	set(&c.Gender, p.Gender)
	if p.Lifecycle != nil {
		c.Lifecycle = *p.Lifecycle
	}
	if p.LTV != nil {
		c.LTV = *p.LTV
	}
	if len(p.SetAttrs) > 0 {
		attrs := make(map[string]string, len(c.Attrs)+len(p.SetAttrs))
		for k, v := range c.Attrs {
			attrs[k] = v
		}
		for k, v := range p.SetAttrs {
			if v == "" {
				delete(attrs, k)
			} else {
				attrs[k] = v
			}
		}
		c.Attrs = attrs
	}
	c.Tags = EditTags(c.Tags, p.AddTags, p.RemoveTags)
	return c, c.Validate()
}

// EditTags returns tags with add appended (once each) and remove taken out,
// keeping the original order.
func EditTags(tags, add, remove []string) []string {
	out := make([]string, 0, len(tags)+len(add))
	seen := map[string]bool{}
	drop := map[string]bool{}
	for _, t := range remove {
		drop[t] = true
	}
	for _, t := range append(append([]string{}, tags...), add...) {
		if !seen[t] && !drop[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

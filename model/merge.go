package model

import "fmt"

// MergeFields are the profile fields a merge chooses between, in the
// order the merge view shows them. Tags and attributes are united (the
// survivor's attribute wins where both have one); the figures are
// recomputed from the moved history.
var MergeFields = []string{"name", "email", "phone", "company", "plan", "region", "city", "language", "gender", "lifecycle", "ltv"}

// MergeOptions say how a merge of customer From into customer Into
// chooses each field.
type MergeOptions struct {
	// Take names the fields whose value comes from From. With Explicit
	// false it is ignored and every field Into has empty (ltv 0) is filled
	// from From — the command line's rule.
	Take     map[string]bool
	Explicit bool
	// FromVersion and IntoVersion, when not 0, are the versions the caller
	// looked at; a merge of a customer changed since is refused (ErrStale).
	FromVersion, IntoVersion int64
	DryRun                   bool
}

// MergeMoved counts what a merge moves to the survivor.
type MergeMoved struct {
	Feedback, Notes, FollowUps, Tags, Keys int
}

// MergeResult is what a merge (or its dry run, or its undo) did.
type MergeResult struct {
	From, Into int64
	Moved      MergeMoved
	// Survivor is Into after the merge (or, for an undo, after it).
	Survivor Customer
	// AuditID is the audit entry that records the merge; UnmergeCustomers
	// takes it. 0 for a dry run.
	AuditID int64
}

// FieldValue is a merge field's value as text, for showing and comparing.
func FieldValue(c Customer, field string) string {
	switch field {
	case "name":
		return c.Name
	case "email":
		return c.Email
	case "phone":
		return c.Phone
	case "company":
		return c.Company
	case "plan":
		return c.Plan
	case "region":
		return c.Region
	case "city":
		return c.City
	case "language":
		return c.Language
	case "gender":
		return c.Gender
	case "lifecycle":
		return string(c.Lifecycle)
	case "ltv":
		if c.LTV == 0 {
			return ""
		}
		return fmt.Sprint(c.LTV)
	}
	return ""
}

// DefaultTake is the command line's choice: the fields Into has empty and
// From has.
func DefaultTake(from, into Customer) map[string]bool {
	take := map[string]bool{}
	for _, f := range MergeFields {
		if FieldValue(into, f) == "" && FieldValue(from, f) != "" {
			take[f] = true
		}
	}
	return take
}

// Merged is the survivor's profile: Into with the fields of take from
// From, the tags of both, and From's attributes where Into has none.
func Merged(from, into Customer, take map[string]bool) Customer {
	out := into
	pick := func(field string, dst *string, v string) {
		if take[field] {
			*dst = v
		}
	}
	pick("name", &out.Name, from.Name)
	pick("email", &out.Email, from.Email)
	pick("phone", &out.Phone, from.Phone)
	pick("company", &out.Company, from.Company)
	pick("plan", &out.Plan, from.Plan)
	pick("region", &out.Region, from.Region)
	pick("city", &out.City, from.City)
	pick("language", &out.Language, from.Language)
	pick("gender", &out.Gender, from.Gender)
	if take["lifecycle"] && from.Lifecycle != "" {
		out.Lifecycle = from.Lifecycle
	}
	if take["ltv"] {
		out.LTV = from.LTV
	}
	if len(from.Attrs) > 0 {
		attrs := make(map[string]string, len(into.Attrs)+len(from.Attrs))
		for k, v := range from.Attrs {
			attrs[k] = v
		}
		for k, v := range into.Attrs {
			attrs[k] = v
		}
		out.Attrs = attrs
	}
	tags := append([]string{}, into.Tags...)
	for _, t := range from.Tags {
		if !containsFold(tags, t) {
			tags = append(tags, t)
		}
	}
	out.Tags = tags
	return out
}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if equalFoldASCII(x, s) {
			return true
		}
	}
	return false
}

// equalFoldASCII compares as the tags table does (COLLATE NOCASE).
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// DuplicatePair is two customers that are likely one person, with why:
// "email" (the same address up to dots and a +tag), "phone" (the same
// number up to a country prefix), "name" (the same name and company).
type DuplicatePair struct {
	A, B    Customer
	Reasons []string
}

package model

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"time"
	"unicode/utf8"
)

// Rule classifies feedback whose subject or body matches Pattern: a Go
// regular expression matched case-insensitively anywhere in the text, so
// a plain keyword (refund, 退款) matches itself. A rule fills what is
// empty (Classify); a person can also take what it suggests (Suggest).
type Rule struct {
	ID        int64
	Pattern   string
	Category  string // path, "" for none
	Tags      []string
	Kind      Kind     // "" for none
	Priority  Priority // "" for none
	CreatedBy string
	CreatedAt time.Time

	re *regexp.Regexp // set by Compile
}

// RuleError is a pattern that is not a valid regular expression. Column
// counts characters from 1.
type RuleError struct {
	Pattern string
	Column  int
	Reason  string
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("rule pattern %q: %s at column %d", e.Pattern, e.Reason, e.Column)
}

// Unwrap lets errors.Is(err, ErrInvalid) match.
func (e *RuleError) Unwrap() error { return ErrInvalid }

// Compile checks the pattern and prepares the rule for matching. An
// invalid pattern gives a *RuleError naming where the problem is.
func (r *Rule) Compile() error {
	if strings.TrimSpace(r.Pattern) == "" {
		return fmt.Errorf("%w: a rule needs a pattern", ErrInvalid)
	}
	if _, err := syntax.Parse(r.Pattern, syntax.Perl); err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			return &RuleError{Pattern: r.Pattern, Column: errorColumn(r.Pattern, se), Reason: string(se.Code)}
		}
		return &RuleError{Pattern: r.Pattern, Column: 1, Reason: err.Error()}
	}
	re, err := regexp.Compile("(?i)" + r.Pattern)
	if err != nil { // e.g. a repeat count too large once compiled
		return &RuleError{Pattern: r.Pattern, Column: 1, Reason: err.Error()}
	}
	r.re = re
	return nil
}

// Validate checks the pattern and that the rule does something with
// valid values.
func (r *Rule) Validate() error {
	if err := r.Compile(); err != nil {
		return err
	}
	if r.Category == "" && len(r.Tags) == 0 && r.Kind == "" && r.Priority == "" {
		return fmt.Errorf("%w: rule %q sets nothing (give a category, tags, kind or priority)", ErrInvalid, r.Pattern)
	}
	if r.Category != "" {
		if _, err := SplitCategoryPath(r.Category); err != nil {
			return err
		}
	}
	if r.Kind != "" {
		if _, err := ParseKind(string(r.Kind)); err != nil {
			return err
		}
	}
	if r.Priority != "" {
		if _, err := ParsePriority(string(r.Priority)); err != nil {
			return err
		}
	}
	for _, t := range r.Tags {
		if err := ValidateTag(t); err != nil {
			return err
		}
	}
	return nil
}

// Matches reports whether the rule's pattern occurs in the subject or the
// body. A rule whose pattern does not compile matches nothing.
func (r *Rule) Matches(subject, body string) bool {
	if r.re == nil && r.Compile() != nil {
		return false
	}
	return r.re.MatchString(subject) || r.re.MatchString(body)
}

// errorColumn finds where in the pattern the parser's complaint is.
func errorColumn(pattern string, se *syntax.Error) int {
	at := -1
	switch se.Code {
	case syntax.ErrMissingParen:
		at = unbalancedParen(pattern, true)
	case syntax.ErrUnexpectedParen:
		at = unbalancedParen(pattern, false)
	case syntax.ErrTrailingBackslash:
		at = len(pattern) - 1
	default:
		if se.Expr != "" {
			at = strings.Index(pattern, se.Expr)
		}
	}
	if at < 0 {
		at = 0
	}
	return utf8.RuneCountInString(pattern[:at]) + 1
}

// unbalancedParen is the byte offset of the last '(' never closed (open)
// or of the first ')' never opened, skipping escapes and [classes].
func unbalancedParen(p string, open bool) int {
	var stack []int
	inClass := false
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
			if i+1 < len(p) && p[i+1] == ']' {
				i++ // "[]" starts a class holding ']'
			}
		case c == '(':
			stack = append(stack, i)
		case c == ')':
			if len(stack) == 0 {
				if !open {
					return i
				}
				continue
			}
			stack = stack[:len(stack)-1]
		}
	}
	if open && len(stack) > 0 {
		return stack[len(stack)-1]
	}
	return -1
}

// Suggestion is what matching rules would fill in on an item: only what
// is still empty on it (see Unset). RuleIDs name the rules that matched.
type Suggestion struct {
	Category string
	Tags     []string
	Kind     Kind
	Priority Priority
	RuleIDs  []int64
}

// Empty reports whether the suggestion fills nothing.
func (s Suggestion) Empty() bool {
	return s.Category == "" && len(s.Tags) == 0 && s.Kind == "" && s.Priority == ""
}

// Patch is the suggestion as an edit, for accepting it with one key.
func (s Suggestion) Patch() FeedbackPatch {
	var p FeedbackPatch
	if s.Category != "" {
		c := s.Category
		p.Category = &c
	}
	if s.Kind != "" {
		k := s.Kind
		p.Kind = &k
	}
	if s.Priority != "" {
		pr := s.Priority
		p.Priority = &pr
	}
	p.AddTags = append([]string(nil), s.Tags...)
	return p
}

// KindUnset and PriorityUnset say whether a rule may fill the field:
// empty, or still the default a new item gets (feedback, normal).
func KindUnset(k Kind) bool { return k == "" || k == KindFeedback }

// PriorityUnset: see KindUnset.
func PriorityUnset(p Priority) bool { return p == "" || p == PriorityNormal }

// Suggest gives what the rules matching f would fill that is still empty
// on it: the category, kind and priority of the first matching rule that
// names one (rules in the order given), and every matching rule's tags the
// item lacks. ok is false when there is nothing to suggest.
func Suggest(rules []Rule, f Feedback) (Suggestion, bool) {
	return match(rules, f, false)
}

// Classify is Suggest for writing: with all, a matching rule's category,
// kind and priority replace what is there (tags are still only added).
func Classify(rules []Rule, f Feedback, all bool) (Suggestion, bool) {
	return match(rules, f, all)
}

func match(rules []Rule, f Feedback, all bool) (Suggestion, bool) {
	var s Suggestion
	var catDone, kindDone, priDone bool
	has := map[string]bool{}
	for _, t := range f.Tags {
		has[strings.ToLower(t)] = true
	}
	for i := range rules {
		r := &rules[i]
		if !r.Matches(f.Subject, f.Body) {
			continue
		}
		s.RuleIDs = append(s.RuleIDs, r.ID)
		if r.Category != "" && !catDone && (all || f.Category == "") {
			catDone = true
			if !strings.EqualFold(r.Category, f.Category) {
				s.Category = r.Category
			}
		}
		if r.Kind != "" && !kindDone && (all || KindUnset(f.Kind)) {
			kindDone = true
			if r.Kind != f.Kind {
				s.Kind = r.Kind
			}
		}
		if r.Priority != "" && !priDone && (all || PriorityUnset(f.Priority)) {
			priDone = true
			if r.Priority != f.Priority {
				s.Priority = r.Priority
			}
		}
		for _, t := range r.Tags {
			if !has[strings.ToLower(t)] {
				has[strings.ToLower(t)] = true
				s.Tags = append(s.Tags, t)
			}
		}
	}
	return s, !s.Empty()
}

package importer

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// RowError is a rejected row: file, physical line, column and reason.
type RowError struct {
	File   string `json:"-"`
	Line   int    `json:"line"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Column, e.Reason)
}

// Converter turns rows into customers and feedback by a column mapping.
type Converter struct {
	File     string
	Header   []string
	Fields   []Field
	Loc      *time.Location
	Zones    []*time.Location // per column, a zone its header names (nil: Loc)
	DayFirst map[int]bool     // per date column
}

// Convert maps one row. A row with any bad value is rejected whole, with
// the column named; nothing of it is stored.
func (c *Converter) Convert(row Row) (model.ImportRecord, *RowError) {
	rec := model.ImportRecord{Line: row.Line}
	cu := &rec.Customer
	var fb model.Feedback
	hasFeedback := false
	var digest []string
	var extra map[string]string // unmapped columns: the ticket's if there is one, else the customer's
	fail := func(col int, format string, args ...any) (model.ImportRecord, *RowError) {
		return rec, &RowError{File: c.File, Line: row.Line, Column: c.Header[col], Reason: fmt.Sprintf(format, args...)}
	}
	for i, raw := range row.Fields {
		if i >= len(c.Fields) {
			break
		}
		v := unquoteFormula(strings.TrimSpace(strings.ReplaceAll(raw, "\x00", "")))
		if v == "" {
			continue
		}
		switch c.Fields[i] {
		case FieldNone:
			if extra == nil {
				extra = map[string]string{}
			}
			if _, dup := extra[c.Header[i]]; !dup && c.Header[i] != "" {
				extra[c.Header[i]] = v
			}
		case FieldCustomerID:
			rec.CustomerKey = NormalizeID(v)
		case FieldName:
			cu.Name = v
		case FieldEmail:
			if err := model.ValidateEmail(v); err != nil {
				return fail(i, "%q is not an email address", v)
			}
			cu.Email = v
		case FieldPhone:
			cu.Phone = NormalizeID(v)
		case FieldCompany:
			cu.Company = v
		case FieldPlan:
			cu.Plan = v
		case FieldRegion:
			cu.Region = v
		case FieldCity:
			cu.City = v
		case FieldLanguage:
			cu.Language = v
		case FieldGender:
			cu.Gender = v
		case FieldLTV:
			f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
			if err != nil || f < 0 {
				return fail(i, "%q is not a value (a positive number)", v)
			}
			cu.LTV = f
		case FieldCustomerTags:
			cu.Tags = append(cu.Tags, cleanTags(ParseTags(v))...)
		case FieldTicketID:
			rec.FeedbackKey = NormalizeID(v)
			hasFeedback = true
		case FieldSubject:
			fb.Subject, hasFeedback = v, true
		case FieldBody:
			fb.Body, hasFeedback = v, true
		case FieldChannel:
			fb.Channel = strings.ToLower(v)
		case FieldKind:
			fb.Kind = kindOf(v)
		case FieldCategory:
			fb.Category = categoryPath(v)
		case FieldPriority:
			fb.Priority = priorityOf(v)
		case FieldStatus:
			fb.Status = statusOf(v)
		case FieldCSAT:
			n, err := ParseCSAT(v)
			if errors.Is(err, errNoValue) {
				continue
			}
			if err != nil {
				return fail(i, "%v", err)
			}
			fb.CSAT, fb.CSATRaw, hasFeedback = &n, v, true
		case FieldNPS:
			n, err := ParseNPS(v)
			if errors.Is(err, errNoValue) {
				continue
			}
			if err != nil {
				return fail(i, "%v", err)
			}
			fb.NPS, hasFeedback = &n, true
		case FieldAgent:
			fb.Agent = v
		case FieldCreated, FieldResolved:
			loc := c.Loc
			if i < len(c.Zones) && c.Zones[i] != nil {
				loc = c.Zones[i]
			}
			t, err := ParseTime(v, loc, c.DayFirst[i])
			if errors.Is(err, errNoValue) {
				continue
			}
			if err != nil {
				return fail(i, "%v", err)
			}
			if c.Fields[i] == FieldCreated {
				fb.CreatedAt = t
			} else {
				fb.ResolvedAt = &t
			}
		case FieldTags:
			fb.Tags = append(fb.Tags, cleanTags(ParseTags(v))...)
		}
		digest = append(digest, v)
	}
	if cu.Name == "" && cu.Email == "" && model.PhoneDigits(cu.Phone) == "" {
		cu.Name = rec.CustomerKey
	}
	if rec.CustomerKey == "" && cu.Email == "" && model.PhoneDigits(cu.Phone) == "" && cu.Name != "" {
		// known by name only (GLPI's Requerente): the name is the key
		rec.CustomerKey = "name:" + cu.Name
	}
	if cu.Name == "" && cu.Email == "" && model.PhoneDigits(cu.Phone) == "" {
		// Reviews and surveys without any person: one anonymous customer.
		// What the row says of its author (city, state, language) belongs
		// to the ticket then, not to a customer every row would rewrite.
		if hasFeedback {
			for i, raw := range row.Fields {
				if i < len(c.Fields) && customerDetail[c.Fields[i]] && c.Header[i] != "" {
					if v := unquoteFormula(strings.TrimSpace(strings.ReplaceAll(raw, "\x00", ""))); v != "" {
						if extra == nil {
							extra = map[string]string{}
						}
						extra[c.Header[i]] = v
					}
				}
			}
			*cu = model.Customer{}
		}
		rec.CustomerKey, cu.Name = "anonymous", "(anonymous)"
	}
	if hasFeedback {
		if fb.Status == model.StatusResolved || fb.Status == model.StatusClosed {
			if fb.ResolvedAt == nil && !fb.CreatedAt.IsZero() {
				t := fb.CreatedAt
				fb.ResolvedAt = &t
			}
		}
		if rec.FeedbackKey == "" {
			// No ticket id: the row's own content names it, so importing
			// the same file again finds it.
			sum := sha1.Sum([]byte(strings.Join(digest, "\x1f")))
			rec.FeedbackKey = "row:" + hex.EncodeToString(sum[:10])
		}
		fb.Attrs = extra
		rec.Feedback = &fb
	} else {
		cu.Attrs = extra
	}
	return rec, nil
}

// customerDetail are the fields that describe a customer beyond who they
// are.
var customerDetail = map[Field]bool{FieldCompany: true, FieldPlan: true, FieldRegion: true, FieldCity: true,
	FieldLanguage: true, FieldGender: true, FieldLTV: true, FieldCustomerTags: true}

// cleanTags drops tags the model would refuse (too long), so a messy tag
// column never rejects a whole row.
func cleanTags(tags []string) []string {
	out := tags[:0]
	for _, t := range tags {
		if model.ValidateTag(t) == nil {
			out = append(out, t)
		}
	}
	return out
}

func categoryPath(v string) string {
	// two levels at most; a slash inside a level is not a level
	part := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "/", "-")) }
	for _, sep := range []string{" > ", " › ", "::", ">", "/"} {
		if parts := strings.SplitN(v, sep, 2); len(parts) == 2 && part(parts[0]) != "" && part(parts[1]) != "" {
			return part(parts[0]) + "/" + part(parts[1])
		}
	}
	return part(v)
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func kindOf(v string) model.Kind {
	s := strings.ToLower(v)
	switch {
	case containsAny(s, "complaint", "投诉", "reclama", "incident", "problem", "refund", "billing"):
		return model.KindComplaint
	case containsAny(s, "question", "inquiry", "enquiry", "咨询", "dúvida", "duvida", "product inquiry"):
		return model.KindQuestion
	case containsAny(s, "request", "feature", "需求", "建议", "change", "solicita"):
		return model.KindRequest
	case containsAny(s, "praise", "compliment", "表扬", "好评"):
		return model.KindPraise
	}
	return model.KindFeedback
}

func statusOf(v string) model.Status {
	s := strings.ToLower(v)
	switch {
	case containsAny(s, "pending", "waiting", "hold", "待", "pendente", "em atendimento"):
		return model.StatusPending
	case containsAny(s, "closed", "已关闭", "fechado", "关闭"):
		return model.StatusClosed
	case containsAny(s, "solved", "resolved", "已解决", "resolvido", "solucionado", "done"):
		return model.StatusResolved
	}
	return model.StatusOpen
}

func priorityOf(v string) model.Priority {
	s := strings.ToLower(v)
	switch {
	case containsAny(s, "urgent", "critical", "紧急", "blocker", "highest", "p0", "p1"):
		return model.PriorityUrgent
	case containsAny(s, "high", "高", "alta", "major"):
		return model.PriorityHigh
	case containsAny(s, "low", "低", "baixa", "minor", "trivial"):
		return model.PriorityLow
	}
	return model.PriorityNormal
}

// unquoteFormula undoes the spreadsheet guard exports put on cells that
// start like a formula: "'+61 2 6552 4320" is the text "+61 2 6552 4320".
func unquoteFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

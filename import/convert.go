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
	File   string
	Header []string
	Fields []Field
	Loc    *time.Location
	Zones  []*time.Location // per column, a zone its header names (nil: Loc)
	// Per column, how its values are read (Mapping.Decide); nil reads
	// every attribute as the feedback's, tags split on spaces too, and
	// dates month-first.
	Levels     []Level
	TagList    []bool
	SevenPoint []bool
	DayFirst   []bool
	NAValue    []bool  // per column: "NA" is a value there (see colProfile.naIsValue)
	HTMLText   []bool  // per column: written HTML-escaped, entities decoded (entities.go)
	Scales     []Scale // per column, the user's scale (nil: as decided)
	// Survey: the file has score columns and no ticket id, so each row is
	// an answer (feedback) even when its scores are empty.
	Survey bool
	// Note says what the last Convert noticed about its row, for the
	// report.
	Note    RowNote
	layouts []string // per date column, the layout that read its last value
}

// RowNote is what a converted row had that the report counts.
type RowNote struct {
	UnknownScore bool   // a score word no scale knows: the score is empty, the text kept
	ScoreWord    string // that word, as written
	Rescaled     bool   // a 0–10 (1–10) answer rescaled to CSAT 1–5 by the user's choice
	Undated      bool   // feedback without a creation date
	NoPerson     bool   // no column names a person
	Channel      string // a channel value the canonical set does not know
	Status       string // a status value no table knows
}

// NewConverter makes a converter for a file by its decided mapping.
func NewConverter(file string, header []string, m Mapping, loc *time.Location) *Converter {
	return &Converter{File: file, Header: header, Fields: m.Fields, Zones: m.Zones, Loc: loc, Levels: m.Levels,
		TagList: m.TagList, SevenPoint: m.SevenPoint, DayFirst: m.DayFirst, NAValue: m.NAValue, HTMLText: m.HTMLText, Scales: m.Scales, Survey: m.survey()}
}

func flag(bs []bool, i int) bool { return i < len(bs) && bs[i] }

// Convert maps one row. A row with any bad value is rejected whole, with
// the column named; nothing of it is stored.
func (c *Converter) Convert(row Row) (model.ImportRecord, *RowError) {
	c.Note = RowNote{}
	rec := model.ImportRecord{Line: row.Line}
	cu := &rec.Customer
	var fb model.Feedback
	// Every row of a survey is an answer, also one whose scores are empty.
	hasFeedback := c.Survey
	var digest []string
	// unmapped columns: the ticket's if there is one, else the customer's;
	// those a customer-level column holds are always the customer's
	var extra, custExtra map[string]string
	fail := func(col int, format string, args ...any) (model.ImportRecord, *RowError) {
		return rec, &RowError{File: c.File, Line: row.Line, Column: c.Header[col], Reason: fmt.Sprintf(format, args...)}
	}
	for i, raw := range row.Fields {
		if i >= len(c.Fields) {
			break
		}
		v := cleanCell(raw)
		if v == "" {
			continue
		}
		// A row's key (below) is made of what it held before empty markers
		// were read as empty, so rows imported earlier are found again.
		switch c.Fields[i] {
		case FieldCSAT, FieldNPS, FieldCreated, FieldResolved:
			if !noValue[strings.ToLower(v)] {
				digest = append(digest, v)
			}
		default:
			digest = append(digest, v)
		}
		if isEmptyMarker(v) && !(v == "NA" && flag(c.NAValue, i)) {
			continue
		}
		// Decoded after the key's digest, so a row keeps its key; ids
		// are keys and stay as written.
		if flag(c.HTMLText, i) && c.Fields[i] != FieldCustomerID && c.Fields[i] != FieldTicketID {
			v = decodeEntities(v)
		}
		switch c.Fields[i] {
		case FieldNone:
			if c.Header[i] == "" {
				continue
			}
			dst := &extra
			if i < len(c.Levels) && c.Levels[i] == LevelCustomer {
				dst = &custExtra
			}
			if *dst == nil {
				*dst = map[string]string{}
			}
			if _, dup := (*dst)[c.Header[i]]; !dup {
				(*dst)[c.Header[i]] = v
			}
		case FieldCustomerID:
			rec.CustomerKey = NormalizeID(v)
			c.emailIn(cu, v)
		case FieldName:
			if nobodyNames[strings.ToLower(v)] {
				continue
			}
			cu.Name = v
			c.emailIn(cu, v)
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
			cu.Tags = append(cu.Tags, cleanTags(splitTags(v, !flag(c.TagList, i)))...)
		case FieldTicketID:
			rec.FeedbackKey = NormalizeID(v)
			hasFeedback = true
		case FieldSubject:
			fb.Subject, hasFeedback = v, true
		case FieldBody:
			fb.Body, hasFeedback = v, true
		case FieldChannel:
			ch, known := channelOf(v)
			fb.Channel = ch
			if !known {
				c.Note.Channel = ch
			}
		case FieldKind:
			fb.Kind = kindOf(v)
		case FieldCategory:
			fb.Category = categoryPath(v)
		case FieldPriority:
			fb.Priority = priorityOf(v)
		case FieldStatus:
			st, known := statusOf(v)
			fb.Status = st
			if !known {
				c.Note.Status = v
			}
		case FieldCSAT:
			if sc := scaleAt(c.Scales, i); isRescale(sc) {
				n, err := rescale(v, sc)
				if errors.Is(err, errNoValue) {
					continue
				}
				if err != nil {
					return fail(i, "%v", err)
				}
				fb.CSAT, fb.CSATRaw, hasFeedback = &n, v, true
				c.Note.Rescaled = true
				continue
			}
			n, err := ParseScore(v)
			if err == nil && flag(c.SevenPoint, i) {
				if _, isNum := number(strings.ToLower(v)); !isNum {
					err = errUnknownScore // "very satisfied" is not 5 on a 7-point scale
				}
			}
			switch {
			case errors.Is(err, errNoValue):
				continue
			case errors.Is(err, errUnknownScore):
				fb.CSATRaw, hasFeedback = v, true
				c.Note.UnknownScore, c.Note.ScoreWord = true, v
				continue
			case err != nil:
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
			if c.layouts == nil {
				c.layouts = make([]string, len(c.Fields))
			}
			t, err := parseTime(v, loc, flag(c.DayFirst, i), &c.layouts[i])
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
			fb.Tags = append(fb.Tags, cleanTags(splitTags(v, !flag(c.TagList, i)))...)
		}
	}
	if cu.Name == "" && cu.Email == "" && model.PhoneDigits(cu.Phone) == "" {
		cu.Name = rec.CustomerKey
	}
	if rec.CustomerKey == "" && cu.Email == "" && model.PhoneDigits(cu.Phone) == "" && cu.Name != "" {
		// known by name only (GLPI's Requerente): the name is the key
		rec.CustomerKey = "name:" + cu.Name
	}
	if hasFeedback && rec.FeedbackKey == "" {
		// No ticket id: the row's own content names it, so importing
		// the same file again finds it.
		sum := sha1.Sum([]byte(strings.Join(digest, "\x1f")))
		rec.FeedbackKey = "row:" + hex.EncodeToString(sum[:10])
	}
	if cu.Name == "" && cu.Email == "" && model.PhoneDigits(cu.Phone) == "" {
		// No person at all (reviews, complaints): each row is its own
		// anonymous customer, known by its feedback's key, so figures
		// per customer stay true and no one customer gathers them all.
		// What the row says of its author (city, state) stays with the
		// feedback.
		c.Note.NoPerson = true
		if !hasFeedback {
			return rec, nil
		}
		for i, raw := range row.Fields {
			if i < len(c.Fields) && customerDetail[c.Fields[i]] && c.Header[i] != "" {
				if v := cleanCell(raw); !isEmptyMarker(v) {
					if extra == nil {
						extra = map[string]string{}
					}
					extra[c.Header[i]] = v
				}
			}
		}
		*cu = model.Customer{}
		rec.CustomerKey, cu.Name = "anonymous:"+rec.FeedbackKey, "(anonymous)"
	}
	if hasFeedback {
		// Nothing invented: resolved_at only from a source value.
		if fb.CreatedAt.IsZero() {
			// dated by Run's rule (just before the oldest dated feedback) and
			// flagged, so it can be told from feedback that has a date
			c.Note.Undated = true
			if extra == nil {
				extra = map[string]string{}
			}
			extra[UndatedAttr] = "yes"
		}
		fb.Attrs = extra
		rec.Feedback = &fb
		cu.Attrs = custExtra
	} else {
		cu.Attrs = mergeAttrs(extra, custExtra)
	}
	return rec, nil
}

// UndatedAttr is the feedback attribute that flags feedback whose row
// had no creation date.
const UndatedAttr = "undated"

// emailIn takes an e-mail written where a name or an id was expected as
// the customer's e-mail: it identifies them across files.
func (c *Converter) emailIn(cu *model.Customer, v string) {
	if cu.Email == "" && strings.IndexByte(v, '@') > 0 && model.ValidateEmail(v) == nil {
		cu.Email = v
	}
}

func mergeAttrs(a, b map[string]string) map[string]string {
	if a == nil {
		return b
	}
	for k, v := range b {
		if _, dup := a[k]; !dup {
			a[k] = v
		}
	}
	return a
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

// survey tells a file of answers: a score column and no ticket id.
func (m Mapping) survey() bool {
	score, ticket := false, false
	for _, f := range m.Fields {
		score = score || f == FieldCSAT || f == FieldNPS
		ticket = ticket || f == FieldTicketID
	}
	return score && !ticket
}

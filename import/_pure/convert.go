package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// Why a row was skipped rather than imported or rejected.
const (
	SkipEmpty  = "empty"  // every field blank: ",,,,,,"
	SkipHeader = "header" // a repeat of the header, as in files concatenated from several exports
)

// Key prefixes of identities the converter makes up when a file has none.
// The store keeps them as external ids, so that importing the same file
// again finds the same customers and feedback.
const (
	KeyByName     = "name:"     // customer known only by name (GLPI's Requerente, Jira's Reporter)
	KeyAnon       = "anon:"     // no customer at all (complaint and review datasets): one per feedback
	KeyRowHash    = "row:"      // feedback without a ticket id: a hash of the row's fields
	AnonymousName = "Anonymous" // the name given to a customer the file does not name
)

// Record is one row of a file, converted. Customer and CustomerKey are
// always set; Feedback is nil when the row holds only customer data (a
// contacts file). Keys follow CONTRACT.md's identity rules: the store
// matches the customer by (Source, CustomerKey), then email, then phone,
// and the feedback by (Source, FeedbackKey). A key the file did not supply
// is derived (KeyByName, KeyAnon, KeyRowHash).
type Record struct {
	Line        int      // physical line where the row starts (the header is line 1)
	Raw         []string // the fields as read, for an --errors file
	Source      string   // system the ids come from
	Customer    model.Customer
	CustomerKey string
	Feedback    *model.Feedback
	FeedbackKey string
	// Attrs holds the columns mapped to no field, by header name, and the
	// values of enum columns (status, kind …) that matched no known word.
	// Customer.Attrs is the same map.
	Attrs map[string]string
	Skip  string // SkipEmpty or SkipHeader: count it, store nothing
}

// RowError is a rejected row (or a problem in one of its cells): the row
// is not imported at all, and the error says where and why.
type RowError struct {
	File   string
	Line   int
	Column string // the header name, or "" for the row as a whole
	Reason string
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Column, e.Reason)
}

// colSpec is a bound column, ready to convert.
type colSpec struct {
	idx     int
	header  string // as written: attribute key and error column
	key     string
	field   Field
	order   DateOrder
	scale   Scale
	loc     *time.Location
	oneTag  bool // each cell is one tag (several tag columns)
	attrKey string
}

// Converter turns rows of one file into Records.
type Converter struct {
	file     string
	mapping  Mapping
	cols     []colSpec
	source   string
	feedback bool // the mapping has feedback columns and is not a contacts file
}

// NewConverter binds m to a file's header (see Mapping.Bind). file names
// the file in row errors.
func NewConverter(file string, header []string, m Mapping) (*Converter, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m = m.Bind(header)
	base, err := loadZone(m.TZ)
	if err != nil {
		return nil, err
	}
	c := &Converter{file: file, mapping: m, source: m.Source}
	if c.source == "" {
		c.source = m.Preset
	}
	tagCols := map[Field]int{}
	for _, col := range m.Columns {
		tagCols[col.Field]++
	}
	attrKeys := map[string]int{}
	for i, col := range m.Columns {
		loc := base
		if col.TZ != "" {
			if loc, err = loadZone(col.TZ); err != nil {
				return nil, err
			}
		}
		order := col.DateOrder
		if order == DateAuto {
			order = m.DateOrder
		}
		attrKey := col.Header
		if n := attrKeys[attrKey]; n > 0 {
			attrKey = fmt.Sprintf("%s (%d)", col.Header, n+1)
		}
		attrKeys[col.Header]++
		c.cols = append(c.cols, colSpec{
			idx: i, header: col.Header, key: HeaderKey(header[i]), field: col.Field, order: order,
			scale: col.Scale, loc: loc, oneTag: tagCols[col.Field] > 1, attrKey: attrKey,
		})
		if info, ok := col.Field.Info(); ok && info.Feedback {
			c.feedback = true
		}
	}
	if m.Preset == "contacts" {
		c.feedback = false
	}
	return c, nil
}

// Mapping is the mapping bound to the file's header, one column per header.
func (c *Converter) Mapping() Mapping { return c.mapping }

// row gathers the converted values of one row.
type row struct {
	rec      Record
	fb       model.Feedback
	subject  string
	bodies   []string
	category string
	subcat   string
	resolved *bool
	clock    *[3]int
	errs     []RowError
	attrs    map[string]string
}

// Convert turns one row into a Record. A row with any bad value (a CSAT
// of 7, a date that is not one, an email that is not one) is rejected
// whole: the Record is empty but for Line and Raw, and every problem is
// listed. Blank rows and repeats of the header come back with Skip set.
// Text is kept as imported (it is cleaned when shown), except that NUL
// bytes are removed and names, emails and the like are trimmed.
func (c *Converter) Convert(line int, fields []string) (Record, []RowError) {
	fields = withoutNUL(fields)
	r := row{rec: Record{Line: line, Raw: fields, Source: c.source}, attrs: map[string]string{}}
	switch {
	case allBlank(fields):
		r.rec.Skip = SkipEmpty
		return r.rec, nil
	case c.isHeader(fields):
		r.rec.Skip = SkipHeader
		return r.rec, nil
	}
	for _, col := range c.cols {
		if col.idx < len(fields) {
			c.cell(&r, col, fields[col.idx])
		}
	}
	for i := len(c.cols); i < len(fields); i++ { // more fields than the header has names
		if t := strings.TrimSpace(fields[i]); t != "" {
			r.attrs[fmt.Sprintf("column %d", i+1)] = t
		}
	}
	if len(r.errs) == 0 {
		c.finish(&r)
	}
	if len(r.errs) > 0 {
		return Record{Line: line, Raw: fields, Source: c.source}, r.errs
	}
	return r.rec, nil
}

func (c *Converter) fail(r *row, col string, format string, args ...any) {
	r.errs = append(r.errs, RowError{File: c.file, Line: r.rec.Line, Column: col, Reason: fmt.Sprintf(format, args...)})
}

// cell converts one cell into the row.
func (c *Converter) cell(r *row, col colSpec, v string) {
	t := strings.TrimSpace(v)
	if t == "" || col.field == FieldIgnore {
		return
	}
	cust, fb := &r.rec.Customer, &r.fb
	keep := func() { r.attrs[col.attrKey] = t } // a value we could not place: keep it as an attribute
	switch col.field {
	case FieldAttr:
		keep()
		return
	case FieldSubject:
		if r.subject == "" {
			r.subject = t
		}
		return
	case FieldBody:
		r.bodies = append(r.bodies, v)
		return
	}
	if IsNull(t) && col.field != FieldCSAT && col.field != FieldCSATRaw {
		return
	}
	switch col.field {
	case FieldCustomerID:
		r.rec.CustomerKey = NormalizeID(t)
	case FieldName:
		cust.Name = t
	case FieldEmail:
		e := strings.TrimPrefix(strings.TrimPrefix(t, "mailto:"), "MAILTO:")
		if strings.ContainsAny(e, "<( \t") { // "Ann Lee <ann@example.com>"
			if a, err := mail.ParseAddress(e); err == nil {
				e = a.Address
			}
		}
		if model.ValidateEmail(e) != nil {
			c.fail(r, col.header, "%q is not an email address", t)
			return
		}
		cust.Email = e
	case FieldPhone:
		if p := NormalizeID(t); model.PhoneDigits(p) != "" {
			cust.Phone = p
		} else {
			keep()
		}
	case FieldCompany:
		cust.Company = t
	case FieldPlan:
		cust.Plan = t
	case FieldRegion:
		cust.Region = t
	case FieldCity:
		cust.City = t
	case FieldLanguage:
		cust.Language = t
	case FieldGender:
		cust.Gender = t
	case FieldLifecycle:
		if l, ok := ParseLifecycle(t); ok {
			cust.Lifecycle = l
		} else {
			keep()
		}
	case FieldLTV:
		x, err := ParseAmount(t)
		switch {
		case err != nil:
			c.fail(r, col.header, "%v", err)
		case x != nil && *x < 0:
			c.fail(r, col.header, "lifetime value %s is negative", t)
		case x != nil:
			cust.LTV = *x
		}
	case FieldCustomerTags:
		cust.Tags = c.tags(r, col, cust.Tags, t)
	case FieldTicketID:
		r.rec.FeedbackKey = NormalizeID(t)
	case FieldSource:
		r.rec.Source = t
	case FieldChannel:
		fb.Channel = NormalizeChannel(t)
	case FieldKind:
		if k, ok := ParseKind(t); ok {
			fb.Kind = k
		} else {
			keep()
		}
	case FieldCategory:
		r.category = t
	case FieldSubcategory:
		r.subcat = t
	case FieldPriority:
		if p, ok := ParsePriority(t); ok {
			fb.Priority = p
		} else {
			keep()
		}
	case FieldStatus:
		if s, ok := ParseStatus(t); ok {
			fb.Status = s
		} else {
			keep()
		}
	case FieldResolvedFlag:
		if b, ok := ParseBool(t); ok {
			r.resolved = &b
		} else {
			keep()
		}
	case FieldCSAT:
		v, err := ParseCSATScale(t, col.scale)
		if err != nil {
			c.fail(r, col.header, "%v", err)
			return
		}
		fb.CSAT = v
		if fb.CSATRaw == "" && !blankWords[strings.ToLower(t)] {
			fb.CSATRaw = t
		}
	case FieldCSATRaw:
		if !blankWords[strings.ToLower(t)] {
			fb.CSATRaw = t
		}
	case FieldNPS:
		v, err := ParseNPS(t)
		if err != nil {
			c.fail(r, col.header, "%v", err)
			return
		}
		fb.NPS = v
	case FieldAgent:
		fb.Agent = t
	case FieldCreatedAt, FieldResolvedAt:
		at, err := ParseTimeOrder(t, col.loc, col.order)
		if err != nil {
			c.fail(r, col.header, "%v", err)
			return
		}
		if at == nil {
			return
		}
		if col.field == FieldCreatedAt {
			fb.CreatedAt = *at
		} else {
			fb.ResolvedAt = at
		}
	case FieldCreatedTime:
		if h, m, s, ok := ParseClock(t); ok {
			r.clock = &[3]int{h, m, s}
		} else {
			keep()
		}
	case FieldTags:
		fb.Tags = c.tags(r, col, fb.Tags, t)
	default:
		keep()
	}
}

// blankWords are placeholders not worth keeping as a raw score.
var blankWords = map[string]bool{"-": true, "--": true, "—": true, "–": true, "n/a": true, "na": true,
	"#n/a": true, "null": true, "nil": true, "none": true, "nan": true}

func (c *Converter) tags(r *row, col colSpec, have []string, t string) []string {
	var add []string
	if col.oneTag {
		add = []string{ParseTag(t)}
	} else {
		add = ParseTags(t)
	}
	for _, tag := range add {
		if tag == "" {
			continue
		}
		if err := model.ValidateTag(tag); err != nil {
			c.fail(r, col.header, "%s", strings.TrimPrefix(err.Error(), model.ErrInvalid.Error()+": "))
			return have
		}
	}
	return model.EditTags(have, add, nil)
}

// finish derives what the cells did not say: the feedback (if any), keys,
// a name, defaults; then checks the result as the store will.
func (c *Converter) finish(r *row) {
	rec, fb, cust := &r.rec, &r.fb, &r.rec.Customer
	if r.clock != nil && !fb.CreatedAt.IsZero() {
		y, mo, d := fb.CreatedAt.Date()
		fb.CreatedAt = time.Date(y, mo, d, r.clock[0], r.clock[1], r.clock[2], 0, fb.CreatedAt.Location())
	}
	if fb.Status == "" && r.resolved != nil {
		fb.Status = model.StatusOpen
		if *r.resolved {
			fb.Status = model.StatusResolved
		}
	}
	fb.Category = categoryPath(r.category, r.subcat)
	fb.Subject = r.subject
	fb.Body = strings.Join(nonBlank(r.bodies), "\n\n")

	hasFeedback := c.feedback && (rec.FeedbackKey != "" || fb.Subject != "" || fb.Body != "" ||
		fb.CSAT != nil || fb.NPS != nil || fb.Category != "" || fb.CSATRaw != "")
	if hasFeedback && fb.Subject == "" && fb.Body == "" && fb.CSAT == nil && fb.NPS == nil {
		// A ticket without text (GLPI exports none): its category, or its
		// number, stands in for a subject so that it can be listed.
		switch {
		case fb.Category != "":
			fb.Subject = fb.Category
		case rec.FeedbackKey != "":
			fb.Subject = "#" + rec.FeedbackKey
		default:
			hasFeedback = false
		}
	}
	if hasFeedback && rec.FeedbackKey == "" {
		rec.FeedbackKey = KeyRowHash + rowHash(rec.Raw)
	}

	if rec.CustomerKey == "" && cust.Email == "" && cust.Phone == "" && cust.Name != "" {
		rec.CustomerKey = KeyByName + cust.Name
	}
	if cust.Name == "" && cust.Email == "" && cust.Phone == "" {
		switch {
		case rec.CustomerKey != "":
			cust.Name = rec.CustomerKey
		case hasFeedback:
			rec.CustomerKey = KeyAnon + rec.FeedbackKey
			cust.Name = AnonymousName
		default:
			c.fail(r, "", "the row has no customer (name, email, phone or id) and no feedback")
			return
		}
	}
	if len(r.attrs) > 0 {
		rec.Attrs = r.attrs
		cust.Attrs = r.attrs
	}
	if err := cust.Validate(); err != nil {
		c.fail(r, "", "%s", reason(err))
		return
	}
	if !hasFeedback {
		return
	}
	fb.Source = rec.Source
	if fb.Channel == "" && c.mapping.Preset == "survey" {
		fb.Channel = "survey"
	}
	fb.ExternalID = rec.FeedbackKey
	fb.CustomerName = cust.Name
	fb.CustomerID = 1 // Validate wants a customer; the store assigns the real one
	err := fb.Validate()
	fb.CustomerID = 0
	if err != nil {
		c.fail(r, "", "%s", reason(err))
		return
	}
	f := *fb
	rec.Feedback = &f
}

func reason(err error) string {
	if errors.Is(err, model.ErrInvalid) {
		return strings.TrimPrefix(err.Error(), model.ErrInvalid.Error()+": ")
	}
	return err.Error()
}

func nonBlank(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func allBlank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// isHeader reports a row that repeats the header (files concatenated from
// several exports repeat it mid-file).
func (c *Converter) isHeader(fields []string) bool {
	if len(fields) < len(c.cols) {
		return false
	}
	for i, f := range fields {
		if i >= len(c.cols) {
			if strings.TrimSpace(f) != "" {
				return false
			}
			continue
		}
		if HeaderKey(f) != c.cols[i].key {
			return false
		}
	}
	return true
}

// rowHash identifies a row by its content: the same row in a re-saved
// file gets the same key, and exact duplicates (crawled twice) collapse.
func rowHash(fields []string) string {
	h := sha256.New()
	for _, f := range fields {
		h.Write([]byte(strings.TrimSpace(f)))
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil)[:10])
}

// withoutNUL removes NUL bytes, copying the slice only when there are some.
func withoutNUL(fields []string) []string {
	copied := false
	for i, f := range fields {
		if strings.IndexByte(f, 0) < 0 {
			continue
		}
		if !copied {
			fields, copied = append([]string(nil), fields...), true
		}
		fields[i] = strings.ReplaceAll(f, "\x00", "")
	}
	return fields
}

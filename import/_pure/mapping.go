package importer

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Field is what a column means to Rapport.
type Field string

// Customer fields.
const (
	FieldCustomerID   Field = "customer_id" // the customer's id in the source system
	FieldName         Field = "name"
	FieldEmail        Field = "email"
	FieldPhone        Field = "phone"
	FieldCompany      Field = "company"
	FieldPlan         Field = "plan"
	FieldRegion       Field = "region"
	FieldCity         Field = "city"
	FieldLanguage     Field = "language"
	FieldGender       Field = "gender"
	FieldLifecycle    Field = "lifecycle"
	FieldLTV          Field = "ltv"
	FieldCustomerTags Field = "customer_tags"
)

// Feedback fields.
const (
	FieldTicketID     Field = "ticket_id" // the ticket's id in the source system
	FieldSource       Field = "source"    // per-row source system (Rapport's own export)
	FieldSubject      Field = "subject"
	FieldBody         Field = "body"
	FieldChannel      Field = "channel"
	FieldKind         Field = "kind"
	FieldCategory     Field = "category"
	FieldSubcategory  Field = "subcategory" // second level under category
	FieldPriority     Field = "priority"
	FieldStatus       Field = "status"
	FieldResolvedFlag Field = "resolved_flag" // yes/no: resolved or open, when there is no status
	FieldCSAT         Field = "csat"
	FieldCSATRaw      Field = "csat_raw" // the raw answer, when the file has it apart from the score
	FieldNPS          Field = "nps"
	FieldAgent        Field = "agent"
	FieldCreatedAt    Field = "created_at"
	FieldCreatedTime  Field = "created_time" // a time of day to add to created_at's date
	FieldResolvedAt   Field = "resolved_at"
	FieldTags         Field = "tags" // feedback tags
)

// Columns that are not a field.
const (
	FieldAttr   Field = "attr"   // kept in the record's attributes under the header's name
	FieldIgnore Field = "ignore" // dropped
)

// FieldInfo describes a field for a mapping screen.
type FieldInfo struct {
	Field    Field
	Label    string
	Feedback bool // belongs to the feedback rather than the customer
	Multi    bool // several columns may feed it (tags, body)
}

// Fields lists every field a column can be mapped to, in the order a
// mapping screen shows them.
var Fields = []FieldInfo{
	{FieldCustomerID, "Customer id", false, false},
	{FieldName, "Name", false, false},
	{FieldEmail, "Email", false, false},
	{FieldPhone, "Phone", false, false},
	{FieldCompany, "Company", false, false},
	{FieldPlan, "Plan", false, false},
	{FieldRegion, "Region", false, false},
	{FieldCity, "City", false, false},
	{FieldLanguage, "Language", false, false},
	{FieldGender, "Gender", false, false},
	{FieldLifecycle, "Lifecycle", false, false},
	{FieldLTV, "Lifetime value", false, false},
	{FieldCustomerTags, "Customer tags", false, true},
	{FieldTicketID, "Ticket id", true, false},
	{FieldSource, "Source system", true, false},
	{FieldSubject, "Subject", true, false},
	{FieldBody, "Text", true, true},
	{FieldChannel, "Channel", true, false},
	{FieldKind, "Kind", true, false},
	{FieldCategory, "Category", true, false},
	{FieldSubcategory, "Subcategory", true, false},
	{FieldPriority, "Priority", true, false},
	{FieldStatus, "Status", true, false},
	{FieldResolvedFlag, "Resolved (yes/no)", true, false},
	{FieldCSAT, "CSAT", true, false},
	{FieldCSATRaw, "CSAT raw text", true, false},
	{FieldNPS, "NPS", true, false},
	{FieldAgent, "Agent", true, false},
	{FieldCreatedAt, "Created at", true, false},
	{FieldCreatedTime, "Created time of day", true, false},
	{FieldResolvedAt, "Resolved at", true, false},
	{FieldTags, "Tags", true, true},
	{FieldAttr, "Attribute (keep as is)", false, true},
	{FieldIgnore, "Ignore", false, true},
}

// Info describes f; ok is false for a field that does not exist.
func (f Field) Info() (FieldInfo, bool) {
	for _, fi := range Fields {
		if fi.Field == f {
			return fi, true
		}
	}
	return FieldInfo{}, false
}

// ParseField reads a field name as a mapping file writes it.
func ParseField(s string) (Field, error) {
	f := Field(strings.ToLower(strings.TrimSpace(s)))
	if _, ok := f.Info(); ok {
		return f, nil
	}
	names := make([]string, len(Fields))
	for i, fi := range Fields {
		names[i] = string(fi.Field)
	}
	return "", fmt.Errorf("unknown field %q (expected one of %s)", s, strings.Join(names, ", "))
}

// Mapping says how to read one kind of file: its preset, source system,
// encoding, delimiter and zone, and what each column means. Detect makes
// one from a header; a person can change any column's field (Set) and
// save it (SaveMapping) to reuse with --map.
type Mapping struct {
	Preset    string    `toml:"preset"`
	Source    string    `toml:"source,omitempty"`     // system the ids come from; default: the preset
	Encoding  Encoding  `toml:"encoding,omitempty"`   // "" sniffs
	Delimiter string    `toml:"delimiter,omitempty"`  // "" sniffs; "," ";" "\t" "|"
	TZ        string    `toml:"tz,omitempty"`         // IANA zone of times written without one; "" local
	DateOrder DateOrder `toml:"date_order,omitempty"` // for dates no column settles
	Columns   []Column  `toml:"columns"`
}

// Column is one column's meaning. Header matches the file's header name
// (case and spacing aside); a repeated header (Jira's Labels) has one
// Column per occurrence, in order.
type Column struct {
	Header    string    `toml:"header"`
	Field     Field     `toml:"field"`
	DateOrder DateOrder `toml:"date_order,omitempty"` // dates: mdy or dmy
	Scale     Scale     `toml:"scale,omitempty"`      // CSAT: 5, 10 or 100
	TZ        string    `toml:"tz,omitempty"`         // times: this column's zone (Intercom writes it in the header)
}

// Set changes what column i means.
func (m *Mapping) Set(i int, f Field) error {
	if i < 0 || i >= len(m.Columns) {
		return fmt.Errorf("no column %d (the file has %d)", i+1, len(m.Columns))
	}
	if _, ok := f.Info(); !ok {
		_, err := ParseField(string(f))
		return err
	}
	m.Columns[i].Field = f
	return nil
}

// Validate checks the names in a mapping: fields, scales, date orders,
// zones, encoding and delimiter.
func (m Mapping) Validate() error {
	if m.Preset != "" {
		if _, ok := presetByName(m.Preset); !ok {
			return fmt.Errorf("unknown preset %q (expected one of %s)", m.Preset, strings.Join(PresetNames(), ", "))
		}
	}
	if _, err := ParseEncoding(string(m.Encoding)); err != nil {
		return err
	}
	if _, err := ParseDelimiter(m.Delimiter); err != nil {
		return err
	}
	if _, err := loadZone(m.TZ); err != nil {
		return err
	}
	if _, err := ParseDateOrder(string(m.DateOrder)); err != nil {
		return err
	}
	for i, c := range m.Columns {
		where := fmt.Sprintf("column %d (%q)", i+1, c.Header)
		if _, err := ParseField(string(c.Field)); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if _, err := ParseScale(string(c.Scale)); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if _, err := ParseDateOrder(string(c.DateOrder)); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if _, err := loadZone(c.TZ); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	return nil
}

// ParseDelimiter reads a --delimiter value: "" or "auto" (sniff: 0), a
// single ASCII character other than a quote or a line end, or "tab",
// "\t", "comma", "semicolon", "pipe".
func ParseDelimiter(s string) (rune, error) {
	switch strings.ToLower(s) {
	case "", "auto":
		return 0, nil
	case "tab", `\t`, "\t", "tsv":
		return '\t', nil
	case "comma":
		return ',', nil
	case "semicolon":
		return ';', nil
	case "pipe":
		return '|', nil
	}
	if len(s) == 1 && s[0] > ' ' && s[0] < 0x7f && s[0] != '"' {
		return rune(s[0]), nil
	}
	return 0, fmt.Errorf("delimiter %q: use one character such as , ; | or tab", s)
}

// loadZone reads an IANA zone name; "" and "Local" are the local zone.
func loadZone(name string) (*time.Location, error) {
	switch name {
	case "", "Local", "local":
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q (use an IANA name such as Asia/Shanghai or America/New_York)", name)
	}
	return loc, nil
}

// LoadMapping reads a mapping saved by SaveMapping (or written by hand).
// Unknown keys are refused, so that a typo does not silently do nothing.
func LoadMapping(path string) (Mapping, error) {
	var m Mapping
	md, err := toml.DecodeFile(path, &m)
	if err != nil {
		return Mapping{}, fmt.Errorf("mapping %s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return Mapping{}, fmt.Errorf("mapping %s: unknown setting %q", path, undecoded[0].String())
	}
	for i := range m.Columns {
		m.Columns[i].Field = Field(strings.ToLower(strings.TrimSpace(string(m.Columns[i].Field))))
	}
	if err := m.Validate(); err != nil {
		return Mapping{}, fmt.Errorf("mapping %s: %w", path, err)
	}
	return m, nil
}

// SaveMapping writes m as TOML, readable and editable by hand.
func SaveMapping(path string, m Mapping) error {
	if err := m.Validate(); err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("# Rapport import mapping: what each column of the file means.\n")
	buf.WriteString("# Fields: " + fieldNames() + "\n\n")
	if err := toml.NewEncoder(&buf).Encode(m); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func fieldNames() string {
	names := make([]string, len(Fields))
	for i, fi := range Fields {
		names[i] = string(fi.Field)
	}
	return strings.Join(names, ", ")
}

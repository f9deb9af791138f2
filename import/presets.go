package importer

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// A preset is a known export format: the headers that identify it and
// what its columns mean where that differs from the general synonyms
// (fields.go). Column names come from the vendors' documentation of their
// CSV exports and from public code that reads them:
//   - Zendesk: "Id", "Requester", "Requester email", "Via", "Ticket type",
//     "Satisfaction Score" (Offered/Not Offered/Good/Bad), "Solved at" …
//   - Freshdesk: "Ticket ID", "Source", "Type", "Agent", "Created time",
//     "Resolved time", "Survey results", "Full name", "Contact ID" …
//   - Help Scout: conversations by number and mailbox, rated
//     Great/Okay/Not Good.
//   - Zammad: "#", "Title", "State", "Owner", "Customer", "Create Channel" …
//   - osTicket: "Ticket Number", "Date Created", "From", "From Email",
//     "Help Topic", "Current Status", "Agent Assigned" …
//   - Jira Service Management: "Issue key", "Summary", "Issue Type",
//     "Reporter", "Created", "Resolved", one "Labels" column per label.
//   - Intercom: the zone inside the header ("Created at
//     (America/New_York)") beside "Conversation ID", "Conversation rating".
type preset struct {
	name      string
	signature []string         // headers typical of the export
	need      int              // how many of them must be present
	anyOf     []string         // and at least one of these
	zoned     bool             // headers with a zone count towards it
	columns   map[string]Field // by header; fieldAttr keeps a column as an attribute
	listTags  bool             // tag cells are comma-separated lists whose tags may hold spaces
	source    string           // the system its ids come from, when not its name
}

// fieldAttr in a preset's columns means "an attribute, whatever the
// synonyms say" ("Group" is not the customer's plan in Zendesk).
const fieldAttr Field = "attrs"

var presets = []*preset{
	{name: "zendesk", need: 4,
		signature: []string{"id", "requester", "requester id", "requester email", "requester domain", "requester external id",
			"submitter", "assignee", "via", "ticket type", "satisfaction score", "solved at", "group stations", "reopens", "replies"},
		anyOf: []string{"requester", "requester email", "via", "requester id"},
		columns: map[string]Field{"id": FieldTicketID, "requester": FieldName, "requester id": FieldCustomerID,
			"requester email": FieldEmail, "submitter": fieldAttr, "assignee": FieldAgent, "group": fieldAttr,
			"via": FieldChannel, "ticket type": FieldKind, "organization": FieldCompany, "solved at": FieldResolved,
			"satisfaction score": FieldCSAT, "satisfaction comment": fieldAttr, "updated at": fieldAttr}},
	{name: "freshdesk", need: 5,
		signature: []string{"ticket id", "subject", "status", "priority", "source", "type", "agent", "group", "created time",
			"due by time", "resolved time", "closed time", "last update time", "initial response time", "time tracked",
			"agent interactions", "customer interactions", "resolution status", "survey results", "full name", "contact id"},
		anyOf: []string{"due by time", "created time", "survey results", "resolution status"},
		columns: map[string]Field{"ticket id": FieldTicketID, "source": FieldChannel, "type": FieldKind, "agent": FieldAgent,
			"group": fieldAttr, "created time": FieldCreated, "resolved time": FieldResolved, "closed time": fieldAttr,
			"survey results": FieldCSAT, "full name": FieldName, "contact id": FieldCustomerID, "company name": FieldCompany,
			"work phone": FieldPhone, "mobile phone": FieldPhone, "product": fieldAttr, "tags": FieldTags},
		listTags: true},
	// Zendesk Explore's reports name every column after its dataset
	// ("Ticket ID", "Ticket created - Timestamp"); one ticket repeats on
	// as many rows as a multi-valued column has values. Its ids are the
	// Zendesk ticket ids.
	{name: "zendesk-explore", need: 3, source: "zendesk",
		signature: []string{"ticket id", "assignee name", "requester email", "requester name", "ticket satisfaction rating",
			"ticket created - timestamp", "ticket created - date", "ticket status", "ticket subject", "ticket organization name",
			"ticket group", "ticket channel", "ticket tags", "ticket priority", "ticket type", "ticket solved - timestamp",
			"tickets", "ticket custom status name", "ticket form"},
		anyOf: []string{"ticket created - timestamp", "ticket created - date", "ticket satisfaction rating", "ticket organization name",
			"assignee name"},
		columns: map[string]Field{"ticket id": FieldTicketID, "assignee name": FieldAgent, "requester email": FieldEmail,
			"requester name": FieldName, "ticket satisfaction rating": FieldCSAT, "ticket created - timestamp": FieldCreated,
			"ticket created - date": FieldCreated, "ticket solved - timestamp": FieldResolved, "ticket status": FieldStatus,
			"ticket subject": FieldSubject, "ticket organization name": FieldCompany, "ticket channel": FieldChannel,
			"ticket tags": FieldTags, "ticket priority": FieldPriority, "ticket type": FieldKind, "ticket group": fieldAttr,
			"summary": fieldAttr, "tickets": fieldAttr, "ticket custom status name": fieldAttr, "ticket form": fieldAttr,
			"requester id": FieldCustomerID}},
	{name: "helpscout", need: 4,
		signature: []string{"conversation id", "conversation number", "customer name", "customer email", "mailbox",
			"assigned to", "status", "tags", "subject", "type", "rating", "happiness rating", "rating comments", "created at",
			"closed at", "waiting since"},
		anyOf: []string{"mailbox", "conversation number", "happiness rating"},
		columns: map[string]Field{"conversation number": FieldTicketID, "conversation id": FieldTicketID,
			"mailbox": fieldAttr, "assigned to": FieldAgent, "type": FieldChannel, "rating": FieldCSAT,
			"happiness rating": FieldCSAT, "rating comments": FieldBody, "closed at": FieldResolved}},
	{name: "zammad", need: 5,
		signature: []string{"#", "title", "state", "priority", "group", "owner", "customer", "organization", "create channel",
			"sender", "tags", "time units total", "created at", "updated at", "closed at", "first response at", "article count"},
		anyOf: []string{"#", "create channel", "owner", "time units total"},
		columns: map[string]Field{"#": FieldTicketID, "number": FieldTicketID, "title": FieldSubject, "state": FieldStatus,
			"group": fieldAttr, "owner": FieldAgent, "customer": FieldName, "organization": FieldCompany,
			"create channel": FieldChannel, "sender": fieldAttr, "closed at": FieldResolved}},
	{name: "osticket", need: 4,
		signature: []string{"ticket number", "date created", "subject", "from", "from email", "priority", "department",
			"help topic", "source", "current status", "last updated", "sla due date", "due date", "closed date", "overdue",
			"answered", "agent assigned", "team assigned", "thread count"},
		anyOf: []string{"from email", "help topic", "agent assigned", "current status"},
		columns: map[string]Field{"ticket number": FieldTicketID, "date created": FieldCreated, "from": FieldName,
			"from email": FieldEmail, "department": fieldAttr, "help topic": FieldCategory, "source": FieldChannel,
			"current status": FieldStatus, "closed date": FieldResolved, "agent assigned": FieldAgent,
			"team assigned": fieldAttr}},
	{name: "jira", need: 4,
		signature: []string{"issue key", "issue id", "summary", "issue type", "status", "project key", "project name",
			"priority", "resolution", "assignee", "reporter", "creator", "created", "updated", "resolved", "labels", "description",
			// Spanish, French and German UIs
			"clave de incidencia", "id de la incidencia", "resumen", "tipo de incidencia", "estado", "clave del proyecto",
			"informador", "creada", "actualizada", "resuelta", "etiquetas", "persona asignada", "prioridad", "resolución",
			"clé de ticket", "rapporteur", "créé", "vorgangsschlüssel", "melder", "erstellt", "zusammenfassung"},
		anyOf: []string{"issue key", "issue id", "clave de incidencia", "id de la incidencia", "clé de ticket", "vorgangsschlüssel",
			"chiave", "chave"},
		columns: map[string]Field{"issue key": FieldTicketID, "issue id": fieldAttr, "summary": FieldSubject,
			"issue type": FieldKind, "resolution": fieldAttr, "assignee": FieldAgent, "reporter": FieldName,
			"creator": fieldAttr, "created": FieldCreated, "resolved": FieldResolved, "labels": FieldTags,
			"component/s": FieldCategory, "id de la incidencia": fieldAttr, "resolución": fieldAttr, "creador": fieldAttr,
			"responsable del proyecto": fieldAttr, "actualizada": fieldAttr, "persona asignada": FieldAgent,
			"informador": FieldName, "resuelta": FieldResolved, "creada": FieldCreated, "etiquetas": FieldTags,
			"estado": FieldStatus, "fecha de vencimiento": fieldAttr, "componentes": FieldCategory},
		listTags: true},
	{name: "intercom", need: 3, zoned: true,
		signature: []string{"conversation id", "conversation rating", "conversation rating remark", "conversation tags",
			"teammate assigned", "team assigned", "user email", "user name", "user id", "channel", "state",
			"conversation started at", "started at", "last closed at"},
		anyOf: []string{"conversation id", "conversation rating", "teammate assigned"},
		columns: map[string]Field{"conversation id": FieldTicketID, "conversation rating": FieldCSAT,
			"conversation rating remark": FieldBody, "conversation tags": FieldTags, "teammate assigned": FieldAgent,
			"team assigned": fieldAttr, "user email": FieldEmail, "user name": FieldName, "user id": FieldCustomerID,
			"state": FieldStatus, "conversation started at": FieldCreated, "started at": FieldCreated,
			"last closed at": FieldResolved, "closed at": FieldResolved, "conversation title": FieldSubject,
			"first message": FieldBody}},
}

// genericPresets name files no vendor signature matches, by what their
// columns hold.
var genericPresets = []string{"survey", "contacts", "tickets"}

// PresetNames lists what --preset accepts.
func PresetNames() []string {
	names := []string{"auto"}
	for _, p := range presets {
		names = append(names, p.name)
	}
	return append(names, genericPresets...)
}

// zoneSuffix is a time zone written after a header name, as Intercom
// does: "Created at (America/New_York)", "Closed at (UTC)".
var zoneSuffix = regexp.MustCompile(`\s*\(\s*((?:[A-Za-z]+(?:/[A-Za-z0-9_+\-]+)+)|UTC|GMT)\s*\)\s*$`)

// splitZone returns a header without its zone, and the zone.
func splitZone(h string) (string, string) {
	if m := zoneSuffix.FindStringSubmatchIndex(h); m != nil {
		return h[:m[0]], h[m[2]:m[3]]
	}
	return h, ""
}

// Mapping is what each column of a file means, and the preset that said
// so.
type Mapping struct {
	Preset string
	// Source is the system the preset's ids come from ("" = its name).
	Source string
	Fields []Field
	// Columns is each column's decided meaning with its evidence, and
	// Levels, TagList, SevenPoint and DayFirst how its values are read
	// (see Decide); nil before Decide.
	Columns    []Column
	Levels     []Level
	TagList    []bool
	SevenPoint []bool
	DayFirst   []bool
	NAValue    []bool // "NA" is a code among codes there (North America), not "no value"
	HTMLText   []bool // the column is written HTML-escaped: its entities are decoded (entities.go)
	// Scales holds, per column, the scale the user chose (Options.Scales;
	// nil or ScaleAuto: as decided).
	Scales     []Scale
	presetName string // the vendor preset, "" for a generic file
	listTags   bool
	fixed      map[int]bool // columns the user's mapping named
	// Zones holds, per column, the zone its header names (Intercom), or
	// nil: times in that column without a zone of their own are read in
	// it instead of --tz.
	Zones []*time.Location
}

// DetectMapping maps a header: by the named preset, or ("" / "auto") by
// the vendor whose export it matches, else by the synonyms alone, naming
// the file survey, contacts or tickets by what its columns hold.
func DetectMapping(header []string, presetName string) (Mapping, error) {
	keys := make([]string, len(header))
	m := Mapping{Zones: make([]*time.Location, len(header))}
	zoned := 0
	for i, h := range header {
		h, zone := splitZone(strings.TrimPrefix(strings.TrimSpace(h), "\uFEFF"))
		keys[i] = normHeader(h)
		if zone != "" {
			if loc, err := time.LoadLocation(zone); err == nil {
				m.Zones[i] = loc
				zoned++
			}
		}
	}
	var p *preset
	switch presetName {
	case "", "auto":
		p = matchPreset(keys, zoned)
	case "survey", "contacts", "tickets":
	default:
		for _, q := range presets {
			if q.name == presetName {
				p = q
			}
		}
		if p == nil {
			return m, fmt.Errorf("unknown preset %q (one of %s)", presetName, strings.Join(PresetNames(), ", "))
		}
	}
	m.Fields = mapKeys(keys, p)
	switch {
	case p != nil:
		m.Preset, m.Source, m.presetName, m.listTags = p.name, p.source, p.name, p.listTags
	case presetName != "" && presetName != "auto":
		m.Preset = presetName
	default:
		m.Preset = genericKind(m.Fields)
	}
	return m, nil
}

var presetKeys = map[*preset]map[string]Field{}

func init() {
	for _, p := range presets {
		cols := map[string]Field{}
		for h, f := range p.columns {
			cols[normHeader(h)] = f
		}
		presetKeys[p] = cols
	}
}

// matchPreset scores the header against each vendor's signature and
// returns the best that qualifies, or nil.
func matchPreset(keys []string, zoned int) *preset {
	has := map[string]bool{}
	for _, k := range keys {
		has[k] = true
	}
	var best *preset
	bestScore := 0
	for _, p := range presets {
		score, anyOf := 0, p.zoned && zoned > 0
		for _, k := range p.signature {
			if has[normHeader(k)] {
				score++
			}
		}
		if p.zoned {
			score += zoned
		}
		for _, k := range p.anyOf {
			anyOf = anyOf || has[normHeader(k)]
		}
		if score >= p.need && anyOf && score > bestScore {
			best, bestScore = p, score
		}
	}
	return best
}

// mapKeys maps normalised headers with the preset's columns first, then
// the synonyms; each single-valued field goes to its first column (tags
// gather every tag column).
func mapKeys(keys []string, p *preset) []Field {
	out := make([]Field, len(keys))
	taken := map[Field]bool{}
	for i, k := range keys {
		f, ok := presetKeys[p][k]
		if !ok {
			f = fieldForKey(k)
		}
		if f == fieldAttr || f == FieldNone {
			continue
		}
		if f == FieldTags || f == FieldCustomerTags || !taken[f] {
			out[i] = f
			taken[f] = true
		}
	}
	return out
}

// genericKind names what a file without a vendor signature holds: survey
// (scores and no ticket id), contacts (no feedback columns) or tickets.
func genericKind(fields []Field) string {
	has := map[Field]bool{}
	for _, f := range fields {
		has[f] = true
	}
	feedback := false
	for _, f := range []Field{FieldTicketID, FieldSubject, FieldBody, FieldCSAT, FieldNPS, FieldStatus, FieldKind,
		FieldCategory, FieldPriority, FieldChannel, FieldAgent, FieldResolved} {
		feedback = feedback || has[f]
	}
	switch {
	case !feedback:
		return "contacts"
	case (has[FieldNPS] || has[FieldCSAT]) && !has[FieldTicketID]:
		return "survey"
	}
	return "tickets"
}

// FieldNames lists the fields a mapping may name, sorted, with "attrs".
func FieldNames() []string {
	var out []string
	for _, f := range allFields {
		out = append(out, string(f))
	}
	sort.Strings(out)
	return append(out, string(fieldAttr))
}

// DefaultSource is the system a file's ids come from when --source does
// not say: the vendor preset's (Zendesk Explore's ids are Zendesk's). A
// file no vendor matches is known by its columns: "tickets-" and a digest
// of its header, so that exports of one unknown system (same columns)
// share ids, and the ticket 17 of one file never overwrites the ticket 17
// of an unrelated one. A generic preset named explicitly is its own
// source, as before.
func (m Mapping) DefaultSource(header []string, presetOpt string) string {
	switch {
	case m.Source != "":
		return m.Source
	case m.presetName != "" || presetOpt != "" && presetOpt != "auto":
		return m.Preset
	}
	h := sha1.New()
	for _, col := range header {
		h.Write([]byte(normHeader(strings.TrimPrefix(col, "\uFEFF")) + "\x1f"))
	}
	return m.Preset + "-" + hex.EncodeToString(h.Sum(nil))[:6]
}

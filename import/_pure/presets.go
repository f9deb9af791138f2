package importer

import (
	"fmt"
	"strings"
)

// preset is a known export format: the headers that identify it and what
// its columns mean where that differs from the general synonyms.
//
// The vendor column names come from the vendors' documentation and from
// public code that reads or writes their exports:
//   - Zendesk: the CSV export's column table ("Id", "Requester",
//     "Requester email", "Via", "Ticket type", "Satisfaction Score" with
//     Offered/Not Offered/Good/Bad, "Solved at" …).
//   - Freshdesk: the ticket export's labels ("Ticket ID", "Source", "Type",
//     "Agent", "Created time", "Resolved time", "Survey results",
//     "Full name", "Contact ID" …).
//   - Zammad: its report sheet ("#", "Title", "State", "Owner", "Customer",
//     "Create Channel", "Created At", "Closed At" …).
//   - osTicket: its export fields ("Ticket Number", "Date Created", "From",
//     "From Email", "Help Topic", "Current Status", "Agent Assigned" …).
//   - Jira: the issue CSV ("Issue key", "Summary", "Issue Type",
//     "Reporter", "Created", "Resolved", one "Labels" column per label).
//   - Intercom: report exports write the zone in the header ("Created at
//     (America/New_York)") beside "Conversation ID" and
//     "Conversation rating".
//   - Help Scout: reports name conversations by number and mailbox and
//     rate them Great/Okay/Not Good. No sample export was found, so this
//     signature is the loosest of the set.
type preset struct {
	name      string
	signature []string // header keys typical of the export
	need      int      // how many of them must be present
	anyOf     []string // and at least one of these
	zoned     bool     // headers with a zone in parentheses count towards it
	columns   map[string]Field
	generic   bool // survey, contacts, tickets: no signature of their own
}

func (p *preset) field(key string) Field {
	if f, ok := p.columns[key]; ok {
		return f
	}
	if p.name == "jira" && strings.HasPrefix(key, "custom field (") {
		return FieldAttr
	}
	return fieldForKey(key)
}

var presets = []*preset{
	{
		name: "zendesk",
		signature: []string{"id", "requester", "requester id", "requester email", "requester domain",
			"requester external id", "submitter", "assignee", "via", "ticket type", "satisfaction score",
			"solved at", "group stations", "assignee stations", "reopens", "replies"},
		need:  4,
		anyOf: []string{"requester", "requester email", "via", "requester id"},
		columns: map[string]Field{
			"id": FieldTicketID, "requester": FieldName, "requester id": FieldCustomerID,
			"requester external id": FieldAttr, "requester email": FieldEmail, "requester domain": FieldAttr,
			"submitter": FieldAttr, "assignee": FieldAgent, "group": FieldAttr, "subject": FieldSubject,
			"description": FieldBody, "tags": FieldTags, "status": FieldStatus, "priority": FieldPriority,
			"via": FieldChannel, "ticket type": FieldKind, "created at": FieldCreatedAt,
			"updated at": FieldAttr, "assigned at": FieldAttr, "organization": FieldCompany,
			"due date": FieldAttr, "initially assigned at": FieldAttr, "solved at": FieldResolvedAt,
			"satisfaction score": FieldCSAT, "satisfaction comment": FieldBody,
		},
	},
	{
		name: "freshdesk",
		signature: []string{"ticket id", "subject", "status", "priority", "source", "type", "agent", "group",
			"created time", "due by time", "resolved time", "closed time", "last update time",
			"initial response time", "time tracked", "first response time (in hrs)",
			"resolution time (in hrs)", "agent interactions", "customer interactions", "resolution status",
			"first response status", "survey results", "full name", "contact id", "company name",
			"requester name", "requester email"},
		need:  5,
		anyOf: []string{"due by time", "created time", "survey results", "first response time (in hrs)", "resolution status"},
		columns: map[string]Field{
			"ticket id": FieldTicketID, "subject": FieldSubject, "description": FieldBody,
			"status": FieldStatus, "priority": FieldPriority, "source": FieldChannel, "type": FieldKind,
			"agent": FieldAgent, "group": FieldAttr, "created time": FieldCreatedAt,
			"resolved time": FieldResolvedAt, "closed time": FieldAttr, "tags": FieldTags,
			"survey results": FieldCSAT, "full name": FieldName, "requester name": FieldName,
			"email": FieldEmail, "requester email": FieldEmail, "contact id": FieldCustomerID,
			"company name": FieldCompany, "work phone": FieldPhone, "mobile phone": FieldPhone,
			"category": FieldCategory, "sub-category": FieldSubcategory, "product": FieldAttr,
		},
	},
	{
		name: "helpscout",
		signature: []string{"conversation id", "conversation number", "conversation #", "customer name",
			"customer email", "customer", "mailbox", "inbox", "assigned to", "assignee", "status", "tags",
			"subject", "type", "rating", "happiness rating", "rating comments", "created at", "closed at",
			"waiting since"},
		need:  4,
		anyOf: []string{"mailbox", "inbox", "conversation number", "conversation #", "happiness rating"},
		columns: map[string]Field{
			"conversation number": FieldTicketID, "conversation #": FieldTicketID,
			"conversation id": FieldTicketID, "customer name": FieldName, "customer": FieldName,
			"customer email": FieldEmail, "mailbox": FieldAttr, "inbox": FieldAttr,
			"assigned to": FieldAgent, "assignee": FieldAgent, "status": FieldStatus, "tags": FieldTags,
			"subject": FieldSubject, "type": FieldChannel, "rating": FieldCSAT,
			"happiness rating": FieldCSAT, "rating comments": FieldBody, "rating comment": FieldBody,
			"preview": FieldBody, "created at": FieldCreatedAt, "closed at": FieldResolvedAt,
		},
	},
	{
		name: "zammad",
		signature: []string{"#", "title", "state", "priority", "group", "owner", "customer", "organization",
			"create channel", "sender", "tags", "time units total", "created at", "updated at", "closed at",
			"first response at", "close escalation at", "article count"},
		need:  5,
		anyOf: []string{"#", "create channel", "owner", "time units total"},
		columns: map[string]Field{
			"#": FieldTicketID, "number": FieldTicketID, "title": FieldSubject, "state": FieldStatus,
			"priority": FieldPriority, "group": FieldAttr, "owner": FieldAgent, "customer": FieldName,
			"organization": FieldCompany, "create channel": FieldChannel, "sender": FieldAttr,
			"tags": FieldTags, "created at": FieldCreatedAt, "closed at": FieldResolvedAt,
		},
	},
	{
		name: "osticket",
		signature: []string{"ticket number", "date created", "subject", "from", "from email", "priority",
			"department", "help topic", "source", "current status", "last updated", "sla due date",
			"due date", "closed date", "overdue", "answered", "agent assigned", "team assigned",
			"thread count", "reopen count", "attachment count"},
		need:  4,
		anyOf: []string{"from email", "help topic", "agent assigned", "current status"},
		columns: map[string]Field{
			"ticket number": FieldTicketID, "date created": FieldCreatedAt, "subject": FieldSubject,
			"from": FieldName, "from email": FieldEmail, "priority": FieldPriority,
			"department": FieldAttr, "help topic": FieldCategory, "source": FieldChannel,
			"current status": FieldStatus, "closed date": FieldResolvedAt, "agent assigned": FieldAgent,
			"team assigned": FieldAttr,
		},
	},
	{
		name: "jira",
		signature: []string{"issue key", "issue id", "summary", "issue type", "status", "project key",
			"project name", "priority", "resolution", "assignee", "reporter", "creator", "created",
			"updated", "resolved", "labels", "description"},
		need:  4,
		anyOf: []string{"issue key", "issue id"},
		columns: map[string]Field{
			"issue key": FieldTicketID, "issue id": FieldAttr, "summary": FieldSubject,
			"description": FieldBody, "issue type": FieldKind, "status": FieldStatus,
			"priority": FieldPriority, "resolution": FieldAttr, "assignee": FieldAgent,
			"reporter": FieldName, "creator": FieldAttr, "created": FieldCreatedAt,
			"resolved": FieldResolvedAt, "labels": FieldTags, "component/s": FieldCategory,
		},
	},
	{
		name: "intercom",
		signature: []string{"conversation id", "conversation rating", "conversation rating remark",
			"conversation tags", "teammate assigned", "team assigned", "user email", "user name", "user id",
			"channel", "state", "conversation started at", "started at", "last closed at"},
		need:  3,
		anyOf: []string{"conversation id", "conversation rating", "teammate assigned"},
		zoned: true,
		columns: map[string]Field{
			"conversation id": FieldTicketID, "conversation rating": FieldCSAT,
			"conversation rating remark": FieldBody, "conversation tags": FieldTags,
			"teammate assigned": FieldAgent, "team assigned": FieldAttr, "user email": FieldEmail,
			"user name": FieldName, "user id": FieldCustomerID, "channel": FieldChannel,
			"state": FieldStatus, "conversation started at": FieldCreatedAt, "started at": FieldCreatedAt,
			"created at": FieldCreatedAt, "last closed at": FieldResolvedAt, "closed at": FieldResolvedAt,
			"conversation title": FieldSubject, "first message": FieldBody,
		},
	},
	{name: "survey", generic: true},
	{name: "contacts", generic: true},
	{name: "tickets", generic: true},
}

// genericPreset stands for "no vendor matched": Detect then names the file
// survey, contacts or tickets by the columns it found.
var genericPreset = &preset{name: "auto", generic: true}

// ownExport is Rapport's own feedback export, read back with the tickets
// preset: external_id is the ticket id, id is Rapport's row id (kept as an
// attribute), and source says which system each row came from.
var ownExport = &preset{
	name: "tickets", generic: true,
	signature: []string{"id", "customer id", "customer name", "customer email", "source", "external id",
		"channel", "kind", "subject", "body", "category", "priority", "status", "tags", "csat",
		"csat raw", "nps", "agent", "created at", "resolved at"},
	need:  12,
	anyOf: []string{"external id"},
	columns: map[string]Field{
		"external id": FieldTicketID, "id": FieldAttr, "source": FieldSource,
		"customer id": FieldCustomerID, "customer name": FieldName, "customer email": FieldEmail,
		"kind": FieldKind, "csat raw": FieldCSATRaw,
	},
}

func presetByName(name string) (*preset, bool) {
	for _, p := range presets {
		if p.name == name {
			return p, true
		}
	}
	return nil, false
}

// PresetNames lists the names --preset accepts, "auto" first.
func PresetNames() []string {
	names := []string{"auto"}
	for _, p := range presets {
		names = append(names, p.name)
	}
	return names
}

func errUnknownPreset(name string) error {
	return fmt.Errorf("unknown preset %q (expected one of %s)", name, strings.Join(PresetNames(), ", "))
}

// matchPreset scores the header against every preset's signature and
// returns the best that qualifies, or the generic one.
func matchPreset(keys, zones []string) *preset {
	has := map[string]bool{}
	zoned := 0
	for i, k := range keys {
		has[k] = true
		if zones[i] != "" {
			zoned++
		}
	}
	best, bestScore := genericPreset, 0
	for _, p := range append(presets[:len(presets):len(presets)], ownExport) {
		if len(p.signature) == 0 {
			continue
		}
		score := 0
		for _, k := range p.signature {
			if has[k] {
				score++
			}
		}
		if p.zoned {
			score += zoned
		}
		anyOf := false
		for _, k := range p.anyOf {
			anyOf = anyOf || has[k]
		}
		if p.zoned && zoned > 0 {
			anyOf = true
		}
		if score >= p.need && anyOf && score > bestScore {
			best, bestScore = p, score
		}
	}
	return best
}

package importer

import (
	"fmt"
	"sort"
	"strings"
)

// Level says whom a column kept as an attribute describes.
type Level string

const (
	LevelCustomer Level = "customer"
	LevelFeedback Level = "feedback"
)

// Column is one column's meaning for one file, with the evidence it was
// decided on, as the report and the Import preview show it.
type Column struct {
	Header   string `json:"header"`
	Field    string `json:"field"` // a field, or "attrs"
	Level    Level  `json:"level"`
	Evidence string `json:"evidence"`
	// Scale is the scale the user set for the column ("" when none), and
	// Scales the scales that make sense for a score-like column, the one
	// it has now first (none for other columns).
	Scale  Scale   `json:"scale,omitempty"`
	Scales []Scale `json:"-"`
}

// levelOf is the level of a field's values.
func levelOf(f Field) Level {
	if strings.HasPrefix(string(f), "customer.") {
		return LevelCustomer
	}
	return LevelFeedback
}

// staffWords mark a header about the helpdesk's own people, whose
// e-mails are not the customer's.
var staffWords = []string{"agent", "assignee", "owner", "submitter", "follower", "responsable", "asignad",
	"assigned", "bearbeiter", "atendente", "处理人", "负责人", "担当"}

// recommendWords mark a score header that asks about recommending.
var recommendWords = []string{"recommend", "nps", "recomend", "recommand", "empfehl", "raccomand", "推荐", "推薦", "おすすめ"}

// Decide settles each column's meaning from its header and its values in
// the sample, once for the file, and writes the evidence in m.Columns.
// Columns in fixed (the user's mapping) keep their field; only their
// evidence is written.
func (m *Mapping) Decide(header []string, sample []Row, fixed map[int]bool) {
	n := len(header)
	ps := profileColumns(n, sample)
	m.Levels = make([]Level, n)
	m.TagList = make([]bool, n)
	m.SevenPoint = make([]bool, n)
	m.DayFirst = make([]bool, n)
	m.NAValue = make([]bool, n)
	m.HTMLText = make([]bool, n)
	ev := make([]string, n)
	taken := func(f Field) int {
		for i, g := range m.Fields {
			if g == f {
				return i
			}
		}
		return -1
	}
	name := func(i int) string { return strings.TrimSpace(strings.TrimPrefix(header[i], "\uFEFF")) }
	before := append([]Field(nil), m.Fields...)
	pct := func(p *colProfile, k int) string { return fmt.Sprintf("%.0f%%", 100*p.share(k)) }
	for i := range m.Fields {
		p := &ps[i]
		f := m.Fields[i]
		m.DayFirst[i] = p.dayFirst
		m.NAValue[i] = p.naIsValue()
		m.HTMLText[i] = p.htmlEscaped()
		if fixed[i] {
			// the user's field stands; its values are still read as they are
			ev[i] = "set by the mapping"
			m.SevenPoint[i] = f == FieldCSAT && p.seven
			m.TagList[i] = (f == FieldTags || f == FieldCustomerTags) && (p.lists > 0 || m.listTags)
			continue
		}
		key := normHeader(name(i))
		switch f {
		case FieldCSAT, FieldNPS:
			ev[i] = m.decideScore(i, p, key, taken)
		case FieldCreated, FieldResolved:
			if p.n > 0 && p.share(p.dates) < 0.8 {
				m.Fields[i], ev[i] = FieldNone, fmt.Sprintf("only %s of values are dates → kept as attribute", pct(p, p.dates))
			} else if p.n > 0 {
				order := ""
				if slashDate.MatchString(p.example) {
					order = "month-first, "
					if p.dayFirst {
						order = "day-first, "
					}
				}
				ev[i] = fmt.Sprintf("%s dates (%se.g. %q) → %s", pct(p, p.dates), order, p.example, f)
			} else {
				ev[i] = "empty in the sample → " + string(f)
			}
		case FieldName:
			if p.n > 0 && p.ints == p.n {
				if taken(FieldCustomerID) < 0 {
					m.Fields[i], ev[i] = FieldCustomerID, "only id numbers, not names → customer.id"
				} else {
					m.Fields[i], ev[i] = FieldNone, "only id numbers, not names → kept as attribute"
				}
			}
		case FieldEmail:
			if p.n > 0 {
				ev[i] = fmt.Sprintf("%s e-mails → customer.email", pct(p, p.emails))
			}
		case FieldTags, FieldCustomerTags:
			switch {
			case p.lists > 0:
				m.TagList[i] = true
				ev[i] = fmt.Sprintf("comma-separated lists (e.g. %q) → %s", firstList(p), f)
			case m.listTags:
				m.TagList[i] = true
				ev[i] = "tags, split on commas only → " + string(f)
			}
		case FieldStatus, FieldChannel:
			ev[i] = valueMap(p, f)
		}
		// An e-mail column identifies the customer, whatever its header.
		if f := m.Fields[i]; f != FieldEmail && f != FieldCSAT && f != FieldNPS && p.n > 0 && p.share(p.emails) >= 0.9 &&
			!containsAny(key, staffWords...) {
			switch {
			case taken(FieldEmail) < 0:
				m.Fields[i], ev[i] = FieldEmail, fmt.Sprintf("%s e-mails → customer.email", pct(p, p.emails))
			case f == FieldNone:
				ev[i] = fmt.Sprintf("%s e-mails, the customer's are in another column → kept as attribute", pct(p, p.emails))
			}
		}
		if f == FieldTicketID && p.unique() && ev[i] == "" {
			ev[i] = "unique per row → feedback.id"
		}
	}
	m.refill(header, before, fixed, ev, taken)
	m.decideRespondent(ps, ev, taken)
	customerTable := m.customerTable(ps)
	for i, f := range m.Fields {
		switch {
		case f != FieldNone:
			m.Levels[i] = levelOf(f)
			if ev[i] == "" && m.presetName != "" {
				ev[i] = fmt.Sprintf("by its header (%s) → %s", m.presetName, f)
			} else if ev[i] == "" {
				ev[i] = "by its header → " + string(f)
			}
		case customerTable:
			m.Levels[i] = LevelCustomer
			if ev[i] == "" {
				ev[i] = "one row per customer → kept as customer attribute"
			}
		default:
			m.Levels[i] = LevelFeedback
			if ev[i] == "" {
				ev[i] = "kept as feedback attribute"
			}
		}
		if m.HTMLText[i] && f != FieldCustomerID && f != FieldTicketID {
			ev[i] += "; HTML-escaped text (&amp; &#x27;) decoded"
		}
		fs := string(f)
		if f == FieldNone {
			fs = string(fieldAttr)
		}
		m.Columns = append(m.Columns, Column{Header: name(i), Field: fs, Level: m.Levels[i], Evidence: ev[i]})
	}
	m.describeScales(ps, before)
}

// decideScore settles a CSAT or NPS column by the scale its values show.
func (m *Mapping) decideScore(i int, p *colProfile, key string, taken func(Field) int) string {
	f := m.Fields[i]
	recommend := containsAny(key, recommendWords...)
	if p.n == 0 {
		return "no answers in the sample → " + string(f)
	}
	if words := p.wordTotal(); words > 0 && words >= p.nums {
		scales := p.scaleNames()
		switch {
		case f == FieldCSAT && p.seven:
			m.SevenPoint[i] = true
			return scales + ": no 1–5 equivalent, the text is kept in csat_raw → feedback.csat"
		case f == FieldCSAT:
			return scales + " → feedback.csat on 1–5"
		case taken(FieldCSAT) < 0:
			m.Fields[i] = FieldCSAT
			return scales + ", not a 0–10 score → feedback.csat on 1–5"
		default:
			m.Fields[i] = FieldNone
			return scales + ", the same answer as the CSAT column → kept as attribute"
		}
	}
	if p.nums == 0 {
		m.Fields[i] = FieldNone
		return "text no satisfaction scale knows → kept as attribute"
	}
	sc := scaleOf(p.min, p.max)
	if p.percent > 0 || p.max > 10 {
		sc = numScale{0, 100, true}
	}
	switch {
	case f == FieldCSAT && sc.percent:
		return "percentages → feedback.csat rescaled to 1–5"
	case f == FieldCSAT && sc.lo >= 1 && sc.hi == 5:
		return "1–5 scale → feedback.csat"
	case f == FieldNPS && !sc.percent && p.min >= 0 && p.max <= 10 && p.ints == p.nums:
		if p.max <= 5 && !recommend {
			m.Fields[i] = FieldNone
			return fmt.Sprintf("%s scale, not a 0–10 recommendation → kept as attribute", sc)
		}
		return "0–10 scale → feedback.nps"
	case (f == FieldCSAT) && recommend && !sc.percent && taken(FieldNPS) < 0 && p.min >= 0 && p.max <= 10:
		m.Fields[i] = FieldNPS
		return "0–10 recommend question → feedback.nps"
	case f == FieldCSAT:
		m.Fields[i] = FieldNone
		return fmt.Sprintf("%s scale, not CSAT 1–5 → kept as attribute", sc)
	}
	m.Fields[i] = FieldNone
	return fmt.Sprintf("%s values, not NPS 0–10 → kept as attribute", sc)
}

// decideRespondent: in a survey whose only id is a bare "id" column and
// no other column names a person, that id is the respondent.
func (m *Mapping) decideRespondent(ps []colProfile, ev []string, taken func(Field) int) {
	for _, f := range []Field{FieldCustomerID, FieldEmail, FieldPhone, FieldName} {
		if taken(f) >= 0 {
			return
		}
	}
	if taken(FieldCSAT) < 0 && taken(FieldNPS) < 0 {
		return
	}
	for _, f := range []Field{FieldSubject, FieldStatus, FieldAgent, FieldChannel, FieldResolved} {
		if taken(f) >= 0 {
			return
		}
	}
	if i := taken(FieldTicketID); i >= 0 && m.presetName == "" {
		m.Fields[i] = FieldCustomerID
		ev[i] = "an id in a survey with no other person column → the respondent (customer.id)"
	}
}

// customerTable tells a file of one row per customer (no ticket id, and
// the customer's id unique per row in the sample): its other columns
// describe the customer.
func (m *Mapping) customerTable(ps []colProfile) bool {
	id := -1
	for i, f := range m.Fields {
		switch f {
		case FieldTicketID, FieldSubject, FieldStatus, FieldAgent, FieldCreated:
			return false
		case FieldCustomerID, FieldEmail:
			if id < 0 {
				id = i
			}
		}
	}
	return id >= 0 && ps[id].unique()
}

// firstList is a value of a tag column that holds a list.
func firstList(p *colProfile) string {
	for _, v := range sortedValues(p) {
		if strings.ContainsAny(v, ",;，；") {
			return v
		}
	}
	return p.example
}

// valueMap words how a status or channel column's values are read:
// "Tareas por hacer → open, En curso → open", unknown ones marked.
func valueMap(p *colProfile, f Field) string {
	vals := sortedValues(p)
	var parts []string
	for _, v := range vals {
		if len(parts) == 5 {
			parts = append(parts, "…")
			break
		}
		var to string
		var known bool
		if f == FieldStatus {
			st, ok := statusOf(v)
			to, known = string(st), ok
		} else {
			to, known = channelOf(v)
		}
		if !known {
			to += " (unknown, listed in the report)"
		}
		parts = append(parts, fmt.Sprintf("%s → %s", v, to))
	}
	if len(parts) == 0 {
		return "empty in the sample → " + string(f)
	}
	return strings.Join(parts, ", ") + " → " + string(f)
}

// sortedValues are a column's distinct sampled values, sorted.
func sortedValues(p *colProfile) []string {
	vals := make([]string, 0, len(p.distinct))
	for v := range p.distinct {
		vals = append(vals, v)
	}
	sort.Strings(vals)
	return vals
}

// refill gives the customer's name or id, when the values showed it was
// not in its column (a "Name" of id numbers), to the next column whose
// header names it ("Surname"). Scores are not refilled: a second score
// column was not checked against its scale.
func (m *Mapping) refill(header []string, before []Field, fixed map[int]bool, ev []string, taken func(Field) int) {
	for i, f := range before {
		if f == m.Fields[i] || (f != FieldName && f != FieldCustomerID) || taken(f) >= 0 {
			continue
		}
		for j := range header {
			if j == i || fixed[j] || m.Fields[j] != FieldNone || ev[j] != "" {
				continue
			}
			if fieldForKey(normHeader(header[j])) == f {
				m.Fields[j] = f
				ev[j] = fmt.Sprintf("by its header, as %q did not hold one → %s", strings.TrimSpace(header[i]), f)
				break
			}
		}
	}
}

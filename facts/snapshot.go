package facts

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// Snapshot is the columnar copy of the facts Insights reads. It never
// changes once built; a newer database state is a new Snapshot.
type Snapshot struct {
	part     // the customers and feedback as the last full read found them
	custDict []*dict
	tagDict  *dict
	tagNone  uint32 // the group of a customer without tags
	fbDict   []*dict
	compl    uint32  // the kind column's code of complaints (or none)
	attrKeys *dict   // names of customer attributes (attrOddKey first)
	attrVals []*dict // per attribute name, its values
	attrWide []bool  // per attribute name: too many values to hold

	days    []string    // sorted: YYYY-MM-DD, or the stored text when it is shorter
	periods *dict       // names of months and weeks
	perDay  [4][]uint32 // per day: month group, week group, month point, week point

	// What changed since the full read (see Update): the customers read
	// again live in delta, their base places are masked; dplace gives each
	// delta customer its place (its base place, or one after the base's).
	// dayMap turns a base row's day into an index of days once new days
	// came (nil: the same).
	delta    *part
	dplace   []int32
	masked   Members
	dayMap   []uint16
	baseDays int // how many days the base rows' day codes count
	places   int // base customers + delta customers new to the base
	live     int // customers held
	rows     int // feedback rows held

	mu    sync.Mutex
	attrs map[string]*Attr
}

// part is one set of customers with their tags and feedback, in columns.
type part struct {
	custIDs  []int64  // customers in id order; their place is their index
	custCols []codes  // one per CustomerDims entry
	tagOff   []uint32 // customer i's tags are tagCode[tagOff[i]:tagOff[i+1]]
	tagCode  codes
	attrOff  []uint32 // customer i's attributes are pairs attrOff[i]:attrOff[i+1]
	attrKey  codes    // a pair's name (attrKeys), attrOddKey for "ask the store"
	attrVal  codes    // a pair's value (attrVals of its name)

	rowOff []uint32 // customer i's feedback are rows rowOff[i]:rowOff[i+1]
	fbID   []uint32
	day    []uint16 // into days
	csat   []int8   // 1–5, -1 for none
	nps    []int8   // 0–10, -1 for none
	fbCols []codes  // one per FeedbackDims entry
}

func (p *part) bytes() int {
	if p == nil {
		return 0
	}
	n := 8*cap(p.custIDs) + 4*cap(p.tagOff) + p.tagCode.bytes() + 4*cap(p.rowOff) + 4*cap(p.fbID) +
		2*cap(p.day) + cap(p.csat) + cap(p.nps) + 4*cap(p.attrOff) + p.attrKey.bytes() + p.attrVal.bytes()
	for i := range p.custCols {
		n += p.custCols[i].bytes()
	}
	for i := range p.fbCols {
		n += p.fbCols[i].bytes()
	}
	return n
}

// Which perDay column answers what.
const (
	monthGroup = iota
	weekGroup
	monthPoint
	weekPoint
)

// noPeriod is a day's trend point when its time has no month or week.
const noPeriod = ^uint32(0)

// CustomerDims and FeedbackDims are the names of the columns a Builder
// takes, in order: the dimensions of model.SummaryDims of that kind.
func CustomerDims() []string { return dimsOf(model.OfCustomer) }

// FeedbackDims: see CustomerDims.
func FeedbackDims() []string { return dimsOf(model.OfFeedback) }

func dimsOf(of model.DimOf) []string {
	var out []string
	for _, d := range model.SummaryDims {
		if d.Of == of {
			out = append(out, d.Name)
		}
	}
	return out
}

// Customers and Rows count what the snapshot holds.
func (s *Snapshot) Customers() int { return s.live }

// Rows is the number of feedback rows.
func (s *Snapshot) Rows() int { return s.rows }

// Bytes is the memory the columns take (dictionaries' strings aside).
func (s *Snapshot) Bytes() int {
	return s.part.bytes() + s.delta.bytes() + 4*cap(s.dplace) + 8*cap(s.masked) + 2*cap(s.dayMap)
}

// index finds a customer's place in the base.
func (s *Snapshot) index(id int64) (int, bool) { return slices.BinarySearch(s.custIDs, id) }

// place finds a customer's place, in the base or the delta, and where its
// rows are: the part and its index there (-1 when it has none).
func (s *Snapshot) place(id int64) (place int, p *part, ci int, ok bool) {
	if s.delta != nil {
		if j, ok := slices.BinarySearch(s.delta.custIDs, id); ok {
			return int(s.dplace[j]), s.delta, j, true
		}
	}
	i, ok := s.index(id)
	if !ok {
		return 0, nil, -1, false
	}
	if s.masked != nil && s.masked.has(i) { // deleted since the base was read
		return i, nil, -1, true
	}
	return i, &s.part, i, true
}

// Members is the set of the given customers that the snapshot holds.
func (s *Snapshot) Members(ids []int64) Members {
	m := make(Members, (s.places+63)/64)
	for _, id := range ids {
		if i, _, _, ok := s.place(id); ok {
			m.add(i)
		}
	}
	return m
}

// Builder makes a Snapshot from one streaming read: every customer in
// ascending id order first, then tags and feedback in any order.
type Builder struct {
	s        *Snapshot
	dense    []int32 // customer id → place, when ids are dense enough
	frozen   bool
	tagCust  []uint32
	tagVal   []uint32
	fbCust   []uint32
	dayDict  *dict
	dayCodes []uint32
}

// NewBuilder starts an empty snapshot.
func NewBuilder() *Builder {
	s := &Snapshot{tagDict: newDict(), periods: newDict(), attrs: map[string]*Attr{}}
	s.tagNone = s.tagDict.codeString(model.SummaryNone)
	s.initAttrs()
	for range CustomerDims() {
		s.custCols = append(s.custCols, codes{})
		s.custDict = append(s.custDict, newDict())
	}
	for range FeedbackDims() {
		s.fbCols = append(s.fbCols, codes{})
		s.fbDict = append(s.fbDict, newDict())
	}
	return &Builder{s: s, dayDict: &dict{index: map[string]uint32{}}}
}

// Customer adds one customer with its CustomerDims values (nil or empty
// for none). Ids must ascend.
func (b *Builder) Customer(id int64, values [][]byte) error {
	s := b.s
	if b.frozen {
		return errors.New("facts: customer after feedback")
	}
	if n := len(s.custIDs); n > 0 && id <= s.custIDs[n-1] {
		return fmt.Errorf("facts: customer %d after %d", id, s.custIDs[n-1])
	}
	if len(values) != len(s.custCols) {
		return fmt.Errorf("facts: customer has %d values, want %d", len(values), len(s.custCols))
	}
	s.custIDs = append(s.custIDs, id)
	s.attrOff = append(s.attrOff, s.attrOff[len(s.attrOff)-1])
	for i, v := range values {
		s.custCols[i].add(s.custDict[i].code(v))
	}
	return nil
}

// place finds a customer's place once all customers are in.
func (b *Builder) place(id int64) (uint32, bool) {
	if !b.frozen {
		b.frozen = true
		ids := b.s.custIDs
		if n := len(ids); n > 0 && ids[0] >= 0 && ids[n-1] < int64(4*n+1<<16) {
			b.dense = make([]int32, ids[n-1]+1)
			for i := range b.dense {
				b.dense[i] = -1
			}
			for i, id := range ids {
				b.dense[id] = int32(i)
			}
		}
	}
	if b.dense != nil {
		if id < 0 || id >= int64(len(b.dense)) || b.dense[id] < 0 {
			return 0, false
		}
		return uint32(b.dense[id]), true
	}
	i, ok := b.s.index(id)
	return uint32(i), ok
}

// Tag gives a customer a tag; a customer's tags are distinct.
func (b *Builder) Tag(customer int64, name []byte) {
	if c, ok := b.place(customer); ok {
		b.tagCust = append(b.tagCust, c)
		b.tagVal = append(b.tagVal, b.s.tagDict.code(name))
	}
}

// Feedback is one feedback row as Builder.Feedback takes it.
type Feedback struct {
	ID, Customer int64
	Created      []byte   // the stored UTC time, 2006-01-02T15:04:05.000Z
	CSAT, NPS    int      // -1 for none
	Values       [][]byte // FeedbackDims values
}

// Feedback adds one row; a row whose customer is unknown is left out, as
// a join would.
func (b *Builder) Feedback(f Feedback) error {
	s := b.s
	c, ok := b.place(f.Customer)
	if !ok {
		return nil
	}
	if f.ID < 0 || f.ID > 0xFFFFFFFF {
		return fmt.Errorf("facts: feedback id %d does not fit", f.ID)
	}
	if len(f.Values) != len(s.fbCols) {
		return fmt.Errorf("facts: feedback has %d values, want %d", len(f.Values), len(s.fbCols))
	}
	b.fbCust = append(b.fbCust, c)
	s.fbID = append(s.fbID, uint32(f.ID))
	day := f.Created
	if len(day) > 10 {
		day = day[:10]
	}
	b.dayCodes = append(b.dayCodes, b.dayDict.codeRaw(day))
	s.csat = append(s.csat, int8(max(-1, min(f.CSAT, 100))))
	s.nps = append(s.nps, int8(max(-1, min(f.NPS, 100))))
	for i, v := range f.Values {
		s.fbCols[i].add(s.fbDict[i].code(v))
	}
	return nil
}

// codeRaw is code without the empty-means-none rule (days).
func (d *dict) codeRaw(b []byte) uint32 {
	if c, ok := d.index[string(b)]; ok {
		return c
	}
	c := uint32(len(d.names))
	d.names = append(d.names, string(b))
	d.index[string(b)] = c
	return c
}

// Build finishes the snapshot: rows grouped by customer (a counting sort,
// no comparison sort of millions of rows), days in date order.
func (b *Builder) Build() (*Snapshot, error) {
	s := b.s
	n := len(s.custIDs)
	if b.dayDict.len() > 0xFFFF {
		return nil, fmt.Errorf("facts: %d distinct days", b.dayDict.len())
	}
	// days in order, and each row's day in that numbering
	order := make([]uint32, b.dayDict.len())
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(x, y uint32) int {
		return compareStrings(b.dayDict.names[x], b.dayDict.names[y])
	})
	rank := make([]uint16, len(order))
	s.days = make([]string, len(order))
	for r, c := range order {
		rank[c] = uint16(r)
		s.days[r] = b.dayDict.names[c]
	}
	s.day = make([]uint16, len(b.dayCodes))
	for i, c := range b.dayCodes {
		s.day[i] = rank[c]
	}
	b.dayCodes, b.dayDict = nil, nil
	s.periodsOfDays()

	// feedback grouped by customer
	var perm []uint32
	s.rowOff, perm = countingOrder(b.fbCust, n)
	b.fbCust = nil
	s.fbID = permuted(s.fbID, perm)
	s.day = permuted(s.day, perm)
	s.csat = permuted(s.csat, perm)
	s.nps = permuted(s.nps, perm)
	for i := range s.fbCols {
		s.fbCols[i].permute(perm)
	}
	// tags grouped by customer
	var tperm []uint32
	s.tagOff, tperm = countingOrder(b.tagCust, n)
	vals := permuted(b.tagVal, tperm)
	for _, v := range vals {
		s.tagCode.add(v)
	}
	b.tagCust, b.tagVal = nil, nil

	s.complCode()
	s.places, s.live, s.rows, s.baseDays = n, n, len(s.fbID), len(s.days)
	b.s = nil
	return s, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// countingOrder groups items by their key 0…n-1 keeping their order
// within a key: off[k]:off[k+1] is key k's range, perm[i] item i's place.
func countingOrder(keys []uint32, n int) (off, perm []uint32) {
	off = make([]uint32, n+1)
	for _, k := range keys {
		off[k+1]++
	}
	for i := 1; i <= n; i++ {
		off[i] += off[i-1]
	}
	next := slices.Clone(off[:n])
	perm = make([]uint32, len(keys))
	for i, k := range keys {
		perm[i] = next[k]
		next[k]++
	}
	return off, perm
}

// periodsOfDays names each day's month and ISO week, as groups (the SQL
// scan's strftime('%Y-%m') and strftime('%G-W%V'), none for a time that
// is not one) and as trend points (the text's first seven characters, and
// the week when the date reads).
func (s *Snapshot) periodsOfDays() {
	for i := range s.perDay {
		s.perDay[i] = make([]uint32, len(s.days))
	}
	none := s.periods.codeString(model.SummaryNone)
	for i, d := range s.days {
		s.perDay[monthGroup][i], s.perDay[weekGroup][i] = none, none
		s.perDay[monthPoint][i], s.perDay[weekPoint][i] = noPeriod, noPeriod
		if len(d) == 10 {
			s.perDay[monthPoint][i] = s.periods.codeString(d[:7])
		}
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			continue
		}
		y, w := t.ISOWeek()
		week := s.periods.codeString(fmt.Sprintf("%04d-W%02d", y, w))
		s.perDay[monthGroup][i] = s.periods.codeString(d[:7])
		s.perDay[weekGroup][i], s.perDay[weekPoint][i] = week, week
	}
}

// complCode finds the kind column's code of complaints.
func (s *Snapshot) complCode() {
	s.compl = noPeriod
	for i, name := range FeedbackDims() {
		if name == "kind" {
			if c, ok := s.fbDict[i].index[string(model.KindComplaint)]; ok {
				s.compl = c
			}
		}
	}
}

package facts

import (
	"fmt"
	"maps"
	mathbits "math/bits"
	"slices"
	"sort"

	"github.com/rapportcrm/rapport/model"
)

// Update makes the next snapshot from this one and the customers a commit
// touched, read again: the store names the touched customers (Changed),
// then gives each one's row, tags and feedback as they are now, as it
// gives them to a Builder; a touched customer it gives no row for is
// gone. The base's columns are shared, not copied: the touched customers
// move to a small delta part, their base places masked, so the cost is
// that of the touched customers and of the delta kept since the last
// full read (Snapshot.Delta says how big it grew; the store reads
// everything again past a bound).
//
// The snapshot updated from keeps answering, unchanged, while an Update
// is built and after: dictionaries that need new values are copied.
type Update struct {
	s       *Snapshot // the snapshot updated from
	n       *Snapshot // the next one
	touched map[int64]*custRec
	order   []int64 // touched ids, ascending
	cloned  map[*dict]*dict
	newDays map[string]bool

	ownsAttrs bool // n.attrVals and n.attrWide are copies of s's
}

// custRec is a touched customer as read again.
type custRec struct {
	present bool
	vals    []uint32
	tags    []uint32
	attrs   []uint32 // pairs: name, value
	rows    []rowRec
}

type rowRec struct {
	id        uint32
	day       string
	csat, nps int8
	cols      []uint32
}

// Update starts the next snapshot.
func (s *Snapshot) Update() *Update {
	n := &Snapshot{
		part:     s.part,
		custDict: slices.Clone(s.custDict),
		tagDict:  s.tagDict,
		tagNone:  s.tagNone,
		fbDict:   slices.Clone(s.fbDict),
		days:     s.days,
		periods:  s.periods,
		perDay:   s.perDay,
		dayMap:   s.dayMap,
		baseDays: s.baseDays,
		attrKeys: s.attrKeys,
		attrVals: s.attrVals,
		attrWide: s.attrWide,
		attrs:    map[string]*Attr{},
	}
	return &Update{s: s, n: n, touched: map[int64]*custRec{}, cloned: map[*dict]*dict{}, newDays: map[string]bool{}}
}

// Delta is how many customers the snapshot holds apart from its base:
// changed, added or deleted since the full read.
func (s *Snapshot) Delta() int {
	n := 0
	for _, w := range s.masked {
		n += mathbits.OnesCount64(w)
	}
	for _, p := range s.dplace {
		if int(p) >= len(s.custIDs) {
			n++
		}
	}
	return n
}

// Changed names customers a commit touched (created, changed, deleted, or
// whose tags or feedback changed).
func (u *Update) Changed(ids ...int64) {
	for _, id := range ids {
		if u.touched[id] == nil {
			u.touched[id] = &custRec{}
			u.order = append(u.order, id)
		}
	}
}

// own gives the next snapshot's copy of a dictionary it may add to.
func (u *Update) own(d *dict) *dict {
	if c, ok := u.cloned[d]; ok {
		return c
	}
	c := &dict{names: slices.Clip(slices.Clone(d.names)), index: maps.Clone(d.index)}
	u.cloned[d] = c
	u.cloned[c] = c
	return c
}

// code finds v's code in the i-th dictionary of dicts, copying the
// dictionary first if v is new to it.
func (u *Update) code(dicts []*dict, i int, v []byte) uint32 {
	dicts[i] = u.ownFor(dicts[i], v)
	return dicts[i].code(v)
}

// ownFor gives d, or the next snapshot's copy of d when v is new to it.
func (u *Update) ownFor(d *dict, v []byte) *dict {
	key := string(v)
	if key == "" {
		key = model.SummaryNone
	}
	if _, ok := d.index[key]; ok {
		return d
	}
	return u.own(d)
}

// Customer gives a touched customer's CustomerDims values; one not named
// by Changed is added to them.
func (u *Update) Customer(id int64, values [][]byte) error {
	if len(values) != len(u.n.custDict) {
		return fmt.Errorf("facts: customer has %d values, want %d", len(values), len(u.n.custDict))
	}
	u.Changed(id)
	c := u.touched[id]
	c.present = true
	c.vals, c.attrs = c.vals[:0], c.attrs[:0]
	for i, v := range values {
		c.vals = append(c.vals, u.code(u.n.custDict, i, v))
	}
	return nil
}

// Tag gives a touched customer a tag.
func (u *Update) Tag(customer int64, name []byte) {
	c := u.touched[customer]
	if c == nil {
		return
	}
	u.n.tagDict = u.ownFor(u.n.tagDict, name)
	c.tags = append(c.tags, u.n.tagDict.code(name))
}

// Feedback gives one row of a touched customer.
func (u *Update) Feedback(f Feedback) error {
	c := u.touched[f.Customer]
	if c == nil {
		return nil
	}
	if f.ID < 0 || f.ID > 0xFFFFFFFF {
		return fmt.Errorf("facts: feedback id %d does not fit", f.ID)
	}
	if len(f.Values) != len(u.n.fbDict) {
		return fmt.Errorf("facts: feedback has %d values, want %d", len(f.Values), len(u.n.fbDict))
	}
	day := f.Created
	if len(day) > 10 {
		day = day[:10]
	}
	r := rowRec{id: uint32(f.ID), day: string(day), csat: int8(max(-1, min(f.CSAT, 100))), nps: int8(max(-1, min(f.NPS, 100)))}
	for i, v := range f.Values {
		r.cols = append(r.cols, u.code(u.n.fbDict, i, v))
	}
	if _, ok := slices.BinarySearch(u.n.days, r.day); !ok {
		u.newDays[r.day] = true
	}
	c.rows = append(c.rows, r)
	return nil
}

// Build finishes the next snapshot.
func (u *Update) Build() (*Snapshot, error) {
	s, n := u.s, u.n
	// The days: the old list with the new ones merged in, and each old
	// day's new index.
	var remap []uint16 // old day index → new; nil when no day is new
	if len(u.newDays) > 0 {
		days := slices.Sorted(maps.Keys(u.newDays))
		all := make([]string, 0, len(s.days)+len(days))
		remap = make([]uint16, len(s.days))
		i, j := 0, 0
		for i < len(s.days) || j < len(days) {
			if j == len(days) || (i < len(s.days) && s.days[i] < days[j]) {
				remap[i] = uint16(len(all))
				all = append(all, s.days[i])
				i++
				continue
			}
			all = append(all, days[j])
			j++
		}
		if len(all) > 0xFFFF {
			return nil, fmt.Errorf("facts: %d distinct days", len(all))
		}
		n.days = all
		n.periods = newDict()
		n.periodsOfDays()
		n.dayMap = make([]uint16, s.baseDays)
		for b := range n.dayMap {
			d := b
			if s.dayMap != nil {
				d = int(s.dayMap[b])
			}
			n.dayMap[b] = remap[d]
		}
	}
	dayOf := func(day string) uint16 {
		i := sort.SearchStrings(n.days, day)
		return uint16(i)
	}
	oldDay := func(d uint16) uint16 {
		if remap != nil {
			return remap[d]
		}
		return d
	}

	// The delta: the old delta's customers not touched now, and the
	// touched customers that exist, in id order.
	slices.Sort(u.order)
	var ids []int64
	var fromOld []int // index in the old delta, or -1 for a touched one
	if s.delta != nil {
		for j, id := range s.delta.custIDs {
			if u.touched[id] == nil {
				ids = append(ids, id)
				fromOld = append(fromOld, j)
			}
		}
	}
	for _, id := range u.order {
		if u.touched[id].present {
			ids = append(ids, id)
			fromOld = append(fromOld, -1)
		}
	}
	perm := make([]int, len(ids))
	for i := range perm {
		perm[i] = i
	}
	sort.Slice(perm, func(a, b int) bool { return ids[perm[a]] < ids[perm[b]] })

	d := &part{custCols: make([]codes, len(n.custDict)), fbCols: make([]codes, len(n.fbDict))}
	d.rowOff = append(d.rowOff, 0)
	d.tagOff = append(d.tagOff, 0)
	d.attrOff = append(d.attrOff, 0)
	n.masked = slices.Clone(s.masked)
	if n.masked == nil {
		n.masked = make(Members, (len(n.custIDs)+63)/64)
	}
	next := len(n.custIDs) // places of customers new to the base
	for _, k := range perm {
		id := ids[k]
		d.custIDs = append(d.custIDs, id)
		if i, ok := n.index(id); ok {
			n.dplace = append(n.dplace, int32(i))
		} else {
			n.dplace = append(n.dplace, int32(next))
			next++
		}
		if j := fromOld[k]; j >= 0 {
			o := s.delta
			for c := range d.custCols {
				d.custCols[c].add(o.custCols[c].at(j))
			}
			for t := o.tagOff[j]; t < o.tagOff[j+1]; t++ {
				d.tagCode.add(o.tagCode.at(int(t)))
			}
			d.pairsOf(o, j)
			for r := o.rowOff[j]; r < o.rowOff[j+1]; r++ {
				d.fbID = append(d.fbID, o.fbID[r])
				d.day = append(d.day, oldDay(o.day[r]))
				d.csat = append(d.csat, o.csat[r])
				d.nps = append(d.nps, o.nps[r])
				for c := range d.fbCols {
					d.fbCols[c].add(o.fbCols[c].at(int(r)))
				}
			}
		} else {
			c := u.touched[id]
			for i, v := range c.vals {
				d.custCols[i].add(v)
			}
			slices.Sort(c.tags)
			for _, t := range slices.Compact(c.tags) {
				d.tagCode.add(t)
			}
			for i := 0; i+1 < len(c.attrs); i += 2 {
				d.attrKey.add(c.attrs[i])
				d.attrVal.add(c.attrs[i+1])
			}
			for _, r := range c.rows {
				d.fbID = append(d.fbID, r.id)
				d.day = append(d.day, dayOf(r.day))
				d.csat = append(d.csat, r.csat)
				d.nps = append(d.nps, r.nps)
				for i, v := range r.cols {
					d.fbCols[i].add(v)
				}
			}
		}
		d.tagOff = append(d.tagOff, uint32(d.tagCode.len()))
		d.attrOff = append(d.attrOff, uint32(d.attrKey.len()))
		d.rowOff = append(d.rowOff, uint32(len(d.fbID)))
	}
	// Every touched customer of the base is masked: its rows are the
	// delta's now, or it is gone.
	for _, id := range u.order {
		if i, ok := n.index(id); ok {
			n.masked.add(i)
		}
	}
	n.live = len(n.custIDs) + len(d.custIDs)
	n.rows = len(n.fbID) + len(d.fbID)
	for w, bits := range n.masked {
		for ; bits != 0; bits &= bits - 1 {
			i := w*64 + mathbits.TrailingZeros64(bits)
			n.live--
			n.rows -= int(n.rowOff[i+1] - n.rowOff[i])
		}
	}
	n.delta, n.places = d, next
	n.complCode()
	return n, nil
}

func (c *codes) len() int {
	switch c.width {
	case 0:
		return len(c.tiny)
	case 1:
		return len(c.small)
	}
	return len(c.big)
}

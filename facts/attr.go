package facts

import (
	"slices"
	"sort"
	"sync"

	"github.com/rapportcrm/rapport/model"
)

// Attr is the column of one attribute, attr.NAME: a feedback's own value
// (a ticket export's column) names its group, else its customer's. The
// snapshot keeps the ones asked for (Snapshot.Attr); the store reads them
// on first use, since most databases have few feedback attributes.
type Attr struct {
	dict *dict
	cust codes             // per customer
	over map[uint32]uint32 // row → the feedback's own value
	has  Members           // customers with a row in over

	bandOnce sync.Once
	bands    *model.Bands // nil: the values are not banded
	bandOf   []uint32     // value code → range
	bandName []string     // range → its name
}

// banded reports whether the column's values fall in ranges (model.Bands),
// made once from the values some customer or feedback holds now (the
// dictionary may keep values no row has any longer): bandOf maps each
// value's code to its range.
func (a *Attr) banded() bool {
	a.bandOnce.Do(func() {
		used := make([]bool, a.dict.len())
		for i := range a.cust.len() {
			used[a.cust.at(i)] = true
		}
		for _, c := range a.over {
			used[c] = true
		}
		var values []string
		for c, ok := range used {
			if ok {
				values = append(values, a.dict.names[c])
			}
		}
		if a.bands = model.NewBands(values); a.bands == nil {
			return
		}
		index := map[string]uint32{}
		a.bandOf = make([]uint32, a.dict.len())
		for c, v := range a.dict.names {
			band := a.bands.Of(v)
			i, ok := index[band]
			if !ok {
				i = uint32(len(a.bandName))
				index[band] = i
				a.bandName = append(a.bandName, band)
			}
			a.bandOf[c] = i
		}
	})
	return a.bands != nil
}

// Bands gives the ranges the column's values fall in, or nil when they
// are not banded (model.NewBands).
func (a *Attr) Bands() *model.Bands {
	a.banded()
	return a.bands
}

// AttrBuilder reads one attribute's values into an Attr.
type AttrBuilder struct {
	s    *Snapshot
	a    *Attr
	cust []uint32
}

// NewAttr starts an attribute column: every value none until given.
func (s *Snapshot) NewAttr() *AttrBuilder {
	a := &Attr{dict: newDict(), over: map[uint32]uint32{}}
	none := a.dict.codeString(model.SummaryNone)
	cust := make([]uint32, s.places)
	for i := range cust {
		cust[i] = none
	}
	return &AttrBuilder{s: s, a: a, cust: cust}
}

// Customer sets a customer's value (nil or empty: none).
func (b *AttrBuilder) Customer(id int64, v []byte) {
	if i, _, _, ok := b.s.place(id); ok {
		b.cust[i] = b.a.dict.code(v)
	}
}

// Feedback sets a feedback's own value; an empty one leaves its
// customer's.
func (b *AttrBuilder) Feedback(id, customer int64, v []byte) {
	if len(v) == 0 {
		return
	}
	place, p, ci, ok := b.s.place(customer)
	if !ok || p == nil {
		return
	}
	rowBase := 0
	if p != &b.s.part {
		rowBase = len(b.s.fbID)
	}
	for r := p.rowOff[ci]; r < p.rowOff[ci+1]; r++ {
		if int64(p.fbID[r]) == id {
			if b.a.has == nil {
				b.a.has = make(Members, (b.s.places+63)/64)
			}
			b.a.over[uint32(rowBase)+r] = b.a.dict.code(v)
			b.a.has.add(place)
			return
		}
	}
}

// Build finishes the column.
func (b *AttrBuilder) Build() *Attr {
	for _, c := range b.cust {
		b.a.cust.add(c)
	}
	b.cust = nil
	return b.a
}

// Attr gives the column of attribute name built earlier for this
// snapshot, or nil.
func (s *Snapshot) Attr(name string) *Attr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attrs[name]
}

// KeepAttr remembers an attribute's column for later summaries.
func (s *Snapshot) KeepAttr(name string, a *Attr) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attrs[name] = a
}

// AttrNames lists the attributes whose columns the snapshot keeps.
func (s *Snapshot) AttrNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.attrs))
	for n := range s.attrs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// CarryAttr starts the column of an attribute for s, a snapshot updated
// from prev, from prev's column a: every customer and feedback not
// touched keeps its value; the caller gives the touched customers' values
// and their feedback's through the builder, as for a new column. (For an
// attribute the snapshot holds, AttrColumn and CarryFeedback are
// cheaper: they do not visit every customer.)
func (s *Snapshot) CarryAttr(prev *Snapshot, a *Attr, touched func(customer int64) bool) *AttrBuilder {
	b := s.NewAttr()
	name := func(code uint32) []byte { return []byte(a.dict.names[code]) } // "(none)" codes as none
	for i, id := range prev.custIDs {
		if !prev.masked.isSet(i) && !touched(id) {
			b.Customer(id, name(a.cust.at(i)))
		}
	}
	if d := prev.delta; d != nil {
		for j, id := range d.custIDs {
			if !touched(id) {
				b.Customer(id, name(a.cust.at(int(prev.dplace[j]))))
			}
		}
	}
	b.CarryFeedback(prev, a, touched)
	return b
}

// searchRow finds the customer of row r of p.
func searchRow(p *part, r int) int {
	return sort.Search(len(p.custIDs), func(i int) bool { return int(p.rowOff[i+1]) > r })
}

// isSet is has on a set that may be nil.
func (m Members) isSet(i int) bool { return m != nil && m.has(i) }

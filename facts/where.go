package facts

import (
	"slices"

	"github.com/rapportcrm/rapport/model"
)

// What a --where or a saved segment selects, from the snapshot. The store
// answers a condition on a customer dimension (plan, region, city,
// lifecycle, language), a tag or an attribute from the snapshot, which
// gives each column's distinct values (DimValues, AttrValues) and, once
// the store has said which of those values the condition keeps, the
// customers holding one (DimMembers, AttrMembers); conditions on what the
// snapshot does not hold (ltv, csat_avg, a name…) remain the database's,
// and the sets are combined here (And, Or, AndNot). The store decides
// which values a condition keeps with the database's own comparison, so
// that the snapshot never has its own idea of =, ~ or a number.

// NoMembers is an empty set of this snapshot's customers.
func (s *Snapshot) NoMembers() Members { return make(Members, (s.places+63)/64) }

// AllMembers is every customer the snapshot holds.
func (s *Snapshot) AllMembers() Members {
	m := s.NoMembers()
	for i := range s.custIDs {
		if !s.masked.isSet(i) {
			m.add(i)
		}
	}
	for _, p := range s.dplace {
		m.add(int(p))
	}
	return m
}

// And keeps in m the members of o too.
func (m Members) And(o Members) {
	for i := range m {
		m[i] &= o[i]
	}
}

// Or adds o's members to m.
func (m Members) Or(o Members) {
	for i := range m {
		m[i] |= o[i]
	}
}

// AndNot takes o's members out of m.
func (m Members) AndNot(o Members) {
	for i := range m {
		m[i] &^= o[i]
	}
}

// IDs lists the customers of m, ascending.
func (s *Snapshot) IDs(m Members) []int64 {
	var out []int64
	for i, id := range s.custIDs {
		if !s.masked.isSet(i) && m.has(i) {
			out = append(out, id)
		}
	}
	if d := s.delta; d != nil {
		for j, id := range d.custIDs {
			if m.has(int(s.dplace[j])) {
				out = append(out, id)
			}
		}
		slices.Sort(out)
	}
	return out
}

// DimValues lists the values of a customer dimension (a CustomerDims
// name) by code; model.SummaryNone stands for the empty value and for a
// value that reads "(none)" alike. ok is false for another name.
func (s *Snapshot) DimValues(dim string) (values []string, ok bool) {
	i := slices.Index(CustomerDims(), dim)
	if i < 0 {
		return nil, false
	}
	return slices.Clone(s.custDict[i].names), true
}

// DimMembers is the customers whose value of dim has a code keep holds
// (keep indexed as DimValues).
func (s *Snapshot) DimMembers(dim string, keep []bool) Members {
	i := slices.Index(CustomerDims(), dim)
	m := s.NoMembers()
	if i < 0 {
		return m
	}
	s.eachCustomer(func(p *part, ci, place int) {
		if c := int(p.custCols[i].at(ci)); c < len(keep) && keep[c] {
			m.add(place)
		}
	})
	return m
}

// TagMembers is the customers carrying tag name. ok is false for a name
// the snapshot cannot tell from a customer without tags ("" or
// model.SummaryNone).
func (s *Snapshot) TagMembers(name string) (m Members, ok bool) {
	if name == "" || name == model.SummaryNone {
		return nil, false
	}
	m = s.NoMembers()
	code, known := s.tagDict.index[name]
	if !known {
		return m, true
	}
	s.eachCustomer(func(p *part, ci, place int) {
		for j := p.tagOff[ci]; j < p.tagOff[ci+1]; j++ {
			if p.tagCode.at(int(j)) == code {
				m.add(place)
				return
			}
		}
	})
	return m, true
}

// AttrValues lists the values the snapshot holds of the customers'
// attribute name, as stored (an empty value is ""), by code. ok is false
// when the snapshot does not hold this attribute (too many values): the
// database must answer for every customer.
func (s *Snapshot) AttrValues(name string) (values []string, ok bool) {
	k, known := s.attrKeys.index[name]
	if !known {
		return nil, true
	}
	if s.attrWide[k] {
		return nil, false
	}
	return slices.Clone(s.attrVals[k].names), true
}

// AttrMembers is the customers whose attribute name has a value whose
// code keep holds (indexed as AttrValues); a customer without the
// attribute is not one. odd lists the customers whose attributes the
// snapshot could not decode: the database answers for them.
func (s *Snapshot) AttrMembers(name string, keep []bool) (m Members, odd []int64) {
	m = s.NoMembers()
	k, known := s.attrKeys.index[name]
	s.eachCustomer(func(p *part, ci, place int) {
		for r := p.attrOff[ci]; r < p.attrOff[ci+1]; r++ {
			switch key := p.attrKey.at(int(r)); {
			case key == attrOddKey:
				odd = append(odd, p.custIDs[ci])
				return
			case known && key == k:
				if v := int(p.attrVal.at(int(r))); v < len(keep) && keep[v] {
					m.add(place)
				}
				return
			}
		}
	})
	return m, odd
}

// eachCustomer visits every customer held: its part, its index there and
// its place.
func (s *Snapshot) eachCustomer(fn func(p *part, ci, place int)) {
	for i := range s.custIDs {
		if !s.masked.isSet(i) {
			fn(&s.part, i, i)
		}
	}
	if d := s.delta; d != nil {
		for j := range d.custIDs {
			fn(d, j, int(s.dplace[j]))
		}
	}
}

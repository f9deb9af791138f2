package facts

// The customers' attributes, held by the snapshot in compact form so that
// the first attr.NAME view builds its column from memory instead of
// reading every customer's attributes from the database (4.4 s at 1M
// customers). Per customer, a list of (name, value) pairs of dictionary
// codes, like its tags; each name has its own dictionary of values. What
// the store cannot decode exactly as the database would (a value that is
// not a plain string, an escape, a repeated name: see
// Builder.CustomerAttrs) it marks odd, and a column asks the store for
// those customers. A name's values are held as they are (an empty value
// is not "(none)"), so that a --where can tell them apart (where.go). A name with more than attrValuesMax distinct values is
// not held (attrWide): its column is read from the database, as before.

// attrOddKey is the pair naming a customer whose attributes the store
// gives on demand; the name is one no decoded attribute can have.
const attrOddKey = 0

// attrValuesMax bounds the distinct values held per attribute name (a
// test lowers it).
var attrValuesMax = 1 << 16

func (s *Snapshot) initAttrs() {
	s.attrKeys = newDict()
	s.attrKeys.codeRaw([]byte("\x00odd"))
	s.attrVals = []*dict{newDict()}
	s.attrWide = []bool{true}
	s.attrOff = []uint32{0}
}

// CustomerAttrs gives the attributes of the customer added last: kv holds
// names and values in turn, as the database's json_extract(attrs, name)
// reads them as text (an empty value is none). odd says the store could
// not decode them so; a column then asks the store for that customer
// (Snapshot.AttrColumn). Without a call a customer has no attributes.
func (b *Builder) CustomerAttrs(kv [][]byte, odd bool) {
	s := b.s
	if len(s.custIDs) == 0 || b.frozen {
		return
	}
	n := len(s.attrOff) - 1
	if odd {
		s.attrKey.add(attrOddKey)
		s.attrVal.add(0)
	} else {
		for i := 0; i+1 < len(kv); i += 2 {
			k := s.attrKeys.code(kv[i])
			if int(k) == len(s.attrVals) {
				s.attrVals = append(s.attrVals, newDict())
				s.attrWide = append(s.attrWide, false)
			}
			if s.attrWide[k] {
				continue
			}
			v := s.attrVals[k].codeRaw(kv[i+1])
			if s.attrVals[k].len() > attrValuesMax {
				s.attrWide[k] = true
				continue
			}
			s.attrKey.add(k)
			s.attrVal.add(v)
		}
	}
	s.attrOff[n] = uint32(s.attrKey.len())
}

// CustomerAttrs gives a touched customer's attributes, as
// Builder.CustomerAttrs; call it after Customer.
func (u *Update) CustomerAttrs(id int64, kv [][]byte, odd bool) {
	c := u.touched[id]
	if c == nil || !c.present {
		return
	}
	c.attrs = c.attrs[:0]
	if odd {
		c.attrs = append(c.attrs, attrOddKey, 0)
		return
	}
	n := u.n
	for i := 0; i+1 < len(kv); i += 2 {
		n.attrKeys = u.ownFor(n.attrKeys, kv[i])
		k := n.attrKeys.code(kv[i])
		if int(k) == len(n.attrVals) {
			if !u.ownsAttrs {
				n.attrVals, n.attrWide = append([]*dict(nil), n.attrVals...), append([]bool(nil), n.attrWide...)
				u.ownsAttrs = true
			}
			d := newDict()
			u.cloned[d] = d
			n.attrVals = append(n.attrVals, d)
			n.attrWide = append(n.attrWide, false)
		}
		if n.attrWide[k] {
			continue
		}
		d := n.attrVals[k]
		if _, ok := d.index[string(kv[i+1])]; !ok {
			d = u.own(d)
		}
		if d != n.attrVals[k] {
			if !u.ownsAttrs {
				n.attrVals, n.attrWide = append([]*dict(nil), n.attrVals...), append([]bool(nil), n.attrWide...)
				u.ownsAttrs = true
			}
			n.attrVals[k] = d
		}
		v := d.codeRaw(kv[i+1])
		if d.len() > attrValuesMax {
			n.attrWide[k] = true
			continue
		}
		c.attrs = append(c.attrs, k, v)
	}
}

// AttrColumn starts the column of attribute name from the attributes the
// snapshot holds. odd lists the customers whose attributes the store must
// give (AttrBuilder.Customer); the feedback's own values are the store's
// to give too (AttrBuilder.Feedback, or CarryFeedback). ok is false when
// the snapshot does not hold this attribute (too many distinct values):
// the store reads every customer's value instead.
func (s *Snapshot) AttrColumn(name string) (b *AttrBuilder, odd []int64, ok bool) {
	k, known := s.attrKeys.index[name]
	if known && s.attrWide[k] {
		return nil, nil, false
	}
	b = s.NewAttr()
	var trans []uint32 // the key's value code → the column's
	if known {
		trans = make([]uint32, s.attrVals[k].len())
		for i, v := range s.attrVals[k].names {
			trans[i] = b.a.dict.codeString(v)
		}
	}
	visit := func(p *part, ci, place int) {
		for r := p.attrOff[ci]; r < p.attrOff[ci+1]; r++ {
			if key := p.attrKey.at(int(r)); key == attrOddKey {
				odd = append(odd, p.custIDs[ci])
				return
			} else if known && key == k {
				b.cust[place] = trans[p.attrVal.at(int(r))]
			}
		}
	}
	for i := range s.custIDs {
		if !s.masked.isSet(i) {
			visit(&s.part, i, i)
		}
	}
	if d := s.delta; d != nil {
		for j := range d.custIDs {
			visit(d, j, int(s.dplace[j]))
		}
	}
	return b, odd, true
}

// CarryFeedback gives the builder, a column of s, the feedback's own
// values of prev's column a, for every customer not touched since: prev
// is the snapshot s was updated from. The touched customers' feedback are
// the caller's to give.
func (b *AttrBuilder) CarryFeedback(prev *Snapshot, a *Attr, touched func(customer int64) bool) {
	base := len(prev.fbID)
	for key, code := range a.over {
		p, r := &prev.part, int(key)
		if r >= base {
			p, r = prev.delta, r-base
		}
		ci := searchRow(p, r)
		if p == &prev.part && prev.masked.isSet(ci) {
			continue
		}
		if id := p.custIDs[ci]; !touched(id) {
			b.Feedback(int64(p.fbID[r]), id, []byte(a.dict.names[code]))
		}
	}
}

// pairsOf copies customer ci's pairs of p into d.
func (d *part) pairsOf(p *part, ci int) {
	for r := p.attrOff[ci]; r < p.attrOff[ci+1]; r++ {
		d.attrKey.add(p.attrKey.at(int(r)))
		d.attrVal.add(p.attrVal.at(int(r)))
	}
}

// LimitAttrValues lowers the bound on the distinct values held per
// attribute name for the snapshots built until restore is called: a
// store's tests use it to have attributes the snapshot does not hold.
func LimitAttrValues(n int) (restore func()) {
	old := attrValuesMax
	attrValuesMax = n
	return func() { attrValuesMax = old }
}

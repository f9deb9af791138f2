package facts

// Keep names a customer a commit touched only through some of its
// feedback (a bulk edit of feedback columns): its row, tags, attributes
// and other feedback are taken from the snapshot, not read again; the
// rows of the feedback changed reports are dropped, and the caller gives,
// through Feedback, those changed feedback that belong to it now. This
// is what makes a bulk edit of 10,000 feedback spread over the table
// cheap: the store reads those 10,000 rows, not every row of their
// customers.
//
// ok is false, and nothing is named, when the snapshot does not hold the
// customer, or when none of its feedback changed and hasNew is false (the
// commit touched it some other way): the caller reads it again in full
// (Changed, Customer…).
func (u *Update) Keep(id int64, changed func(feedback uint32) bool, hasNew bool) bool {
	s := u.s
	if u.touched[id] != nil {
		return false
	}
	_, p, ci, ok := s.place(id)
	if !ok || p == nil {
		return false
	}
	c := &custRec{present: true}
	found := false
	for r := p.rowOff[ci]; r < p.rowOff[ci+1]; r++ {
		if changed(p.fbID[r]) {
			found = true
			continue
		}
		d := int(p.day[r])
		if p == &s.part && s.dayMap != nil {
			d = int(s.dayMap[d])
		}
		row := rowRec{id: p.fbID[r], day: s.days[d], csat: p.csat[r], nps: p.nps[r], cols: make([]uint32, len(p.fbCols))}
		for k := range p.fbCols {
			row.cols[k] = p.fbCols[k].at(int(r))
		}
		c.rows = append(c.rows, row)
	}
	if !found && !hasNew {
		return false
	}
	// The codes stay valid: the next snapshot's dictionaries are this
	// one's or copies that only add values.
	for k := range p.custCols {
		c.vals = append(c.vals, p.custCols[k].at(ci))
	}
	for t := p.tagOff[ci]; t < p.tagOff[ci+1]; t++ {
		c.tags = append(c.tags, p.tagCode.at(int(t)))
	}
	for r := p.attrOff[ci]; r < p.attrOff[ci+1]; r++ {
		c.attrs = append(c.attrs, p.attrKey.at(int(r)), p.attrVal.at(int(r)))
	}
	u.touched[id] = c
	u.order = append(u.order, id)
	return true
}

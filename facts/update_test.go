package facts

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// world is a small database in Go values, to build snapshots from.
type world struct {
	cust map[int64][][]byte
	tags map[int64][]string
	fb   map[int64]Feedback
	// attrs: names and values in turn; a nil entry (with a customer) is
	// one whose attributes the store could not decode
	attrs map[int64][][]byte
}

func (w *world) customerAttrs(id int64) ([][]byte, bool) {
	kv, ok := w.attrs[id]
	return kv, ok && kv == nil
}

func (w *world) build(t *testing.T) *Snapshot {
	b := NewBuilder()
	ids := make([]int64, 0, len(w.cust))
	for id := range w.cust {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := b.Customer(id, w.cust[id]); err != nil {
			t.Fatal(err)
		}
		b.CustomerAttrs(w.customerAttrs(id))
	}
	for _, id := range ids {
		for _, tg := range w.tags[id] {
			b.Tag(id, []byte(tg))
		}
	}
	for _, f := range w.fb {
		if err := b.Feedback(f); err != nil {
			t.Fatal(err)
		}
	}
	s, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// update gives the touched customers as they are in w: those of kept
// through Keep (only the feedback in changed moved or changed), the
// others read again in full.
func (w *world) update(t *testing.T, s *Snapshot, touched []int64, kept []int64, changed map[int64]bool) *Snapshot {
	u := s.Update()
	keptOK := map[int64]bool{}
	for _, id := range kept {
		if slices.Contains(touched, id) || keptOK[id] {
			continue
		}
		hasNew := false
		for fid := range changed {
			if f, ok := w.fb[fid]; ok && f.Customer == id {
				hasNew = true
			}
		}
		if u.Keep(id, func(fb uint32) bool { return changed[int64(fb)] }, hasNew) {
			keptOK[id] = true
		} else {
			touched = append(touched, id)
		}
	}
	u.Changed(touched...)
	for _, id := range touched {
		if v, ok := w.cust[id]; ok {
			if err := u.Customer(id, v); err != nil {
				t.Fatal(err)
			}
			kv, odd := w.customerAttrs(id)
			u.CustomerAttrs(id, kv, odd)
			for _, tg := range w.tags[id] {
				u.Tag(id, []byte(tg))
			}
		}
	}
	for _, f := range w.fb {
		if slices.Contains(touched, f.Customer) || (keptOK[f.Customer] && changed[f.ID]) {
			if err := u.Feedback(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, err := u.Build()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func summaryJSON(t *testing.T, s *Snapshot, q Query) string {
	overall, groups, err := s.Summarize(q)
	if err != nil {
		t.Fatal(err)
	}
	sum := model.Summary{By: q.By, Overall: overall, Groups: groups}
	sum.Finish()
	b, _ := json.Marshal(sum)
	return string(b)
}

// TestUpdateEqualsBuild: a chain of updates (customers added, changed and
// deleted, feedback moved and rescored, tags changed, new values and new
// days) answers every dimension, with trends, time bounds and member sets,
// as a snapshot built afresh from the same data.
func TestUpdateEqualsBuild(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(vs ...string) []byte { return []byte(vs[r.IntN(len(vs))]) }
	custVals := func() [][]byte {
		return [][]byte{pick("free", "pro", ""), pick("EU", "US"), pick("Oslo", "上海", ""), pick("new", "paying"), pick("en", "zh")}
	}
	day := func() []byte { return []byte(fmt.Sprintf("2025-%02d-%02dT10:00:00.000Z", 1+r.IntN(12), 1+r.IntN(28))) }
	nextFB := int64(1)
	newFB := func(c int64) Feedback {
		f := Feedback{ID: nextFB, Customer: c, Created: day(), CSAT: r.IntN(6) - 1, NPS: r.IntN(12) - 1,
			Values: [][]byte{pick("email", "chat", "fax"), pick("complaint", "praise"), pick("Billing", ""), pick("amy", "bo"), pick("zendesk", "")}}
		nextFB++
		return f
	}
	w := &world{cust: map[int64][][]byte{}, tags: map[int64][]string{}, fb: map[int64]Feedback{}, attrs: map[int64][][]byte{}}
	defer func(m int) { attrValuesMax = m }(attrValuesMax)
	attrValuesMax = 60 // attribute "uniq" outgrows it
	setAttrs := func(c int64) {
		switch r.IntN(5) {
		case 0:
			w.attrs[c] = nil // odd
		case 1:
			delete(w.attrs, c)
		default:
			w.attrs[c] = [][]byte{[]byte("grp"), pick("A", "B", "", "g"+fmt.Sprint(r.IntN(9))), []byte("uniq"), []byte(fmt.Sprint(r.Int()))}
		}
	}
	for id := int64(1); id <= 200; id++ {
		w.cust[id] = custVals()
		setAttrs(id)
		if r.IntN(3) == 0 {
			w.tags[id] = []string{string(pick("vip", "beta"))}
		}
		for range r.IntN(6) {
			f := newFB(id)
			w.fb[f.ID] = f
		}
	}
	s := w.build(t)
	nextCust := int64(201)
	for round := range 80 {
		var touched, kept []int64
		changed := map[int64]bool{}
		for range 1 + r.IntN(8) {
			c := 1 + r.Int64N(nextCust+5)
			switch r.IntN(9) {
			case 7, 8: // a bulk edit: feedback columns changed (case 8: some moved), customers kept
				for id, f := range w.fb {
					if r.IntN(12) != 0 {
						continue
					}
					kept = append(kept, f.Customer)
					f.CSAT, f.Values[2] = r.IntN(6)-1, pick("Billing", "Bug", "new-cat-"+fmt.Sprint(round))
					if r.IntN(3) == 0 {
						f.Created = day()
					}
					if _, ok := w.cust[c]; ok && r.IntN(2) == 0 {
						f.Customer = c
						kept = append(kept, c)
					}
					w.fb[id] = f
					changed[id] = true
				}
				continue

			case 0: // a new customer with feedback
				c = nextCust
				nextCust++
				w.cust[c] = [][]byte{pick("brand-new", "pro"), pick("APAC"), pick("Lima"), pick("new"), pick("es")}
				f := newFB(c)
				w.fb[f.ID] = f
			case 1: // deleted with its feedback
				delete(w.cust, c)
				delete(w.tags, c)
				for id, f := range w.fb {
					if f.Customer == c {
						delete(w.fb, id)
					}
				}
			case 2:
				if _, ok := w.cust[c]; ok {
					w.cust[c] = custVals()
					w.cust[c][0] = pick("plan-"+fmt.Sprint(round), "free")
					setAttrs(c)
				}
			case 3:
				w.tags[c] = []string{string(pick("vip", "新", "t"+fmt.Sprint(round%3)))}
			case 4: // feedback moved to another customer
				for id, f := range w.fb {
					touched = append(touched, f.Customer)
					f.Customer = c
					w.fb[id] = f
					break
				}
			case 5: // rescored, on a new day
				for id, f := range w.fb {
					if f.Customer == c {
						f.CSAT, f.Created = r.IntN(6)-1, []byte(fmt.Sprintf("2026-%02d-01T00:00:00.000Z", 1+r.IntN(12)))
						w.fb[id] = f
					}
				}
			default:
				if _, ok := w.cust[c]; ok {
					f := newFB(c)
					w.fb[f.ID] = f
				}
			}
			touched = append(touched, c)
		}
		s = w.update(t, s, touched, kept, changed)
		fresh := w.build(t)
		if s.Customers() != fresh.Customers() || s.Rows() != fresh.Rows() {
			t.Fatalf("round %d: %d customers %d rows, fresh %d %d", round, s.Customers(), s.Rows(), fresh.Customers(), fresh.Rows())
		}
		// attribute columns built from what each holds, the odd customers'
		// values given as a store would
		for _, name := range []string{"grp", "uniq", "none"} {
			var got [2]string
			for i, sn := range []*Snapshot{s, fresh} {
				b, odd, ok := sn.AttrColumn(name)
				if !ok {
					got[i] = "not held"
					continue
				}
				for _, id := range odd {
					b.Customer(id, []byte("odd"))
				}
				got[i] = summaryJSON(t, sn, Query{By: "attr." + name, Attr: b.Build(), Trend: "month"})
			}
			if got[0] != got[1] && got[0] != "not held" && got[1] != "not held" {
				t.Fatalf("round %d, attr.%s:\n updated %.1500s\n fresh   %.1500s", round, name, got[0], got[1])
			}
			if name == "grp" && got[0] == "not held" {
				t.Fatalf("round %d: attr.grp not held", round)
			}
		}
		ids := []int64{}
		for id := int64(1); id < nextCust; id += 1 + r.Int64N(3) {
			ids = append(ids, id)
		}
		for _, trend := range []string{"", "month", "week"} {
			for _, by := range append([]string{"", "members"}, model.SummaryDimensions...) {
				var got [2]string
				for i, sn := range []*Snapshot{s, fresh} {
					q := Query{By: by, Trend: trend, SinceDay: "2025-03-01", UntilDay: "2026-06-30"}
					if by == "members" {
						q.By, q.Where = "tag", sn.Members(ids)
						q.Segments = []Segment{{Name: "half", Members: sn.Members(ids[len(ids)/2:])}}
					}
					got[i] = summaryJSON(t, sn, q)
				}
				if got[0] != got[1] {
					t.Fatalf("round %d, by %q trend %q:\n updated %.1500s\n fresh   %.1500s", round, by, trend, got[0], got[1])
				}
			}
		}
	}
	if s.Delta() == 0 {
		t.Error("no delta after the updates")
	}
}

package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/facts"
	"github.com/rapportcrm/rapport/model"
)

// snapshotsAgree compares every dimension's summary (with and without
// trends, an attribute, a --where's member set) of the store's current,
// incrementally refreshed snapshot with a snapshot read afresh.
func snapshotsAgree(t *testing.T, s *Store, r *rand.Rand, when string) {
	t.Helper()
	inc, _, _, err := s.FactsSnapshot(ctx)
	if err != nil {
		t.Fatalf("%s: %v", when, err)
	}
	full, _, err := s.readFacts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Rows() != full.Rows() || inc.Customers() != full.Customers() {
		t.Fatalf("%s: incremental holds %d rows of %d customers, a full read %d of %d",
			when, inc.Rows(), inc.Customers(), full.Rows(), full.Customers())
	}
	var ids []int64
	for id := int64(1); id < 2100; id += 1 + int64(r.IntN(5)) {
		ids = append(ids, id)
	}
	// Three columns per attribute: the incremental snapshot's, carried
	// along since it was first asked (below); one built now from what it
	// holds (factsAttrColumn); and a full read's of every customer's value.
	type column struct {
		sn *facts.Snapshot
		a  *facts.Attr
	}
	attrNames := []string{"ticket_group", "signup_source"}
	cols := map[string][]column{}
	err = s.read(ctx, func(tx *sql.Tx) error {
		for _, name := range attrNames {
			carried := inc.Attr(name)
			fresh, err := s.factsAttrColumn(ctx, tx, inc, name)
			if err != nil {
				return err
			}
			if carried == nil {
				inc.KeepAttr(name, fresh)
				carried = fresh
			}
			all, err := loadFactsAttr(ctx, tx, full, name)
			if err != nil {
				return err
			}
			cols[name] = []column{{inc, carried}, {inc, fresh}, {full, all}}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range attrNames {
		for _, trend := range []string{"", "month"} {
			var out []string
			for _, c := range cols[name] {
				overall, groups, err := c.sn.Summarize(facts.Query{By: "attr." + name, Trend: trend, Attr: c.a})
				if err != nil {
					t.Fatal(err)
				}
				sum := model.Summary{By: name, Overall: overall, Groups: groups}
				sum.Finish()
				b, _ := json.Marshal(sum)
				out = append(out, string(b))
			}
			for i, what := range []string{"carried along", "built from the snapshot"} {
				if out[i] != out[2] {
					t.Fatalf("%s: attr.%s trend %q: the column %s differs from a full read\n got  %.3000s\n full %.3000s", when, name, trend, what, out[i], out[2])
				}
			}
		}
	}
	attrs := map[*facts.Snapshot]*facts.Attr{inc: cols["ticket_group"][0].a, full: cols["ticket_group"][2].a}
	dims := append([]string{""}, model.SummaryDimensions...)
	for _, trend := range []string{"", "month", "week"} {
		for _, by := range append(dims, "attr.ticket_group", "where") {
			var out [2]string
			for i, sn := range []*facts.Snapshot{inc, full} {
				q := facts.Query{By: by, Trend: trend}
				switch by {
				case "attr.ticket_group":
					q.Attr = attrs[sn]
				case "where":
					q.By, q.Where = "plan", sn.Members(ids)
					q.Segments = []facts.Segment{{Name: "some", Members: sn.Members(ids[:len(ids)/2])}}
				}
				overall, groups, err := sn.Summarize(q)
				if err != nil {
					t.Fatal(err)
				}
				sum := model.Summary{By: by, Overall: overall, Groups: groups}
				sum.Finish()
				b, _ := json.Marshal(sum)
				out[i] = string(b)
			}
			if out[0] != out[1] {
				t.Fatalf("%s: by %q trend %q: incremental differs from a full read\n inc  %.3000s\n full %.3000s", when, by, trend, out[0], out[1])
			}
		}
	}
}

// TestFactsRefreshEqualsFullRead: after every kind of write (random
// feedback added, changed, moved, deleted; customers' dimensions,
// attributes and tags changed; customers added and deleted; bulk edits;
// new values, new days), the incrementally refreshed snapshot answers
// every dimension as a full read does, without a full read.
func TestFactsRefreshEqualsFullRead(t *testing.T) {
	if raceOn {
		t.Skip("slow under -race; runs in the plain pass")
	}
	s := demoTestStore(t, 7)
	r := rand.New(rand.NewPCG(7, 70))
	if _, _, _, err := s.FactsSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	loads := s.facts.loads
	// A second store on the same file stands for another process: what
	// it writes reaches this one through the journal only.
	other, err := Open(context.Background(), s.path, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	otherPatched := 0
	maxFB := func() int64 {
		var n int64
		s.db.QueryRow("SELECT max(id) FROM feedback").Scan(&n)
		return n
	}
	cust := func() int64 { return 1 + int64(r.IntN(2050)) } // some ids gone or not yet made
	fb := func() int64 { return 1 + r.Int64N(maxFB()) }
	pick := func(vs ...string) string { return vs[r.IntN(len(vs))] }
	day := func() string {
		return fmt.Sprintf("20%02d-%02d-%02dT%02d:00:00.000Z", 23+r.IntN(4), 1+r.IntN(12), 1+r.IntN(28), r.IntN(24))
	}
	writes := []func() string{
		func() string { // a new feedback, maybe of a new day, channel, agent
			c := cust()
			mustExecSoft(t, s, `INSERT INTO feedback(customer_id, source, channel, kind, body, csat, nps, agent, created_at, updated_at)
				SELECT id, ?, ?, ?, 'x', ?, ?, ?, ?, ? FROM customers WHERE id = ?`,
				pick("zendesk", "csv", ""), pick("email", "fax", "chat", "pigeon"), pick("complaint", "praise", "question"),
				maybeNull(r, 1+r.IntN(5)), maybeNull(r, r.IntN(11)), pick("amy", "bo", "", "new-agent"), day(), day(), c)
			return "feedback added"
		},
		func() string {
			mustExecSoft(t, s, "UPDATE feedback SET csat = ?, nps = ?, kind = ? WHERE id = ?",
				maybeNull(r, 1+r.IntN(5)), maybeNull(r, r.IntN(11)), pick("complaint", "praise", "request"), fb())
			return "scores changed"
		},
		func() string {
			mustExecSoft(t, s, "UPDATE feedback SET created_at = ?, channel = ?, agent = ?, source = ? WHERE id = ?",
				day(), pick("email", "sms"), pick("zed", ""), pick("jira", ""), fb())
			return "time and dimensions changed"
		},
		func() string {
			mustExecSoft(t, s, "UPDATE feedback SET category_id = (SELECT id FROM categories ORDER BY random() LIMIT 1) WHERE id = ?", fb())
			return "reclassified"
		},
		func() string {
			mustExecSoft(t, s, "UPDATE feedback SET customer_id = (SELECT id FROM customers ORDER BY random() LIMIT 1) WHERE id = ?", fb())
			return "feedback moved to another customer"
		},
		func() string {
			mustExecSoft(t, s, "DELETE FROM feedback WHERE id = ?", fb())
			return "feedback deleted"
		},
		func() string {
			mustExecSoft(t, s, "UPDATE customers SET plan = ?, city = ?, lifecycle = ?, language = ?, region = ? WHERE id = ?",
				pick("free", "pro", "plan-new", ""), pick("上海", "Lyon", ""), pick("paying", "churned"), pick("en", "zh", "xx"),
				pick("EU", "华东", ""), cust())
			return "customer's dimensions changed"
		},
		func() string {
			mustExecSoft(t, s, "UPDATE customers SET attrs = json_set(attrs, '$.ticket_group', ?) WHERE id = ?", pick("L1", "L9", ""), cust())
			mustExecSoft(t, s, "UPDATE feedback SET attrs = json_object('ticket_group', ?) WHERE id = ?", pick("L1", "L7"), fb())
			return "attributes changed"
		},
		func() string { // attributes the snapshot cannot decode: the store gives them
			odd := pick(`{"ticket_group": 7}`, `{"signup_source":"say \"hi\"","ticket_group":"L1"}`,
				`{"ticket_group":"A","ticket_group":"B"}`, `[1, 2]`, `{"ticket_group":true,"signup_source":null}`,
				`{ "signup_source" : "web" , "ticket_group":"L2" }`, `{"signup_source":{"a":1}}`, `{}`)
			mustExecSoft(t, s, "UPDATE customers SET attrs = ? WHERE id = ?", odd, cust())
			return "odd attributes"
		},
		func() string {
			mustExecSoft(t, s, "INSERT OR IGNORE INTO tags(name) VALUES (?)", pick("vip", "新标签", "t"+fmt.Sprint(r.IntN(3))))
			mustExecSoft(t, s, "INSERT OR IGNORE INTO customer_tags(customer_id, tag_id) SELECT ?, id FROM tags ORDER BY random() LIMIT 1", cust())
			mustExecSoft(t, s, "DELETE FROM customer_tags WHERE customer_id = ?", cust())
			return "tags changed"
		},
		func() string {
			c, err := s.CreateCustomer(ctx, "t", model.Customer{Name: fmt.Sprint("new ", r.Int()), Plan: pick("pro", "brand-new")})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.AddFeedback(ctx, "t", model.Feedback{CustomerID: c.ID, Body: "hi", CSAT: ptrInt(4), Channel: "web"}); err != nil {
				t.Fatal(err)
			}
			return "customer created with feedback"
		},
		func() string {
			c := cust()
			mustExecSoft(t, s, "DELETE FROM feedback WHERE customer_id = ?", c)
			mustExecSoft(t, s, "DELETE FROM customers WHERE id = ?", c)
			return "customer deleted"
		},
		func() string { // a bulk edit through the store or another: the refresh keeps the customers
			var ids []int64
			rows, err := s.db.Query("SELECT id FROM feedback WHERE id % ? = ? LIMIT ?", 50+r.IntN(50), r.IntN(50), 1+r.IntN(40))
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				ids = append(ids, id)
			}
			rows.Close()
			if len(ids) == 0 {
				return "no bulk edit"
			}
			cat, kind, status := pick("Billing/Refund", "Product/Bug"), model.Kind(pick("complaint", "praise", "question")), model.Status(pick("open", "closed"))
			p := model.FeedbackPatch{Category: &cat}
			switch r.IntN(3) {
			case 0:
				p.Kind = &kind
			case 1:
				p = model.FeedbackPatch{Status: &status, AddTags: []string{"fb-tag"}}
			}
			by, name := s, "this store"
			if r.IntN(2) == 0 {
				by, name = other, "another store"
			}
			if _, err := by.SetFeedback(ctx, "t", ids, p, 0); err != nil {
				t.Fatal(err)
			}
			return "bulk edit through " + name
		},
		func() string { // another store logs feedback and deletes some
			c := cust()
			if _, err := other.AddFeedback(ctx, "u", model.Feedback{CustomerID: c, Body: "other", CSAT: ptrInt(1 + r.IntN(5)),
				Channel: pick("email", "owl"), CreatedAt: time.Date(2027, 1, 1+r.IntN(28), 0, 0, 0, 0, time.UTC)}); err != nil &&
				!errors.Is(err, model.ErrNotFound) {
				t.Fatal(err)
			}
			if _, err := other.db.Exec("DELETE FROM feedback WHERE id IN (SELECT id FROM feedback WHERE customer_id = ? LIMIT 2)", cust()); err != nil {
				t.Fatal(err)
			}
			return "another store's feedback added and deleted"
		},
		func() string { // a bulk edit of a few hundred rows
			lo := fb()
			mustExecSoft(t, s, "UPDATE feedback SET status = 'closed', kind = ?, csat = coalesce(csat, 3) WHERE id BETWEEN ? AND ?", pick("complaint", "feedback"), lo, lo+300)
			return "bulk edit"
		},
	}
	for round := 0; round < 60; round++ {
		var did []string
		for n := 1 + r.IntN(3); n > 0; n-- {
			did = append(did, writes[r.IntN(len(writes))]())
		}
		patched := s.facts.patched
		snapshotsAgree(t, s, r, fmt.Sprintf("round %d (%s)", round, strings.Join(did, ", ")))
		if slices.ContainsFunc(did, func(d string) bool { return strings.Contains(d, "another store") }) {
			otherPatched += s.facts.patched - patched
		}
	}
	if s.facts.loads != loads {
		t.Errorf("%d full reads during the writes, want none", s.facts.loads-loads)
	}
	if s.facts.patched == 0 || otherPatched == 0 {
		t.Errorf("refreshes kept %d customers from the snapshot, %d after another store's writes: want some of each",
			s.facts.patched, otherPatched)
	}
	sameAsScanNoLoad(t, s, "after the random writes")
}

// mustExecSoft runs a write that may find nothing to change.
func mustExecSoft(t *testing.T, s *Store, q string, args ...any) {
	t.Helper()
	if _, err := s.db.Exec(q, args...); err != nil && !strings.Contains(err.Error(), "constraint") {
		t.Fatal(err)
	}
}

func maybeNull(r *rand.Rand, v int) any {
	if r.IntN(4) == 0 {
		return nil
	}
	return v
}

// TestFactsRefreshReadsAllWhenItMust: a renamed tag, a trimmed journal or
// a change past the bound makes the next summary read everything, with
// the right figures.
func TestFactsRefreshReadsAllWhenItMust(t *testing.T) {
	s := demoTestStore(t, 3)
	r := rand.New(rand.NewPCG(3, 30))
	if _, _, _, err := s.FactsSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	loads := s.facts.loads
	mustExec(t, s, "UPDATE tags SET name = name || '-renamed' WHERE id = (SELECT min(id) FROM tags)")
	snapshotsAgree(t, s, r, "tag renamed")
	if s.facts.loads != loads+1 {
		t.Errorf("a renamed tag: %d full reads, want 1", s.facts.loads-loads)
	}
	// the journal trimmed past the snapshot's position
	mustExec(t, s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 270000) INSERT INTO facts_changes(customer_id) SELECT 1 FROM n")
	var lo int64
	s.db.QueryRow("SELECT min(seq) FROM facts_changes").Scan(&lo)
	if lo <= s.facts.pos+1 {
		t.Fatalf("journal not trimmed: starts at %d, snapshot at %d", lo, s.facts.pos)
	}
	var rows int
	s.db.QueryRow("SELECT count(*) FROM facts_changes").Scan(&rows)
	if rows > 262144+1024 {
		t.Errorf("the journal keeps %d entries", rows)
	}
	mustExec(t, s, "UPDATE customers SET plan = 'trimmed' WHERE id = 9")
	snapshotsAgree(t, s, r, "journal trimmed")
	if s.facts.loads != loads+2 {
		t.Errorf("a trimmed journal: %d full reads, want 2", s.facts.loads-loads)
	}
	// a change to more customers than the bound
	defer func(n int) { factsDeltaMin = n }(factsDeltaMin)
	factsDeltaMin = 100
	mustExec(t, s, "UPDATE customers SET plan = 'everyone' WHERE id % 10 <> 0")
	snapshotsAgree(t, s, r, "every customer changed")
	if s.facts.loads != loads+3 {
		t.Errorf("every customer changed: %d full reads, want 3", s.facts.loads-loads)
	}
	// a write that changes nothing a summary counts keeps the snapshot
	gen := s.facts.gen
	mustExec(t, s, "UPDATE customers SET name = 'renamed' WHERE id = 9")
	if _, _, _, err := s.FactsSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if s.facts.gen != gen || s.facts.loads != loads+3 {
		t.Errorf("a rename: generation %d → %d, %d full reads", gen, s.facts.gen, s.facts.loads-loads)
	}
}

// TestFactsRefreshSeesOtherStores: a second Store on the same file (as
// another process) commits; the first's next summary has it, read
// incrementally.
func TestFactsRefreshSeesOtherStores(t *testing.T) {
	s := demoTestStore(t, 5)
	if _, _, _, err := s.FactsSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	loads := s.facts.loads
	other, err := Open(context.Background(), s.path, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	before := groupN(t, s, model.SummaryQuery{By: "channel"}, "carrier-pigeon")
	if _, err := other.AddFeedback(ctx, "u", model.Feedback{CustomerID: 3, Body: "coo", CSAT: ptrInt(1), Channel: "carrier-pigeon"}); err != nil {
		t.Fatal(err)
	}
	plan := "from-the-other"
	if _, err := other.UpdateCustomer(ctx, "u", 4, model.CustomerPatch{Plan: &plan}, 0); err != nil {
		t.Fatal(err)
	}
	if got := groupN(t, s, model.SummaryQuery{By: "channel"}, "carrier-pigeon"); got != before+1 {
		t.Errorf("another store's feedback: %d in its channel, want %d", got, before+1)
	}
	if got := groupN(t, s, model.SummaryQuery{By: "plan"}, "from-the-other"); got == 0 {
		t.Error("another store's plan change is not in the summary")
	}
	if s.facts.loads != loads {
		t.Errorf("%d full reads, want none", s.facts.loads-loads)
	}
	sameAsScanNoLoad(t, s, "after another store's commits")
}

// TestFactsJournalCoversTheDimensions: the journal's update triggers
// watch every column the snapshot reads, so a new dimension cannot be
// forgotten there.
func TestFactsJournalCoversTheDimensions(t *testing.T) {
	s := openTemp(t)
	cust, fb := factsCheckColumns()
	for trig, cols := range map[string][]string{"facts_customer_au": cust, "facts_feedback_au": fb} {
		var sqlText string
		if err := s.db.QueryRow("SELECT sql FROM sqlite_schema WHERE name = ?", trig).Scan(&sqlText); err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`UPDATE OF ([a-z_, ]+) ON`).FindStringSubmatch(sqlText)
		if m == nil {
			t.Fatalf("%s: no UPDATE OF list", trig)
		}
		watched := strings.Split(strings.ReplaceAll(m[1], " ", ""), ",")
		for _, c := range cols {
			if !slices.Contains(watched, c) || !strings.Contains(sqlText, "OLD."+c+" IS NOT NEW."+c) {
				t.Errorf("%s does not watch %s", trig, c)
			}
		}
	}
}

// TestFactsRefreshPostgres: on PostgreSQL (migrations_pg/0003's
// statement triggers), each kind of write through the store, and a second
// store's, is read incrementally and agrees with a full read and with the
// SQL scan.
func TestFactsRefreshPostgres(t *testing.T) {
	pg := pgtest.Open(t)
	src := demoTestStore(t, 9)
	s := openPGTemp(t, pg)
	if _, err := Copy(ctx, src, s); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 90))
	snapshotsAgree(t, s, r, "after the copy")
	sameAsScanNoLoad(t, s, "after the copy")
	loads := s.facts.loads
	other, err := Open(ctx, s.path, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	f, err := other.AddFeedback(ctx, "u", model.Feedback{CustomerID: 3, Body: "coo", CSAT: ptrInt(1), Channel: "carrier-pigeon"})
	if err != nil {
		t.Fatal(err)
	}
	snapshotsAgree(t, s, r, "another store's feedback")
	sameAsScanNoLoad(t, s, "another store's feedback")
	plan := "plan-pg"
	if _, err := s.UpdateCustomer(ctx, "t", 4, model.CustomerPatch{Plan: &plan, AddTags: []string{"pg-tag"}}, 0); err != nil {
		t.Fatal(err)
	}
	snapshotsAgree(t, s, r, "plan and tag")
	sameAsScanNoLoad(t, s, "plan and tag")
	ids := []int64{f.ID}
	for id := int64(1); id < 10000; id += 37 {
		ids = append(ids, id)
	}
	cat := "Billing/Refund"
	kind := model.KindComplaint
	if _, err := s.SetFeedback(ctx, "t", ids, model.FeedbackPatch{Category: &cat, Kind: &kind}, 0); err != nil {
		t.Fatal(err)
	}
	snapshotsAgree(t, s, r, "bulk edit")
	if s.facts.patched == 0 {
		t.Error("the bulk edit's customers were read again, not kept from the snapshot")
	}
	sameAsScanNoLoad(t, s, "bulk edit")
	// the same by another store, which leaves this one nothing but the journal
	patched := s.facts.patched
	cat, kind = "Product/Bug", model.KindPraise
	if _, err := other.SetFeedback(ctx, "u", ids[1:], model.FeedbackPatch{Category: &cat, Kind: &kind}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := other.db.Exec("DELETE FROM feedback WHERE id IN (?, ?)", ids[2], ids[3]); err != nil {
		t.Fatal(err)
	}
	if _, err := other.db.Exec("UPDATE feedback SET customer_id = ? WHERE id = ?", 7, ids[4]); err != nil {
		t.Fatal(err)
	}
	snapshotsAgree(t, s, r, "another store's bulk edit")
	if s.facts.patched-patched < len(ids)/2 {
		t.Errorf("another store's bulk edit: %d customers kept from the snapshot, want most of %d", s.facts.patched-patched, len(ids))
	}
	sameAsScanNoLoad(t, s, "another store's bulk edit")
	c, err := other.CreateCustomer(ctx, "u", model.Customer{Name: "New PG", Plan: "brand-new"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.AddFeedback(ctx, "u", model.Feedback{CustomerID: c.ID, Body: "hi", NPS: ptrInt(10)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeCustomers(ctx, "t", 5, 6, model.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	snapshotsAgree(t, s, r, "created and merged")
	sameAsScanNoLoad(t, s, "created and merged")
	if s.facts.loads != loads {
		t.Errorf("%d full reads during the writes, want none", s.facts.loads-loads)
	}
}

// TestFactsWholesaleWritesReadAll: a demo load, a first load and a copy
// write without the journal's triggers (one mark per batch instead of an
// entry per row), and a snapshot held before them reads everything again.
func TestFactsWholesaleWritesReadAll(t *testing.T) {
	journal := func(s *Store) (rows, marks int) {
		s.db.QueryRow("SELECT count(*), count(*) - count(customer_id) FROM facts_changes").Scan(&rows, &marks)
		return rows, marks
	}
	held := func(s *Store) int {
		t.Helper()
		if _, _, _, err := s.FactsSnapshot(ctx); err != nil {
			t.Fatal(err)
		}
		return s.facts.loads
	}
	r := rand.New(rand.NewPCG(4, 40))

	demo := openTemp(t)
	loads := held(demo)
	if _, err := loadTestDemo(demo, ctx, testDemo{Customers: 300, Feedback: 1500, Seed: 4, Now: demoTestNow}); err != nil {
		t.Fatal(err)
	}
	if rows, marks := journal(demo); rows != marks || marks > 3 {
		t.Errorf("demo load: journal of %d entries, %d marks", rows, marks)
	}
	snapshotsAgree(t, demo, r, "after a demo load")
	if snap, _, _, _ := demo.FactsSnapshot(ctx); snap.Rows() != 1500 || demo.facts.loads != loads+1 {
		t.Errorf("demo load: %d rows, %d full reads", snap.Rows(), demo.facts.loads-loads)
	}

	first := openTemp(t)
	loads = held(first)
	if ok, err := first.BeginFirstLoad(ctx); err != nil || !ok {
		t.Fatalf("first load: %v %v", ok, err)
	}
	if _, err := first.ImportBatch(ctx, "imp", "crm", []model.ImportRecord{
		importRec(2, "n1", "林小雨", "lin@example.com", "free", "t1", "email", model.KindComplaint, 2, 3, ""),
		importRec(3, "n2", "Ann", "ann@example.com", "pro", "t2", "chat", model.KindPraise, 5, 10, ""),
	}, false); err != nil {
		t.Fatal(err)
	}
	if err := first.EndFirstLoad(ctx); err != nil {
		t.Fatal(err)
	}
	snapshotsAgree(t, first, r, "after a first load")
	if snap, _, _, _ := first.FactsSnapshot(ctx); snap.Rows() != 2 || first.facts.loads != loads+1 {
		t.Errorf("first load: %d rows, %d full reads", snap.Rows(), first.facts.loads-loads)
	}

	dst := openTemp(t)
	loads = held(dst)
	if _, err := Copy(ctx, demo, dst); err != nil {
		t.Fatal(err)
	}
	snapshotsAgree(t, dst, r, "after a copy")
	if snap, _, _, _ := dst.FactsSnapshot(ctx); snap.Rows() != 1500 || dst.facts.loads != loads+1 {
		t.Errorf("copy: %d rows, %d full reads", snap.Rows(), dst.facts.loads-loads)
	}
}

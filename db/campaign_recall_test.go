package db

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// TestRecallMatchesOneByOne: a recall over 2,000 members (every customer
// of a demo database, some with open follow-ups already) leaves what
// promising each member a follow-up one at a time through AddFollowUp
// leaves: the same follow-ups, the same open counts (read, sorted and
// filtered on), an audit lookup of each follow-up that finds its creation
// with the same fields, and the same campaign progress. Running it again
// creates nothing and changes nothing.
func TestRecallMatchesOneByOne(t *testing.T) {
	if raceOn {
		t.Skip("two demo loads and 2,000 single writes are slow under -race; runs in the plain pass")
	}
	fast, slow := demoTestStore(t, 5), demoTestStore(t, 5)
	now := demoTestNow.Add(time.Hour)
	fast.Now = func() time.Time { return now }
	slow.Now = fast.Now
	due := now.Add(72 * time.Hour)
	assignees := []string{"li.na", "emma", "wang.fang"}
	req := model.RecallRequest{Where: "ltv >= 0", Due: due, Assignees: assignees, Note: "回访：流失召回", Campaign: "win-back"}

	var calls []string
	res, err := fast.Recall(ctx, "lead", req, func(done, total int) { calls = append(calls, fmt.Sprintf("%d/%d", done, total)) })
	if err != nil || res.Members != 2000 || res.Created != 2000 || res.Skipped != 0 {
		t.Fatalf("recall = %+v, %v", res, err)
	}
	if fmt.Sprint(calls) != "[0/2000 2000/2000]" {
		t.Errorf("progress %v", calls)
	}

	// The same, one write per member, in the recall's order and rotation.
	var ids []int64
	rows, err := slow.db.Query("SELECT id FROM customers WHERE ltv >= 0 ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for i, id := range ids {
		if _, err := slow.AddFollowUp(ctx, "lead", model.FollowUp{CustomerID: id, Assignee: assignees[i%len(assignees)],
			Due: due, Note: req.Note, Campaign: req.Campaign}); err != nil {
			t.Fatal(err)
		}
	}

	followups := func(s *Store) string {
		return strings.Join(queryStrings(t, s, `SELECT customer_id || '|' || assignee || '|' || due_at || '|' || note || '|' ||
			status || '|' || campaign || '|' || created_by || '|' || created_at FROM followups ORDER BY customer_id, id`), "\n")
	}
	if f, s := followups(fast), followups(slow); f != s {
		t.Errorf("follow-ups differ:\nrecall:\n%.600s\none by one:\n%.600s", f, s)
	}
	// Open counts, as the Customers list shows and sorts them.
	byCount := func(s *Store) []string {
		var out []string
		q := model.CustomerQuery{Sort: model.SortFollowupsOpen, Desc: true, Limit: 500}
		for {
			p, err := s.ListCustomers(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Rows {
				out = append(out, fmt.Sprintf("%d:%d", c.ID, c.FollowupsOpen))
			}
			if !p.HasMore {
				return out
			}
			q.After = &p.Cursors[len(p.Cursors)-1]
		}
	}
	listed := byCount(fast)
	if want := byCount(slow); !reflect.DeepEqual(listed, want) {
		t.Errorf("customers by open follow-ups differ: recall %v…, one by one %v…", listed[:5], want[:5])
	}
	if len(listed) != 2000 || strings.HasSuffix(listed[0], ":1") || !strings.HasSuffix(listed[1999], ":1") {
		t.Errorf("%d customers listed, first %s, last %s; want 2,000 from several open down to 1", len(listed), listed[0], listed[len(listed)-1])
	}
	for _, where := range []string{"followups_open = 1", "followups_open >= 2"} {
		nf, _, err1 := fast.CountCustomers(ctx, model.CustomerQuery{Where: where}, 0)
		ns, _, err2 := slow.CountCustomers(ctx, model.CustomerQuery{Where: where}, 0)
		if err1 != nil || err2 != nil || nf != ns || nf == 0 {
			t.Errorf("%s: recall %d, one by one %d (%v, %v)", where, nf, ns, err1, err2)
		}
	}
	if n := countRows(t, fast, `SELECT count(*) FROM customers c WHERE (SELECT open FROM followup_counts WHERE customer_id = c.id)
		IS NOT (SELECT count(*) FROM followups WHERE customer_id = c.id AND status = 'open')`); n != 0 {
		t.Errorf("%d customers' open counts differ from their follow-ups", n)
	}
	// Each follow-up's creation, as `rapport audit --entity followup --id X` finds it.
	created := func(s *Store) map[int64]string {
		out := map[int64]string{}
		rows, err := s.db.Query("SELECT id, customer_id FROM followups WHERE campaign = 'win-back'")
		if err != nil {
			t.Fatal(err)
		}
		pairs := map[int64]int64{}
		for rows.Next() {
			var id, cid int64
			rows.Scan(&id, &cid)
			pairs[id] = cid
		}
		rows.Close()
		for id, cid := range pairs {
			es, err := s.Audit(ctx, model.AuditQuery{Entity: "followup", ID: id})
			if err != nil || len(es) != 1 {
				t.Fatalf("audit of follow-up %d: %+v, %v", id, es, err)
			}
			e := es[0]
			out[cid] = fmt.Sprintf("%s %s %v %v %v at %s", e.Agent, e.Action, e.Changes["customer_id"], e.Changes["assignee"],
				e.Changes["due_at"], e.At.UTC().Format(time.RFC3339))
		}
		return out
	}
	if f, s := created(fast), created(slow); !reflect.DeepEqual(f, s) || len(f) != 2000 {
		t.Errorf("audit lookups differ (%d, %d)", len(f), len(s))
		for cid, v := range f {
			if s[cid] != v {
				t.Errorf("customer %d: recall %q, one by one %q", cid, v, s[cid])
				break
			}
		}
	}
	if n := countRows(t, fast, "SELECT count(*) FROM audit WHERE entity = 'followups'"); n != 1 {
		t.Errorf("%d batch rows, want 1", n)
	}
	if n := countRows(t, fast, "SELECT count(*) FROM audit WHERE entity = 'followup'"); n != 0 {
		t.Errorf("%d rows of single follow-ups written by the recall", n)
	}
	// A recalled follow-up changed later: its history, in the item view
	// and the audit, is the change over the creation, as for any other.
	history := func(s *Store) string {
		id := queryInts(t, s, "SELECT id FROM followups WHERE campaign = 'win-back' AND customer_id = ?", ids[7])[0]
		if err := s.SnoozeFollowUp(ctx, "emma", id, due.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		it, err := s.TimelineItem(ctx, "followup", id)
		if err != nil {
			t.Fatal(err)
		}
		es, err := s.Audit(ctx, model.AuditQuery{Entity: "followup", ID: id})
		if err != nil {
			t.Fatal(err)
		}
		out := fmt.Sprint(it.History)
		for _, e := range es {
			out += fmt.Sprintf(" | %s %s %v", e.Agent, e.Action, e.Changes["customer_id"])
		}
		return out
	}
	if f, s := history(fast), history(slow); f != s || !strings.Contains(f, "emma update") || !strings.HasSuffix(f, fmt.Sprintf("lead create [<nil> %d]", ids[7])) {
		t.Errorf("history of a recalled follow-up:\nrecall     %s\none by one %s", f, s)
	}
	campaigns := func(s *Store) []model.CampaignProgress {
		cs, err := s.Campaigns(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	if f, s := campaigns(fast), campaigns(slow); !reflect.DeepEqual(f, s) || f[0].Name != "win-back" || f[0].Open != 2000 {
		t.Errorf("campaigns: recall %+v, one by one %+v", f, s)
	}

	// Again: nothing new anywhere.
	audits := countRows(t, fast, "SELECT count(*) FROM audit")
	before := followups(fast)
	again, err := fast.Recall(ctx, "lead", req, nil)
	if err != nil || again.Created != 0 || again.Skipped != 2000 {
		t.Fatalf("second recall = %+v, %v", again, err)
	}
	if followups(fast) != before || countRows(t, fast, "SELECT count(*) FROM audit") != audits ||
		!reflect.DeepEqual(byCount(fast), listed) {
		t.Errorf("the second recall changed something")
	}
}

// queryStrings reads a one-column query as text.
func queryStrings(t *testing.T, s *Store, q string, args ...any) []string {
	t.Helper()
	rows, err := s.db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// queryInts reads a one-column query as integers.
func queryInts(t *testing.T, s *Store, q string, args ...any) []int64 {
	t.Helper()
	rows, err := s.db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

package db

import (
	"errors"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/db/pgtest"
	"github.com/rapportcrm/rapport/model"
)

// openPGPair opens two Stores on one new PostgreSQL database: two
// processes, as two agents' TUIs on two hosts.
func openPGPair(t *testing.T, pg *pgtest.Server) (a, b *Store) {
	t.Helper()
	url := pg.Database(t)
	var err error
	if a, err = Open(ctx, url, Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if b, err = Open(ctx, url, Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

// waitListening waits until st's feed LISTENs for the n-th time and
// returns the listening backend's pid.
func waitListening(t *testing.T, st *Store, n int64) uint32 {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if pid := st.listener.pid.Load(); pid != 0 && st.listener.listens.Load() >= n {
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the feed did not LISTEN (listens=%d)", st.listener.listens.Load())
	return 0
}

// heardFrom waits for sub's events until one has agent's n changes;
// every wait is far shorter than the test's one-minute poll, so only a
// notification can have delivered them.
func heardFrom(t *testing.T, sub model.Subscription, agent string, n int) {
	t.Helper()
	var got model.Event
	for got.ByAgent[agent] < n {
		got.Merge(next(t, sub))
	}
	if got.ByAgent[agent] != n {
		t.Errorf("heard %+v, want %d changes by %s", got, n, agent)
	}
}

// TestPGFeedNotify: a write through store A (one process) reaches a
// subscriber of store B (another process) through NOTIFY, not the poll
// (set to a minute); a transaction that rolls back notifies nobody.
func TestPGFeedNotify(t *testing.T) {
	pg := pgtest.Open(t)
	a, b := openPGPair(t, pg)
	b.SetFeedPoll(time.Minute)
	sub, err := b.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	waitListening(t, b, 1)

	c, err := a.CreateCustomer(ctx, "alice", model.Customer{Name: "Written on host A"})
	if err != nil {
		t.Fatal(err)
	}
	heardFrom(t, sub, "alice", 1)
	if b.listener.notified.Load() < 1 {
		t.Fatalf("B heard A's write without a notification")
	}

	// A refused write (stale version) rolls back: its NOTIFY is never
	// sent. Notifications arrive in commit order, so once the next good
	// write is heard, exactly one more notification has come.
	before := b.listener.notified.Load()
	plan := "enterprise"
	if _, err := a.UpdateCustomer(ctx, "bob", c.ID, model.CustomerPatch{Plan: &plan}, c.Version+5); !errors.Is(err, model.ErrStale) {
		t.Fatalf("stale write: %v", err)
	}
	if _, err := a.AddNote(ctx, "alice", model.Note{CustomerID: c.ID, Body: "second"}); err != nil {
		t.Fatal(err)
	}
	heardFrom(t, sub, "alice", 1)
	if got := b.listener.notified.Load() - before; got != 1 {
		t.Errorf("%d notifications for one committed and one refused write, want 1", got)
	}
}

// TestPGFeedListenerReconnects: when the server ends the listening
// connection (pg_terminate_backend, as a restart would), the feed
// connects again and the same subscription hears the next write through
// a notification.
func TestPGFeedListenerReconnects(t *testing.T) {
	pg := pgtest.Open(t)
	a, b := openPGPair(t, pg)
	b.SetFeedPoll(time.Minute)
	sub, err := b.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	pid := waitListening(t, b, 1)

	var ended bool
	if err := pg.Admin().QueryRowContext(ctx, "SELECT pg_terminate_backend($1)", int64(pid)).Scan(&ended); err != nil || !ended {
		t.Fatalf("terminate the listener (pid %d): %v %v", pid, ended, err)
	}
	again := waitListening(t, b, 2)
	if again == pid {
		t.Fatalf("still listening on the ended backend %d", pid)
	}
	before := b.listener.notified.Load()
	if _, err := a.CreateCustomer(ctx, "alice", model.Customer{Name: "After the reconnection"}); err != nil {
		t.Fatal(err)
	}
	heardFrom(t, sub, "alice", 1)
	if b.listener.notified.Load() <= before {
		t.Errorf("heard the write without a notification after reconnecting")
	}

	// The listener stops with the last subscriber: no connection is left.
	sub.Close()
	if b.listener.pid.Load() != 0 {
		t.Errorf("still listening after the last subscriber left")
	}
	left := 1
	for deadline := time.Now().Add(5 * time.Second); left != 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err := pg.Admin().QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", int64(again)).Scan(&left); err != nil {
			t.Fatal(err)
		}
	}
	if left != 0 {
		t.Errorf("the listening backend %d is still there after the last subscriber left", again)
	}
}

package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// firstEvent hands a model its real subscription's first event, then
// reports the feed closed, so that the synchronous test harness (which
// runs every returned Cmd to the end) does not wait for a second one.
type firstEvent struct {
	sub  model.Subscription
	used bool
}

func (f *firstEvent) Next(ctx context.Context) (model.Event, error) {
	if f.used {
		return model.Event{}, model.ErrClosed
	}
	f.used = true
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return f.sub.Next(ctx)
}

func (f *firstEvent) Close() error { return f.sub.Close() }

// TestTwoSessionsBothSeeAThirdWriter: two TUI models on one store, each
// with its own subscription to the change feed (two SSH sessions of one
// server), both refresh their Inbox after a third agent logs feedback
// through the same store, without waiting for a poll.
func TestTwoSessionsBothSeeAThirdWriter(t *testing.T) {
	st := testStore(t)
	st.SetFeedPoll(time.Hour) // only the in-process notification can deliver
	var models []*Model
	for range 2 {
		m := newTestModel(t, st, 120, 30)
		send(t, m, nil, keys("2")...)
		sub, err := st.Subscribe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sub.Close() })
		m.opts.Feed = &firstEvent{sub: sub}
		models = append(models, m)
	}
	time.Sleep(50 * time.Millisecond) // the feed's poller takes its baseline
	c, err := st.FindCustomer(context.Background(), "olivia@example.org")
	if err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return fixedNow.Add(time.Minute) }
	if _, err := st.AddFeedback(context.Background(), "carol", model.Feedback{CustomerID: c.ID,
		Subject: "Written by a third session", Kind: model.KindComplaint}); err != nil {
		t.Fatal(err)
	}
	for i, m := range models {
		send(t, m, m.waitChange())
		frame := m.View()
		if !strings.Contains(frame, "Written by a third session") || !strings.Contains(frame, "1 change by others — refreshed") {
			t.Errorf("session %d after carol's feedback:\n%s", i+1, frame)
		}
	}
}

package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// testChangeFeed: two subscribers of one store both hear a change a third
// writer makes — neither consumes the other's news — each event names the
// writer's agent and the entity, and a closed subscription ends its Next.
func testChangeFeed(t *testing.T, st model.Store) {
	ctx := context.Background()
	a, err := st.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := st.Subscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if _, err := st.CreateCustomer(ctx, "wang.fang", model.Customer{Name: "订阅测试"}); err != nil {
		t.Fatal(err)
	}
	for name, sub := range map[string]model.Subscription{"first": a, "second": b} {
		wait, cancel := context.WithTimeout(ctx, 10*time.Second) // a generous bound, not a timing assertion
		ev, err := sub.Next(wait)
		cancel()
		if err != nil {
			t.Fatalf("%s subscriber: %v", name, err)
		}
		if ev.ByOthers("li.na") < 1 || ev.ByAgent["wang.fang"] < 1 || ev.Entities["customer"] < 1 {
			t.Errorf("%s subscriber heard %+v, want wang.fang's customer change", name, ev)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := b.Next(wait); err == nil {
		t.Error("Next on a closed subscription should end with an error")
	}
}

package cli

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// TestServeLoad: 20 TUI sessions over SSH on 127.0.0.1, each adding 100
// notes through the keys (n, text, enter) paced over about 60 s, while
// every session hears every other's writes through the change feed and
// refreshes its screen. Run with RAPPORT_SERVE_LOAD=1; it prints the heap
// per idle session and the key-to-frame latency (enter → the new note on
// that session's screen) and checks 0 failures and 0 lost notes.
func TestServeLoad(t *testing.T) {
	if os.Getenv("RAPPORT_SERVE_LOAD") == "" {
		t.Skip("load test: set RAPPORT_SERVE_LOAD=1 (takes about a minute)")
	}
	sessions, writes := 20, 100
	fmt.Sscanf(os.Getenv("RAPPORT_SERVE_LOAD"), "%dx%d", &sessions, &writes)
	pace := time.Minute / time.Duration(writes)
	ts := startServer(t, 3000, 15000)
	ctx := context.Background()
	agents := []string{"ann", "bob", "lee"}
	ids := make([]int64, sessions)
	for i := range sessions {
		c, err := ts.store.CreateCustomer(ctx, "owner", model.Customer{Name: fmt.Sprintf("Load Customer %02d", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse
	}
	before, goroutines := heap(), runtime.NumGoroutine()
	screens := make([]*screen, sessions)
	for i := range sessions {
		screens[i] = ts.open(t, agents[i%len(agents)], 120, 30)
		defer screens[i].close()
	}
	for _, sc := range screens {
		sc.waitFor(0, 30*time.Second, "Customers", "customers")
	}
	time.Sleep(500 * time.Millisecond)
	idle := heap()
	t.Logf("idle: %d sessions, heap in use %.1f MB → %.1f MB: %.0f KB per session (server and client in this process); goroutines %d → %d",
		sessions, float64(before)/1e6, float64(idle)/1e6, float64(idle-before)/1e3/float64(sessions), goroutines, runtime.NumGoroutine())

	var (
		mu        sync.Mutex
		latencies []time.Duration
		failures  []string
	)
	var wg sync.WaitGroup
	start := time.Now()
	for i, sc := range screens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					failures = append(failures, fmt.Sprint(r))
					mu.Unlock()
				}
			}()
			sc.t = panicT{t}
			m := sc.mark()
			sc.keys("/", fmt.Sprintf("Load Customer %02d", i))
			sc.waitFor(m, 30*time.Second, "1–1 of 1")
			sc.keys("enter", "enter")
			sc.waitFor(m, 30*time.Second, "Timeline (")
			next := time.Now()
			for w := range writes {
				text := fmt.Sprintf("ln-%02d-%03d", i, w)
				sc.clear()
				sc.keys("n") // then wait: typed at once, "n" and the text would read as one paste
				sc.waitFor(0, 30*time.Second, "note:")
				sc.keys(text)
				sc.waitFor(0, 30*time.Second, text)
				sc.clear()
				sent := time.Now()
				if _, err := sc.in.Write([]byte{'\r'}); err != nil {
					panic(err)
				}
				func() {
					defer func() {
						if r := recover(); r != nil {
							// say what the session's status bar said and what is stored
							var said []string
							for _, line := range strings.Split(sc.text(), "\n") {
								if strings.Contains(line, "│") && !slices.Contains(said, strings.TrimSpace(line)) {
									said = append(said, strings.TrimSpace(line))
								}
							}
							tl, err := ts.store.Timeline(ctx, ids[i], 1)
							sc.clear()
							sc.in.Write([]byte{0x12}) // ctrl+r reloads the profile
							time.Sleep(3 * time.Second)
							after := strings.Contains(sc.text(), text)
							panic(fmt.Sprintf("%v\nstatus lines: %q\nnewest stored: %+v %v\nshown after ctrl+r: %v", r, said, tl, err, after))
						}
					}()
					sc.waitFor(0, 30*time.Second, text)
				}()
				mu.Lock()
				latencies = append(latencies, time.Since(sent))
				mu.Unlock()
				next = next.Add(pace)
				time.Sleep(time.Until(next))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if len(failures) > 0 {
		t.Fatalf("%d sessions failed; first: %s", len(failures), failures[0])
	}
	// 0 lost updates: every note of every session is stored, once.
	lost := 0
	for i, id := range ids {
		tl, err := ts.store.Timeline(ctx, id, 1000)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range tl {
			if e.Type == "note" {
				n++
			}
		}
		if n != writes {
			lost += writes - n
			t.Errorf("session %d: %d notes stored, want %d", i, n, writes)
		}
	}
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	pct := func(p float64) time.Duration {
		return latencies[int(p*float64(len(latencies)-1))].Round(100 * time.Microsecond)
	}
	t.Logf("%d sessions × %d notes in %s: %d writes, 0 failures, %d lost; key-to-frame (enter → note on screen, checked on each write of output): p50 %s, p90 %s, p99 %s, max %s",
		sessions, writes, elapsed.Round(time.Second), len(latencies), lost, pct(0.5), pct(0.9), pct(0.99), latencies[len(latencies)-1])
}

// panicT turns a failed wait in a worker goroutine into a panic the
// worker recovers and reports (t.Fatal may not be called off the test's
// goroutine).
type panicT struct{ testing.TB }

func (p panicT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (p panicT) Fatal(args ...any)                 { panic(fmt.Sprint(args...)) }
func (p panicT) Helper()                           {}

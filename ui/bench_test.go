package ui

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// benchStore opens $RAPPORT_BENCH_DB (e.g. a 1M-customer demo database made
// with `rapport demo --customers 1000000 --feedback 5000000 PATH`), or the
// small test store when it is unset.
func benchStore(b *testing.B) Store {
	b.Helper()
	if p := os.Getenv("RAPPORT_BENCH_DB"); p != "" {
		s, err := db.Open(context.Background(), p, db.Options{MustExist: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { s.Close() })
		return s
	}
	return testStore(b)
}

// BenchmarkView200x60 measures one rendered frame of the Customers screen.
func BenchmarkView200x60(b *testing.B) {
	m := newTestModel(b, benchStore(b), 200, 60)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}

// BenchmarkProfileView200x60 measures a frame of an open profile.
func BenchmarkProfileView200x60(b *testing.B) {
	m := newTestModel(b, benchStore(b), 200, 60)
	send(b, m, nil, keys("enter")...)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}

// BenchmarkStartupFirstFrame measures opening the database, building the
// model and drawing the first frame with rows, as the program does on
// start (the total count arrives separately and may come later).
func BenchmarkStartupFirstFrame(b *testing.B) {
	path := os.Getenv("RAPPORT_BENCH_DB")
	if path == "" {
		b.Skip("set RAPPORT_BENCH_DB to a demo database")
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		s, err := db.Open(ctx, path, db.Options{MustExist: true})
		if err != nil {
			b.Fatal(err)
		}
		m := New(ctx, s, NewStyles(lipgloss.DefaultRenderer()), Options{Agent: "bench", DBPath: path, Now: time.Now})
		m.Init()
		_, cmd := m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
		msgs := make(chan tea.Msg, 8)
		var wg sync.WaitGroup
		goRun(cmd, msgs, &wg)
		for len(m.customers.rows) == 0 {
			m.Update(<-msgs)
		}
		if m.View() == "" {
			b.Fatal("empty frame")
		}
		b.StopTimer()
		wg.Wait()
		s.Close()
		b.StartTimer()
	}
}

// goRun runs each command of a (nested) batch in its own goroutine, as
// the runtime does, sending the messages to out.
func goRun(cmd tea.Cmd, out chan<- tea.Msg, wg *sync.WaitGroup) {
	if cmd == nil {
		return
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				goRun(c, out, wg)
			}
			return
		}
		out <- msg
	}()
}

// BenchmarkInsightsFirstPaint measures switching to Insights until the
// groups are on screen (goal < 300 ms on the 1M/5M demo database).
func BenchmarkInsightsFirstPaint(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		m := New(ctx, st, NewStyles(lipgloss.DefaultRenderer()), Options{Agent: "bench", DBPath: "bench.db", Now: time.Now})
		m.width, m.height = 200, 60
		msgs := make(chan tea.Msg, 16)
		var wg sync.WaitGroup
		goRun(m.switchTab(tabInsights), msgs, &wg)
		for m.insights.sum == nil && m.insights.err == nil {
			msg := <-msgs
			if _, ok := msg.(insightsMsg); ok {
				m.Update(msg)
			}
		}
		if m.insights.err != nil {
			b.Fatal(m.insights.err)
		}
		if m.View() == "" {
			b.Fatal("empty frame")
		}
		b.StopTimer()
		go func() {
			for range msgs {
			}
		}()
		wg.Wait()
		close(msgs)
		b.StartTimer()
	}
}

// BenchmarkInboxPage measures the Inbox's first page of feedback in its
// default (triage) order with the count, as shown on switching to it.
func BenchmarkInboxPage(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		m := New(ctx, st, NewStyles(lipgloss.DefaultRenderer()), Options{Agent: "bench", DBPath: "bench.db", Now: time.Now})
		m.width, m.height = 200, 60
		msgs := make(chan tea.Msg, 16)
		var wg sync.WaitGroup
		goRun(m.switchTab(tabInbox), msgs, &wg)
		for len(m.inbox.rows) == 0 && m.inbox.err == nil {
			msg := <-msgs
			if _, ok := msg.(pageMsg[model.Feedback]); ok {
				m.Update(msg)
			}
		}
		if m.View() == "" {
			b.Fatal("empty frame")
		}
		b.StopTimer()
		go func() {
			for range msgs {
			}
		}()
		wg.Wait()
		close(msgs)
		b.StartTimer()
	}
}

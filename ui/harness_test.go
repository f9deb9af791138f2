package ui

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/rapportcrm/rapport/db"
	"github.com/rapportcrm/rapport/model"
)

// update is -update, the flag teatest's golden package already defines:
// `go test ./ui -update` rewrites the golden files.
func update() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// fixedNow is the clock of every UI test, so relative times are stable.
var fixedNow = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

func init() {
	lipgloss.SetColorProfile(termenv.Ascii)
	time.Local = time.UTC
}

// testStore opens a temp-file store seeded with a small, fixed set of
// customers and feedback.
func testStore(t testing.TB) *db.Store {
	t.Helper()
	ctx := context.Background()
	s := emptyStore(t)
	clock := fixedNow.Add(-400 * 24 * time.Hour)
	s.Now = func() time.Time { return clock }
	seed := []model.Customer{
		{Name: "王芳", Email: "wang.fang@example.cn", Phone: "138 0013 8000", Company: "杭州云栖科技", Plan: "enterprise", Region: "华东", City: "杭州", Language: "zh", Lifecycle: model.LifecyclePaying, LTV: 128000, Tags: []string{"vip", "大客户"}, Attrs: map[string]string{"industry": "retail"}},
		{Name: "陈静", Email: "chen.jing@example.cn", Phone: "139 1234 5678", Company: "深圳前海微众", Plan: "pro", Region: "华南", City: "深圳", Language: "zh", Lifecycle: model.LifecycleAtRisk, LTV: 5400},
		{Name: "Emma Schmidt", Email: "emma@example.de", Phone: "+49 30 1234567", Company: "Blue Harbor Analytics GmbH", Plan: "pro", Region: "Europe", City: "Berlin", Language: "de", Lifecycle: model.LifecycleRetained, LTV: 7200, Tags: []string{"beta"}},
		{Name: "Lucas Martin", Email: "lucas.martin@example.com", Company: "Northwind Traders", Plan: "free", Region: "Europe", City: "Paris", Language: "fr", Lifecycle: model.LifecycleNew},
		{Name: "Olivia Rossi", Email: "olivia@example.org", Phone: "+1 415-555-0134", Company: "Acme Corp", Plan: "enterprise", Region: "North America", City: "San Francisco", Language: "en", Lifecycle: model.LifecycleReferrer, LTV: 56000},
		{Name: "张伟", Email: "zhang.wei@example.cn", Company: "上海陆家嘴数据", Plan: "free", Region: "华东", City: "上海", Language: "zh", Lifecycle: model.LifecycleActivated, LTV: 80},
		{Name: "Evil \x1b]0;pwned\x07Name\x1b[31m", Email: "evil@example.com", Company: "Bad\u202eCorp", Plan: "free", Lifecycle: model.LifecycleChurned},
	}
	for i := 0; i < 30; i++ {
		seed = append(seed, model.Customer{Name: fmt.Sprintf("Zoe Filler %02d", i+1), Company: "Filler Ltd", Plan: "free", Lifecycle: model.LifecycleNew})
	}
	ids := make([]int64, len(seed))
	for i, c := range seed {
		clock = clock.Add(time.Hour)
		got, err := s.CreateCustomer(ctx, "tester", c)
		if err != nil {
			t.Fatalf("seed %q: %v", c.Name, err)
		}
		ids[i] = got.ID
	}
	fb := []model.Feedback{
		{CustomerID: ids[0], Channel: "email", Kind: model.KindComplaint, Subject: "退款一直没到账", Body: "申请退款两周了还没有到账", CSAT: ptr(2)},
		{CustomerID: ids[0], Channel: "phone", Kind: model.KindPraise, Subject: "客服很耐心", CSAT: ptr(5), NPS: ptr(9)},
		{CustomerID: ids[0], Channel: "chat", Kind: model.KindQuestion, Subject: "如何导出发票", CSAT: ptr(4)},
		{CustomerID: ids[2], Channel: "email", Kind: model.KindRequest, Subject: "Please add SSO", NPS: ptr(7)},
		{CustomerID: ids[1], Channel: "social", Kind: model.KindComplaint, Subject: "App crashes on login", CSAT: ptr(1), NPS: ptr(2)},
	}
	for _, f := range fb {
		clock = clock.Add(24 * time.Hour)
		if _, err := s.AddFeedback(ctx, "li.na", f); err != nil {
			t.Fatal(err)
		}
	}
	clock = clock.Add(time.Hour)
	if _, err := s.AddNote(ctx, "emma", model.Note{CustomerID: ids[0], Body: "Prefers WeChat over email"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []model.FollowUp{
		{CustomerID: ids[0], Due: fixedNow.Add(-50 * time.Hour), Note: "回电确认退款到账", Assignee: "tester"},
		{CustomerID: ids[1], Due: fixedNow.Add(3 * time.Hour), Note: "check the login fix", Assignee: "tester"},
		{CustomerID: ids[2], Due: fixedNow.Add(72 * time.Hour), Note: "demo SSO", Assignee: "emma"},
	} {
		clock = clock.Add(time.Hour)
		if _, err := s.AddFollowUp(ctx, "tester", f); err != nil {
			t.Fatal(err)
		}
	}
	clock = fixedNow
	return s
}

func ptr[T any](v T) *T { return &v }

// newTestModel builds the root model at a fixed size with plain styles.
func newTestModel(t testing.TB, st Store, w, h int) *Model {
	t.Helper()
	m := New(context.Background(), st, NewStyles(lipgloss.DefaultRenderer()),
		Options{Agent: "tester", DBPath: "/tmp/team.db", Now: func() time.Time { return fixedNow }})
	send(t, m, m.Init())
	send(t, m, nil, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// send runs cmd (and everything it leads to) and then each message,
// synchronously, the way the Bubble Tea runtime would but without its
// goroutines, so that tests see the state after all queries answered.
func send(t testing.TB, m *Model, cmd tea.Cmd, msgs ...tea.Msg) {
	t.Helper()
	run(t, m, cmd, 0)
	for _, msg := range msgs {
		_, c := m.Update(msg)
		run(t, m, c, 0)
	}
}

func run(t testing.TB, m *Model, cmd tea.Cmd, depth int) {
	if cmd == nil {
		return
	}
	if depth > 50 {
		t.Fatal("commands keep producing commands")
	}
	if isBlink(cmd) {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			run(t, m, c, depth+1)
		}
	case tea.QuitMsg:
	case spinner.TickMsg:
		// animation only; following it would loop while a load runs
	case screenMsg:
		if _, tick := msg.msg.(spinner.TickMsg); tick {
			return // the same, addressed to its screen
		}
		_, c := m.Update(msg)
		run(t, m, c, depth+1)
	default:
		switch reflect.TypeOf(msg).Name() {
		case "sequenceMsg": // tea.Sequence: run its commands in order
			v := reflect.ValueOf(msg)
			for i := 0; i < v.Len(); i++ {
				if c, ok := v.Index(i).Interface().(tea.Cmd); ok {
					run(t, m, c, depth+1)
				}
			}
			return
		case "initialBlinkMsg", "BlinkMsg", "windowSizeMsg":
			// cursor blinking waits on a timer; the size query asks the
			// terminal: neither means anything here
			return
		}
		_, c := m.Update(msg)
		run(t, m, c, depth+1)
	}
}

// isBlink tells the cursor's blink timer (it waits half a second, then
// starts another) from the commands a test must follow.
func isBlink(cmd tea.Cmd) bool {
	f := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer())
	return f != nil && strings.Contains(f.Name(), "cursor.(*Model).BlinkCmd")
}

// keys turns "j", "enter", "esc", "ctrl+d", or a word to type into messages.
func keys(ss ...string) []tea.Msg {
	var out []tea.Msg
	for _, s := range ss {
		switch s {
		case "enter":
			out = append(out, tea.KeyMsg{Type: tea.KeyEnter})
		case "esc":
			out = append(out, tea.KeyMsg{Type: tea.KeyEsc})
		case "tab":
			out = append(out, tea.KeyMsg{Type: tea.KeyTab})
		case "down":
			out = append(out, tea.KeyMsg{Type: tea.KeyDown})
		case "up":
			out = append(out, tea.KeyMsg{Type: tea.KeyUp})
		case "ctrl+d":
			out = append(out, tea.KeyMsg{Type: tea.KeyCtrlD})
		case "ctrl+u":
			out = append(out, tea.KeyMsg{Type: tea.KeyCtrlU})
		case "ctrl+r":
			out = append(out, tea.KeyMsg{Type: tea.KeyCtrlR})
		case "right":
			out = append(out, tea.KeyMsg{Type: tea.KeyRight})
		case "left":
			out = append(out, tea.KeyMsg{Type: tea.KeyLeft})
		case "ctrl+s":
			out = append(out, tea.KeyMsg{Type: tea.KeyCtrlS})
		case "shift+tab":
			out = append(out, tea.KeyMsg{Type: tea.KeyShiftTab})
		case "space":
			out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
		case "backspace":
			out = append(out, tea.KeyMsg{Type: tea.KeyBackspace})
		default:
			for _, r := range s {
				out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
		}
	}
	return out
}

// golden compares a frame with testdata/NAME.golden; -update rewrites it.
func golden(t *testing.T, name, frame string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if update() {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(frame), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./ui -update to create it)", err)
	}
	if string(want) != frame {
		t.Errorf("frame %s differs from golden file (go test ./ui -update to accept):\n--- want\n%s\n--- got\n%s", name, want, frame)
	}
}

// assertFrame checks that every line of a frame fits the terminal.
func assertFrame(t *testing.T, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		t.Errorf("frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, lw, w, l)
		}
		if strings.ContainsAny(l, "\x1b\x07\u202e") {
			t.Errorf("line %d carries control characters: %q", i+1, l)
		}
	}
}

// lastLine is the status bar of a frame.
func lastLine(frame string) string {
	return frame[strings.LastIndex(frame, "\n")+1:]
}

// emptyStore is a new database in a temporary folder, closed at the end.
func emptyStore(t testing.TB) *db.Store {
	t.Helper()
	s, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "ui.db"), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

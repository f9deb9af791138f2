//go:build unix

package db

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// BenchmarkSummaryEveryDimension runs every Insights view (each dimension,
// attr.NAME, saved segments and a --where, with monthly trends) on the
// snapshot, beside the sqlite3 shell's plain GROUP BY of the same figures
// (groups and monthly trend, over the feedback ⋈ customers join) in the
// same run. Per view it reports first_ms (the first summary, snapshot
// already loaded), ns/op (repeats, from the cache) and shell_ms; the
// snapshot's load time, size and the heap it adds are reported once. Set
// RAPPORT_BENCH_DB (a copy: the benchmark opens it read-write).
func BenchmarkSummaryEveryDimension(b *testing.B) {
	s := benchDB(b)
	shell, _ := exec.LookPath("sqlite3")
	var before, after runtime.MemStats
	rss0, cpu0 := vmRSS(), cpuTime()
	runtime.GC()
	runtime.ReadMemStats(&before)
	snap, _, built, err := s.FactsSnapshot(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	loadCPU := cpuTime() - cpu0
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.Logf("snapshot: %d customers, %d feedback, load %v (CPU %v), columns %.1f MB, heap +%.1f MB, RSS %d → %d MB, shell %q",
		snap.Customers(), snap.Rows(), built.Round(time.Millisecond), loadCPU.Round(time.Millisecond), float64(snap.Bytes())/1e6,
		float64(int64(after.HeapInuse)-int64(before.HeapInuse))/1e6, rss0>>10, vmRSS()>>10, shell)
	var queries []model.SummaryQuery
	for _, d := range model.SummaryDimensions {
		queries = append(queries, model.SummaryQuery{By: d, Trend: "month"})
	}
	queries = append(queries, model.SummaryQuery{By: "attr.signup_source", Trend: "month"},
		model.SummaryQuery{Segments: true, Trend: "month"},
		model.SummaryQuery{By: "city", Where: "plan = pro", Trend: "month"},
		model.SummaryQuery{Trend: "month"})
	type once struct {
		first, firstCPU, shell, shellCPU time.Duration
		done                             bool
	}
	seen := map[string]*once{}
	var mu sync.Mutex
	for _, q := range queries {
		name := q.By
		switch {
		case q.Segments:
			name = "segments"
		case q.Where != "":
			name += "+where"
		case name == "":
			name = "overall"
		}
		b.Run(name, func(b *testing.B) {
			mu.Lock()
			o := seen[name]
			if o == nil {
				o = &once{}
				seen[name] = o
			}
			mu.Unlock()
			if !o.done {
				s.facts.mu.Lock()
				clear(s.facts.results)
				s.facts.mu.Unlock()
				start, cpu := time.Now(), cpuTime()
				if _, err := s.Summary(ctx, q); err != nil {
					b.Fatal(err)
				}
				o.first, o.firstCPU = time.Since(start), cpuTime()-cpu
				if shell != "" {
					o.shell, o.shellCPU = shellGroupBy(b, s, shell, q)
				}
				o.done = true
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Summary(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(o.first.Microseconds())/1000, "first_ms")
			b.ReportMetric(float64(o.firstCPU.Microseconds())/1000, "first_cpu_ms")
			b.ReportMetric(float64(o.shell.Microseconds())/1000, "shell_ms")
			b.ReportMetric(float64(o.shellCPU.Microseconds())/1000, "shell_cpu_ms")
		})
	}
}

// shellGroupBy times the sqlite3 shell computing q's figures with plain
// GROUP BYs: the groups, and the groups by month for the trend.
func shellGroupBy(b *testing.B, s *Store, shell string, q model.SummaryQuery) (wall, cpu time.Duration) {
	b.Helper()
	const figures = "count(*), count(DISTINCT f.customer_id), count(f.csat), sum(f.csat), sum(f.csat >= 4), " +
		"count(f.nps), sum(f.nps >= 9), sum(f.nps <= 6), sum(f.kind = 'complaint')"
	from := " FROM feedback f JOIN customers c ON c.id = f.customer_id"
	var stmts []string
	groups := func(key, join, where string) {
		stmts = append(stmts, "SELECT "+key+", "+figures+from+join+where+" GROUP BY 1;",
			"SELECT "+key+", strftime('%Y-%m', f.created_at), "+figures+from+join+where+" GROUP BY 1, 2;")
	}
	inline := func(where string, args []any) string {
		for _, a := range args {
			v := fmt.Sprint(a)
			if str, ok := a.(string); ok {
				v = "'" + strings.ReplaceAll(str, "'", "''") + "'"
			}
			where = strings.Replace(where, "?", v, 1)
		}
		return where
	}
	switch {
	case q.Segments:
		segs, err := s.segmentFilters(ctx, s.db)
		if err != nil {
			b.Fatal(err)
		}
		for _, sg := range segs {
			groups("'"+sg.name+"'", "", " WHERE "+inline(sg.where, sg.args))
		}
	case strings.HasPrefix(q.By, "attr."):
		p := attrPath(strings.TrimPrefix(q.By, "attr."))
		groups(inline("coalesce(nullif(CAST(coalesce(nullif(CAST(json_extract(f.attrs, ?) AS TEXT), ''), json_extract(c.attrs, ?)) AS TEXT), ''), '(none)')",
			[]any{p, p}), "", "")
	case q.By == "":
		groups("'(all)'", "", "")
	default:
		k := summaryKeys[q.By]
		where := ""
		if q.Where != "" {
			e, err := model.ParseSegment(q.Where)
			if err != nil {
				b.Fatal(err)
			}
			w, args, err := compileSegment(e, s.now())
			if err != nil {
				b.Fatal(err)
			}
			where = " WHERE " + inline(w, args)
		}
		groups("coalesce(nullif("+k.expr+", ''), '(none)')", k.join, where)
	}
	start := time.Now()
	cmd := exec.Command(shell, "-readonly", "-bail", s.path)
	cmd.Stdin = strings.NewReader(strings.Join(stmts, "\n"))
	cmd.Stdout = nil
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("sqlite3: %v: %s", err, stderr.String())
	}
	return time.Since(start), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// vmRSS is the process's resident memory in kB (0 where /proc is not).
func vmRSS() int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			var kb int
			fmt.Sscan(f[1], &kb)
			return kb
		}
	}
	return 0
}

// BenchmarkFactsLoad reads the Insights snapshot from the database (what
// a full read costs: the first summary, or one after a large change).
func BenchmarkFactsLoad(b *testing.B) {
	s := benchDB(b)
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, _, err := s.readFacts(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu_ms/op")
}

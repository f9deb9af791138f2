package importer

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// firstLoadGoMemory is how much memory the Go side of a first load may
// hold beyond what the process held when it began: the batch being
// written, half a batch converted ahead and the maps of what the load has
// met (about 40 MB live at 300,000 rows). Without a limit the collector
// lets the heap grow to twice the live set, and at a million rows the Go
// side alone reached 180 MB; with 100 MB the import's peak RSS was 215 MB,
// with 72 MB 189 MB.
const firstLoadGoMemory = 72 << 20

// boundGoMemory sets a soft memory limit for the rest of a first load
// (the process's Go memory now plus firstLoadGoMemory), unless the user
// set one (GOMEMLIMIT), and returns what puts the previous limit back. The
// limit only makes the collector run earlier; it never fails an
// allocation.
func boundGoMemory() (restore func()) {
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		return func() {}
	}
	runtime.GC() // what the file's first reading left is not counted
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(sample)
	var inUse uint64
	if sample[0].Value.Kind() == metrics.KindUint64 {
		inUse = sample[0].Value.Uint64() - sample[1].Value.Uint64() - sample[2].Value.Uint64()
	}
	debug.SetMemoryLimit(int64(inUse) + firstLoadGoMemory)
	return func() { debug.SetMemoryLimit(prev) }
}

// releaseGoMemory returns the memory the Go side no longer uses to the
// system at once. The collector would do it over minutes, while SQLite's
// end of a first load (its page cache and sorters, allocated outside the
// Go heap) would add its peak on top of the batches'.
func releaseGoMemory() { debug.FreeOSMemory() }

//go:build race

package db

// raceOn: this test binary has the race detector, which slows the big
// single-goroutine demo tests tenfold; they run in the plain pass.
const raceOn = true

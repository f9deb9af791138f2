// Command rapport is a keyboard-first terminal CRM: without a command it
// opens the TUI, and every command is scriptable (see CONTRACT.md). The
// commands live in package cli; main only wires the process to them.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/rapportcrm/rapport/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// RAPPORT_CPUPROFILE=FILE writes a CPU profile of the run (for the
	// benchmarks in the README).
	if path := os.Getenv("RAPPORT_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	code := cli.Execute(ctx, os.Args[1:])
	stop()
	if code != 0 {
		pprof.StopCPUProfile()
		os.Exit(code)
	}
}

package cli

import (
	"context"
	"os"

	"github.com/mattn/go-isatty"
)

// Execute runs one command line (the arguments after the program's name)
// with the process's standard streams and environment, and returns the
// exit code of CONTRACT.md. Errors are printed once, on stderr.
func Execute(ctx context.Context, args []string) int {
	return run(ctx, args, env{
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		getenv:    os.Getenv,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
	})
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

package cli

import (
	"fmt"
	"io"
	"os"
)

// importPath turns the FILE argument of import into a path the importer
// can read twice: "-" copies standard input to a private temporary file
// (how a served session imports the agent's own file), removed by done.
func (a *app) importPath(f string) (path string, done func(), err error) {
	if f != "-" {
		return f, func() {}, nil
	}
	tmp, err := os.CreateTemp("", "rapport-stdin-*.csv")
	if err != nil {
		return "", nil, fmt.Errorf("cannot keep standard input for the import: %v", unwrapPathError(err))
	}
	done = func() { os.Remove(tmp.Name()) }
	if _, err := io.Copy(tmp, a.stdin); err != nil {
		tmp.Close()
		done()
		return "", nil, fmt.Errorf("reading standard input: %w", err)
	}
	if err := tmp.Close(); err != nil {
		done()
		return "", nil, err
	}
	return tmp.Name(), done, nil
}

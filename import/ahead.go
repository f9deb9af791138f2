package importer

import (
	"io"

	"github.com/rapportcrm/rapport/model"
)

// convertedRow is one row read and converted ahead of the writes.
type convertedRow struct {
	row     Row
	readErr error // the row could not be read (io.EOF ends the stream)
	rec     model.ImportRecord
	rerr    *RowError
	note    RowNote
	read    int64 // bytes of the file read so far
}

// aheadChunk is how many rows travel together, so that the channel costs
// nothing per row.
const aheadChunk = 256

// convertAhead reads and converts the rest of src on its own goroutine, so
// that parsing and conversion run while the store writes the previous
// batch. At most a batch of rows waits (bounded memory). The converter and
// the source belong to the goroutine until the channel is closed; stop
// (closed by the caller) ends it early, and the caller then waits for the
// channel to close before touching either again. ahead is how many rows
// may wait: a batch's worth, so that the next batch is converted while
// the store writes this one.
func convertAhead(src *Source, conv *Converter, stop <-chan struct{}, ahead int) <-chan []convertedRow {
	out := make(chan []convertedRow, max(4, ahead/aheadChunk+1))
	go func() {
		defer close(out)
		chunk := make([]convertedRow, 0, aheadChunk)
		send := func() bool {
			select {
			case out <- chunk:
				chunk = make([]convertedRow, 0, aheadChunk)
				return true
			case <-stop:
				return false
			}
		}
		for {
			r, err := src.Next()
			c := convertedRow{row: r, readErr: err}
			if err == nil {
				c.rec, c.rerr = conv.Convert(r)
				c.note = conv.Note
			}
			c.read = src.BytesRead()
			chunk = append(chunk, c)
			if err == io.EOF {
				send()
				return
			}
			if len(chunk) == aheadChunk && !send() {
				return
			}
		}
	}()
	return out
}

package importer

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// BenchmarkImportRows reads and converts a synthetic helpdesk export; the
// figure to compare with the sqlite3 shell's .import is MB/s.
func BenchmarkImportRows(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("Ticket ID,Customer Name,Customer Email,Ticket Subject,Ticket Description,Ticket Status,Ticket Priority,Ticket Channel,Customer Satisfaction Rating,Created at,Tags\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&buf, "%d,Customer %d,c%d@example.com,Subject %d,\"A description, with a comma\nand a second line\",Open,High,Email,%d,2024-03-%02d 14:22:05,vip billing\n",
			i, i, i, i, i%5+1, i%28+1)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := OpenReader("bench.csv", bytes.NewReader(data), int64(len(data)), Options{TZ: "UTC"})
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, errs, err := f.Next()
			if err == io.EOF {
				break
			}
			if err != nil || len(errs) > 0 {
				b.Fatal(err, errs)
			}
		}
	}
}

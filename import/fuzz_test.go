package importer

import (
	"bytes"
	"io"
	"testing"
)

// FuzzReader: any bytes end in rows or a clear error, never a panic or a
// hang, and line numbers never go backwards.
func FuzzReader(f *testing.F) {
	f.Add([]byte("id,text\n1,\"multi\nline\"\n2,x\n"))
	f.Add([]byte("a;b;c\r\n1;2;3\r\n;;\r\na;b;c\r\n"))
	f.Add([]byte("\xEF\xBB\xBFname,email\n王芳,wf@example.cn\n"))
	f.Add([]byte("\xFF\xFEa\x00\t\x00b\x00\r\x00\n\x00"))
	f.Add([]byte("x,\"open\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := NewSource("fuzz.csv", bytes.NewReader(data), ReadOptions{})
		if err != nil {
			return
		}
		last := 0
		for i := 0; i < 10000; i++ {
			r, err := src.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				return
			}
			if r.Line < last {
				t.Fatalf("line %d after line %d", r.Line, last)
			}
			last = r.Line
		}
	})
}

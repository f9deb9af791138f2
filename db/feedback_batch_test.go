package db

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestJSONRows: the hand-written encoder gives JSON that encoding/json
// reads back as written, for the values a bulk edit passes.
func TestJSONRows(t *testing.T) {
	rows := [][]any{
		{int64(1), "open", nil, `{"tags":[["a"],["b"]]}`},
		{int64(-42), "quote \" backslash \\ newline \n tab \t bell \x07 unit \x1f", "退款 🙂 é", ""},
	}
	out, err := jsonRows(rows)
	if err != nil {
		t.Fatal(err)
	}
	var back [][]any
	if err := json.Unmarshal([]byte(out), &back); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	want := [][]any{
		{float64(1), "open", nil, `{"tags":[["a"],["b"]]}`},
		{float64(-42), "quote \" backslash \\ newline \n tab \t bell \x07 unit \x1f", "退款 🙂 é", ""},
	}
	if !reflect.DeepEqual(back, want) {
		t.Errorf("round trip:\n got %#v\nwant %#v", back, want)
	}
	if _, err := jsonRows([][]any{{3.5}}); err == nil {
		t.Error("an unexpected type should be refused")
	}
}

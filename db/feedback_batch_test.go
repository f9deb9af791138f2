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

// TestChangesJSONMatchesEncodingJSON: the hand-written audit encoder
// writes what encoding/json writes for the values an edit records.
func TestChangesJSONMatchesEncodingJSON(t *testing.T) {
	for _, ch := range []map[string][2]any{
		{},
		{"status": {"open", "resolved"}, "resolved_at": {nil, "2026-11-23T10:00:00Z"}},
		{"category": {nil, "产品/故障"}, "tags": {[]string{}, []string{"vip", `q"uo\te`, "tab\there", "nl\nbs\bff\fcr\r\x01"}}},
		{"priority": {"normal", "urgent"}, "kind": {"question", "complaint"}, "version": {int64(3), int64(4)}},
		{"other": {1.5, true}},
	} {
		want, err := json.Marshal(ch)
		if err != nil {
			t.Fatal(err)
		}
		got, err := changesJSON(ch)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("changesJSON = %s, want %s", got, want)
		}
	}
}

package db

import (
	"database/sql"
	"testing"
)

// TestAttrPairsReadsAsJSONExtract: what attrPairs decodes is what
// json_extract(attrs, name) gives as text, name by name; what it cannot
// decode so it refuses (the column then asks the database).
func TestAttrPairsReadsAsJSONExtract(t *testing.T) {
	s := openTemp(t)
	for _, tc := range []struct {
		attrs string
		ok    bool
	}{
		{`{}`, true},
		{` { } `, true},
		{`{"signup_source":"app_store","industry":"gaming"}`, true},
		{`{ "a" : "x" , "b":"" }`, true},
		{`{"城市":"上海","k.e y":"v w"}`, true},
		{`{"a":"x","a":"y"}`, false},  // a repeated name: which one wins differs
		{`{"a":7}`, false},            // a number: its text is the database's
		{`{"a":true}`, false},         // SQLite says 1, PostgreSQL true
		{`{"a":null}`, false},         //
		{`{"a":"say \"hi\""}`, false}, // an escape
		{`{"a":"x\u00e9"}`, false},    //
		{`{"":"x"}`, false},           // an empty name
		{`{"a":{"b":"c"}}`, false},    // nested
		{`["a","b"]`, false},          // not an object
		{`{"a":"x"} junk`, false},     //
		{`{"a":"x",}`, false},         //
		{`{"a":"x"`, false},           //
		{"{\"a\":\"x\ty\"}", false},   // a control character
		{"{\"a\":\"\xff\"}", false},   // not UTF-8
	} {
		kv, ok := attrPairs(nil, []byte(tc.attrs))
		if ok != tc.ok {
			t.Errorf("%s: ok %t, want %t", tc.attrs, ok, tc.ok)
			continue
		}
		if !ok {
			if len(kv) != 0 {
				t.Errorf("%s: refused but gave %q", tc.attrs, kv)
			}
			continue
		}
		for i := 0; i < len(kv); i += 2 {
			var got sql.NullString
			if err := s.db.QueryRow("SELECT CAST(json_extract(?, ?) AS TEXT)", tc.attrs, attrPath(string(kv[i]))).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got.String != string(kv[i+1]) {
				t.Errorf("%s: %s is %q, json_extract says %q", tc.attrs, kv[i], kv[i+1], got.String)
			}
		}
	}
}

func BenchmarkAttrPairs(b *testing.B) {
	attrs := []byte(`{"signup_source":"xiaohongshu","industry":"logistics","company_size":"51-200"}`)
	var kv [][]byte
	for i := 0; i < b.N; i++ {
		kv, _ = attrPairs(kv[:0], attrs)
	}
}

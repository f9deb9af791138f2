package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/rapportcrm/rapport/model"
)

func TestOutputHelpers(t *testing.T) {
	var b bytes.Buffer
	tw := newTable(&b, column{title: "ID", right: true}, column{title: "NAME", max: 6}, column{title: "CITY"})
	tw.add("1", "张伟", "杭州")
	tw.add("22", "Ann", "Oslo")
	tw.add("3", "很长很长的名字", "x\x1b[2J")
	tw.flush()
	want := "ID  NAME   CITY\n" +
		" 1  张伟   杭州\n" +
		"22  Ann    Oslo\n" +
		" 3  很长…  x\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}

	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 15000: "15,000", 1234567: "1,234,567"} {
		if got := model.Thousands(n); got != want {
			t.Errorf("model.Thousands(%d) = %q", n, got)
		}
	}
	for in, want := range map[string]string{"/tmp/a.db": "/tmp/a.db", "/tmp/my db": "'/tmp/my db'", "it's": `'it'\''s'`} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}

	var js bytes.Buffer
	arr := &jsonArray{w: &js}
	arr.close()
	if js.String() != "[]\n" {
		t.Errorf("empty array = %q", js.String())
	}
	js.Reset()
	arr = &jsonArray{w: &js}
	arr.add(map[string]int{"a": 1})
	arr.add(map[string]string{"b": "<&>"})
	arr.close()
	var back []map[string]any
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back) != 2 || !strings.Contains(js.String(), "<&>") {
		t.Errorf("array = %s (%v)", js.String(), err)
	}

	for err, want := range map[error]int{
		usageErrorf("x"): 2, fmt.Errorf("wrap: %w", model.ErrInvalid): 2,
		&model.StaleError{Entity: "customer"}: 4, model.ErrNotFound: 1, errors.New("boom"): 1,
	} {
		if got := exitCode(err); got != want {
			t.Errorf("exitCode(%v) = %d, want %d", err, got, want)
		}
	}
	msg := errorMessage(&model.StaleError{Entity: "customer", ID: 3, Want: 1, Have: 2, ByAgent: "alice"})
	if msg != "customer 3 changed since version 1 (now version 2, by alice); nothing was written" {
		t.Errorf("stale message %q", msg)
	}
	if p, _, _ := (&customerFields{tags: []string{"+a", "-b", "c"}}).patch(newFlagSet()); len(p.AddTags) != 2 || len(p.RemoveTags) != 1 {
		t.Errorf("tag patch = %+v", p)
	}
}

func newFlagSet() *pflag.FlagSet { return pflag.NewFlagSet("test", pflag.ContinueOnError) }

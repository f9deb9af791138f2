package db

import (
	"os"
	"testing"
)

func TestTmpAggCheck(t *testing.T) {
	p := os.Getenv("RAPPORT_AGGCHECK_DB")
	if p == "" {
		t.Skip()
	}
	s, err := Open(ctx, p, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keptEqualsRebuild(t, s, "bench database")
	t.Log(len(aggRowsOf(t, s.db)), "bytes of cells")
}

package db

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func TestZZScratch(t *testing.T) {
	p := os.Getenv("RAPPORT_BENCH_DB")
	if p == "" {
		t.Skip()
	}
	s, err := Open(context.Background(), p, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, q := range []model.CustomerQuery{{Sort: model.SortCSAT}, {Sort: model.SortCSAT, Desc: true}, {Sort: model.SortLTV}} {
		pg, err := s.ListCustomers(ctx, q)
		ids := []int64{}
		for _, c := range pg.Rows {
			ids = append(ids, c.ID)
		}
		t.Log(ids, err)
		t0 := time.Now()
		tags, err := tagsOf(ctx, s.db, ids)
		t.Log(len(tags), err, time.Since(t0))
		args := []any{}
		for _, id := range ids {
			args = append(args, id)
		}
		rows, _ := s.db.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT ct.customer_id, t.name FROM customer_tags ct
		JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id IN (`+placeholders(len(ids))+`)
		ORDER BY ct.customer_id, t.name`, args...)
		for rows.Next() {
			var a, b, c int
			var d string
			rows.Scan(&a, &b, &c, &d)
			t.Log(d)
		}
	}
}

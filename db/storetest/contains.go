package storetest

import (
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// testContainsFoldsCase: the segment operator ~ (contains, any case)
// ignores ASCII case and folds the case of other scripts too — accented
// Latin, Cyrillic, Greek with its final sigma — on columns and attributes
// alike, with the same members on every store.
func testContainsFoldsCase(t *testing.T, st model.Store) {
	people := []model.Customer{
		{Name: "Alice Martin", Email: "alice@EXAMPLE.com", Company: "ACME Inc", Attrs: map[string]string{"city": "Paris"}},
		{Name: "ÉLODIE DURAND", Company: "acme gmbh", Attrs: map[string]string{"city": "PARIS"}},
		{Name: "élodie petit", Email: "elodie@example.org", Attrs: map[string]string{"city": "Lyon"}},
		{Name: "ДМИТРИЙ Иванов", Company: "Газпром"},
		{Name: "Ödön Kovács", Attrs: map[string]string{"city": "Győr"}},
		{Name: "ΝΙΚΟΛΑΟΣ Παπαδόπουλος"},
		{Name: "陈静", Company: "上海 Ltd"},
		{Name: "Bob Stone", Company: "Stoneworks"},
	}
	id := createCustomers(t, st, people)
	for _, c := range []struct {
		expr string
		want []int64
	}{
		{`name ~ "alice"`, []int64{id[0]}},
		{`name ~ "ALICE"`, []int64{id[0]}},
		{`name ~ "aLiCe MARTIN"`, []int64{id[0]}},
		{`company ~ "Acme"`, []int64{id[0], id[1]}},
		{`email ~ "example.COM"`, []int64{id[0]}},
		{`attr.city ~ "paris"`, []int64{id[0], id[1]}},
		{`name ~ "élodie"`, []int64{id[1], id[2]}},
		{`name ~ "ÉLODIE"`, []int64{id[1], id[2]}},
		{`name ~ "Élodie D"`, []int64{id[1]}},
		{`name ~ "дмитрий"`, []int64{id[3]}},
		{`name ~ "ИВАНОВ"`, []int64{id[3]}},
		{`company ~ "газ"`, []int64{id[3]}},
		{`name ~ "ÖDÖN"`, []int64{id[4]}},
		{`attr.city ~ "GYŐR"`, []int64{id[4]}},
		{`name ~ "νικολαος"`, []int64{id[5]}}, // typed with the final ς
		{`name ~ "ΝΙΚΟΛΑΟΣ"`, []int64{id[5]}},
		{`name ~ "παπαδόπουλος"`, []int64{id[5]}},
		{`name ~ "陈"`, []int64{id[6]}},
		{`company ~ "上海 LTD"`, []int64{id[6]}},
		{`not name ~ "STONE"`, []int64{id[0], id[1], id[2], id[3], id[4], id[5], id[6]}},
	} {
		expectWhere(t, st, c.expr, c.want)
	}
}

// createCustomers creates people in order and gives their ids.
func createCustomers(t *testing.T, st model.Store, people []model.Customer) []int64 {
	t.Helper()
	id := make([]int64, len(people))
	for i, c := range people {
		id[i] = must(st.CreateCustomer(ctx, "li.lei", c))(t).ID
	}
	return id
}

// expectWhere checks that the customers expr selects are want.
func expectWhere(t *testing.T, st model.Store, expr string, want []int64) {
	t.Helper()
	got := must(st.ListCustomers(ctx, model.CustomerQuery{Where: expr, Limit: 100}))(t)
	if !sameIDs(customerIDs(got.Rows), want) {
		t.Errorf("where %s = %v, want %v", expr, sorted(customerIDs(got.Rows)), sorted(want))
	}
}

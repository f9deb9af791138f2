package storetest

import (
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// testASCIIPatternsFoldASCII: two non-ASCII capitals lower-case to ASCII
// letters — the Turkish İ (U+0130) to i, the Kelvin sign K (U+212A) to k.
// An ASCII letter in a `~` pattern, a customer search or a feedback
// search matches only its own two ASCII cases (SQL's LIKE), whatever a
// store's index or collation folds. A pattern with a non-ASCII letter
// folds every script's case, İ to i included. Every store answers the
// same.
func testASCIIPatternsFoldASCII(t *testing.T, st model.Store) {
	people := []model.Customer{
		{Name: "İstanbul Kebap", Company: "İKİ Ltd", Attrs: map[string]string{"city": "İSTANBUL"}},
		{Name: "istanbul cafe", Company: "iki gmbh", Attrs: map[string]string{"city": "Istanbul"}},
		{Name: "Dr Thomson", Company: "\u212Aelvin Instruments", Attrs: map[string]string{"unit": "\u212A"}},
		{Name: "Mr Thomson", Company: "Kelvin & Co", Attrs: map[string]string{"unit": "k"}},
		{Name: "Lone ſtar", Company: "Star Ltd"},
	}
	id := createCustomers(t, st, people)
	for _, c := range []struct {
		expr string
		want []int64
	}{
		{`name ~ "istanbul"`, []int64{id[1]}},
		{`name ~ "ISTANBUL"`, []int64{id[1]}},
		{`name ~ "stanbul"`, []int64{id[0], id[1]}},
		{`company ~ "iki"`, []int64{id[1]}},
		{`company ~ "kelvin"`, []int64{id[3]}},
		{`company ~ "KELVIN"`, []int64{id[3]}},
		{`company ~ "elvin"`, []int64{id[2], id[3]}},
		{`not company ~ "kelvin"`, []int64{id[0], id[1], id[2], id[4]}},
		{`attr.city ~ "istanbul"`, []int64{id[1]}},
		{`attr.unit ~ "K"`, []int64{id[3]}},
		{`name ~ "İstanbul"`, []int64{id[0], id[1]}},
		{`attr.city ~ "İSTANBUL"`, []int64{id[0], id[1]}},
		{`company ~ "İki"`, []int64{id[0], id[1]}},
	} {
		expectWhere(t, st, c.expr, c.want)
	}
	for _, c := range []struct {
		search string
		want   []int64
	}{
		{"istanbul", []int64{id[1]}},
		{"ISTANBUL", []int64{id[1]}},
		{"stanbul", []int64{id[0], id[1]}},
		{"kelvin", []int64{id[3]}},
		{"KELVIN", []int64{id[3]}},
		{"elvin", []int64{id[2], id[3]}},
		{"lone star", nil},
		{"one ", []int64{id[4]}},
		{"star", []int64{id[4]}},
	} {
		got := must(st.ListCustomers(ctx, model.CustomerQuery{Search: c.search, Limit: 100}))(t)
		if !sameIDs(customerIDs(got.Rows), c.want) {
			t.Errorf("customer search %q = %v, want %v", c.search, sorted(customerIDs(got.Rows)), sorted(c.want))
		}
	}

	bodies := []string{"Visited the İstanbul office", "visited the istanbul office", "a \u212Aelvin thermometer", "a Kelvin thermometer"}
	fid := make([]int64, len(bodies))
	for i, b := range bodies {
		fid[i] = addFeedback(t, st, "li.lei", model.Feedback{CustomerID: id[i], Body: b}).ID
	}
	for _, c := range []struct {
		search string
		want   []int64
	}{
		{"istanbul", []int64{fid[1]}},
		{"ISTANBUL office", []int64{fid[1]}},
		{"stanbul", []int64{fid[0], fid[1]}},
		{"kelvin", []int64{fid[3]}},
		{"elvin", []int64{fid[2], fid[3]}},
	} {
		got := must(st.ListFeedback(ctx, model.FeedbackQuery{Search: c.search, Limit: 100}))(t)
		if !sameIDs(feedbackIDs(got), c.want) {
			t.Errorf("feedback search %q = %v, want %v", c.search, sorted(feedbackIDs(got)), sorted(c.want))
		}
	}
}

package importer

import (
	"testing"

	"github.com/rapportcrm/rapport/model"
)

func TestEmptyMarkersAreNoAttribute(t *testing.T) {
	for _, v := range []string{"", " ", "-", "—", "NA", "na", "N/A", "n/a", "null", "NULL", "\u00a0", " \u00a0 "} {
		if !isEmptyCell(v) {
			t.Errorf("%q is a value", v)
		}
	}
	for _, v := range []string{"0", "No", "N", "nan", "Nathan", "n/a/b", "--", "无"} {
		if isEmptyCell(v) {
			t.Errorf("%q is taken for no value", v)
		}
	}
	rec := model.ImportRecord{
		Customer: model.Customer{Attrs: map[string]string{"Geography": "N/A", "Tier": "gold"}},
		Feedback: &model.Feedback{Attrs: map[string]string{"Store": "\u00a0", "Note": "NULL"}},
	}
	dropEmptyAttrs(&rec)
	if len(rec.Customer.Attrs) != 1 || rec.Customer.Attrs["Tier"] != "gold" || rec.Feedback.Attrs != nil {
		t.Errorf("after dropping: %v %v", rec.Customer.Attrs, rec.Feedback.Attrs)
	}
}

package model

// Levels an attribute is kept at: imported columns that match no field
// belong to the customer (a contacts file) or to the feedback item (a
// ticket export's extra columns).
const (
	AttrCustomer = "customer"
	AttrFeedback = "feedback"
	AttrBoth     = "both"
)

// AttrKey is the name of a custom attribute present in the database, and
// the level it was found at (AttrCustomer, AttrFeedback or AttrBoth).
// attr.NAME reaches it in segments and summaries at either level.
type AttrKey struct {
	Name  string `json:"name"`
	Level string `json:"level"`
}

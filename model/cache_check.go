package model

import "fmt"

// CacheDrift is one cached figure that differs from a recomputation from
// the rows it summarises: a customer's derived figure (Cache "customers",
// Key the customer id) or a summary aggregate cell (Cache "summary_agg",
// Key "dim/key/month"). Stored and Computed are "NULL" for no value.
type CacheDrift struct {
	Cache    string `json:"cache"`
	Key      string `json:"key"`
	Column   string `json:"column"`
	Stored   string `json:"stored"`
	Computed string `json:"computed"`
}

func (d CacheDrift) String() string {
	return fmt.Sprintf("%s %s: %s is %s, the rows give %s", d.Cache, d.Key, d.Column, d.Stored, d.Computed)
}

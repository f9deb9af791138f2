package model

import "time"

// ImportRecord is one converted row of an import: the customer it is
// about (matched by CustomerKey, then email, then phone) and, when the row
// carries one, a feedback item (matched by FeedbackKey).
type ImportRecord struct {
	Line        int
	CustomerKey string // the source's id for the customer, or ""
	Customer    Customer
	FeedbackKey string // the source's ticket id, or a digest of the row
	Feedback    *Feedback
	// CustomerRef: a later row of the file describes this customer, so
	// this one only finds the customer (or creates it) and never changes
	// its fields; rows that disagree cannot flip a customer back and forth.
	CustomerRef bool
	// UndatedAt dates feedback whose row has no creation date when it is
	// first stored (zero: the time of the import); a stored item keeps
	// its date.
	UndatedAt time.Time
}

// CustomerIdentity is how an import knows a row's customer within a file:
// the source's id, else the email, else the phone digits ("" when none).
func (r ImportRecord) CustomerIdentity() string {
	switch {
	case r.CustomerKey != "":
		return "key:" + r.CustomerKey
	case r.Customer.Email != "":
		return "email:" + NormalizeEmail(r.Customer.Email)
	case PhoneDigits(r.Customer.Phone) != "":
		return "phone:" + PhoneDigits(r.Customer.Phone)
	}
	return ""
}

// ImportCounts say what an import did.
type ImportCounts struct {
	Rows             int `json:"rows"`
	CustomersCreated int `json:"customers_created"`
	CustomersUpdated int `json:"customers_updated"`
	FeedbackCreated  int `json:"feedback_created"`
	FeedbackUpdated  int `json:"feedback_updated"`
	Unchanged        int `json:"unchanged"`
	Skipped          int `json:"skipped"`
	Errors           int `json:"errors"`
	// Rejected are the rows the store refused (Errors counts them too),
	// such as a row naming two customers' identities; the importer adds
	// them to its report.
	Rejected []ImportRowError `json:"-"`
}

// Add sums counts.
func (c *ImportCounts) Add(o ImportCounts) {
	c.Rows += o.Rows
	c.CustomersCreated += o.CustomersCreated
	c.CustomersUpdated += o.CustomersUpdated
	c.FeedbackCreated += o.FeedbackCreated
	c.FeedbackUpdated += o.FeedbackUpdated
	c.Unchanged += o.Unchanged
	c.Skipped += o.Skipped
	c.Errors += o.Errors
	c.Rejected = append(c.Rejected, o.Rejected...)
}

// ImportRun is one file's import as the database remembers it
// (import_runs): what was read, how, by whom, and what it did.
type ImportRun struct {
	ID         int64     `json:"id"`
	File       string    `json:"file"`
	Preset     string    `json:"preset"`
	Encoding   string    `json:"encoding"`
	Delimiter  string    `json:"delimiter"`
	Source     string    `json:"source"`
	Agent      string    `json:"agent"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	// ErrorSample holds the first rejected rows' messages.
	ErrorSample []string `json:"error_sample"`
	ImportCounts
}

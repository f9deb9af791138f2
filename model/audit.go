package model

import "time"

// AuditEntry is one recorded change.
type AuditEntry struct {
	At       time.Time
	Agent    string
	Entity   string
	EntityID int64
	Action   string
	Changes  map[string][2]any // field -> [old, new]
}

// AuditQuery filters the audit log; zero fields do not filter.
type AuditQuery struct {
	Entity string
	ID     int64
	Agent  string
	Since  time.Time
	Limit  int
}

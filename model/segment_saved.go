package model

import "time"

// Segment is a saved segment expression (分层). Warn marks a churn warning
// line (流失预警线): its members carry the segment's name in Warnings.
type Segment struct {
	ID         int64
	Name       string
	Expression string
	Warn       bool
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int64
}

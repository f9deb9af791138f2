package model

import "time"

// DemandQuery ranks what customers ask and complain about (需求排序):
// feedback grouped by category or tag, since a date, of one kind.
type DemandQuery struct {
	By    string // "category" (default) or "tag"
	Since time.Time
	Kind  Kind
	Limit int // 0: all
}

// DemandRow is one category or tag with how many raised it and what they
// are worth. Score = Σ over the distinct customers who raised it of
// (1 + log10(1 + LTV)), ×1.5 for a customer who raised it as a complaint:
// many customers count more than many messages, and valuable customers
// count more, but a whale never drowns a crowd.
type DemandRow struct {
	Key         string  `json:"key"`
	FeedbackN   int     `json:"feedback_n"`
	ComplaintsN int     `json:"complaints_n"`
	CustomersN  int     `json:"customers_n"`
	LTVSum      float64 `json:"ltv_sum"`
	Score       float64 `json:"score"`
}

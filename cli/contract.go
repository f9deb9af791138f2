package cli

// The JSON shapes of CONTRACT.md that the commands write with --format json,
// and how each is made from the model's values. Field names are snake_case,
// times RFC 3339 in UTC (timeStr), absent values null (pointers), lists []
// (nonNil), never null. A field is added here and in CONTRACT.md together;
// one is never renamed or removed (scripts/json-snapshot and
// TestJSONContract guard the bytes).
//
// Some read commands write model values as they are, and their shapes are
// the json tags in model: model.GroupFigures (summary), model.DemandRow
// (demand), model.CampaignProgress (followup campaigns), model.ImportRun
// (imports), model.RecallResult (followup recall), model.ImportCounts and
// importer.FileReport (import).

import (
	importer "github.com/rapportcrm/rapport/import"
	"github.com/rapportcrm/rapport/model"
)

// customerJSON is the contract's Customer object. Pointers give null for
// absent values; lists and maps are never null.
type customerJSON struct {
	ID             int64             `json:"id"`
	Name           *string           `json:"name"`
	Email          *string           `json:"email"`
	Phone          *string           `json:"phone"`
	Company        *string           `json:"company"`
	Plan           *string           `json:"plan"`
	Region         *string           `json:"region"`
	City           *string           `json:"city"`
	Language       *string           `json:"language"`
	Gender         *string           `json:"gender"`
	Lifecycle      *string           `json:"lifecycle"`
	LTV            *float64          `json:"ltv"`
	Tags           []string          `json:"tags"`
	Attrs          map[string]string `json:"attrs"`
	CSATAvg        *float64          `json:"csat_avg"`
	CSATN          int               `json:"csat_n"`
	NPSLast        *int              `json:"nps_last"`
	FeedbackN      int               `json:"feedback_n"`
	ComplaintsOpen int               `json:"complaints_open"`
	FollowupsOpen  int               `json:"followups_open"`
	LastContactAt  *string           `json:"last_contact_at"`
	CreatedAt      *string           `json:"created_at"`
	UpdatedAt      *string           `json:"updated_at"`
	Version        int64             `json:"version"`
	Warnings       []string          `json:"warnings"`
}

// customerShowJSON is a Customer with its timeline, newest first.
type customerShowJSON struct {
	customerJSON
	Timeline []timelineJSON `json:"timeline"`
}

type timelineJSON struct {
	At      *string `json:"at"`
	Type    string  `json:"type"`
	ID      int64   `json:"id"`
	Agent   *string `json:"agent"`
	Summary *string `json:"summary"`
}

func toCustomerJSON(c model.Customer) customerJSON {
	var ltv *float64
	if c.LTV != 0 {
		v := c.LTV
		ltv = &v
	}
	attrs := c.Attrs
	if attrs == nil {
		attrs = map[string]string{}
	}
	return customerJSON{
		ID:             c.ID,
		Name:           strPtr(c.Name),
		Email:          strPtr(c.Email),
		Phone:          strPtr(c.Phone),
		Company:        strPtr(c.Company),
		Plan:           strPtr(c.Plan),
		Region:         strPtr(c.Region),
		City:           strPtr(c.City),
		Language:       strPtr(c.Language),
		Gender:         strPtr(c.Gender),
		Lifecycle:      strPtr(string(c.Lifecycle)),
		LTV:            ltv,
		Tags:           nonNil(c.Tags),
		Attrs:          attrs,
		CSATAvg:        c.CSATAvg,
		CSATN:          c.CSATN,
		NPSLast:        c.NPSLast,
		FeedbackN:      c.FeedbackN,
		ComplaintsOpen: c.ComplaintsOpen,
		FollowupsOpen:  c.FollowupsOpen,
		LastContactAt:  timePtrStr(c.LastContactAt),
		CreatedAt:      timeStr(c.CreatedAt),
		UpdatedAt:      timeStr(c.UpdatedAt),
		Version:        c.Version,
		Warnings:       nonNil(c.Warnings),
	}
}

func toTimelineJSON(entries []model.TimelineEntry) []timelineJSON {
	out := make([]timelineJSON, 0, len(entries))
	for _, e := range entries {
		out = append(out, timelineJSON{
			At:      timeStr(e.At),
			Type:    e.Type,
			ID:      e.ID,
			Agent:   strPtr(e.Agent),
			Summary: strPtr(e.Summary),
		})
	}
	return out
}

// feedbackJSON is the contract's Feedback object.
type feedbackJSON struct {
	ID           int64    `json:"id"`
	CustomerID   int64    `json:"customer_id"`
	CustomerName *string  `json:"customer_name"`
	Source       *string  `json:"source"`
	ExternalID   *string  `json:"external_id"`
	Channel      *string  `json:"channel"`
	Kind         *string  `json:"kind"`
	Subject      *string  `json:"subject"`
	Body         *string  `json:"body"`
	Category     *string  `json:"category"`
	Priority     *string  `json:"priority"`
	Status       *string  `json:"status"`
	Tags         []string `json:"tags"`
	// Attrs are the columns of an imported ticket that match no field.
	Attrs      map[string]string `json:"attrs"`
	CSAT       *int              `json:"csat"`
	CSATRaw    *string           `json:"csat_raw"`
	NPS        *int              `json:"nps"`
	Agent      *string           `json:"agent"`
	CreatedAt  *string           `json:"created_at"`
	ResolvedAt *string           `json:"resolved_at"`
	Version    int64             `json:"version"`
}

func toFeedbackJSON(f model.Feedback) feedbackJSON {
	return feedbackJSON{
		ID:           f.ID,
		CustomerID:   f.CustomerID,
		CustomerName: strPtr(f.CustomerName),
		Source:       strPtr(f.Source),
		ExternalID:   strPtr(f.ExternalID),
		Channel:      strPtr(f.Channel),
		Kind:         strPtr(string(f.Kind)),
		Subject:      strPtr(f.Subject),
		Body:         strPtr(f.Body),
		Category:     strPtr(f.Category),
		Priority:     strPtr(string(f.Priority)),
		Status:       strPtr(string(f.Status)),
		Tags:         nonNil(f.Tags),
		Attrs:        nonNilMap(f.Attrs),
		CSAT:         f.CSAT,
		CSATRaw:      strPtr(f.CSATRaw),
		NPS:          f.NPS,
		Agent:        strPtr(f.Agent),
		CreatedAt:    timeStr(f.CreatedAt),
		ResolvedAt:   timePtrStr(f.ResolvedAt),
		Version:      f.Version,
	}
}

// followUpJSON is a follow-up as the contract prints it.
type followUpJSON struct {
	ID           int64   `json:"id"`
	CustomerID   int64   `json:"customer_id"`
	CustomerName *string `json:"customer_name"`
	FeedbackID   *int64  `json:"feedback_id"`
	Assignee     string  `json:"assignee"`
	DueAt        *string `json:"due_at"`
	Note         *string `json:"note"`
	Status       string  `json:"status"`
	Campaign     *string `json:"campaign"`
	CreatedBy    *string `json:"created_by"`
	CreatedAt    *string `json:"created_at"`
	DoneAt       *string `json:"done_at"`
	Version      int64   `json:"version"`
}

func toFollowUpJSON(f model.FollowUp) followUpJSON {
	return followUpJSON{ID: f.ID, CustomerID: f.CustomerID, CustomerName: strPtr(f.CustomerName), FeedbackID: f.FeedbackID,
		Assignee: f.Assignee, DueAt: timeStr(f.Due), Note: strPtr(f.Note), Status: string(f.Status),
		Campaign: strPtr(f.Campaign), CreatedBy: strPtr(f.CreatedBy), CreatedAt: timeStr(f.CreatedAt),
		DoneAt: timePtrStr(f.DoneAt), Version: f.Version}
}

// noteJSON is a note as `notes add --format json` prints it.
type noteJSON struct {
	ID         int64   `json:"id"`
	CustomerID int64   `json:"customer_id"`
	Agent      *string `json:"agent"`
	Body       *string `json:"body"`
	CreatedAt  *string `json:"created_at"`
}

// segmentJSON is a saved segment in JSON; Count only in show.
type segmentJSON struct {
	ID         int64   `json:"id"`
	Name       string  `json:"name"`
	Expression string  `json:"expression"`
	Warn       bool    `json:"warn"`
	CreatedBy  *string `json:"created_by"`
	CreatedAt  *string `json:"created_at"`
	UpdatedAt  *string `json:"updated_at"`
	Version    int64   `json:"version"`
	Count      *int    `json:"count,omitempty"`
}

func toSegmentJSON(g model.Segment) segmentJSON {
	return segmentJSON{ID: g.ID, Name: g.Name, Expression: g.Expression, Warn: g.Warn,
		CreatedBy: strPtr(g.CreatedBy), CreatedAt: timeStr(g.CreatedAt), UpdatedAt: timeStr(g.UpdatedAt),
		Version: g.Version}
}

// summaryJSON is the contract's summary object; by is null without --by.
type summaryJSON struct {
	By      *string              `json:"by"`
	Overall model.GroupFigures   `json:"overall"`
	Groups  []model.GroupFigures `json:"groups"`
}

// auditJSON is one change as `rapport audit` prints it.
type auditJSON struct {
	At       string            `json:"at"`
	Agent    string            `json:"agent"`
	Entity   string            `json:"entity"`
	EntityID int64             `json:"entity_id"`
	Action   string            `json:"action"`
	Changes  map[string][2]any `json:"changes"`
}

// ruleJSON is a rule in JSON.
type ruleJSON struct {
	ID        int64    `json:"id"`
	Match     string   `json:"match"`
	Category  *string  `json:"category"`
	Tags      []string `json:"tags"`
	Kind      *string  `json:"kind"`
	Priority  *string  `json:"priority"`
	CreatedBy string   `json:"created_by"`
	CreatedAt string   `json:"created_at"`
}

func toRuleJSON(r model.Rule) ruleJSON {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	tags := r.Tags
	if tags == nil {
		tags = []string{}
	}
	return ruleJSON{ID: r.ID, Match: r.Pattern, Category: opt(r.Category), Tags: tags, Kind: opt(string(r.Kind)),
		Priority: opt(string(r.Priority)), CreatedBy: r.CreatedBy, CreatedAt: rfc3339(&r.CreatedAt)}
}

// mergeJSON is the contract's merge result.
type mergeJSON struct {
	From    int64          `json:"from"`
	Into    int64          `json:"into"`
	Moved   mergeMovedJSON `json:"moved"`
	DryRun  bool           `json:"dry_run"`
	AuditID *int64         `json:"audit_id"` // the entry `customers unmerge` takes; null on a dry run
	Result  customerJSON   `json:"customer"`
}

type mergeMovedJSON struct {
	Feedback  int `json:"feedback"`
	Notes     int `json:"notes"`
	FollowUps int `json:"followups"`
	Tags      int `json:"tags"`
	Keys      int `json:"keys"`
}

func toMergeJSON(r model.MergeResult, dryRun bool) mergeJSON {
	out := mergeJSON{From: r.From, Into: r.Into, DryRun: dryRun, Result: toCustomerJSON(r.Survivor),
		Moved: mergeMovedJSON{Feedback: r.Moved.Feedback, Notes: r.Moved.Notes, FollowUps: r.Moved.FollowUps,
			Tags: r.Moved.Tags, Keys: r.Moved.Keys}}
	if r.AuditID != 0 {
		id := r.AuditID
		out.AuditID = &id
	}
	return out
}

// importReport is the contract's JSON report.
type importReport struct {
	Files  []importer.FileReport `json:"files"`
	Totals model.ImportCounts    `json:"totals"`
	DryRun bool                  `json:"dry_run"`
}

// bulkResultJSON is what `feedback set` reports: how many items changed.
// (Fields in the order a map would give them: the bytes did not change
// when it was one.)
type bulkResultJSON struct {
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
}

// rulesApplyJSON is what `rules apply` reports.
type rulesApplyJSON struct {
	Changed int `json:"changed"`
	Matched int `json:"matched"`
}

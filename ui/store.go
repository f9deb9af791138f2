package ui

import (
	"context"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// Store is what the TUI needs from the database. It is declared here, by
// its user, and satisfied by *db.Store; the UI never sees SQL.
type Store interface {
	itemStore    // the item view's (itemview.go)
	segmentStore // saving and picking segments (segments_ui.go)
	viewStore    // saved Inbox views (inbox_views.go)
	ListCustomers(ctx context.Context, q model.CustomerQuery) (model.CustomerPage, error)
	CountCustomers(ctx context.Context, q model.CustomerQuery, max int) (int, bool, error)
	Customer(ctx context.Context, id int64) (model.Customer, error)
	Timeline(ctx context.Context, customerID int64, limit int) ([]model.TimelineEntry, error)
	ScoreHistory(ctx context.Context, customerID int64, limit int) ([]model.ScorePoint, error)
	Stats(ctx context.Context, agent string) (model.Stats, error)
	FeedbackPage(ctx context.Context, q model.FeedbackQuery) (model.FeedbackPage, error)
	CountFeedback(ctx context.Context, q model.FeedbackQuery, max int) (int, bool, error)
	FollowUpPage(ctx context.Context, q model.FollowUpQuery) (model.FollowUpPage, error)
	CountFollowUps(ctx context.Context, q model.FollowUpQuery) (int, error)
	FollowUpDone(ctx context.Context, agent string, id int64) error
	SnoozeFollowUp(ctx context.Context, agent string, id int64, until time.Time) error
	ReassignFollowUp(ctx context.Context, agent string, id int64, to string) error
	Recall(ctx context.Context, agent string, req model.RecallRequest, progress func(done, total int)) (model.RecallResult, error)
	Campaigns(ctx context.Context) ([]model.CampaignProgress, error)
	Summary(ctx context.Context, q model.SummaryQuery) (model.Summary, error)
	Demand(ctx context.Context, q model.DemandQuery) ([]model.DemandRow, error)
	Segments(ctx context.Context) ([]model.Segment, error)
	QuickCheck(ctx context.Context) ([]string, error)
	AddNote(ctx context.Context, agent string, n model.Note) (model.Note, error)
	AddFollowUp(ctx context.Context, agent string, f model.FollowUp) (model.FollowUp, error)
	UpdateCustomer(ctx context.Context, agent string, id int64, p model.CustomerPatch, ifVersion int64) (model.Customer, error)
	CreateCustomer(ctx context.Context, agent string, c model.Customer) (model.Customer, error)
	AddFeedback(ctx context.Context, agent string, f model.Feedback) (model.Feedback, error)
	// Classifying feedback: bulk edits in one transaction, the
	// taxonomy and the keyword rules behind suggestions.
	SetFeedback(ctx context.Context, agent string, ids []int64, p model.FeedbackPatch, ifVersion int64) (model.BulkResult, error)
	Categories(ctx context.Context) ([]model.Category, error)
	AddCategory(ctx context.Context, agent, path string) (model.Category, error)
	RemoveCategory(ctx context.Context, agent, path string) error
	Rules(ctx context.Context) ([]model.Rule, error)
	// Undo and redo of the agent's own actions (every write made with the
	// TUI's context), and the list of them for the activity view.
	Undo(ctx context.Context, agent string, id int64) (model.Action, error)
	Redo(ctx context.Context, agent string, id int64) (model.Action, error)
	Activity(ctx context.Context, agent string, before int64, limit int) (model.ActionPage, error)
	// Values lists the values in use for plan, agent or channel, which
	// forms offer with completion.
	Values(ctx context.Context, field string) ([]string, error)
	// Changes reports commits by other connections since the last call and
	// how many audited changes other agents made after audit row since.
	Changes(ctx context.Context, agent string, since int64) (changed bool, byOthers int, last int64, err error)
	// Subscribe gives a session its own view of the change feed, which
	// hears this process's writes at once and other processes' by polling.
	Subscribe(ctx context.Context) (model.Subscription, error)
}

package model

import (
	"context"
	"time"
)

// The store contract: what the CLI, the TUI and the importer ask of a
// database, in terms of this package's types only. Store (at the end of
// this file) composes the services below; its comment is the place to
// start reading.

// CustomerService keeps customer profiles (one person, one customer): the
// Customers screen's pages and counts, the profile and its timeline, and
// `rapport customers`.
type CustomerService interface {
	// CreateCustomer validates and stores a new customer, refusing another customer's e-mail or phone (*DuplicateError).
	CreateCustomer(ctx context.Context, agent string, c Customer) (Customer, error)
	// Customer returns one customer with tags and attributes, or ErrNotFound.
	Customer(ctx context.Context, id int64) (Customer, error)
	// FindCustomer resolves a reference typed by a person: an id, an e-mail (any case) or a phone (by digits).
	FindCustomer(ctx context.Context, ref string) (Customer, error)
	// UpdateCustomer applies a patch; with ifVersion > 0 it is refused (*StaleError) when the customer changed since.
	UpdateCustomer(ctx context.Context, agent string, id int64, p CustomerPatch, ifVersion int64) (Customer, error)
	// ListCustomers returns one keyset page of customers in the query's order.
	ListCustomers(ctx context.Context, q CustomerQuery) (CustomerPage, error)
	// CountCustomers counts the customers a query matches, stopping at max when max > 0 (capped = true).
	CountCustomers(ctx context.Context, q CustomerQuery, max int) (n int, capped bool, err error)
	// Timeline is a customer's history, newest first: feedback, notes, follow-ups and profile changes.
	Timeline(ctx context.Context, customerID int64, limit int) ([]TimelineEntry, error)
	// TimelineItem returns the note or follow-up behind a timeline line, in full, with its history.
	TimelineItem(ctx context.Context, typ string, id int64) (TimelineItem, error)
	// ScoreHistory returns the customer's last limit CSAT/NPS answers, oldest first.
	ScoreHistory(ctx context.Context, customerID int64, limit int) ([]ScorePoint, error)
	// Stats are the counts the status bar shows for an agent.
	Stats(ctx context.Context, agent string) (Stats, error)
}

// FeedbackService keeps feedback items and their classification: the bulk
// edit, the category taxonomy and the keyword rules.
type FeedbackService interface {
	// AddFeedback stores a new item (rules applied) and brings its customer's derived figures up to date.
	AddFeedback(ctx context.Context, agent string, f Feedback) (Feedback, error)
	// Feedback returns one item with its tags, or ErrNotFound.
	Feedback(ctx context.Context, id int64) (Feedback, error)
	// FeedbackDetail returns an item with tags, attributes, follow-ups promised on it and its history.
	FeedbackDetail(ctx context.Context, id int64) (FeedbackDetail, error)
	// FeedbackPage returns one keyset window of feedback in the query's order.
	FeedbackPage(ctx context.Context, q FeedbackQuery) (FeedbackPage, error)
	// ListFeedback returns feedback in the query's order by Limit/Offset (the CLI's paging).
	ListFeedback(ctx context.Context, q FeedbackQuery) ([]Feedback, error)
	// CountFeedback counts the feedback a query matches, stopping at max when max > 0.
	CountFeedback(ctx context.Context, q FeedbackQuery, max int) (n int, capped bool, err error)
	// SetFeedback applies one patch to many items in one transaction; ifVersion > 0 (one id) refuses a stale item.
	SetFeedback(ctx context.Context, agent string, ids []int64, p FeedbackPatch, ifVersion int64) (BulkResult, error)
	// UndoBulk puts back what bulk action undoID changed, skipping items changed since; it returns how many it restored.
	UndoBulk(ctx context.Context, agent string, undoID int64) (int, error)
	// Categories lists the taxonomy, parents before children, by path.
	Categories(ctx context.Context) ([]Category, error)
	// AddCategory creates "Parent" or "Parent/Child" (and a missing parent); an existing path is ErrConflict.
	AddCategory(ctx context.Context, agent, path string) (Category, error)
	// RemoveCategory deletes a category (and a parent's children), refused while feedback or rules use it.
	RemoveCategory(ctx context.Context, agent, path string) error
	// Rules lists the classification rules in the order they apply, compiled.
	Rules(ctx context.Context) ([]Rule, error)
	// AddRule stores a checked rule (*RuleError for a bad pattern; the category must exist).
	AddRule(ctx context.Context, agent string, r Rule) (Rule, error)
	// RemoveRule deletes a rule.
	RemoveRule(ctx context.Context, agent string, id int64) error
	// ApplyRules runs the rules over every item, filling only empty fields unless all; it counts matched and changed items.
	ApplyRules(ctx context.Context, agent string, all bool) (matched, changed int, err error)
}

// FollowUpService keeps follow-ups (promises to get back to a customer) and
// recall campaigns (召回).
type FollowUpService interface {
	// AddFollowUp records a promise to get back to a customer.
	AddFollowUp(ctx context.Context, agent string, f FollowUp) (FollowUp, error)
	// FollowUpPage returns one keyset window of a queue section measured against q.Now and q.DayEnd.
	FollowUpPage(ctx context.Context, q FollowUpQuery) (FollowUpPage, error)
	// CountFollowUps counts a queue section.
	CountFollowUps(ctx context.Context, q FollowUpQuery) (int, error)
	// FollowUpDone marks a follow-up done.
	FollowUpDone(ctx context.Context, agent string, id int64) error
	// SnoozeFollowUp moves an open follow-up's due time.
	SnoozeFollowUp(ctx context.Context, agent string, id int64, until time.Time) error
	// ReassignFollowUp gives a follow-up to another agent.
	ReassignFollowUp(ctx context.Context, agent string, id int64, to string) error
	// Recall creates one open follow-up per segment member with none open in the campaign; a rerun creates nothing.
	Recall(ctx context.Context, agent string, req RecallRequest, progress func(done, total int)) (RecallResult, error)
	// Campaigns reports each recall campaign's progress, newest first.
	Campaigns(ctx context.Context) ([]CampaignProgress, error)
}

// SegmentService keeps saved segments (named customer filters) and the
// Inbox's saved views.
type SegmentService interface {
	// Segments lists the saved segments by name.
	Segments(ctx context.Context) ([]Segment, error)
	// Segment returns the saved segment of that name (any case), or ErrNotFound.
	Segment(ctx context.Context, name string) (Segment, error)
	// SaveSegment checks expr (*SegmentError) and stores it under name, replacing a segment of that name.
	SaveSegment(ctx context.Context, agent, name, expr string, warn bool) (Segment, error)
	// DeleteSegment removes the saved segment of that name.
	DeleteSegment(ctx context.Context, agent, name string) error
	// SegmentCount counts the customers in the saved segment of that name.
	SegmentCount(ctx context.Context, name string) (int, error)
	// Views lists a screen's saved views by name.
	Views(ctx context.Context, screen string) ([]SavedView, error)
	// SaveView stores v under its screen and name, replacing the view of that name.
	SaveView(ctx context.Context, agent string, v SavedView) (SavedView, error)
	// DeleteView removes a saved view.
	DeleteView(ctx context.Context, agent string, id int64) error
}

// SummaryService answers the Insights questions over feedback. The
// figures follow ScoreTally's rules over SummaryDims; however a store
// computes them (aggregate tables, the facts snapshot, a scan), the
// answer equals a scan of the rows, which the conformance suite checks.
type SummaryService interface {
	// Summary computes satisfaction figures overall and per group of q.By (or per saved segment), largest group first.
	Summary(ctx context.Context, q SummaryQuery) (Summary, error)
	// Demand ranks categories or tags by the documented demand score.
	Demand(ctx context.Context, q DemandQuery) ([]DemandRow, error)
	// AttrKeys lists the custom attribute names present, at either level, sorted.
	AttrKeys(ctx context.Context) ([]AttrKey, error)
}

// NoteService keeps notes on customers and on feedback items.
type NoteService interface {
	// AddNote stores a note on a customer's profile.
	AddNote(ctx context.Context, agent string, n Note) (Note, error)
	// AddFeedbackNote writes a note about a feedback item: a note of its customer and a line of the item's history.
	AddFeedbackNote(ctx context.Context, agent string, feedbackID int64, body string) (Note, error)
}

// AuditService reads the record of every change and who made it.
type AuditService interface {
	// Audit lists recorded changes matching q, newest first.
	Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}

// UndoService undoes and redoes an agent's own actions.
type UndoService interface {
	// Undo undoes the agent's action id (0: the newest not undone), refused (*UndoError) when it cannot be.
	Undo(ctx context.Context, agent string, id int64) (Action, error)
	// Redo does again what the agent undid (id, or 0 for the last undone), unless the agent acted since.
	Redo(ctx context.Context, agent string, id int64) (Action, error)
	// Activity lists the agent's actions newest first, limit of them older than action before (0: newest).
	Activity(ctx context.Context, agent string, before int64, limit int) (ActionPage, error)
}

// MergeService joins two records of one person and takes a merge back.
type MergeService interface {
	// MergeCustomers moves everything of from into into and removes from, in one audited transaction (DryRun: rolled back).
	MergeCustomers(ctx context.Context, agent string, from, into int64, opts MergeOptions) (MergeResult, error)
	// UnmergeCustomers undoes the merge recorded in audit entry auditID, refused when either side moved on since.
	UnmergeCustomers(ctx context.Context, agent string, auditID int64) (MergeResult, error)
	// LastMerge returns the audit id of the latest merge into a customer, or 0.
	LastMerge(ctx context.Context, into int64) (int64, error)
	// DuplicatePairs lists up to limit pairs of customers that are likely one person, largest first.
	DuplicatePairs(ctx context.Context, limit int) ([]DuplicatePair, error)
}

// ImportSink takes converted import rows. The first-load path is a declared
// capability: every sink has BeginFirstLoad, and one without a faster way to
// fill an empty database answers false.
type ImportSink interface {
	// ImportBatch applies converted rows in one transaction, writing only what differs (dryRun: rolled back, exact counts).
	ImportBatch(ctx context.Context, agent, source string, recs []ImportRecord, dryRun bool) (ImportCounts, error)
	// BeginFirstLoad prepares an empty database for a large load and reports whether it did (false: nothing to end).
	BeginFirstLoad(ctx context.Context) (bool, error)
	// EndFirstLoad finishes what BeginFirstLoad prepared (rebuilds what it deferred).
	EndFirstLoad(ctx context.Context) error
	// RecordImportRun keeps one file's import for the import history.
	RecordImportRun(ctx context.Context, r ImportRun) (int64, error)
	// ImportRuns lists the latest imports, newest first.
	ImportRuns(ctx context.Context, limit int) ([]ImportRun, error)
	// KeepUndatedBelow moves feedback imported without a date below the oldest dated feedback, and says how many moved.
	KeepUndatedBelow(ctx context.Context, agent string) (int, error)
	// DryRun runs fn on a view of the store whose writes are all undone at the end: an import's exact counts, nothing kept.
	DryRun(ctx context.Context, fn func(st Store) error) error
	// FilesDir is the folder for files that belong beside the database (an import's rejected rows): a database file's own
	// folder; "" for a database on a server (PostgreSQL), whose side files go beside the imported file instead.
	FilesDir() string
}

// Backup copies and checks a live database (`rapport backup`, the TUI's
// start-up check).
type Backup interface {
	// Backup writes a consistent copy of the live database to dest, refusing to overwrite anything.
	Backup(ctx context.Context, dest string) error
	// QuickCheck is the fast soundness check run at start-up; nil means sound.
	QuickCheck(ctx context.Context) ([]string, error)
	// IntegrityCheck is the full soundness check; nil means sound.
	IntegrityCheck(ctx context.Context) ([]string, error)
}

// ChangeFeed tells each subscriber — a TUI, each served session — what
// changed, through a subscription of its own (feed.go).
type ChangeFeed interface {
	// Subscribe starts a subscription; its first Next reports the first change after this call.
	Subscribe(ctx context.Context) (Subscription, error)
}

// Store is the whole contract one database offers: everything the CLI,
// the TUI, the importer and `rapport serve` ask of it, in this package's
// types only. Start here to learn what Rapport stores and what it may ask.
//
// Who implements it: db.Store, over a SQLite file or a PostgreSQL
// database (db.Open picks by the name), and nothing else yet. A new store
// proves itself by passing the black-box conformance suite in
// db/storetest (storetest.Run), which checks every promise below through
// this interface only.
//
// Who uses it: package cli holds a Store for one command; package ui
// declares the narrower ui.Store it needs, and the importer
// importer.Store (one batch at a time); serve hands each SSH session the
// one store of the process. Declare the small interface you need where
// you use it, from these services, rather than asking for all of Store.
//
// What holds for every method:
//   - No *sql.DB, driver error or SQL text crosses it. Errors are this
//     package's: ErrNotFound, ErrStale (*StaleError: the record changed
//     since the version the caller read), ErrBusy, ErrConflict,
//     ErrInvalid, ErrDuplicate (*DuplicateError), ErrForbidden (a role
//     may not write; see WithIdentity), *SegmentError for a bad
//     expression.
//   - Every write takes the agent it is recorded under and is one
//     transaction, which records what it changed in the audit trail and
//     brings the derived figures (a customer's CSAT, counts, last
//     contact; the summary caches) up to date before it commits.
//   - Every list is a keyset page (Rows, Cursors, HasMore) or a bounded
//     count: a caller never holds a million rows.
//   - A change is announced to every subscription of the ChangeFeed,
//     each subscriber having its own.
type Store interface {
	ChangeFeed
	CustomerService
	FeedbackService
	FollowUpService
	SegmentService
	SummaryService
	NoteService
	AuditService
	UndoService
	MergeService
	ImportSink
	Backup
	// Path says where the store lives, for a person: a file path or a URL without its password.
	Path() string
	// Warnings are problems with where the database lives, for the UI and CLI to show.
	Warnings() []string
	// Close releases the store.
	Close() error
}

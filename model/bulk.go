package model

// FeedbackPatch is an edit of one or many feedback items: nil fields are
// left as they are. Category is a path ("Billing/Refund"); "" clears it.
// Tags are added and removed, never replaced, so two agents tagging the
// same item at once both keep their tag.
type FeedbackPatch struct {
	Status     *Status
	Priority   *Priority
	Kind       *Kind
	Category   *string
	AddTags    []string
	RemoveTags []string
}

// Empty reports whether the patch changes nothing.
func (p FeedbackPatch) Empty() bool {
	return p.Status == nil && p.Priority == nil && p.Kind == nil && p.Category == nil &&
		len(p.AddTags) == 0 && len(p.RemoveTags) == 0
}

// BulkResult is what one bulk edit did. UndoID names the action for
// undoing it (0 when nothing changed).
type BulkResult struct {
	Changed   int
	Unchanged int
	UndoID    int64
}

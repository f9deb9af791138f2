package db

// How an action is worded in the activity view and the status bar.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// describeAction words what the rows of one write did.
func describeAction(ctx context.Context, q querier, rows []auditRow) (actionEvent, error) {
	r0 := rows[0]
	ev := actionEvent{Entity: r0.entity, EntityID: r0.entityID}
	seen := map[int64]bool{}
	for _, r := range rows {
		if r.entity == r0.entity && !seen[r.entityID] {
			seen[r.entityID] = true
			ev.Items++
		}
		if ev.Reason == "" {
			ev.Reason = undoReason(r)
		}
	}
	ch := r0.changes
	switch r0.entity + "/" + r0.action {
	case "feedback/update", "feedback/rules":
		ev.Kind, ev.Summary = "classify", feedbackSummary(rows)
	case "followup/update":
		switch {
		case ch["status"][1] == "done":
			ev.Kind, ev.Summary = "done", "follow-up" // "undone: done follow-up · NAME"
		case ch["status"][1] == "open":
			ev.Kind, ev.Summary = "reopen", "follow-up"
		case ch["assignee"][1] != nil:
			ev.Kind, ev.Summary = "reassign", fmt.Sprintf("%s → %s", text(ch["assignee"][0]), text(ch["assignee"][1]))
		case ch["due_at"][1] != nil:
			ev.Kind, ev.Summary = "snooze", "due → "+whenText(ch["due_at"][1])
		default:
			ev.Kind, ev.Summary = "follow-up", fieldList(ch)
		}
	case "followup/create":
		ev.Kind, ev.Summary = "follow-up", fmt.Sprintf("due %s for %s", whenText(ch["due_at"][1]), text(ch["assignee"][1]))
	case "note/create":
		ev.Kind, ev.Summary = "note", shortText(text(ch["body"][1]), 60)
	case "customer/update":
		switch fields := fieldList(ch); fields {
		case "lifecycle":
			ev.Kind, ev.Summary = "lifecycle", fmt.Sprintf("%s → %s", text(ch["lifecycle"][0]), text(ch["lifecycle"][1]))
		case "tags":
			ev.Kind, ev.Summary = "tags", tagDiff(ch["tags"])
		default:
			ev.Kind, ev.Summary = "edit", fields
		}
	case "feedback/create":
		ev.Kind, ev.Summary = "feedback", shortText(text(ch["subject"][1]), 60)
	case "customer/create":
		ev.Kind, ev.Summary = "customer", text(ch["name"][1])
	default:
		ev.Kind, ev.Summary = r0.entity+" "+r0.action, fieldList(ch)
	}
	var err error
	ev.Label, ev.Customer, err = labelOf(ctx, q, r0, ev.Items)
	return ev, err
}

// labelOf names whose record an action changed: the customer as lists
// show it (nameLabel), with the feedback's subject when it is one item.
func labelOf(ctx context.Context, q querier, r auditRow, items int) (string, int64, error) {
	var query string
	switch r.entity {
	case "customer":
		query = "SELECT " + nameLabel + ", c.id FROM customers c WHERE c.id = ?"
	case "followup":
		query = "SELECT " + nameLabel + ", c.id FROM followups u JOIN customers c ON c.id = u.customer_id WHERE u.id = ?"
	case "note":
		query = "SELECT " + nameLabel + ", c.id FROM notes n JOIN customers c ON c.id = n.customer_id WHERE n.id = ?"
	case "feedback":
		query = "SELECT " + nameLabel + " || ' · ' || f.subject, c.id FROM feedback f JOIN customers c ON c.id = f.customer_id WHERE f.id = ?"
	default:
		return "", 0, nil
	}
	var name string
	var customer int64
	err := q.QueryRowContext(ctx, query, r.entityID).Scan(&name, &customer)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	if r.entity == "feedback" && items != 1 {
		return "", 0, err
	}
	return name, customer, err
}

// feedbackSummary words a classification: "status → resolved, +vip".
func feedbackSummary(rows []auditRow) string {
	var parts []string
	for _, f := range []string{"category", "status", "priority", "kind"} {
		for _, r := range rows {
			if v, ok := r.changes[f]; ok {
				nv := text(v[1])
				if v[1] == nil {
					nv = "none"
				}
				parts = append(parts, f+" → "+nv)
				break
			}
		}
	}
	var added, removed []string
	for _, r := range rows {
		if v, ok := r.changes["tags"]; ok {
			now, was := strs(v[1]), strs(v[0])
			for _, t := range now {
				if !slices.Contains(was, t) && !slices.Contains(added, t) {
					added = append(added, t)
				}
			}
			for _, t := range was {
				if !slices.Contains(now, t) && !slices.Contains(removed, t) {
					removed = append(removed, t)
				}
			}
		}
	}
	for _, t := range added {
		parts = append(parts, "+"+t)
	}
	for _, t := range removed {
		parts = append(parts, "-"+t)
	}
	return strings.Join(parts, ", ")
}

func tagDiff(v [2]any) string {
	was, now := strs(v[0]), strs(v[1])
	var parts []string
	for _, t := range now {
		if !slices.Contains(was, t) {
			parts = append(parts, "+"+t)
		}
	}
	for _, t := range was {
		if !slices.Contains(now, t) {
			parts = append(parts, "-"+t)
		}
	}
	return strings.Join(parts, " ")
}

func fieldList(ch map[string][2]any) string {
	fs := make([]string, 0, len(ch))
	for f := range ch {
		fs = append(fs, f)
	}
	sort.Strings(fs)
	return strings.Join(fs, ", ")
}

func text(v any) string {
	if v == nil {
		return ""
	}
	return changeText(v)
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func shortText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// whenText words a stored time in local time, with the year.
func whenText(v any) string {
	s, _ := v.(string)
	t := parseTime(s)
	if t.IsZero() {
		return s
	}
	return t.In(time.Local).Format("Mon 2006-01-02 15:04")
}

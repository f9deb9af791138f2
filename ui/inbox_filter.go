package ui

import (
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport/model"
)

// inboxFilter narrows the Inbox beyond status and kind, typed like a
// search box: "category:Billing tag:vip channel:email agent:li.na".
// Values with spaces are quoted: category:"Product/Feature request".
type inboxFilter struct {
	category, tag, channel, agent string
	search                        string // from / — full text
}

func (f inboxFilter) empty() bool { return f == inboxFilter{} }

func (f inboxFilter) apply(q *model.FeedbackQuery) {
	q.Category, q.Tag, q.Channel, q.Agent, q.Search = f.category, f.tag, f.channel, f.agent, f.search
}

// String is the filter as typed (without the search words).
func (f inboxFilter) String() string {
	var parts []string
	add := func(k, v string) {
		if v == "" {
			return
		}
		if strings.ContainsAny(v, " \t") {
			v = `"` + v + `"`
		}
		parts = append(parts, k+":"+v)
	}
	add("category", f.category)
	add("tag", f.tag)
	add("channel", f.channel)
	add("agent", f.agent)
	return strings.Join(parts, " ")
}

// parseInboxFilter reads key:value pairs; an unknown key is refused with
// the keys it knows.
func parseInboxFilter(s string) (inboxFilter, error) {
	var f inboxFilter
	for _, tok := range splitQuoted(s) {
		k, v, ok := strings.Cut(tok, ":")
		if !ok || v == "" {
			return f, fmt.Errorf("%q: write key:value (category, tag, channel, agent)", tok)
		}
		switch strings.ToLower(k) {
		case "category", "cat":
			f.category = v
		case "tag":
			f.tag = strings.TrimPrefix(v, "#")
		case "channel":
			f.channel = strings.ToLower(v)
		case "agent":
			f.agent = v
		default:
			return f, fmt.Errorf("unknown filter %q: use category, tag, channel or agent", k)
		}
	}
	return f, nil
}

// splitQuoted splits on spaces outside double quotes, dropping the quotes.
func splitQuoted(s string) []string {
	var out []string
	var b strings.Builder
	inQuote := false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote = !inQuote
		case (r == ' ' || r == '\t') && !inQuote:
			if b.Len() > 0 {
				out = append(out, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

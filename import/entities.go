package importer

import (
	"html"
	"regexp"
	"strings"
)

// Some exports write text HTML-escaped: Zendesk Explore's organisation
// names read "Domino&#x27;s Pizza" and "Barnes &amp; Noble". A column is
// taken as escaped when its sample holds an entity and no bare '&' — in
// escaped text every '&' starts an entity, while in plain text "R&D" and
// "AT&T" stand as written — and only such columns are decoded
// (colProfile.htmlEscaped, Converter.HTMLText). Only complete entities
// with their ';' are read, so "&copy" or "Q&A" stay as they are.

// entityRE is one complete character reference: &#39; &#x27; &amp;.
var entityRE = regexp.MustCompile(`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});`)

// ampersands counts the entities HTML knows in v and the '&' that start
// none.
func ampersands(v string) (entities, bare int) {
	if strings.IndexByte(v, '&') < 0 {
		return 0, 0
	}
	at := 0
	for _, loc := range entityRE.FindAllStringIndex(v, -1) {
		bare += strings.Count(v[at:loc[0]], "&")
		if m := v[loc[0]:loc[1]]; html.UnescapeString(m) != m {
			entities++
		} else {
			bare++
		}
		at = loc[1]
	}
	return entities, bare + strings.Count(v[at:], "&")
}

// decodeEntities reads the complete entities of an escaped column's value.
func decodeEntities(v string) string {
	if strings.IndexByte(v, '&') < 0 {
		return v
	}
	return entityRE.ReplaceAllStringFunc(v, html.UnescapeString)
}

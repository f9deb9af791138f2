package importer

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// The user can say on which scale a score column's answers are, and what
// they become (the Import tab's `x`, a mapping file's [scales] table,
// Options.Scales): this replaces what the sample decided for that column.

// Scale is a user's choice for a score column.
type Scale string

const (
	ScaleAuto Scale = "" // as the importer decided
	// ScaleCSAT reads the answers as CSAT 1–5 (numbers, percentages and
	// satisfaction words); a number off 1–5 rejects its row.
	ScaleCSAT Scale = "csat"
	// ScaleNPS reads the answers as NPS 0–10.
	ScaleNPS Scale = "nps"
	// ScaleCSATFrom010 rescales 0–10 answers to CSAT 1–5 (rescale010).
	ScaleCSATFrom010 Scale = "csat-from-0-10"
	// ScaleCSATFrom110 rescales 1–10 answers to CSAT 1–5 by the same bands.
	ScaleCSATFrom110 Scale = "csat-from-1-10"
	// ScaleAttribute keeps the column as an attribute, its answers as
	// written, whatever their scale: no value of it rejects a row.
	ScaleAttribute Scale = "attribute"
)

// ScaleNames are the scales a mapping file may name, in the order the
// Import tab cycles them.
func ScaleNames() []string {
	return []string{string(ScaleCSAT), string(ScaleNPS), string(ScaleCSATFrom010), string(ScaleCSATFrom110),
		string(ScaleAttribute)}
}

// ParseScale reads a scale's name.
func ParseScale(s string) (Scale, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, n := range ScaleNames() {
		if s == n {
			return Scale(n), nil
		}
	}
	return "", fmt.Errorf("unknown scale %q (one of %s)", s, strings.Join(ScaleNames(), ", "))
}

// Field is where a column on this scale goes.
func (s Scale) Field() Field {
	switch s {
	case ScaleCSAT, ScaleCSATFrom010, ScaleCSATFrom110:
		return FieldCSAT
	case ScaleNPS:
		return FieldNPS
	}
	return FieldNone
}

// rescaleBands words the rescale, for the evidence and the README.
const rescaleBands = "9–10→5, 7–8→4, 5–6→3, 3–4→2, 0–2→1"

// Evidence words a column set to this scale by the user.
func (s Scale) Evidence() string {
	switch s {
	case ScaleCSAT:
		return "set by you: CSAT 1–5 → feedback.csat"
	case ScaleNPS:
		return "set by you: NPS 0–10 → feedback.nps"
	case ScaleCSATFrom010:
		return "set by you: 0–10 rescaled to CSAT 1–5 (" + rescaleBands + "), answer kept in csat_raw → feedback.csat"
	case ScaleCSATFrom110:
		return "set by you: 1–10 rescaled to CSAT 1–5 (9–10→5, 7–8→4, 5–6→3, 3–4→2, 1–2→1), answer kept in csat_raw → feedback.csat"
	case ScaleAttribute:
		return "set by you: kept as attribute with its scale, as written"
	}
	return ""
}

// rescale reads a 0–10 (or 1–10) answer as CSAT 1–5 by bands of two:
// 9–10 → 5, 7–8 → 4, 5–6 → 3, 3–4 → 2, 0–2 → 1. So "satisfied" (4–5) is
// 7–10, the promoters and passives of NPS, 5 is exactly the promoters,
// and the detractors (0–6) are 1–3. Only whole numbers on the scale are
// answers; anything else is a wrong value.
func rescale(raw string, s Scale) (int, error) {
	v := strings.ToLower(strings.TrimSpace(raw))
	if noValue[v] {
		return 0, errNoValue
	}
	lo, name := 0.0, "0–10"
	if s == ScaleCSATFrom110 {
		lo, name = 1, "1–10"
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || f != math.Trunc(f) {
		return 0, fmt.Errorf("%q is not a whole number on the %s scale", raw, name)
	}
	if f < lo || f > 10 {
		return 0, fmt.Errorf("%q is outside the %s scale", raw, name)
	}
	return max(1, (int(f)+1)/2), nil
}

// applyScales sets the columns the user gave a scale to its field, by
// header (as Override finds them) or by column (perColumn, the TUI's),
// and marks them fixed. A single-valued field a scale takes leaves the
// column it was on, which becomes an attribute.
func (m *Mapping) applyScales(header []string, scales map[string]Scale, perColumn []Scale, fixed map[int]bool) (map[int]bool, error) {
	if len(scales) == 0 && len(perColumn) == 0 {
		return fixed, nil
	}
	if perColumn != nil && len(perColumn) != len(header) {
		return fixed, fmt.Errorf("the scales name %d columns, the file has %d", len(perColumn), len(header))
	}
	if fixed == nil {
		fixed = map[int]bool{}
	}
	m.Scales = make([]Scale, len(header))
	set := func(i int, sc Scale) {
		if f := sc.Field(); f != FieldNone {
			for j, g := range m.Fields {
				if j != i && g == f {
					m.Fields[j] = FieldNone
				}
			}
		}
		m.Fields[i], m.Scales[i], fixed[i] = sc.Field(), sc, true
	}
	names := make([]string, 0, len(scales))
	for h := range scales {
		names = append(names, h)
	}
	sort.Strings(names)
	for _, h := range names {
		i := headerIndex(header, h)
		if i < 0 {
			return fixed, fmt.Errorf("the scales name column %q, which the file does not have", h)
		}
		if scales[h] != ScaleAuto {
			set(i, scales[h])
		}
	}
	for i, sc := range perColumn {
		if sc != ScaleAuto {
			set(i, sc)
		}
	}
	return fixed, nil
}

// headerIndex finds a column by its header: exactly first, else alike
// ignoring case, accents and punctuation; -1 when absent.
func headerIndex(header []string, h string) int {
	for j, col := range header {
		if strings.TrimSpace(strings.TrimPrefix(col, "\uFEFF")) == strings.TrimSpace(h) {
			return j
		}
	}
	for j, col := range header {
		if normHeader(col) == normHeader(h) {
			return j
		}
	}
	return -1
}

// scaleChoices are the scales that make sense for a column, the one it
// has now first; none for a column that is not score-like. A column is
// score-like when it was detected as a score, or when it is kept as an
// attribute and its sampled values are whole numbers within 0–10 (or
// words of a satisfaction scale).
func scaleChoices(p *colProfile, before, now Field) []Scale {
	var cs []Scale
	for _, f := range []Field{before, now} {
		if f != FieldNone && f != FieldCSAT && f != FieldNPS {
			return nil // an id, a name, a date… is not a score
		}
	}
	switch {
	case p.n > 0 && p.wordTotal() > 0 && p.wordTotal() >= p.nums && p.wordTotal() >= p.unknown:
		cs = []Scale{ScaleCSAT, ScaleAttribute}
	case p.n > 0 && p.nums > 0 && 5*p.nums >= 4*p.n && p.ints == p.nums && p.min >= 0 && p.max <= 10:
		if p.min >= 1 && p.max <= 5 {
			cs = append(cs, ScaleCSAT)
		}
		if p.max > 5 || before == FieldNPS {
			cs = append(cs, ScaleNPS, ScaleCSATFrom010)
			if p.min >= 1 {
				cs = append(cs, ScaleCSATFrom110)
			}
		}
		cs = append(cs, ScaleAttribute)
	case before == FieldCSAT || before == FieldNPS || now == FieldCSAT || now == FieldNPS:
		if p.n > 0 && p.nums > 0 && !(p.ints == p.nums && p.min >= 0 && p.max <= 10) {
			cs = []Scale{ScaleCSAT, ScaleAttribute} // percentages and other scales
		} else {
			cs = []Scale{ScaleCSAT, ScaleNPS, ScaleCSATFrom010, ScaleCSATFrom110, ScaleAttribute}
		}
	default:
		return nil
	}
	cur := ScaleAttribute
	switch now {
	case FieldCSAT:
		cur = ScaleCSAT
	case FieldNPS:
		cur = ScaleNPS
	}
	out := []Scale{cur}
	for _, s := range cs {
		if s != cur {
			out = append(out, s)
		}
	}
	return out
}

// describeScales gives each score-like column its choices and words the
// evidence of those the user set.
func (m *Mapping) describeScales(ps []colProfile, before []Field) {
	for i := range m.Columns {
		if i < len(m.Scales) && m.Scales[i] != ScaleAuto {
			m.Columns[i].Scale = m.Scales[i]
			m.Columns[i].Evidence = m.Scales[i].Evidence()
			if m.Scales[i] == ScaleAttribute && ps[i].nums > 0 {
				sc := scaleOf(ps[i].min, ps[i].max)
				if ps[i].percent > 0 || ps[i].max > 10 {
					sc = numScale{0, 100, true}
				}
				m.Columns[i].Evidence = "set by you: kept as attribute with its " + sc.String() + " scale, as written"
			}
		}
		m.Columns[i].Scales = scaleChoices(&ps[i], before[i], m.Fields[i])
		if i < len(m.Scales) && m.Scales[i] != ScaleAuto && len(m.Columns[i].Scales) > 0 {
			// the user's scale first, the rest after
			out := []Scale{m.Scales[i]}
			for _, s := range m.Columns[i].Scales {
				if s != m.Scales[i] {
					out = append(out, s)
				}
			}
			m.Columns[i].Scales = out
		}
	}
}

// scaleAt is column i's scale, ScaleAuto when none was set.
func scaleAt(s []Scale, i int) Scale {
	if i < len(s) {
		return s[i]
	}
	return ScaleAuto
}

// rangeOf words the scale a rescale reads: "0–10" or "1–10".
func (s Scale) rangeOf() string {
	if s == ScaleCSATFrom110 {
		return "1–10"
	}
	return "0–10"
}

// isRescale tells a scale whose answers are rescaled to CSAT 1–5.
func isRescale(s Scale) bool { return s == ScaleCSATFrom010 || s == ScaleCSATFrom110 }

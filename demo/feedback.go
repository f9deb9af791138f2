package demo

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// pickCustomer draws the customer who wrote at time t, in proportion to
// their activity, among those whose window holds t. If none is found
// quickly (tiny data sets), the last one drawn is used and t moved into
// their window.
func (g *demoGen) pickCustomer(t int64) (int, int64) {
	total := g.cum[len(g.cum)-1]
	tt := uint32(t - g.base)
	i := 0
	for range 64 {
		if total > 0 {
			x := g.r.Float64() * total
			i, _ = slices.BinarySearch(g.cum, x)
			i = min(i, len(g.cum)-1)
			for g.cum[i] <= x && i < len(g.cum)-1 { // equal sums: zero-weight customers
				i++
			}
		} else {
			i = g.r.IntN(len(g.cust))
		}
		c := &g.cust[i]
		if c.start <= tt && tt <= c.end {
			return i, t
		}
	}
	c := &g.cust[i]
	return i, g.base + int64(min(max(tt, c.start), c.end))
}

func (g *demoGen) genFeedback() error {
	total := g.opts.Feedback
	if total == 0 {
		return nil
	}
	// Volume per day: growing over the window, quieter at weekends, a
	// surge in the outage week; the last day is cut at now.
	days := len(g.dayEff)
	weights := make([]float64, days)
	var wsum float64
	for d := range weights {
		start := g.winStart + int64(d)*demoDay
		if start >= g.now {
			break
		}
		w := 0.45 + 0.55*float64(d)/float64(days)
		switch time.Unix(start, 0).UTC().Weekday() {
		case time.Saturday, time.Sunday:
			w *= 0.55
		}
		if start >= g.incident[0] && start < g.incident[1] {
			w *= 1.7
		}
		w *= float64(min(demoDay, g.now-start)) / demoDay
		weights[d] = w
		wsum += w
	}
	var id int64
	var acc float64
	var times []int64
	for d, w := range weights {
		if w == 0 {
			continue
		}
		before := int(math.Round(float64(total) * acc / wsum))
		acc += w
		n := int(math.Round(float64(total)*acc/wsum)) - before
		dayStart := g.winStart + int64(d)*demoDay
		dayLen := min(demoDay, g.now-dayStart)
		times = times[:0]
		for range n {
			sec := int64(demoHourPicker.pick(g.r)*3600 + g.r.IntN(3600))
			if sec >= dayLen {
				sec = g.r.Int64N(dayLen)
			}
			times = append(times, dayStart+sec)
		}
		slices.Sort(times)
		for _, t := range times {
			id++
			if err := g.feedback(id, t, d); err != nil {
				return err
			}
		}
	}
	return nil
}

func (g *demoGen) feedback(id, t int64, day int) error {
	r := g.r
	ci, t := g.pickCustomer(t)
	c := &g.cust[ci]
	lang := 1
	tpls := demoEnTemplates
	if c.zh() {
		lang, tpls = 0, demoZhTemplates
	}
	incident := t >= g.incident[0] && t < g.incident[1]
	outageP := 0.0
	if incident {
		outageP = 0.45
	} else if t >= g.outageMonth[0] && t < g.outageMonth[1] {
		outageP = 0.08
	}
	var tpl *demoTemplate
	if outageP > 0 && g.chance(outageP) {
		tpl = &tpls[g.outage[lang][r.IntN(len(g.outage[lang]))]]
	} else {
		list := g.byKind[lang][demoKindPicker.pick(r)]
		tpl = &tpls[list[r.IntN(len(list))]]
	}
	kind := tpl.kind
	ch := demoChannelPicker[lang].pick(r)

	age := g.now - t
	var status string
	switch {
	case kind == "praise" && age > 2*demoDay:
		status = []string{"resolved", "closed", "closed"}[r.IntN(3)]
	case age < 3*demoDay:
		status = string(model.Statuses[demoStatusPicker[0].pick(r)])
	case age < 14*demoDay:
		status = string(model.Statuses[demoStatusPicker[1].pick(r)])
	case age < 60*demoDay:
		status = string(model.Statuses[demoStatusPicker[2].pick(r)])
	default:
		status = string(model.Statuses[demoStatusPicker[3].pick(r)])
	}
	done := status == "resolved" || status == "closed"

	pri := demoPriorityPicker[0].pick(r)
	if kind == "complaint" {
		pri = demoPriorityPicker[1].pick(r)
	}
	if c.plan == 2 && pri < 3 && g.chance(0.3) {
		pri++
	}

	agentIdx := r.IntN(4)
	if lang == 0 && g.chance(0.15) || lang == 1 && g.chance(0.85) {
		agentIdx += 4
	}
	var category string
	if tpl.category != "" {
		unclassified := 0.08
		if status == "open" && age < 7*demoDay {
			unclassified = 0.5
		}
		if !g.chance(unclassified) {
			category = tpl.category
		}
	}

	g.slots.reset()
	subject := g.fill(tpl.subject, c, lang)
	body := g.fill(tpl.body, c, lang)
	if lang == 0 {
		body = demoZhOpeners[r.IntN(len(demoZhOpeners))] + body + demoZhClosers[r.IntN(len(demoZhClosers))]
	} else {
		body = demoEnOpeners[r.IntN(len(demoEnOpeners))] + body + demoEnClosers[r.IntN(len(demoEnClosers))]
	}

	// Satisfaction: one latent score per answer, from the plan, region,
	// channel, kind, the month (the outage) and the customer's own mood.
	mu := 1.2 + []float64{-0.45, 0, 0.6}[c.plan] + demoRegions[c.region].effect + demoChannelEffect[ch] +
		demoKindEffect(kind) + g.dayEff[day] + float64(c.happy)
	if incident {
		mu -= 0.4
	}
	csat, nps := 0, -1 // none
	pCSAT, pNPS := 0.18, 0.21
	if done {
		pCSAT = 0.45
	}
	if demoChannels[ch] == "survey" {
		pCSAT, pNPS = 0.85, 0.7
	}
	if g.chance(pCSAT) {
		z := mu + r.NormFloat64()
		switch {
		case z < -0.9:
			csat = 1
		case z < -0.2:
			csat = 2
		case z < 0.45:
			csat = 3
		case z < 1.25:
			csat = 4
		default:
			csat = 5
		}
	}
	if g.chance(pNPS) {
		z := mu + r.NormFloat64()
		nps = int(min(10, max(0, math.Round(7+1.9*z))))
	}

	var resolved int64 // none
	updated := t
	if done {
		var dur float64
		switch demoChannels[ch] {
		case "phone", "chat", "wechat":
			dur = 600 + r.ExpFloat64()*3*3600
		default:
			dur = 1800 + r.ExpFloat64()*26*3600
		}
		rt := min(g.now, t+int64(dur))
		resolved = rt
		updated = rt
		if status == "closed" {
			updated = min(g.now, rt+int64(r.ExpFloat64()*2*demoDay))
		}
	} else if status == "pending" {
		updated = min(g.now, t+int64(r.ExpFloat64()*demoDay))
	}

	f := &g.f
	*f = model.Feedback{ID: id, CustomerID: int64(ci + 1), Source: "demo", ExternalID: "D-" + strconv.FormatInt(id, 10),
		Channel: demoChannels[ch], Kind: model.Kind(kind), Subject: subject, Body: body, Category: category,
		Priority: model.Priorities[pri], Status: model.Status(status), Agent: demoAgents[agentIdx],
		CreatedAt: time.Unix(t, 0).UTC(), Tags: g.fbTags[:0]}
	if csat > 0 {
		g.csat = csat
		f.CSAT = &g.csat
	}
	if nps >= 0 {
		g.nps = nps
		f.NPS = &g.nps
	}
	if resolved != 0 {
		g.resolved = time.Unix(resolved, 0).UTC()
		f.ResolvedAt = &g.resolved
	}
	if tpl.outage || incident && (tpl.category == "Performance/Slow" || tpl.category == "产品/故障") {
		f.Tags = append(f.Tags, demoTags[tagOutage])
	}
	return g.sink.DemoFeedback(f, time.Unix(updated, 0).UTC())
}

// demoKindEffect shifts satisfaction by kind: complaints score low.
func demoKindEffect(kind string) float64 {
	switch kind {
	case "complaint":
		return -1.3
	case "praise":
		return 1.3
	case "question":
		return 0.15
	case "request":
		return -0.1
	}
	return 0
}

// demoSlots holds the values of one text's slots, so that a subject and
// its body name the same order and amount.
type demoSlots struct {
	set uint16
	v   [8]string
}

func (s *demoSlots) reset() { s.set = 0 }

const demoSlotNames = "pfadoncg"

// fill replaces the {x} slots of a template.
func (g *demoGen) fill(tpl string, c *demoCust, lang int) string {
	if !strings.Contains(tpl, "{") {
		return tpl
	}
	b := &g.sb
	b.Reset()
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 || i+2 >= len(tpl) || tpl[i+2] != '}' {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		b.WriteString(g.slot(tpl[i+1], c, lang))
		tpl = tpl[i+3:]
	}
}

func (g *demoGen) slot(name byte, c *demoCust, lang int) string {
	k := strings.IndexByte(demoSlotNames, name)
	if k < 0 {
		return ""
	}
	if g.slots.set&(1<<k) != 0 {
		return g.slots.v[k]
	}
	r := g.r
	var v string
	switch name {
	case 'p':
		if lang == 0 {
			v = demoZhProducts[r.IntN(len(demoZhProducts))]
		} else {
			v = demoEnProducts[r.IntN(len(demoEnProducts))]
		}
	case 'f':
		if lang == 0 {
			v = demoZhFeatures[r.IntN(len(demoZhFeatures))]
		} else {
			v = demoEnFeatures[r.IntN(len(demoEnFeatures))]
		}
	case 'a':
		lo, hi := []float64{9, 99, 2000}[c.plan], []float64{99, 2999, 50000}[c.plan]
		cents := int64(math.Exp(g.uniform(math.Log(lo), math.Log(hi))) * 100)
		switch {
		case lang == 0:
			v = strconv.FormatInt(cents/100, 10) + "元"
		case demoRegions[c.region].name == "Europe":
			v = "€" + demoMoney(cents)
		default:
			v = "$" + demoMoney(cents)
		}
	case 'd':
		v = strconv.Itoa(2 + r.IntN(29))
	case 'o':
		if lang == 0 {
			v = "SO" + strconv.Itoa(10000000+r.IntN(90000000))
		} else {
			v = "#" + strconv.Itoa(100000+r.IntN(900000))
		}
	case 'n':
		v = strconv.Itoa(2 + r.IntN(8))
	case 'c':
		v = c.cityName()
	case 'g':
		v = demoAgentNames[r.IntN(4)+4*lang]
	}
	g.slots.set |= 1 << k
	g.slots.v[k] = v
	return v
}

// demoMoney formats cents as 1,280.00.
func demoMoney(cents int64) string {
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	frac := cents % 100
	b.WriteByte('.')
	b.WriteByte(byte('0' + frac/10))
	b.WriteByte(byte('0' + frac%10))
	return b.String()
}

// genFollowups promises call-backs to random customers, due from 20 days
// ago to 30 days ahead; about 30% are done.
func (g *demoGen) genFollowups() error {
	r := g.r
	today := g.now - g.now%demoDay
	for i := range g.followups {
		ci := r.IntN(len(g.cust))
		c := &g.cust[ci]
		lang := 1
		notes := demoEnFollowupNotes
		if c.zh() {
			lang, notes = 0, demoZhFollowupNotes
		}
		hour := 1 + r.IntN(9) // 09–18 in China
		if lang == 1 {
			hour = 8 + r.IntN(10)
		}
		due := today + int64(r.IntN(51)-20)*demoDay + int64(hour)*3600
		start := g.base + int64(c.start)
		created := due - int64(g.uniform(1, 14)*demoDay)
		if created > g.now {
			created = g.now - int64(r.Float64()*demoDay)
		}
		created = max(created, start)
		due = max(due, created+3600)
		agent := demoAgents[r.IntN(4)+4*lang*boolInt(g.chance(0.85))]
		status := "open"
		var doneAt *time.Time
		updated := created
		if g.chance(0.3) {
			status = "done"
			end := min(g.now, due+demoDay)
			d := created + int64(r.Float64()*float64(max(0, end-created)))
			done := time.Unix(d, 0).UTC()
			doneAt, updated = &done, d
		}
		campaign := ""
		if demoLifecycles[c.lifecycle] == "at_risk" && g.chance(0.5) {
			campaign = []string{"召回", "winback"}[lang]
		}
		g.slots.reset()
		note := g.fill(notes[r.IntN(len(notes))], c, lang)
		fu := model.FollowUp{ID: int64(i + 1), CustomerID: int64(ci + 1), Assignee: agent, Due: time.Unix(due, 0).UTC(),
			Note: note, Status: model.FollowUpStatus(status), Campaign: campaign, CreatedBy: agent,
			CreatedAt: time.Unix(created, 0).UTC(), DoneAt: doneAt}
		if err := g.sink.DemoFollowUp(&fu, time.Unix(updated, 0).UTC()); err != nil {
			return err
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// genNotes writes short profile notes on random customers.
func (g *demoGen) genNotes() error {
	r := g.r
	for i := range g.notes {
		ci := r.IntN(len(g.cust))
		c := &g.cust[ci]
		lang := 1
		texts := demoEnNotes
		if c.zh() {
			lang, texts = 0, demoZhNotes
		}
		start := g.base + int64(c.start)
		at := start + int64(r.Float64()*float64(g.now-start))
		g.slots.reset()
		body := g.fill(texts[r.IntN(len(texts))], c, lang)
		n := model.Note{ID: int64(i + 1), CustomerID: int64(ci + 1), Agent: demoAgents[r.IntN(4)+4*lang], Body: body,
			CreatedAt: time.Unix(at, 0).UTC()}
		if err := g.sink.DemoNote(&n); err != nil {
			return err
		}
	}
	return nil
}

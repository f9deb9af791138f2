package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapportcrm/rapport/model"
)

// demoPicker draws an index with fixed integer weights.
type demoPicker []int

func newDemoPicker(weights []int) demoPicker {
	p := make(demoPicker, len(weights))
	sum := 0
	for i, w := range weights {
		sum += w
		p[i] = sum
	}
	return p
}

func (p demoPicker) pick(r *rand.Rand) int {
	x := r.IntN(p[len(p)-1])
	for i, c := range p {
		if x < c {
			return i
		}
	}
	return len(p) - 1
}

var (
	demoSurnamePicker   = newDemoPicker(demoZipf(len(demoSurnames)))
	demoNationPicker    = newDemoPicker(demoNationWeights)
	demoZhRegionPicker  = newDemoPicker(demoZhRegionWeights)
	demoPlanPicker      = newDemoPicker(demoPlanWeights)
	demoHourPicker      = newDemoPicker(demoHourWeights)
	demoKindPicker      = newDemoPicker([]int{22, 24, 12, 26, 16}) // model.Kinds order
	demoZhMobilePicker  = newDemoPicker([]int{30, 3, 20, 4, 8, 25, 10})
	demoLifecyclePicker = [3]demoPicker{newDemoPicker(demoLifecycleWeights[0]),
		newDemoPicker(demoLifecycleWeights[1]), newDemoPicker(demoLifecycleWeights[2])}
	demoChannelPicker = [2]demoPicker{newDemoPicker(demoChannelWeights[0]), newDemoPicker(demoChannelWeights[1])}
	// Status by age (open, pending, resolved, closed): < 3 days, < 14, < 60, older.
	demoStatusPicker = [4]demoPicker{newDemoPicker([]int{55, 25, 15, 5}), newDemoPicker([]int{25, 20, 40, 15}),
		newDemoPicker([]int{6, 6, 48, 40}), newDemoPicker([]int{1, 1, 33, 65})}
	demoPriorityPicker = [2]demoPicker{newDemoPicker([]int{25, 65, 9, 1}), newDemoPicker([]int{10, 55, 27, 8})}
)

// demoZipf gives weights that fall off like the frequency of surnames.
func demoZipf(n int) []int {
	w := make([]int, n)
	for i := range w {
		w[i] = 10000 / (i + 4)
	}
	return w
}

// demoCust is what the feedback generator remembers of a customer: 20
// bytes, plus 8 for the weight in gen.cum, so a million cost about 28 MB.
type demoCust struct {
	start, end uint32 // window in which they give feedback, seconds after gen.base
	happy      float32
	plan       uint8
	region     uint8
	lifecycle  uint8
	city       uint8
	nation     int8 // index into demoNations; -1 for Chinese customers
}

func (c *demoCust) zh() bool { return c.nation < 0 }

func (c *demoCust) cityName() string {
	if c.zh() {
		return demoRegions[c.region].cities[c.city]
	}
	return demoNations[c.nation].cities[c.city]
}

type demoGen struct {
	opts      Options
	r         *rand.Rand
	seed      uint64
	now       int64 // unix seconds
	base      int64 // unix seconds; demoCust times count from here
	winStart  int64 // start of the feedback window (18 months before now)
	followups int
	notes     int

	cust        []demoCust
	cum         []float64 // cumulative activity weights
	sink        model.DemoSink
	c           model.Customer // the row handed to sink, reused
	f           model.Feedback
	fbTags      []string
	csat, nps   int
	resolved    time.Time
	byKind      [2][5][]int // template indexes by language and kind (outage ones apart)
	outage      [2][]int
	dayEff      []float64 // satisfaction shift of each day of the window
	incident    [2]int64  // the outage week
	outageMonth [2]int64
	slots       demoSlots
	sb          strings.Builder
	phones      map[uint64]struct{} // digits given so far (phones.go)
}

func newDemoGen(opts Options, now time.Time) *demoGen {
	seed := uint64(opts.Seed)
	g := &demoGen{
		opts:      opts,
		r:         rand.New(rand.NewPCG(seed, 0x5241505054_444d4f)), // "RAPPT" "DMO"
		seed:      seed,
		now:       now.Unix(),
		base:      now.AddDate(-6, 0, 0).Unix(),
		winStart:  now.AddDate(0, -18, 0).Unix(),
		followups: opts.Customers / 10,
		notes:     opts.Customers / 8,
	}
	for lang, tpls := range [2][]demoTemplate{demoZhTemplates, demoEnTemplates} {
		for i, t := range tpls {
			if t.outage {
				g.outage[lang] = append(g.outage[lang], i)
				continue
			}
			k := slices.Index(model.Kinds, model.Kind(t.kind))
			g.byKind[lang][k] = append(g.byKind[lang][k], i)
		}
	}
	// The outage: a week early in the month four months back, a dip for
	// the whole month, then a slow recovery that ends a little above the
	// level before it.
	om := now.AddDate(0, -4, 0)
	outageMonth := time.Date(om.Year(), om.Month(), 1, 0, 0, 0, 0, time.UTC)
	g.incident = [2]int64{outageMonth.AddDate(0, 0, 6).Unix(), outageMonth.AddDate(0, 0, 13).Unix()}
	g.outageMonth = [2]int64{outageMonth.Unix(), outageMonth.AddDate(0, 1, 0).Unix()}
	days := int((g.now-g.winStart+demoDay-1)/demoDay) + 1
	g.dayEff = make([]float64, days)
	for d := range g.dayEff {
		t := time.Unix(g.winStart+int64(d)*demoDay, 0).UTC()
		mi := (t.Year()-outageMonth.Year())*12 + int(t.Month()) - int(outageMonth.Month())
		switch {
		case mi < 0:
			g.dayEff[d] = []float64{0.05, -0.04, 0.02, 0.06, -0.02}[(-mi)%5]
		case mi == 0:
			g.dayEff[d] = -0.85
		default:
			g.dayEff[d] = -0.4 + 0.13*float64(mi)
		}
	}
	return g
}

// generate hands all rows to sink.
func (g *demoGen) generate(sink model.DemoSink) error {
	g.sink = sink
	defer func() { g.sink = nil }()
	if err := g.genCustomers(); err != nil {
		return err
	}
	if err := g.genFeedback(); err != nil {
		return err
	}
	if err := g.genFollowups(); err != nil {
		return err
	}
	return g.genNotes()
}

// setup is the taxonomy, the tags and the saved segments the rows refer to.
func (g *demoGen) setup() model.DemoSetup {
	at := time.Unix(g.now, 0).UTC()
	var segs []model.Segment
	for _, seg := range []struct {
		name, expr string
		warn       bool
	}{
		{"core users", "ltv >= 10000 and feedback_90d >= 1", false},
		{"churn warning", "csat_avg < 3 and last_contact_days > 30", true},
		{"silent payers", "lifecycle = paying and last_contact_days > 90", false},
	} {
		segs = append(segs, model.Segment{Name: seg.name, Expression: seg.expr, Warn: seg.warn, CreatedBy: "demo",
			CreatedAt: at, UpdatedAt: at})
	}
	return model.DemoSetup{Seed: g.opts.Seed, Now: at, Categories: slices.Clone(demoCategories),
		Tags: slices.Clone(demoTags), Segments: segs, Customers: g.opts.Customers, Feedback: g.opts.Feedback,
		FollowUps: g.followups, Notes: g.notes}
}

func (g *demoGen) uniform(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }

func (g *demoGen) chance(p float64) bool { return g.r.Float64() < p }

func (g *demoGen) genCustomers() error {
	r := g.r
	n := g.opts.Customers
	g.cust = make([]demoCust, n)
	g.cum = make([]float64, n)
	var sum float64
	var tagBuf []int
	var tags []string
	for i := range n {
		id := int64(i + 1)
		c := &g.cust[i]
		plan := demoPlanPicker.pick(r)
		lc := demoLifecyclePicker[plan].pick(r)
		c.plan, c.lifecycle = uint8(plan), uint8(lc)

		var name, email, phone, company, lang, gender string
		if g.chance(0.55) {
			c.nation = -1
			c.region = uint8(demoZhRegionPicker.pick(r))
			c.city = uint8(r.IntN(len(demoRegions[c.region].cities)))
			lang = "zh"
			sur := demoSurnames[demoSurnamePicker.pick(r)]
			given := demoGivenNames[r.IntN(len(demoGivenNames))]
			name = sur.hz + given.hz
			gender = demoGender(given.g, r)
			email = g.zhEmail(id, sur.py, given.py)
			if g.chance(0.85) {
				phone = g.uniquePhone(id, "", g.zhMobile(id))
			}
			if g.chance([]float64{0.45, 0.85, 1}[plan]) {
				city := c.cityName()
				if g.chance(0.15) {
					zr := demoRegions[r.IntN(4)]
					city = zr.cities[r.IntN(len(zr.cities))]
				}
				company = city + demoZhCompanyWords[r.IntN(len(demoZhCompanyWords))]
				if g.chance(0.2) {
					company += demoZhCompanyWords[r.IntN(len(demoZhCompanyWords))]
				}
				company += demoZhCompanySuffixes[r.IntN(len(demoZhCompanySuffixes))]
			}
		} else {
			c.nation = int8(demoNationPicker.pick(r))
			nat := &demoNations[c.nation]
			c.region = uint8(nat.regionIdx)
			c.city = uint8(r.IntN(len(nat.cities)))
			lang = nat.lang
			first := nat.first[r.IntN(len(nat.first))]
			last := nat.last[r.IntN(len(nat.last))]
			name = first.name + " " + last
			gender = demoGender(first.g, r)
			email = g.westEmail(id, nat, first.name, last)
			if g.chance(0.7) {
				phone = g.uniquePhone(id, nat.phones[c.city], g.digits(nat.phones[c.city]))
			}
			if g.chance([]float64{0.4, 0.85, 1}[plan]) {
				company = demoEnCompanyFirst[r.IntN(len(demoEnCompanyFirst))] + " " +
					demoEnCompanySecond[r.IntN(len(demoEnCompanySecond))]
				if sfx := nat.suffixes[r.IntN(len(nat.suffixes))]; sfx != "" {
					company += " " + sfx
				}
			}
		}
		if g.chance(0.07) { // some people give only a phone
			if phone != "" {
				email = ""
			}
		}

		ltv := g.ltv(plan, lc)

		// Signed up: new ones in the last month, the others over four
		// years, more of them recently; churned ones left at least two
		// months ago, at-risk ones went quiet one to five months ago.
		var created int64
		switch demoLifecycles[lc] {
		case "new":
			created = g.now - int64(r.Float64()*30*demoDay)
		case "churned":
			created = g.now - int64((120+1340*math.Pow(r.Float64(), 1.2))*demoDay)
		default:
			created = g.now - int64((30+1430*math.Pow(r.Float64(), 1.5))*demoDay)
		}
		created -= created % 60
		end := g.now
		happy := 0.45 * r.NormFloat64()
		weight := math.Exp(0.9*r.NormFloat64()) * []float64{0.7, 1.3, 2.6}[plan]
		switch demoLifecycles[lc] {
		case "churned":
			last := g.now - 60*demoDay
			end = created + int64(float64(last-created)*g.uniform(0.15, 1))
			happy -= 0.5
		case "at_risk":
			end = max(g.now-int64(g.uniform(31, 150)*demoDay), created+7*demoDay)
			happy -= 0.45
			weight *= 1.3
		case "referrer":
			happy += 0.45
		case "new":
			weight *= 1.2
		case "paying":
			weight *= 1.2
		}
		start := max(created, g.winStart)
		if end <= start {
			weight = 0
			end = start
		}
		c.start, c.end = uint32(start-g.base), uint32(end-g.base)
		c.happy = float32(happy)
		sum += weight
		g.cum[i] = sum
		updated := created + int64(r.Float64()*float64(g.now-created))

		attrs := map[string]string{"signup_source": demoSignupSources[min(1, int(c.nation+1))][r.IntN(8)],
			"industry": demoIndustries[r.IntN(len(demoIndustries))]}
		if company != "" {
			attrs["company_size"] = demoCompanySizes[min(len(demoCompanySizes)-1, plan*2+r.IntN(3))]
		}
		tagBuf = g.customerTags(tagBuf[:0], c, created)
		tags = tags[:0]
		for _, t := range tagBuf {
			tags = append(tags, demoTags[t])
		}
		g.c = model.Customer{ID: id, Name: name, Email: email, Phone: phone, Company: company, Plan: demoPlans[plan],
			Region: demoRegions[c.region].name, City: c.cityName(), Language: lang, Gender: gender,
			Lifecycle: model.Lifecycle(demoLifecycles[lc]), LTV: ltv, Tags: tags, Attrs: attrs,
			CreatedAt: time.Unix(created, 0).UTC(), UpdatedAt: time.Unix(updated, 0).UTC()}
		if err := g.sink.DemoCustomer(&g.c); err != nil {
			return err
		}
	}
	return nil
}

func demoGender(g byte, r *rand.Rand) string {
	switch {
	case r.IntN(20) == 0:
		return "" // not given
	case g == 'f':
		return "female"
	case g == 'm':
		return "male"
	case r.IntN(2) == 0:
		return "female"
	}
	return "male"
}

func (g *demoGen) customerTags(dst []int, c *demoCust, created int64) []int {
	plan, lc := demoPlans[c.plan], demoLifecycles[c.lifecycle]
	if plan == "enterprise" && g.chance(0.4) || plan == "pro" && g.chance(0.06) {
		dst = append(dst, tagVIP)
	}
	if g.chance(0.06) {
		dst = append(dst, tagBeta)
	}
	if c.zh() && plan == "enterprise" && g.chance(0.5) {
		dst = append(dst, tagBigAccount)
	}
	if c.zh() && g.chance(0.07) {
		dst = append(dst, tagOffline)
	}
	if lc == "at_risk" && g.chance(0.6) || lc == "churned" && g.chance(0.2) {
		dst = append(dst, tagChurnRisk)
	}
	if lc == "referrer" && g.chance(0.3) || g.chance(0.03) {
		dst = append(dst, tagPartner)
	}
	if g.now-created > 3*365*demoDay && g.chance(0.3) {
		dst = append(dst, tagEarlyAdopter)
	}
	return dst
}

// ltv follows the plan: free 0–200, pro 500–8,000, enterprise
// 10,000–300,000; newcomers have paid less so far.
func (g *demoGen) ltv(plan, lc int) float64 {
	var v float64
	switch plan {
	case 0:
		if g.chance(0.6) {
			return 0
		}
		v = g.uniform(5, 200)
	case 1:
		v = min(8000, max(500, 1800*math.Exp(0.7*g.r.NormFloat64())))
	default:
		v = 10000 * math.Pow(30, math.Pow(g.r.Float64(), 1.6))
	}
	if demoLifecycles[lc] == "new" {
		v = []float64{v * 0.5, 500 + v*0.05, 10000 + v*0.05}[plan]
	}
	return math.Round(v*100) / 100
}

// zhEmail makes an address from the pinyin of a Chinese name, or a
// QQ-style number; the id in it keeps it unique.
func (g *demoGen) zhEmail(id int64, sur, given string) string {
	domain := "example.cn"
	if g.chance(0.2) {
		domain = "example.com"
	}
	switch g.r.IntN(10) {
	case 0, 1, 2:
		// A permutation of the ids: unique, and not in id order.
		qq := 10000000 + (uint64(id)*2654435761+g.seed*7919)%90000000
		return strconv.FormatUint(qq, 10) + "@" + domain
	case 3, 4, 5:
		return sur + "." + given + strconv.FormatInt(id, 10) + "@" + domain
	case 6, 7:
		return sur + given + strconv.FormatInt(id, 10) + "@" + domain
	default:
		return given[:1] + sur + strconv.FormatInt(id, 10) + "@" + domain
	}
}

func (g *demoGen) westEmail(id int64, nat *demoNation, first, last string) string {
	domain := nat.domain
	if g.chance(0.25) {
		domain = "example.com"
	}
	f, l := demoASCII(first), demoASCII(last)
	n := strconv.FormatInt(id, 10)
	switch g.r.IntN(4) {
	case 0, 1:
		return f + "." + l + n + "@" + domain
	case 2:
		return f[:1] + l + n + "@" + domain
	default:
		return f + "_" + l + n + "@" + domain
	}
}

// demoASCII lower-cases a Latin name and folds its accents for an e-mail
// address: Müller → mueller, García → garcia, De Luca → deluca.
func demoASCII(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r == 'ä':
			b.WriteString("ae")
		case r == 'ö':
			b.WriteString("oe")
		case r == 'ü':
			b.WriteString("ue")
		case r == 'ß':
			b.WriteString("ss")
		case strings.ContainsRune("àáâã", r):
			b.WriteByte('a')
		case strings.ContainsRune("èéêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("ìíîï", r):
			b.WriteByte('i')
		case strings.ContainsRune("òóôõ", r):
			b.WriteByte('o')
		case strings.ContainsRune("ùúû", r):
			b.WriteByte('u')
		case r == 'ñ':
			b.WriteByte('n')
		case r == 'ç':
			b.WriteByte('c')
		}
	}
	return b.String()
}

// zhMobile gives a Chinese mobile number "138 0013 8000"; the last nine
// digits are a permutation of the id, so numbers never repeat.
func (g *demoGen) zhMobile(id int64) string {
	second := "3456789"[demoZhMobilePicker.pick(g.r)]
	rest := (uint64(id)*387420489 + g.seed*104729) % 1_000_000_000
	var d [11]byte
	d[0], d[1] = '1', second
	for i := 10; i >= 2; i-- {
		d[i] = byte('0' + rest%10)
		rest /= 10
	}
	return string(d[:3]) + " " + string(d[3:7]) + " " + string(d[7:])
}

// digits fills each # of a phone pattern with a random digit.
func (g *demoGen) digits(pattern string) string {
	b := []byte(pattern)
	for i, c := range b {
		if c == '#' {
			b[i] = byte('0' + g.r.IntN(10))
		}
	}
	return string(b)
}

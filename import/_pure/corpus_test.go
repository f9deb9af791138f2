package importer

import (
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rapportcrm/rapport/model"
)

// The corpus is third-party exports kept beside the repository in
// shared/corpus (see its SOURCES.md); it is never copied into the
// repository. These tests find it by walking up from the package and skip
// when it is not there. The figures they check are SOURCES.md's.

func corpusPath(t *testing.T, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Skip(err)
	}
	for {
		p := filepath.Join(dir, "shared", "corpus", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("shared/corpus/%s not found above the package; skipping", name)
		}
		dir = parent
	}
}

type corpusRun struct {
	d       Detected
	recs    []Record
	errs    []RowError
	skipped int
}

func importCorpus(t *testing.T, name string, opts Options) corpusRun {
	t.Helper()
	f, err := Open(corpusPath(t, name), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	run := corpusRun{d: f.Detected}
	last := 0
	for {
		rec, errs, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Line <= last {
			t.Fatalf("line %d after %d", rec.Line, last)
		}
		last = rec.Line
		if len(errs) > 0 {
			run.errs = append(run.errs, errs...)
			continue
		}
		run.recs = append(run.recs, rec)
	}
	if f.BytesRead() != f.Size() {
		t.Errorf("read %d of %d bytes", f.BytesRead(), f.Size())
	}
	run.skipped = f.Skipped()
	return run
}

// rawRecords counts the records the reader alone yields after the header.
func rawRecords(t *testing.T, name string) int {
	t.Helper()
	path := corpusPath(t, name)
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	s, err := Sniff(file)
	if err != nil {
		t.Fatal(err)
	}
	file.Seek(0, io.SeekStart)
	rd := NewReader(NewDecoder(file, s.Encoding), s.Delimiter)
	n := -1
	for {
		_, _, err := rd.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
}

func (r corpusRun) check(t *testing.T, enc Encoding, bom bool, delim rune, preset string, records, errors, skipped int) {
	t.Helper()
	if r.d.Encoding != enc || r.d.BOM != bom || r.d.Delimiter != delim || r.d.Preset != preset {
		t.Errorf("detected %s, want %s bom=%v %q %s", r.d, enc, bom, delim, preset)
	}
	if len(r.recs) != records || len(r.errs) != errors || r.skipped != skipped {
		t.Errorf("records %d, errors %d, skipped %d; want %d, %d, %d (first errors %v)",
			len(r.recs), len(r.errs), r.skipped, records, errors, skipped, r.errs[:min(3, len(r.errs))])
	}
}

func (r corpusRun) csatCounts() map[int]int {
	out := map[int]int{}
	for _, rec := range r.recs {
		if rec.Feedback != nil && rec.Feedback.CSAT != nil {
			out[*rec.Feedback.CSAT]++
		}
	}
	return out
}

func (r corpusRun) distinctFeedback() int {
	keys := map[string]bool{}
	for _, rec := range r.recs {
		if rec.Feedback != nil {
			keys[rec.FeedbackKey] = true
		}
	}
	return len(keys)
}

func total(m map[int]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestCorpusKaggle(t *testing.T) {
	r := importCorpus(t, "kaggle-customer-support-tickets.csv", Options{})
	r.check(t, UTF8, false, ',', "tickets", 8469, 0, 0)
	if n := total(r.csatCounts()); n != 2769 {
		t.Errorf("%d records with CSAT, want 2769 (the Closed tickets)", n)
	}
	if r.distinctFeedback() != 8469 {
		t.Errorf("%d distinct tickets", r.distinctFeedback())
	}
	multiLine := 0
	for _, rec := range r.recs {
		if rec.Customer.Email == "" || rec.Feedback.Subject == "" {
			t.Fatalf("line %d: %+v", rec.Line, rec)
		}
		if strings.Contains(rec.Feedback.Body, "\n") {
			multiLine++
		}
	}
	if multiLine < 6000 {
		t.Errorf("%d multi-line descriptions, SOURCES.md says 6,150 records have them", multiLine)
	}
}

func TestCorpusIBMTelco(t *testing.T) {
	r := importCorpus(t, "ibm-telco-churn-status.csv", Options{})
	r.check(t, UTF8, false, ',', "tickets", 7043, 0, 0)
	want := map[int]int{1: 922, 2: 518, 3: 2665, 4: 1789, 5: 1149}
	if got := r.csatCounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("Satisfaction Score as CSAT: %v, want %v", got, want)
	}
	life := map[model.Lifecycle]int{}
	for _, rec := range r.recs {
		life[rec.Customer.Lifecycle]++
		if rec.CustomerKey == "" || rec.Customer.LTV <= 0 {
			t.Fatalf("line %d: %+v", rec.Line, rec)
		}
	}
	if life[model.LifecycleChurned] == 0 || life[model.LifecycleRetained] == 0 || life[model.LifecycleNew] == 0 || life[""] != 0 {
		t.Errorf("Customer Status as lifecycle: %v", life)
	}
	if got := rawRecords(t, "ibm-telco-churn-status.csv"); got != 7043 {
		t.Errorf("reader: %d records (CRLF, no final EOL)", got)
	}

	d := importCorpus(t, "ibm-telco-churn-demographics.csv", Options{})
	d.check(t, UTF8, false, ',', "contacts", 7043, 0, 0)
	keys := map[string]bool{}
	for _, rec := range r.recs {
		keys[rec.CustomerKey] = true
	}
	for _, rec := range d.recs {
		if rec.Feedback != nil || !keys[rec.CustomerKey] {
			t.Fatalf("demographics line %d does not join the status file: %+v", rec.Line, rec)
		}
	}
}

func TestCorpusGLPI(t *testing.T) {
	utf := importCorpus(t, "glpi-helpdesk-uenp-utf8bom-semicolon.csv", Options{})
	utf.check(t, UTF8, true, ';', "tickets", 3568, 0, 0)
	if n := utf.distinctFeedback(); n != 1315 {
		t.Errorf("%d distinct tickets, want 1315", n)
	}
	if got, want := utf.csatCounts(), map[int]int{5: 17, 3: 3, 2: 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("Satisfação: %v, want %v (the rest is '-')", got, want)
	}
	if col := utf.d.Mapping.Columns[4]; col.Header != "Data Abertura" || col.DateOrder != DateDMY {
		t.Errorf("Data Abertura: %+v", col)
	}
	first := utf.recs[0].Feedback
	if y, m, d := first.CreatedAt.Date(); y != 2021 || m != 8 || d != 31 || first.ResolvedAt.Day() != 8 || first.Status != model.StatusResolved {
		t.Errorf("first ticket: %+v", first)
	}

	cp := importCorpus(t, "glpi-helpdesk-uenp-cp1252-semicolon.csv", Options{})
	cp.check(t, Windows1252, false, ';', "tickets", 3568, 0, 0)
	if !reflect.DeepEqual(cp.d.Header, utf.d.Header) {
		t.Errorf("headers differ: %q vs %q", cp.d.Header, utf.d.Header)
	}
	for i := range utf.recs {
		if !reflect.DeepEqual(utf.recs[i].Raw, cp.recs[i].Raw) {
			t.Fatalf("record %d differs:\n utf-8  %q\n cp1252 %q", i, utf.recs[i].Raw, cp.recs[i].Raw)
		}
	}

	dos := importCorpus(t, "glpi-helpdesk-uenp-cp850-semicolon.csv", Options{})
	dos.check(t, CP850, false, ';', "tickets", 3903, 0, 0)
	if dos.d.Header[5] != "Data Solução" || dos.d.Header[10] != "Usuário Iteração" {
		t.Errorf("CP850 header: %q", dos.d.Header)
	}
	cao, nao := 0, 0
	for _, rec := range dos.recs {
		for _, f := range rec.Raw {
			if strings.ContainsRune(f, utf8.RuneError) {
				t.Fatalf("line %d: %q", rec.Line, f)
			}
		}
		if strings.Contains(rec.Feedback.Category, "ção") {
			cao++
		}
		if rec.Raw[11] == "não" {
			nao++
		}
	}
	if cao == 0 || nao == 0 {
		t.Errorf("CP850 letters: %d categories with ção, %d não", cao, nao)
	}

	comma := importCorpus(t, "glpi-helpdesk-uenp-utf8bom-comma.csv", Options{})
	comma.check(t, UTF8, true, ',', "tickets", 1465, 0, 0)
	if s := comma.recs[0].Feedback.CreatedAt.Second(); s != 8 {
		t.Errorf("seconds in the comma file's dates: %v", comma.recs[0].Feedback.CreatedAt)
	}
}

// The JD file is GBK; its first data row is blank (",,,,,,"): the reader
// yields 21,931 records as SOURCES.md counts them, and the importer skips
// the blank one, leaving 21,930, of which 4,552 are distinct.
func TestCorpusJD(t *testing.T) {
	if got := rawRecords(t, "jd-iphone-reviews-gbk.csv"); got != 21931 {
		t.Errorf("reader: %d records, want 21931", got)
	}
	r := importCorpus(t, "jd-iphone-reviews-gbk.csv", Options{})
	r.check(t, GB18030, false, ',', "tickets", 21930, 0, 1)
	want := map[int]int{5: 13427, 1: 4260, 3: 3096, 2: 1020, 4: 127}
	if got := r.csatCounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("得分 as CSAT: %v, want %v", got, want)
	}
	if n := r.distinctFeedback(); n != 4552 {
		t.Errorf("%d distinct reviews (crawled repeatedly), want 4552", n)
	}
	plans := map[string]bool{}
	for _, rec := range r.recs {
		plans[rec.Customer.Plan] = true
	}
	for _, p := range []string{"PLUS会员", "金牌会员", "银牌会员", "钻石会员", "注册会员", "铜牌会员", "PLUS会员[试用]", "企业会员"} {
		if !plans[p] {
			t.Errorf("plan %q missing", p)
		}
	}
	if y, m, d := r.recs[0].Feedback.CreatedAt.Date(); y != 2018 || m != 6 || d != 28 {
		t.Errorf("购买时间: %v", r.recs[0].Feedback.CreatedAt)
	}
}

// Suning: GB18030 (an emoji in a four-byte sequence), the header repeated
// five times mid-file, five empty lines and one ",,,,," row. SOURCES.md's
// 1,731 counts the empty lines as records; the reader skips them (1,726),
// and the importer skips the 5 headers and the blank row: 1,720.
func TestCorpusSuning(t *testing.T) {
	if got := rawRecords(t, "suning-iphone-reviews-gb18030.csv"); got != 1726 {
		t.Errorf("reader: %d records, want 1726", got)
	}
	r := importCorpus(t, "suning-iphone-reviews-gb18030.csv", Options{})
	r.check(t, GB18030, false, ',', "tickets", 1720, 0, 6)
	sci := 0
	for _, rec := range r.recs {
		if strings.ContainsAny(rec.CustomerKey, "Ee+.") {
			t.Fatalf("line %d: id %q not normalised", rec.Line, rec.CustomerKey)
		}
		if rec.Raw[0] == "1.03531E+12" && rec.CustomerKey == "1035310000000" {
			sci++
		}
		if rec.Feedback.CreatedAt.IsZero() {
			t.Fatalf("line %d: no date from %q", rec.Line, rec.Raw[4])
		}
	}
	if sci == 0 {
		t.Error("no scientific-notation id seen")
	}
}

func TestCorpusComcast(t *testing.T) {
	r := importCorpus(t, "comcast-telecom-complaints.csv", Options{TZ: "UTC"})
	r.check(t, UTF8, true, ',', "tickets", 2224, 0, 0)
	first := r.recs[0]
	if first.FeedbackKey != "250635" || first.Feedback.Subject != "Comcast Cable Internet Speeds" ||
		first.Customer.City != "Abingdon" || first.Customer.Region != "Maryland" || first.Feedback.Channel != "phone" {
		t.Errorf("first: %+v %+v", first, first.Feedback)
	}
	if at := first.Feedback.CreatedAt; at.Month() != 4 || at.Day() != 22 || at.Hour() != 15 || at.Minute() != 53 {
		t.Errorf("Date + Time: %v", at)
	}
	if r.recs[1].Feedback.CreatedAt.Month() != 8 {
		t.Errorf("04-08-2015 is 4 August: %v", r.recs[1].Feedback.CreatedAt)
	}
}

func TestCorpusMultilang(t *testing.T) {
	r := importCorpus(t, "multilang-helpdesk-customer-tickets.csv", Options{})
	r.check(t, UTF8, false, ',', "tickets", 600, 0, 0)
	langs, tagged := map[string]int{}, 0
	for _, rec := range r.recs {
		langs[rec.Customer.Language]++
		if len(rec.Feedback.Tags) > 0 {
			tagged++
		}
	}
	if want := map[string]int{"en": 163, "de": 152, "es": 133, "pt": 81, "fr": 71}; !reflect.DeepEqual(langs, want) {
		t.Errorf("languages %v, want %v", langs, want)
	}
	if tagged == 0 {
		t.Error("no tags from tag_1 … tag_9")
	}
}

func TestCorpusNPS(t *testing.T) {
	for _, c := range []struct {
		file    string
		bom     bool
		records int
	}{
		{"preppindata-airline-nps-other-airlines.csv", false, 5723},
		{"preppindata-airline-nps-prep-air.csv", false, 184},
		{"preppindata-csbsco-nps-survey.csv", true, 24},
	} {
		r := importCorpus(t, c.file, Options{})
		r.check(t, UTF8, c.bom, ',', "survey", c.records, 0, 0)
		for _, rec := range r.recs {
			if rec.Feedback == nil || rec.Feedback.NPS == nil || rec.Feedback.Channel != "survey" {
				t.Fatalf("%s line %d: no NPS", c.file, rec.Line)
			}
		}
	}
	r := importCorpus(t, "preppindata-airline-nps-other-airlines.csv", Options{})
	airlines := map[string]bool{}
	for _, rec := range r.recs {
		airlines[rec.Attrs["Airline"]] = true
	}
	if len(airlines) != 98 || !airlines["Schmeler, Schimmel and Collier"] {
		t.Errorf("%d airlines", len(airlines))
	}
	long := importCorpus(t, "preppindata-csbsco-nps-survey-long.csv", Options{})
	if len(long.recs)+len(long.errs) != 140 {
		t.Errorf("long form: %d records, %d errors", len(long.recs), len(long.errs))
	}
}

// ChnSentiCorp: 7,766 reviews; one review is empty, and a row with only a
// label has nothing to import, so it is reported (line 6376).
func TestCorpusChnSentiCorp(t *testing.T) {
	r := importCorpus(t, "chnsenticorp-hotel-reviews.csv", Options{})
	r.check(t, UTF8, true, ',', "tickets", 7765, 1, 0)
	if len(r.errs) == 1 && r.errs[0].Line != 6376 {
		t.Errorf("the empty review is on line 6376: %v", r.errs[0])
	}
	labels := map[string]int{}
	for _, rec := range r.recs {
		labels[rec.Attrs["label"]]++
		if rec.Customer.Name != AnonymousName || rec.Feedback.Body == "" {
			t.Fatalf("line %d: %+v", rec.Line, rec)
		}
	}
	if labels["1"] != 5322 || labels["0"] != 2443 {
		t.Errorf("labels: %v", labels)
	}
}

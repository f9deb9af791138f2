package importer

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapportcrm/rapport/model"
)

func TestRescaleBands(t *testing.T) {
	want010 := []int{1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5} // 0..10
	for v, w := range want010 {
		raw := strings.Repeat(" ", v%2) + strconv.Itoa(v)
		if got, err := rescale(raw, ScaleCSATFrom010); err != nil || got != w {
			t.Errorf("0–10 %q → %d, %v; want %d", raw, got, err, w)
		}
		if v == 0 {
			continue
		}
		if got, err := rescale(raw, ScaleCSATFrom110); err != nil || got != w {
			t.Errorf("1–10 %q → %d, %v; want %d", raw, got, err, w)
		}
	}
	if got, err := rescale("8.0", ScaleCSATFrom010); err != nil || got != 4 {
		t.Errorf("8.0 → %d, %v", got, err)
	}
	for _, bad := range []string{"11", "-1", "7.5", "abc", "10/10", "NaN", "1e3"} {
		if _, err := rescale(bad, ScaleCSATFrom010); err == nil || errors.Is(err, errNoValue) {
			t.Errorf("0–10 %q: want an error, got %v", bad, err)
		}
	}
	if _, err := rescale("0", ScaleCSATFrom110); err == nil || !strings.Contains(err.Error(), "outside the 1–10 scale") {
		t.Errorf("1–10 of 0: %v", err)
	}
	for _, none := range []string{"", "NA", "n/a", "-"} {
		if _, err := rescale(none, ScaleCSATFrom010); !errors.Is(err, errNoValue) {
			t.Errorf("%q: want no value, got %v", none, err)
		}
	}
}

func TestParseScale(t *testing.T) {
	for _, n := range ScaleNames() {
		if s, err := ParseScale(" " + strings.ToUpper(n) + " "); err != nil || string(s) != n {
			t.Errorf("%q → %q, %v", n, s, err)
		}
	}
	if _, err := ParseScale("0-10"); err == nil || !strings.Contains(err.Error(), "csat-from-0-10") {
		t.Errorf("unknown scale: %v", err)
	}
}

// scaleFile writes a small survey whose `satisfaction` holds the given
// answers (one row each) and whose `nps` holds 9 on every row.
func scaleFile(t *testing.T, answers ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,satisfaction,nps\n")
	for i, a := range answers {
		b.WriteString("r" + string(rune('a'+i)) + "," + a + ",9\n")
	}
	p := filepath.Join(t.TempDir(), "survey.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// storedScores reads back each respondent's CSAT, CSAT raw and NPS.
func storedScores(t *testing.T, st interface {
	ListFeedback(context.Context, model.FeedbackQuery) ([]model.Feedback, error)
}) []model.Feedback {
	t.Helper()
	fbs, err := st.ListFeedback(context.Background(), model.FeedbackQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return fbs
}

// TestConverterScales drives each scale through a real import: what is
// stored, what is rejected, and that no row is rejected for a value off
// the scale of a column kept as an attribute.
func TestConverterScales(t *testing.T) {
	ctx := context.Background()
	answers := []string{"0", "2", "3", "6", "7", "8", "10", "NA"}
	cases := []struct {
		scale    Scale
		answers  []string
		rejected int
		csatN    int
		csatSum  int
		npsN     int
		field    string
	}{
		// 0,2→1 3→2 6→3 7,8→4 10→5
		{ScaleCSATFrom010, answers, 0, 7, 1 + 1 + 2 + 3 + 4 + 4 + 5, 8, "feedback.csat"},
		// the 0 row is rejected whole (its NPS too): off the 1–10 scale
		{ScaleCSATFrom110, answers, 1, 6, 1 + 2 + 3 + 4 + 4 + 5, 7, "feedback.csat"},
		// off-scale numbers reject their row when the user says 0–10
		{ScaleCSATFrom010, []string{"11", "-1", "7.5", "5"}, 3, 1, 3, 1, "feedback.csat"},
		// read as CSAT 1–5 as told: 0, 6, 7, 8 and 10 cannot be right
		{ScaleCSAT, answers, 5, 2, 2 + 3, 3, "feedback.csat"},
		// the user's NPS takes the field from the `nps` column
		{ScaleNPS, answers, 0, 0, 0, 7, "feedback.nps"},
		// kept as attribute: nothing is rejected, whatever the value
		{ScaleAttribute, []string{"11", "-1", "7.5", "meh", "5", "NA"}, 0, 0, 0, 6, "attrs"},
	}
	for n, c := range cases {
		t.Run(strconv.Itoa(n)+"-"+string(c.scale), func(t *testing.T) {
			st := importStore(t)
			rep, err := Run(ctx, st, scaleFile(t, c.answers...), Options{Loc: time.UTC, Agent: "t",
				Scales: map[string]Scale{"Satisfaction": c.scale}})
			if err != nil {
				t.Fatal(err)
			}
			if rep.ImportCounts.Errors != c.rejected {
				t.Errorf("rejected %d, want %d: %+v", rep.ImportCounts.Errors, c.rejected, rep.Errors)
			}
			for _, e := range rep.Errors {
				if e.Column != "satisfaction" {
					t.Errorf("error names column %q: %+v", e.Column, e)
				}
			}
			col := rep.Columns[1]
			if col.Field != c.field || col.Scale != c.scale || !strings.HasPrefix(col.Evidence, "set by you") {
				t.Errorf("column %+v", col)
			}
			o := overall(t, st)
			sum := 0
			if o.CSATAvg != nil {
				sum = int(math.Round(*o.CSATAvg * float64(o.CSATN)))
			}
			if o.CSATN != c.csatN || sum != c.csatSum || o.NPSN != c.npsN {
				t.Errorf("stored %d CSAT (sum %d), %d NPS; want %d (sum %d), %d", o.CSATN, sum, o.NPSN, c.csatN, c.csatSum, c.npsN)
			}
			rescaled := 0
			if isRescale(c.scale) {
				rescaled = c.csatN
			}
			if rep.Rescaled != rescaled {
				t.Errorf("rescaled %d, want %d", rep.Rescaled, rescaled)
			}
			for _, fb := range storedScores(t, st) {
				switch {
				case isRescale(c.scale) && fb.CSAT != nil:
					if fb.CSATRaw == "" || fb.CSATRaw == "NA" {
						t.Errorf("rescaled CSAT %d without its raw answer %q", *fb.CSAT, fb.CSATRaw)
					}
				case c.scale == ScaleAttribute:
					if fb.CSAT != nil || fb.Attrs["satisfaction"] == "" && fb.Attrs[UndatedAttr] == "" {
						t.Errorf("attribute column stored as %v / %v", fb.CSAT, fb.Attrs)
					}
				}
			}
		})
	}
}

// TestMapScalesRoundTrip: [scales] in a mapping file reaches the import,
// --save-map writes it back, and the saved file imports the same.
func TestMapScalesRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.toml")
	if err := os.WriteFile(in, []byte("[scales]\nsatisfaction = \"csat-from-0-10\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mf, err := LoadMappingFile(in)
	if err != nil || mf.Scales["satisfaction"] != ScaleCSATFrom010 {
		t.Fatalf("%+v, %v", mf, err)
	}
	file := scaleFile(t, "10", "6", "0")
	saved := filepath.Join(dir, "saved.toml")
	var saveErr error
	rep, err := Run(ctx, importStore(t), file, Options{Loc: time.UTC, Columns: mf.Columns, Scales: mf.Scales,
		Mapping: func(h []string, m Mapping) { saveErr = SaveMapping(saved, h, m) }})
	if err != nil || saveErr != nil || rep.Rescaled != 3 {
		t.Fatalf("run: %v, save: %v, rescaled %d", err, saveErr, rep.Rescaled)
	}
	back, err := LoadMappingFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Scales) != 1 || back.Scales["satisfaction"] != ScaleCSATFrom010 || back.Columns["satisfaction"] != FieldCSAT {
		t.Errorf("saved mapping: %+v", back)
	}
	st := importStore(t)
	again, err := Run(ctx, st, file, Options{Loc: time.UTC, Columns: back.Columns, Scales: back.Scales})
	if err != nil || again.Rescaled != 3 || again.ImportCounts.Errors != 0 {
		t.Fatalf("re-run with the saved mapping: %v, %+v", err, again.ImportCounts)
	}
	if o := overall(t, st); o.CSATN != 3 || o.CSATAvg == nil || math.Abs(*o.CSATAvg-3) > 1e-9 {
		t.Errorf("CSAT %d mean %v, want 3 answers of mean 3 (5, 3, 1)", o.CSATN, o.CSATAvg)
	}
	// A bad scale name, or a column the file lacks, is refused.
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[scales]\nsatisfaction = \"0-10\"\n"), 0o644)
	if _, err := LoadMappingFile(bad); err == nil || !strings.Contains(err.Error(), "unknown scale") {
		t.Errorf("bad scale: %v", err)
	}
	if _, err := Run(ctx, importStore(t), file, Options{Scales: map[string]Scale{"happiness": ScaleNPS}}); err == nil ||
		!strings.Contains(err.Error(), `"happiness"`) {
		t.Errorf("unknown column: %v", err)
	}
}

// TestScaleChoices: the scales offered for a column follow its values.
func TestScaleChoices(t *testing.T) {
	m, _ := DetectMapping([]string{"id", "satisfaction", "nps", "rating", "comment", "Survey results"}, "")
	rows := []Row{
		{Line: 2, Fields: []string{"1", "0", "9", "4", "fine", "Good"}},
		{Line: 3, Fields: []string{"2", "10", "0", "5", "slow", "Bad"}},
	}
	m.Decide([]string{"id", "satisfaction", "nps", "rating", "comment", "Survey results"}, rows, nil)
	got := func(i int) string {
		var s []string
		for _, c := range m.Columns[i].Scales {
			s = append(s, string(c))
		}
		return strings.Join(s, " ")
	}
	for i, want := range map[int]string{
		1: "attribute nps csat-from-0-10",
		2: "nps csat-from-0-10 attribute",
		4: "",
	} {
		if got(i) != want {
			t.Errorf("column %s: %q, want %q", m.Columns[i].Header, got(i), want)
		}
	}
	if g := got(3); !strings.Contains(g, "csat") || strings.Contains(g, "from") {
		t.Errorf("a 1–5 column: %q", g)
	}
}

// TestBotanicRescaled: corpus file 22 with its 0–10 `satisfaction`
// rescaled gives a CSAT answer for each of the 13,893 rows that have one
// (61 are NA), no row rejected, and NPS stays +53.42.
func TestBotanicRescaled(t *testing.T) {
	s := importStore(t)
	rep := run(t, s, "nps-botanic-fr.csv", Options{Scales: map[string]Scale{"satisfaction": ScaleCSATFrom010}})
	if rep.Rows != 13954 || rep.ImportCounts.Errors != 0 || rep.Rescaled != 13893 {
		t.Fatalf("%d rows, %d rejected, %d rescaled", rep.Rows, rep.ImportCounts.Errors, rep.Rescaled)
	}
	o := overall(t, s)
	if o.CSATN != 13893 || o.CSATAvg == nil || math.Abs(*o.CSATAvg-4.3556) > 0.0001 {
		t.Errorf("CSAT %d answers, mean %v; want 13,893 and 4.3556", o.CSATN, o.CSATAvg)
	}
	if o.NPSN != 13612 || o.NPS == nil || math.Abs(*o.NPS-53.42) > 0.005 {
		t.Errorf("NPS %d answers, %v; want 13,612 and +53.42", o.NPSN, o.NPS)
	}
	found := false
	for _, n := range rep.Notes {
		found = found || strings.HasPrefix(n, "13893 answer(s) of satisfaction (0–10) rescaled to CSAT 1–5")
	}
	if !found {
		t.Errorf("notes %q", rep.Notes)
	}
}

// FuzzRescale: any text rescales to 1–5 or is no value or an error, and
// a whole number on the scale always rescales.
func FuzzRescale(f *testing.F) {
	for _, s := range []string{"0", "10", "5", "11", "-1", "7.5", "NA", "", " 8 ", "1e1", "0x0A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, sc := range []Scale{ScaleCSATFrom010, ScaleCSATFrom110} {
			n, err := rescale(raw, sc)
			if err == nil && (n < 1 || n > 5) {
				t.Fatalf("%s %q → %d", sc, raw, n)
			}
			if v, perr := strconv.Atoi(strings.TrimSpace(raw)); perr == nil && v >= 1 && v <= 10 && err != nil {
				t.Fatalf("%s %q: %v", sc, raw, err)
			}
		}
	})
}

package storetest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rapportcrm/rapport/model"
)

// testSearchFoldsNonASCII: customer search, feedback search and the
// segment operator ~ follow one rule in every script. A term (a search
// word) of ASCII characters matches its ASCII letters in either ASCII case
// only; a term with any other character matches wherever the text,
// lower-cased character by character as Go's strings.ToLower does with
// the final sigma ς read as σ, contains the term lower-cased the same
// way: é finds É, ß finds ẞ (not "ss"), σ, Σ and ς find each other, Д
// finds д, the full-width Ａ finds ａ (not the ASCII A), kana and Chinese
// match themselves, and an ASCII letter beside them finds either case.
// Customer search keeps its short forms: one or two characters other than
// two CJK ones look for a name that starts with them. Every store answers
// the same.
func testSearchFoldsNonASCII(t *testing.T, st model.Store) {
	c := createCustomers(t, st, []model.Customer{
		{Name: "Élodie Durand", Company: "Café Müller"},                 // 0
		{Name: "élodie petit", Company: "CAFÉ NOIR"},                    // 1
		{Name: "Hans Straße", Company: "Bau AG"},                        // 2
		{Name: "HANS STRAẞE", Company: "BAU GMBH"},                      // 3
		{Name: "Strasse Partners"},                                      // 4
		{Name: "ΝΙΚΟΛΑΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ"},                                 // 5
		{Name: "νικολαος παπαδοπουλος"},                                 // 6: both with the final ς
		{Name: "ДМИТРИЙ ИВАНОВ"},                                        // 7
		{Name: "Дмитрий Иванов"},                                        // 8
		{Name: "ＡＣＭＥ Ｔｒａｄｉｎｇ"},                                          // 9
		{Name: "ａｃｍｅ ｔｒａｄｉｎｇ"},                                          // 10
		{Name: "ACME Trading"},                                          // 11
		{Name: "タナカ ハナコ"},                                               // 12
		{Name: "たなか はなこ"},                                               // 13
		{Name: "陈静", Company: "上海云栖科技"},                                 // 14
		{Name: "陈伟", Company: "上海ACME科技", Email: "chen.wei@example.cn"}, // 15
		{Name: "İzmir Ofis"},                                            // 16
		{Name: "izmir ofis"},                                            // 17
	})
	for _, k := range []struct {
		search string
		want   []int
	}{
		{"élodie", []int{0, 1}},
		{"ÉLODIE", []int{0, 1}},
		{"café", []int{0, 1}},
		{"CAFÉ NOIR", []int{1}},
		{"straße", []int{2, 3}},
		{"STRAẞE", []int{2, 3}},
		{"strasse", []int{4}},
		{"νικολαος", []int{5, 6}},
		{"ΝΙΚΟΛΑΟΣ", []int{5, 6}},
		{"παπαδοπουλοσ", []int{5, 6}},
		{"κολα", []int{5, 6}},
		{"дмитрий", []int{7, 8}},
		{"ИВАНОВ", []int{7, 8}},
		{"ａｃｍｅ", []int{9, 10}},
		{"ＡＣＭＥ", []int{9, 10}},
		{"Ｔｒａｄｉｎｇ", []int{9, 10}},
		{"acme", []int{11, 15}},
		{"タナカ", []int{12}},
		{"はなこ", []int{13}},
		{"ハナ", []int{12}},
		{"陈", []int{14, 15}},
		{"陈静", []int{14}},
		{"云栖科", []int{14}},
		{"上海acme", []int{15}},
		{"上海ACME科", []int{15}},
		{"İZMİR", []int{16, 17}},
		{"izmir", []int{17}},
		{"Ω", nil},
		{"Дм", []int{8}},
	} {
		want := pick(c, k.want)
		q := model.CustomerQuery{Search: k.search, Limit: 100}
		got := must(st.ListCustomers(ctx, q))(t)
		if !sameIDs(customerIDs(got.Rows), want) {
			t.Errorf("customer search %q = %v, want %v", k.search, sorted(customerIDs(got.Rows)), sorted(want))
		}
		if n, _, err := st.CountCustomers(ctx, q, 0); err != nil || n != len(want) {
			t.Errorf("customer count %q = %d, %v, want %d", k.search, n, err, len(want))
		}
	}

	f := make([]int64, 0, 14)
	for i, body := range []string{
		"Élodie a appelé pour la facture", // 0
		"ÉLODIE A APPELÉ POUR LA FACTURE", // 1
		"Die Straße ist gesperrt",         // 2
		"DIE STRAẞE IST GESPERRT",         // 3
		"ΑΡΓΗ ΠΑΡΑΔΟΣΗ ΤΡΕΙΣ ΜΗΝΕΣ",       // 4
		"αργη παραδοση τρεις μηνες",       // 5: with the final ς
		"ДОСТАВКА ЗАДЕРЖАНА",              // 6
		"Доставка задержана",              // 7
		"ＡＰＰ ＣＲＡＳＨ",                       // 8
		"ａｐｐ ｃｒａｓｈ",                       // 9
		"APP CRASH",                       // 10
		"アプリが落ちる",                         // 11
		"退款太慢了 陈静",                        // 12
		"上海ACME仓库 退款",                     // 13
	} {
		f = append(f, addFeedback(t, st, "li.lei", model.Feedback{CustomerID: c[i], Body: body}).ID)
	}
	for _, k := range []struct {
		search string
		want   []int
	}{
		{"élodie", []int{0, 1}},
		{"APPELÉ", []int{0, 1}},
		{"élodie facture", []int{0, 1}},
		{"é", []int{0, 1}},
		{"straße", []int{2, 3}},
		{"τρεις", []int{4, 5}},
		{"ΜΗΝΕΣ", []int{4, 5}},
		{"παραδοσ", []int{4, 5}},
		{"доставка", []int{6, 7}},
		{"д", []int{6, 7}},
		{"ＣＲＡＳＨ", []int{8, 9}},
		{"ａｐｐ ｃｒａｓｈ", []int{8, 9}},
		{"crash", []int{10}},
		{"アプリ", []int{11}},
		{"落ちる", []int{11}},
		{"退款", []int{12, 13}},
		{"陈", []int{12}},
		{"陈静", []int{12}},
		{"上海acme", []int{13}},
		{"acme 退款", []int{13}},
	} {
		want := pick(f, k.want)
		q := model.FeedbackQuery{Search: k.search, Limit: 100}
		got := must(st.ListFeedback(ctx, q))(t)
		if !sameIDs(feedbackIDs(got), want) {
			t.Errorf("feedback search %q = %v, want %v", k.search, sorted(feedbackIDs(got)), sorted(want))
		}
		if n, _, err := st.CountFeedback(ctx, q, 0); err != nil || n != len(want) {
			t.Errorf("feedback count %q = %d, %v, want %d", k.search, n, err, len(want))
		}
	}

	for _, k := range []struct {
		expr string
		want []int
	}{
		{`name ~ "straße"`, []int{2, 3}},
		{`name ~ "ΝΙΚΟΛΑΟς"`, []int{5, 6}},
		{`name ~ "дмитрий"`, []int{7, 8}},
		{`name ~ "ａｃｍｅ"`, []int{9, 10}},
		{`name ~ "タナカ"`, []int{12}},
		{`name ~ "陈"`, []int{14, 15}},
		{`company ~ "上海acme"`, []int{15}},
	} {
		expectWhere(t, st, k.expr, pick(c, k.want))
	}
}

// pick is ids at the given places.
func pick(ids []int64, at []int) []int64 {
	out := make([]int64, 0, len(at))
	for _, i := range at {
		out = append(out, ids[i])
	}
	return out
}

// testSearchFoldRuleRandom checks the rule of testSearchFoldsNonASCII on
// random texts and words over letters that fold in unusual ways (İ, the
// Kelvin sign, ſ, ς, ẞ, full-width, Cyrillic, Chinese): every customer and
// feedback search answers what the rule, computed here, says.
func testSearchFoldRuleRandom(t *testing.T, st model.Store) {
	alphabet := []rune("aAeéÉiIİkK\u212AsSſσΣςßẞａＡдД陈静")
	rng := rand.New(rand.NewPCG(9, 18))
	word := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	// a word found in text: a piece of it with some letters' case changed
	piece := func(text string, n int) string {
		r := []rune(text)
		if len(r) < n {
			return word(n)
		}
		i := rng.IntN(len(r) - n + 1)
		out := []rune(string(r[i : i+n]))
		for j := range out {
			if rng.IntN(3) == 0 {
				out[j] = []rune(strings.ToUpper(string(out[j])))[0]
			}
		}
		return string(out)
	}
	var names []string
	var people []model.Customer
	for range 30 {
		n := word(3+rng.IntN(4)) + " " + word(3+rng.IntN(4))
		names = append(names, n)
		people = append(people, model.Customer{Name: n})
	}
	ids := createCustomers(t, st, people)
	found := 0 // searches that find something, so the test is not vacuous
	var bodies []string
	var fids []int64
	for i := range 30 {
		b := word(4+rng.IntN(8)) + " " + word(2+rng.IntN(6))
		bodies = append(bodies, b)
		fids = append(fids, addFeedback(t, st, "li.lei", model.Feedback{CustomerID: ids[i], Body: b}).ID)
	}
	for k := range 60 {
		term := word(3 + rng.IntN(3))
		if k%2 == 0 {
			term = piece(strings.ReplaceAll(names[rng.IntN(len(names))], " ", ""), 3+rng.IntN(3))
		}
		var want []int64
		for i, n := range names {
			if ruleMatches(n, term) {
				want = append(want, ids[i])
			}
		}
		got := must(st.ListCustomers(ctx, model.CustomerQuery{Search: term, Limit: 100}))(t)
		if !sameIDs(customerIDs(got.Rows), want) {
			t.Errorf("customer search %q = %v, want %v", term, sorted(customerIDs(got.Rows)), sorted(want))
		}
		found += min(len(want), 1)
	}
	for k := range 60 {
		var words []string
		for range 1 + rng.IntN(2) {
			w := word(1 + rng.IntN(4))
			if k%2 == 0 {
				w = piece(strings.ReplaceAll(bodies[rng.IntN(len(bodies))], " ", ""), 1+rng.IntN(4))
			}
			words = append(words, w)
		}
		var want []int64
		for i, b := range bodies {
			all := true
			for _, w := range words {
				all = all && ruleMatches(b, w)
			}
			if all {
				want = append(want, fids[i])
			}
		}
		search := strings.Join(words, " ")
		got := must(st.ListFeedback(ctx, model.FeedbackQuery{Search: search, Limit: 100}))(t)
		if !sameIDs(feedbackIDs(got), want) {
			t.Errorf("feedback search %q = %v, want %v", search, sorted(feedbackIDs(got)), sorted(want))
		}
		found += min(len(want), 1)
	}
	t.Logf("%d of 120 searches find something", found)
	if found < 25 {
		t.Errorf("only %d of 120 searches find something", found)
	}
}

// ruleMatches is the rule: an ASCII word is found in either ASCII case,
// any other word in the text lower-cased as Go does, ς as σ.
func ruleMatches(text, w string) bool {
	ascii := true
	for _, r := range w {
		ascii = ascii && r < 0x80
	}
	if ascii {
		lower := func(s string) string {
			return strings.Map(func(r rune) rune {
				if 'A' <= r && r <= 'Z' {
					return r + 'a' - 'A'
				}
				return r
			}, s)
		}
		return strings.Contains(lower(text), lower(w))
	}
	fold := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "ς", "σ") }
	return strings.Contains(fold(text), fold(w))
}

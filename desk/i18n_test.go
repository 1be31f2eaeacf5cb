package desk

import (
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

var verbs = regexp.MustCompile(`%[0-9.]*[a-z]`)

// usedKeys finds every catalogue key the desk uses: written out in the
// templates and the Go files, and the families looked up by a value.
func usedKeys(t *testing.T) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	tmplKey := regexp.MustCompile(`\.T "([a-z0-9_.-]+)"`)
	goKey := regexp.MustCompile(`\.T\("([a-z0-9_.-]+)"`)
	okKey := regexp.MustCompile(`ok = "([a-z_]+)"|\?ok=([a-z_]+)`)
	errKey := regexp.MustCompile(`"((?:signin|err)\.[a-z]+)"`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		b, _ := fs.ReadFile(templateFS, n)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	gos, _ := fs.Glob(os.DirFS("."), "*.go")
	for _, n := range gos {
		if strings.HasSuffix(n, "_test.go") || strings.HasPrefix(n, "i18n") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{goKey, errKey} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				keys[m[1]] = true
			}
		}
		for _, m := range okKey.FindAllStringSubmatch(string(b), -1) {
			keys["ok."+m[1]+m[2]] = true
		}
	}
	for _, k := range actionNames {
		keys[k] = true
	}
	for _, k := range herald.Kinds {
		keys["kind."+string(k)] = true
	}
	for _, l := range herald.Languages {
		keys["lang."+string(l)] = true
	}
	for _, p := range []herald.Purpose{herald.PurposePublish, herald.PurposeAnnounce, herald.PurposeLive} {
		keys["purpose."+string(p)] = true
	}
	for _, s := range []herald.ReviewSource{herald.ReviewDM, herald.ReviewComment} {
		keys["source."+string(s)] = true
	}
	for _, h := range []string{herald.HeldNoDay, herald.HeldUndated, herald.HeldBodyLost} {
		keys["held."+h] = true
	}
	for i := 0; i < 7; i++ {
		keys["wd."+strconv.Itoa(i)] = true
	}
	for i := 1; i <= 12; i++ {
		keys["mon."+strconv.Itoa(i)] = true
	}
	for _, op := range []string{"approve", "reject", "ban"} {
		keys["ok.review_"+op] = true
	}
	for k := range keys {
		if strings.HasSuffix(k, ".") || strings.HasSuffix(k, "_") {
			delete(keys, k) // a family's prefix, enumerated above
		}
	}
	return keys
}

// TestCatalogue fails until every sentence the desk uses is given in all
// three languages, in each language's own words, taking the same
// arguments as the English.
func TestCatalogue(t *testing.T) {
	// Where two languages really say the same thing.
	same := map[string]bool{"lang.az": true, "lang.en": true, "lang.ru": true, "nav.plan": true, "plan.title": true,
		"health.doctor": true, "who.herald": true}
	used := usedKeys(t)
	for k := range used {
		if _, ok := catalogueEN[k]; !ok {
			t.Errorf("%s is used but not in the catalogue", k)
		}
	}
	for k := range catalogueEN {
		if !used[k] {
			t.Errorf("%s is in the catalogue but used nowhere", k)
		}
	}
	cyrillic := regexp.MustCompile(`\p{Cyrillic}`)
	for _, l := range herald.Languages {
		t.Run(string(l), func(t *testing.T) {
			c := catalogues[l]
			if len(c) != len(catalogueEN) {
				t.Errorf("%s has %d sentences, English %d", l, len(c), len(catalogueEN))
			}
			for k, en := range catalogueEN {
				s, ok := c[k]
				if !ok || strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s is missing", l, k)
					continue
				}
				if got, want := verbs.FindAllString(s, -1), verbs.FindAllString(en, -1); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %s takes %v, English %v", l, k, got, want)
				}
				if l != herald.LangEnglish && s == en && !same[k] {
					t.Errorf("%s: %s is the English %q", l, k, s)
				}
				if strings.HasPrefix(k, "lang.") {
					continue
				}
				if (l == herald.LangRussian) != cyrillic.MatchString(s) && l != herald.LangEnglish && !same[k] {
					t.Errorf("%s: %s is not in %s's script: %q", l, k, l, s)
				}
				if l == herald.LangEnglish && cyrillic.MatchString(s) {
					t.Errorf("en: %s has Cyrillic: %q", k, s)
				}
			}
		})
	}
}

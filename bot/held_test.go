package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
)

// The owners' notice of an article held for an editor names it, says why
// in the owner's language (from the stored code, never the code itself or
// English in az and ru), escapes the page's title.
func TestNoticeOfAnArticleHeldForAnEditor(t *testing.T) {
	a := &herald.Article{ID: 7, Title: "<b>Difficult Question</b> at 21:00", NeedsEditor: herald.HeldReason(herald.HeldNoDay, "21:00")}
	b := &Bot{cfg: Config{Now: time.Now}}
	n := b.noticeOf(scheduler.Event{Kind: scheduler.EventArticleHeld, Article: a, Reason: a.NeedsEditor})
	for _, lang := range herald.Languages {
		got := noticeText(lang, herald.AgencyZone(), n)
		why := map[herald.Language]string{herald.LangEnglish: "not the day", herald.LangAzerbaijani: "günü göstərilməyib", herald.LangRussian: "не указан день"}[lang]
		for _, want := range []string{"#7", "&lt;b&gt;Difficult Question&lt;/b&gt;", why, "21:00", "/schedule"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s notice lacks %q:\n%s", lang, want, got)
			}
		}
		if strings.Contains(got, herald.HeldNoDay) || (lang != herald.LangEnglish && strings.Contains(got, "not the day")) {
			t.Errorf("%s notice shows the stored code or English:\n%s", lang, got)
		}
		if strings.Contains(got, "article_held") {
			t.Errorf("%s notice shows the event's code name:\n%s", lang, got)
		}
	}
}

// Every stored reason is said in every language in its own words; a
// reason without a code is shown as it is.
func TestHeldReasonInEveryLanguage(t *testing.T) {
	for _, code := range []string{herald.HeldNoDay, herald.HeldUndated, herald.HeldBodyLost} {
		stored := herald.HeldReason(code, "21:00")
		seen := map[string]bool{}
		for _, lang := range herald.Languages {
			got := heldReason(lang, stored)
			if strings.Contains(got, code) || seen[got] {
				t.Errorf("%s: %q said as %q", lang, stored, got)
			}
			if code != herald.HeldBodyLost && !strings.Contains(got, "21:00") {
				t.Errorf("%s: %q lost the air time: %q", lang, stored, got)
			}
			seen[got] = true
		}
	}
	if got := heldReason(herald.LangRussian, "set by hand"); got != "set by hand" {
		t.Errorf("free text reason shown as %q", got)
	}
}

package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
)

// The owners' notice of an article held for an editor names it, says why
// in herald's words, escapes the page's title, and is in every language.
func TestNoticeOfAnArticleHeldForAnEditor(t *testing.T) {
	a := &herald.Article{ID: 7, Title: "<b>Difficult Question</b> at 21:00", NeedsEditor: "the page gives the air time 21:00 but not the day"}
	b := &Bot{cfg: Config{Now: time.Now}}
	n := b.noticeOf(scheduler.Event{Kind: scheduler.EventArticleHeld, Article: a, Reason: a.NeedsEditor})
	for _, lang := range herald.Languages {
		got := noticeText(lang, n)
		for _, want := range []string{"#7", "&lt;b&gt;Difficult Question&lt;/b&gt;", "not the day", "/schedule"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s notice lacks %q:\n%s", lang, want, got)
			}
		}
		if strings.Contains(got, "article_held") {
			t.Errorf("%s notice shows the event's code name:\n%s", lang, got)
		}
	}
}

package ingest_test

import (
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// A feed's own program names, chrome lines and section labels, stored with
// it, clean its items on top of the built-in lists.
func TestAFeedsOwnProgramsAndChromeCleanItsItems(t *testing.T) {
	e := newFeedEnv(t)
	s := newSite(t)
	rss := `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Site 2</title><link>` + s.srv.URL + `</link><description>d</description>
<item><title>Gündəm: yeni büdcə necə bölünəcək</title><link>` + s.srv.URL + `/a/1</link><pubDate>Mon, 30 Nov 2026 10:00:00 +0400</pubDate>
<description><![CDATA[<p>«Gündəm» verilişində iqtisadçılar gələn ilin büdcəsini müzakirə ediblər və xərclərin artacağını bildiriblər.</p><p>Bizi Telegram-da izləyin</p><p>Büdcə gəlirlərinin yarısı neft fondundan gəlir.</p><p>Gündəm xəbərləri</p><p>Neft qiymətləri ucuzlaşıb</p>]]></description></item>
</channel></rss>`
	u := s.set("/rss", doc{body: rss, contentType: "application/rss+xml"})
	f := e.add(u, herald.KindNews, func(f *store.Feed) {
		f.Language = herald.LangAzerbaijani
		f.Programs = []string{"Agenda=Gündəm"}
		f.Chrome = []string{"Bizi Telegram-da izləyin"}
		f.Sections = []string{"Gündəm xəbərləri"}
	})
	if got := e.feed(f.ID); len(got.Programs) != 1 || len(got.Chrome) != 1 || len(got.Sections) != 1 {
		t.Fatalf("the stored feed lost its cleaning lists: %+v", got)
	}
	e.poll()
	arts := e.articles()
	if len(arts) != 1 {
		t.Fatalf("%d articles, want 1", len(arts))
	}
	a := arts[0]
	if a.Program != "Agenda" {
		t.Errorf("program %q, want Agenda (the feed's own program)", a.Program)
	}
	want := []string{"Büdcə gəlirlərinin yarısı neft fondundan gəlir."}
	if got := a.Paragraphs(); len(got) != 1 || got[0] != want[0] {
		t.Errorf("body %q, want %q: the feed's chrome line and what follows its section label gone", got, want)
	}
}

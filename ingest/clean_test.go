package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// fixedNow is the clock of every test: 16 February 2024, 10:00 UTC.
func fixedNow() time.Time { return time.Date(2024, 2, 16, 10, 0, 0, 0, time.UTC) }

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// page is what a test expects of one sample page in testdata/.
type page struct {
	file      string
	title     string
	lead      string
	kind      herald.Kind
	lang      herald.Language
	program   string
	place     string
	published time.Time
	airAt     time.Time // zero: none
	people    []string
	extID     string // "" : a sha256: id
	source    string
	paras     []string // paragraphs that must be in lead+body exactly once
	absent    []string // lines that must not be in the article at all
	count     int      // number of paragraphs after the lead, -1 to skip
}

func TestParseSamplePages(t *testing.T) {
	tests := map[string]page{
		"An English interview given twice is kept once, with its repeated short answers": {
			file:      "en-interview-twice.txt",
			title:     "Ports, pipelines and patience: an economist on the transit corridor",
			lead:      "The new transit corridor across the Caspian will not pay for itself before the end of the decade, economist Leyla Mammadova said in an interview.",
			kind:      herald.KindCommentary, // its section label names the show
			lang:      herald.LangEnglish,
			program:   ProgramName,
			place:     "Baku",
			published: utc("2024-02-13T20:00:00Z"),
			paras:     []string{"Is the corridor profitable today?", "Will it be profitable in five years?", "So who pays for it in the meantime? The state budget, and through it every taxpayer in the country, she said."},
			absent:    []string{"Leave a review", "Share", "Facebook", "Twitter", "News Line", "Difficult question", "Youtube səhifəsinin ünvanı:", "Parliament passes the budget in the first reading", "16 February 2024, 23:04", "Flights to Istanbul delayed by fog", "Baku, 14 February 2024 (Turan):"},
			count:     8, // —, Q, No., Q, No., answer, —, Q and A
		},
		"An Azerbaijani commentary given twice loses its chrome, related list and dateline": {
			file:      "az-commentary-twice.txt",
			title:     `Ekspert: "Seçkilərdən sonra islahatlar gözlənilmir"`,
			lead:      `Siyasi şərhçi Əli Həsənov "Çətin sual" proqramında bildirib ki, seçkilərdən sonra ölkədə iqtisadi islahatlar gözlənilmir.`,
			kind:      herald.KindCommentary,
			lang:      herald.LangAzerbaijani,
			program:   ProgramName,
			place:     "Bakı",
			published: utc("2022-09-22T20:00:00Z"), // 23.09.22, midnight in Baku
			paras:     []string{"Onun sözlərinə görə, hökumət neft gəlirlərinə arxalanır və bu səbəbdən dəyişikliyə ehtiyac duymur."},
			absent:    []string{"Rəy bildirin", "Bizi sosial şəbəkələrdə izləyin", "Youtube səhifəsinin ünvanı:", "Xəbər lenti", "Çətin sual", "Milli Məclis büdcəni birinci oxunuşda qəbul edib", "16.02.2024 23:04", "Bakı/23.09.22/Turan:"},
			count:     2,
		},
		"An Azerbaijani Markdown announcement with an air time is an episode airing that evening in Baku": {
			file:      "az-episode.md",
			title:     "Bu axşam: Gənclər niyə ölkəni tərk edir?",
			lead:      `Sosioloq Gülnarə Əliyeva və jurnalist Rauf Mirqədirov ilə saat 21:00-da "Çətin sual" proqramında gənclərin mühacirətindən danışacağıq.`,
			kind:      herald.KindEpisode,
			lang:      herald.LangAzerbaijani,
			program:   ProgramName,
			published: utc("2024-02-16T08:30:00Z"),
			airAt:     utc("2024-02-16T17:00:00Z"),
			people:    []string{"Rauf Mirqədirov", "Gülnarə Əliyeva"},
			extID:     "https://example.org/az/2024/02/16/cetin-sual-genclik",
			paras:     []string{"Proqramı YouTube kanalımızda (https://youtube.com/@example) canlı izləyə bilərsiniz."},
			absent:    []string{"Rəy yaz", "# Bu axşam"},
			count:     1,
		},
		"A Russian HTML commentary keeps its text and links and drops navigation, share buttons and asides": {
			file:      "ru-commentary.html",
			title:     "Эксперт: санкции не изменят курс",
			lead:      "Экономист Руслан Аббасов в программе «Трудный вопрос» заявил, что новые санкции не изменят внешнеэкономический курс страны.",
			kind:      herald.KindCommentary,
			lang:      herald.LangRussian,
			program:   ProgramName,
			place:     "Баку",
			published: utc("2024-02-16T05:15:00Z"),
			extID:     "https://example.org/ru/2024/02/16/sanctions",
			paras: []string{
				"По его словам, торговля уже переориентирована на соседние рынки, и доклад министерства (https://example.org/ru/trade-report) это подтверждает.",
				"«Это не вопрос одного года, это вопрос поколения», — сказал эксперт.\nОн добавил, что рынок труда отреагирует позже.",
			},
			absent: []string{"Главная", "Лента новостей", "Трудный вопрос", "Facebook", "Telegram", "Оставить отзыв", "Читайте также", "Парламент принял бюджет", "Подписывайтесь на нас в социальных сетях", `var tracking = "Лента новостей";`, "\u00a0", "\u200b"},
			count:  2,
		},
		"An English HTML page inviting readers to talk to a guest at 21:00 on the show is an episode": {
			file:      "en-episode.html",
			title:     "Talk to Arastun Orujlu tonight",
			lead:      "Talk to political analyst Arastun Orujlu at 21:00 in 'Difficult Question': what comes after the snap presidential election?",
			kind:      herald.KindEpisode,
			lang:      herald.LangEnglish,
			program:   ProgramName,
			published: utc("2024-02-16T06:00:00Z"),
			airAt:     utc("2024-02-16T17:00:00Z"),
			paras:     []string{"Send your questions in advance through our Telegram bot (https://t.me/example_bot)."},
			absent:    []string{"Home", "News Line", "Share", "Print"},
			count:     1,
		},
		"A Russian Markdown announcement with «в 21:00 в программе» is an episode": {
			file:      "ru-episode.md",
			title:     "Энергетика после санкций",
			lead:      "Сегодня в 21:00 в программе «Трудный вопрос» — эксперт по энергетике Ильхам Шабан о том, куда пойдёт каспийский газ.",
			kind:      herald.KindEpisode,
			lang:      herald.LangRussian,
			program:   ProgramName,
			published: utc("2024-02-16T07:00:00Z"),
			airAt:     utc("2024-02-16T17:00:00Z"),
			people:    []string{"Ильхам Шабан"},
			paras:     []string{"Вопросы можно задать в комментариях."},
			absent:    []string{"Лента новостей"},
			count:     1,
		},
		"An English JSON news item whose body repeats its lead has the lead once": {
			file:      "en-news.json",
			title:     "Flights to Istanbul delayed by fog",
			lead:      "Morning flights from Baku to Istanbul were delayed by up to four hours because of thick fog.",
			kind:      herald.KindNews,
			lang:      herald.LangEnglish,
			published: utc("2024-02-16T08:00:00Z"),
			people:    []string{"Airport spokesman Tural Aliyev"},
			extID:     "https://example.org/en/2024/02/16/fog",
			paras:     []string{"The airport said that departures resumed at noon and that passengers would be rebooked free of charge."},
			absent:    []string{"Read more"},
			count:     1,
		},
		"An Azerbaijani JSON news item with an HTML body takes its id from the GUID and its source from the page": {
			file:      "az-news.json",
			title:     "Milli Məclis büdcəni birinci oxunuşda qəbul edib",
			lead:      "Milli Məclis 2025-ci il dövlət büdcəsini birinci oxunuşda qəbul edib.",
			kind:      herald.KindNews,
			lang:      herald.LangAzerbaijani,
			published: utc("2024-02-16T14:30:00Z"),
			extID:     "turan-az-184422",
			source:    "cms",
			paras:     []string{"Deputatların əksəriyyəti layihənin lehinə səs verib, bəziləri isə sosial xərclərin azlığını tənqid edib."},
			absent:    []string{"Paylaş", "<p>"},
			count:     1,
		},
		"A Russian plain-text news item takes its date from the stamp under the title and drops the related list": {
			file:      "ru-news.txt",
			title:     "Парламент принял бюджет в первом чтении",
			lead:      "Милли Меджлис принял государственный бюджет на 2025 год в первом чтении.",
			kind:      herald.KindNews,
			lang:      herald.LangRussian,
			published: utc("2024-02-16T14:30:00Z"),
			paras:     []string{"Большинство депутатов проголосовали за проект, часть из них раскритиковала низкие социальные расходы."},
			absent:    []string{"16.02.2024 18:30", "Поделиться", "Читайте также", "Авиарейсы в Стамбул задержаны из-за тумана", "16.02.2024 08:00"},
			count:     1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := Parse(tc.file, data, Options{Now: fixedNow})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkArticle(t, a)
			eq := func(field string, got, want any) {
				t.Helper()
				if got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			eq("title", a.Title, tc.title)
			eq("lead", a.Lead, tc.lead)
			eq("kind", a.Kind, tc.kind)
			eq("language", a.Language, tc.lang)
			eq("program", a.Program, tc.program)
			eq("place", a.Place, tc.place)
			eq("published_at", a.PublishedAt.Format(time.RFC3339), tc.published.Format(time.RFC3339))
			eq("source", a.Source, first(tc.source, "file"))
			if tc.airAt.IsZero() != (a.AirAt == nil) || (a.AirAt != nil && !a.AirAt.Equal(tc.airAt)) {
				t.Errorf("air_at = %v, want %v", a.AirAt, tc.airAt)
			}
			if strings.Join(a.People, "|") != strings.Join(tc.people, "|") {
				t.Errorf("people = %q, want %q", a.People, tc.people)
			}
			if tc.extID != "" {
				eq("external_id", a.ExternalID, tc.extID)
			} else if !strings.HasPrefix(a.ExternalID, "sha256:") || len(a.ExternalID) != 7+32 {
				t.Errorf("external_id = %q, want sha256: and 32 hex digits", a.ExternalID)
			}
			text := a.Lead + "\n\n" + a.Body
			for _, p := range tc.paras {
				if n := strings.Count(text, p); n != 1 {
					t.Errorf("paragraph %q is there %d times, want once", clip(p, 40), n)
				}
			}
			for _, s := range tc.absent {
				if hasLine(a.Title+"\n"+text, s) {
					t.Errorf("%q is still in the article", s)
				}
			}
			if tc.count >= 0 && len(a.Paragraphs()) != tc.count {
				t.Errorf("body has %d paragraphs, want %d:\n%s", len(a.Paragraphs()), tc.count, a.Body)
			}
		})
	}
}

// checkArticle asserts what every cleaned article must be: valid, hashed,
// in UTC, paragraphs separated by one blank line, no substantial
// paragraph twice, the lead not repeated in the body.
func checkArticle(t *testing.T, a *herald.Article) {
	t.Helper()
	if err := a.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if a.ContentHash != a.Hash() {
		t.Errorf("content_hash is not Hash()")
	}
	if a.PublishedAt.Location() != time.UTC || (a.AirAt != nil && a.AirAt.Location() != time.UTC) {
		t.Errorf("times are not in UTC: %v, %v", a.PublishedAt, a.AirAt)
	}
	if strings.Contains(a.Body, "\n\n\n") || strings.HasPrefix(a.Body, "\n") || strings.HasSuffix(a.Body, "\n") {
		t.Errorf("body paragraphs are not separated by exactly one blank line: %q", a.Body)
	}
	if strings.Contains(a.Lead, "\n\n") || a.Lead == "" {
		t.Errorf("lead is not one paragraph: %q", a.Lead)
	}
	seen := map[string]bool{}
	for _, p := range append([]string{a.Lead}, a.Paragraphs()...) {
		k := dedupeKey(p)
		if seen[k] && utf8.RuneCountInString(k) > substantial {
			t.Errorf("paragraph twice: %q", clip(p, 60))
		}
		seen[k] = true
	}
}

func TestCleanRules(t *testing.T) {
	tests := []struct {
		name  string
		page  Page
		opts  Options
		check func(t *testing.T, a *herald.Article)
	}{
		{
			name: "A body given twice with separators keeps each paragraph and separator once, in order",
			page: Page{Title: "T", Paragraphs: []string{long("a"), "—", long("b"), "—", long("c"), long("a"), "—", long("b"), "—", long("c")}},
			check: func(t *testing.T, a *herald.Article) {
				want := []string{long("a"), "—", long("b"), "—", long("c")}
				if got := append([]string{a.Lead}, a.Paragraphs()...); strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("paragraphs = %q, want %q", got, want)
				}
			},
		},
		{
			name: "A one-word answer repeated in an interview stays every time",
			page: Page{Title: "Interview", Paragraphs: []string{long("q1"), "Yes.", long("q2"), "Yes.", long("q3"), "Yes."}},
			check: func(t *testing.T, a *herald.Article) {
				if n := strings.Count(a.Body, "Yes."); n != 3 {
					t.Errorf("Yes. is there %d times, want 3:\n%s", n, a.Body)
				}
			},
		},
		{
			name: "Difficult Question inside a sentence stays; the label on its own line goes",
			page: Page{Title: "T", Paragraphs: []string{"DIFFICULT QUESTION", "He said so on Difficult Question last night.", "Difficult question:"}},
			check: func(t *testing.T, a *herald.Article) {
				if a.Lead != "He said so on Difficult Question last night." || a.Body != "" {
					t.Errorf("lead %q, body %q", a.Lead, a.Body)
				}
			},
		},
		{
			name: "Chrome given for the source goes too, whatever its case and punctuation",
			page: Page{Title: "T", Paragraphs: []string{"Some text of the article.", "» Subscribe to Turan Premium!"}},
			opts: Options{Chrome: []string{"subscribe to turan premium"}},
			check: func(t *testing.T, a *herald.Article) {
				if a.Body != "" {
					t.Errorf("body = %q, want empty", a.Body)
				}
			},
		},
		{
			name: "Non-breaking spaces, zero-width characters and runs of spaces are normalised and quotes kept as typed",
			page: Page{Title: "  A\u00a0title  ", Paragraphs: []string{"“Quoted”\u00a0and «quoted»  and \"quoted\"\u200b here.\t "}},
			check: func(t *testing.T, a *herald.Article) {
				if a.Title != "A title" || a.Lead != "“Quoted” and «quoted» and \"quoted\" here." {
					t.Errorf("title %q, lead %q", a.Title, a.Lead)
				}
			},
		},
		{
			name: "Decomposed letters are composed (NFC)",
			page: Page{Title: "Çe\u0301tin", Paragraphs: []string{"Ba\u0306ki text"}},
			check: func(t *testing.T, a *herald.Article) {
				if a.Title != "Çétin" || a.Lead != "Băki text" {
					t.Errorf("title %q, lead %q", a.Title, a.Lead)
				}
			},
		},
		{
			name: "A dateline on a line of its own is cut and the next paragraph is the lead",
			page: Page{Title: "T", Paragraphs: []string{"Bakı/05.03.2024/Turan:", "Lead text.", "Body text."}},
			check: func(t *testing.T, a *herald.Article) {
				if a.Lead != "Lead text." || a.Place != "Bakı" || !a.PublishedAt.Equal(utc("2024-03-04T20:00:00Z")) {
					t.Errorf("lead %q, place %q, published %v", a.Lead, a.Place, a.PublishedAt)
				}
			},
		},
		{
			name: "A date in the metadata beats the dateline's",
			page: Page{Title: "T", PublishedAt: utc("2024-03-05T08:00:00Z"), Paragraphs: []string{"Bakı/01.03.2024/Turan: Lead."}},
			check: func(t *testing.T, a *herald.Article) {
				if !a.PublishedAt.Equal(utc("2024-03-05T08:00:00Z")) || a.Lead != "Lead." {
					t.Errorf("published %v, lead %q", a.PublishedAt, a.Lead)
				}
			},
		},
		{
			name: "A page with no date is published now",
			page: Page{Title: "T", Paragraphs: []string{"Text."}},
			check: func(t *testing.T, a *herald.Article) {
				if !a.PublishedAt.Equal(fixedNow()) {
					t.Errorf("published %v, want %v", a.PublishedAt, fixedNow())
				}
			},
		},
		{
			name: "Options beat the page's metadata, which beats detection",
			page: Page{Title: "T", Kind: herald.KindNews, Language: herald.LangRussian, Program: "Other", Paragraphs: []string{"Text on Difficult Question at 21:00."}},
			opts: Options{Kind: herald.KindCommentary, Source: "cms"},
			check: func(t *testing.T, a *herald.Article) {
				if a.Kind != herald.KindCommentary || a.Language != herald.LangRussian || a.Program != "Other" || a.Source != "cms" || a.AirAt != nil {
					t.Errorf("kind %q, language %q, program %q, source %q, air %v", a.Kind, a.Language, a.Program, a.Source, a.AirAt)
				}
			},
		},
		{
			name: "An episode announced for tomorrow airs the day after its publish date",
			page: Page{Title: "Tomorrow on Difficult Question", PublishedAt: utc("2024-02-16T19:30:00Z"), Paragraphs: []string{"Tomorrow at 21:00 our guest is a lawyer."}},
			check: func(t *testing.T, a *herald.Article) {
				// 19:30 UTC is 23:30 in Baku on the 16th; tomorrow is the 17th.
				if a.Kind != herald.KindEpisode || a.AirAt == nil || !a.AirAt.Equal(utc("2024-02-17T17:00:00Z")) {
					t.Errorf("kind %q, air %v", a.Kind, a.AirAt)
				}
			},
		},
		{
			name: "A time in a news item that does not name the show does not make it an episode",
			page: Page{Title: "Meeting", Paragraphs: []string{"The meeting starts at 10:00 in the parliament."}},
			check: func(t *testing.T, a *herald.Article) {
				if a.Kind != herald.KindNews || a.AirAt != nil || a.Program != "" {
					t.Errorf("kind %q, air %v, program %q", a.Kind, a.AirAt, a.Program)
				}
			},
		},
		{
			name: "An unpublished page stays unpublished and an explicit external id wins",
			page: Page{Title: "T", Status: herald.ArticleUnpublished, ExternalID: "cms-1", URL: "https://x/1", Paragraphs: []string{"Text."}},
			check: func(t *testing.T, a *herald.Article) {
				if a.Status != herald.ArticleUnpublished || a.ExternalID != "cms-1" {
					t.Errorf("status %q, external id %q", a.Status, a.ExternalID)
				}
			},
		},
		{
			name: "The same text gives the same content id; a changed word gives another",
			page: Page{Title: "T", Paragraphs: []string{"Text."}},
			check: func(t *testing.T, a *herald.Article) {
				b, _ := Clean(Page{Title: "T", Paragraphs: []string{"Text."}}, Options{Now: time.Now})
				c, _ := Clean(Page{Title: "T", Paragraphs: []string{"Text!"}}, Options{Now: time.Now})
				if a.ExternalID != b.ExternalID || a.ExternalID == c.ExternalID {
					t.Errorf("ids %q %q %q", a.ExternalID, b.ExternalID, c.ExternalID)
				}
			},
		},
		{
			name: "A related list in the headline-then-stamp shape goes, headline and all, and the body stays",
			page: Page{Title: "T", Paragraphs: []string{long("a"), "Short closing line.", "Other headline", "16 February 2024, 23:04", "Another headline", "February 16, 2024 22:10"}},
			check: func(t *testing.T, a *herald.Article) {
				if a.Body != "Short closing line." {
					t.Errorf("body = %q", a.Body)
				}
			},
		},
		{
			name: "A related list in the stamp-then-headline shape goes from the first stamp",
			page: Page{Title: "T", Paragraphs: []string{long("a"), "Short closing line.", "23:04 16.02.2024 Other headline", "22:10 16.02.2024 Another headline"}},
			check: func(t *testing.T, a *herald.Article) {
				if a.Body != "Short closing line." {
					t.Errorf("body = %q", a.Body)
				}
			},
		},
		{
			name: "A date inside a sentence of the body is not a stamp",
			page: Page{Title: "T", Paragraphs: []string{long("a"), "On 16 February 2024, 23:04 the vote ended.", "The end."}},
			check: func(t *testing.T, a *herald.Article) {
				if len(a.Paragraphs()) != 2 {
					t.Errorf("body = %q", a.Body)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opts.Now == nil {
				tc.opts.Now = fixedNow
			}
			a, err := Clean(tc.page, tc.opts)
			if err != nil {
				t.Fatalf("Clean: %v", err)
			}
			checkArticle(t, a)
			tc.check(t, a)
		})
	}
}

func TestCleanRefuses(t *testing.T) {
	tests := map[string]struct {
		page Page
		want string
	}{
		"A page with no text has no title":              {Page{Paragraphs: []string{" ", "\u200b"}}, "no title"},
		"A page that is only chrome has no title":       {Page{Paragraphs: []string{"Share", "News Line"}}, "no title"},
		"A page with a title and nothing else is empty": {Page{Paragraphs: []string{"Just a title", "Leave a review"}}, "no text after the title"},
		"A title over 500 characters is refused":        {Page{Title: strings.Repeat("word ", 120), Paragraphs: []string{"Text."}}, "title"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Clean(tc.page, Options{Now: fixedNow})
			if err == nil || herald.ErrorCode(err) != herald.EInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want an EInvalid error about %q", err, tc.want)
			}
		})
	}
}

// hasLine reports whether text has s as a line of its own, or, for s of 20
// runes or more or without letters, anywhere: labels may appear inside
// sentences, headlines and invisible characters may not.
func hasLine(text, s string) bool {
	if utf8.RuneCountInString(s) >= 20 || chromeKey(s) == "" {
		return strings.Contains(text, s)
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.EqualFold(strings.TrimSpace(l), s) {
			return true
		}
	}
	return false
}

// long returns a paragraph over the substantial length, named by s.
func long(s string) string {
	return "Paragraph " + s + " is long enough to count as a real paragraph of the body."
}

func TestCleanWithoutClockLeavesTheDateToTheStore(t *testing.T) {
	a, err := Clean(Page{Title: "Tonight on Difficult Question", Paragraphs: []string{"At 21:00 our guest is a lawyer."}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !a.PublishedAt.IsZero() {
		t.Errorf("published_at = %v, want zero for the store to fill in", a.PublishedAt)
	}
	// "Tonight" on a page with no date of its own cannot be told: the
	// episode is held for an editor, not given today's date by guess.
	if a.Kind != herald.KindEpisode || a.AirAt != nil || a.NeedsEditor == "" {
		t.Errorf("kind %q, air %v, needs editor %q: want an episode held for an editor, with no air time guessed", a.Kind, a.AirAt, a.NeedsEditor)
	}
}

// TestCleanBodyLostIsHeld: when cleaning leaves a page of several
// paragraphs with its lead alone (here a stamp under the lead reads as the
// start of a related list), the article is held for an editor with the
// reason, not posted short.
func TestCleanBodyLostIsHeld(t *testing.T) {
	p := Page{Paragraphs: []string{
		"Parliament passes the new budget",
		"The parliament passed next year's budget on Tuesday with 98 votes in favour, its speaker said.",
		"01.12.2026 09:55",
		"Spending on schools and hospitals rises by a tenth, while the defence budget stays as it was.",
		"The opposition voted against, saying the deficit is planned too high for a year of cheap oil.",
	}}
	a, err := Clean(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Body != "" {
		t.Skipf("the cleaner kept the body (%q): nothing was lost", a.Body)
	}
	if a.NeedsEditor != herald.HeldBodyLost {
		t.Errorf("body lost but NeedsEditor = %q, want %q", a.NeedsEditor, herald.HeldBodyLost)
	}
}

// TestCleanStrayLineAboveHeadline: a menu label no chrome list knows,
// above the headline and its dateline, does not become the title.
func TestCleanStrayLineAboveHeadline(t *testing.T) {
	for _, stray := range []string{"Subscribe to our newsletter", "Online Payment"} {
		p := Page{Paragraphs: []string{stray,
			"Customs clears the first trucks through the new Astara terminal",
			"01.12.2026 09:55",
			"The new customs terminal at Astara on the border with Iran cleared its first forty trucks on Monday.",
			"The terminal is meant to cut the waiting time at the border from two days to a few hours."}}
		a, err := Clean(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if a.Title != "Customs clears the first trucks through the new Astara terminal" || a.Body == "" || a.PublishedAt.IsZero() {
			t.Errorf("%q: title %q, lead %q, body %q, published %v", stray, a.Title, a.Lead, a.Body, a.PublishedAt)
		}
	}
}

package herald

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFoldIgnoresCaseAndDiacriticsInEveryLanguage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"İlham Əliyev", "ilham eliyev"},
		{"ŞUŞA, Ağdam, Gəncə", "susa, agdam, gence"},
		{"çörək və üzüm", "corek ve uzum"},
		{"ISPARTA ısparta", "isparta isparta"},
		{"Ёлка и ЁЖ", "елка и еж"},
		{"Йошкар-Ола, мой край", "йошкар-ола, мой край"},
		{"Crème brûlée, Ångström", "creme brulee, angstrom"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func filterArticle() *Article {
	return &Article{Title: "İlham Əliyev receives the envoys on the Lachin corridor",
		Lead:    "The president met the envoys on Monday.",
		Body:    "They discussed the peace treaty. #Qarabağ\n\nA second paragraph.",
		Program: "Çətin Sual", People: []string{"Zakir Həsənov", "Анна Ёлкина"}, Kind: KindNews, Language: LangEnglish}
}

func TestFiltersTakeWhatIncludeMatchesAndNothingExcludeMatches(t *testing.T) {
	a := filterArticle()
	for _, tc := range []struct {
		name             string
		f                Filters
		taken            bool
		include, exclude string
		field            string
	}{
		{"no rules take everything", Filters{}, true, "", "", ""},
		{"a folded word matches the diacritic spelling", Filters{Include: []string{"eliyev"}}, true, "eliyev", "", "title"},
		{"the diacritic spelling of a rule matches too", Filters{Include: []string{"ƏLİYEV"}}, true, "ƏLİYEV", "", "title"},
		{"a word matches only whole words", Filters{Include: []string{"envoy"}}, false, "", "", ""},
		{"a trailing star matches word beginnings", Filters{Include: []string{"envoy*"}}, true, "envoy*", "", "title"},
		{"a phrase matches words in a row", Filters{Include: []string{"peace treaty"}}, true, "peace treaty", "", "body"},
		{"a phrase's words apart do not match", Filters{Include: []string{"treaty peace"}}, false, "", "", ""},
		{"a field rule looks only there", Filters{Include: []string{"title:peace"}}, false, "", "", ""},
		{"people are matched by name in Cyrillic", Filters{Include: []string{"people:елкина"}}, true, "people:елкина", "", "people"},
		{"the program is a field", Filters{Include: []string{"program:cetin sual"}}, true, "program:cetin sual", "", "program"},
		{"hashtags are tags", Filters{Include: []string{"tags:qarabag"}}, true, "tags:qarabag", "", "tags"},
		{"an exclude rule wins over an include", Filters{Include: []string{"eliyev"}, Exclude: []string{"corridor"}}, false, "eliyev", "corridor", "title"},
		{"an exclude rule alone excludes", Filters{Exclude: []string{"football"}}, true, "", "", ""},
		{"a regular expression matches as written", Filters{Include: []string{`re:\bLach[a-z]+`}}, true, `re:\bLach[a-z]+`, "", "title"},
		{"a regular expression matches folded text", Filters{Include: []string{`title:re:eli?yev`}}, true, `title:re:eli?yev`, "", "title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.f.Validate(); err != nil {
				t.Fatal(err)
			}
			v := tc.f.Match(a)
			if v.Taken != tc.taken || v.Include != tc.include || v.Exclude != tc.exclude || v.Field != tc.field {
				t.Errorf("Match = %+v, want taken %v include %q exclude %q field %q", v, tc.taken, tc.include, tc.exclude, tc.field)
			}
			if v.Explain() == "" {
				t.Error("no explanation")
			}
		})
	}
}

func TestBadRulesAreRefusedWithTheReason(t *testing.T) {
	for _, tc := range []struct{ rule, want string }{
		{"", "no words"},
		{"re:", "empty"},
		{"re:(unclosed", "missing closing"},
		{"colour:red", "unknown field"},
		{"re:" + strings.Repeat("a", MaxRulePattern+10), "at most"},
		{strings.Repeat("word ", 60), "at most"},
	} {
		_, err := ParseRule(tc.rule)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseRule(%q) = %v, want an error saying %q", tc.rule, err, tc.want)
		}
	}
	many := Filters{}
	for range MaxRules + 1 {
		many.Include = append(many.Include, "x")
	}
	if err := many.Validate(); err == nil {
		t.Error("too many rules accepted")
	}
}

func TestChannelAcceptsByKindLanguageAndFilters(t *testing.T) {
	ch := &Channel{Language: LangEnglish, Kinds: []Kind{KindNews}, Filters: Filters{Exclude: []string{"football"}}}
	a := filterArticle()
	if !ch.Accepts(a) {
		t.Error("the channel refuses an article of its kind, language and filters")
	}
	a.Title += " after the football final"
	if ch.Accepts(a) {
		t.Error("the channel takes an excluded article")
	}
	a.Kind = KindCommentary
	if ch.Accepts(a) {
		t.Error("the channel takes a kind it does not take")
	}
}

func FuzzFilterMatch(f *testing.F) {
	f.Add("eliyev", "İlham Əliyev receives", "re:a+b")
	f.Add("title:peace treaty", "Ёлка", "people:й*")
	f.Add(`re:(?i)x{1,1000}`, strings.Repeat("x", 500), "")
	f.Fuzz(func(t *testing.T, rule, text, other string) {
		a := &Article{Title: text, Body: other, Lead: text, Program: other, People: []string{text}}
		fs := Filters{Include: []string{rule}, Exclude: []string{other}}
		if fs.Validate() != nil {
			return
		}
		v := fs.Match(a)
		if v.Taken && v.Exclude != "" {
			t.Fatalf("taken and excluded: %+v", v)
		}
		if !utf8.ValidString(Fold(text)) && utf8.ValidString(text) {
			t.Fatalf("Fold made invalid UTF-8 of %q", text)
		}
	})
}

func TestParseDestinationReadsChatsAndTopicLinks(t *testing.T) {
	for _, tc := range []struct {
		in    string
		chat  string
		topic int64
	}{
		{"-1001234567890", "-1001234567890", 0},
		{"@newsroom", "@newsroom", 0},
		{"https://t.me/c/123/7", "-100123", 7},
		{"t.me/c/1234567890/42", "-1001234567890", 42},
		{"https://t.me/newsroom_forum/9", "@newsroom_forum", 9},
		{"-100123/7", "-100123", 7},
	} {
		chat, topic, err := ParseDestination(tc.in)
		if err != nil || chat != tc.chat || topic != tc.topic {
			t.Errorf("ParseDestination(%q) = %q, %d, %v; want %q, %d", tc.in, chat, topic, err, tc.chat, tc.topic)
		}
	}
	for _, bad := range []string{"https://t.me/c/123/0", "t.me/c/abc/7", "-100123/x", "https://t.me/c/123"} {
		if _, _, err := ParseDestination(bad); err == nil {
			t.Errorf("ParseDestination(%q) accepted", bad)
		}
	}
}

func TestWithUTMAddsCampaignParametersButKeepsTheNewsroomsOwn(t *testing.T) {
	ch := &Channel{ID: 3, Network: NetworkTelegram, Title: "Çətin Sual (EN)"}
	got := WithUTM("https://www.example.org/news/a?id=5&utm_medium=newsletter#top", ch)
	for _, want := range []string{"utm_source=telegram", "utm_medium=newsletter", "utm_campaign=cetin-sual-en", "id=5", "#top"} {
		if !strings.Contains(got, want) {
			t.Errorf("WithUTM = %s, want it to contain %s", got, want)
		}
	}
	if got := CampaignOf(&Channel{ID: 9, Title: "-1009"}); got != "channel-9" {
		t.Errorf("a channel titled by its chat is campaign %q, want channel-9", got)
	}
}

func TestBotsAndPreviewsAreNotReaders(t *testing.T) {
	for _, ua := range []string{"", "TelegramBot (like TwitterBot)", "facebookexternalhit/1.1", "Slackbot-LinkExpanding 1.0",
		"Mozilla/5.0 (compatible; Discordbot/2.0)", "WhatsApp/2.23.20.0", "Twitterbot/1.0", "Googlebot/2.1", "curl/8.5.0"} {
		if !IsBotAgent(ua) {
			t.Errorf("IsBotAgent(%q) = false", ua)
		}
	}
	for _, ua := range []string{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"} {
		if IsBotAgent(ua) {
			t.Errorf("IsBotAgent(%q) = true for a browser", ua)
		}
	}
}

func TestLinkCodesAreFreshAndShaped(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := NewLinkCode()
		if !ValidLinkCode(c) || seen[c] {
			t.Fatalf("code %q invalid or repeated", c)
		}
		seen[c] = true
	}
	for _, bad := range []string{"healthz", "metrics", "api", "aaaaaaaaa0", "aaaaaaaaaaa"} {
		if ValidLinkCode(bad) {
			t.Errorf("ValidLinkCode(%q) = true", bad)
		}
	}
}

func TestApprovalMovesOnlyForward(t *testing.T) {
	for _, tc := range []struct {
		from, to PostState
		ok       bool
	}{
		{PostAwaiting, PostScheduled, true},
		{PostAwaiting, PostCancelled, true},
		{PostAwaiting, PostSending, false}, // the dispatcher never claims it
		{PostAwaiting, PostSent, false},
		{PostPlanned, PostAwaiting, true},
		{PostSent, PostAwaiting, false},
	} {
		if got := CanTransition(tc.from, tc.to); got != tc.ok {
			t.Errorf("CanTransition(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.ok)
		}
	}
}

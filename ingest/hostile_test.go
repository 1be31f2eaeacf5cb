package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/ingest"
)

// hostileTexts are what people type that breaks careless software; kept
// says whether the cleaner must keep the text exactly as given.
var hostileTexts = []struct {
	name, text string
	kept       bool
}{
	{"markup", "<b>bold</b> </code> &amp; 1 < 2", false},
	{"an SQL-looking string", "'); DROP TABLE posts;--", true},
	{"right-to-left marks", "\u202eevil\u202c and \u200fمرحبا\u200f", false},
	{"zero-width characters", "zero\u200bwidth\u200cnon\u200djoiner\ufeff", false},
	{"emoji with ZWJ sequences and flags", "family 👨\u200d👩\u200d👧\u200d👦 flags 🇦🇿🇺🇦 🏳️\u200d🌈", true},
	{"5,000 characters", strings.Repeat("Ab ", 1666) + "End.", false},
}

func TestHostileArticlesThroughTheAPIAreStoredAsCleaned(t *testing.T) {
	for i, h := range hostileTexts {
		t.Run(h.name+" in every text field", func(t *testing.T) {
			srv, st := newAPI(t)
			ext := fmt.Sprintf("hostile-%d", i)
			raw, _ := json.Marshal(map[string]any{"source": "cms", "external_id": ext, "kind": "commentary", "language": "en",
				"title": h.text, "lead": h.text, "body": h.text + "\n\nA second paragraph. " + h.text,
				"program": h.text, "people": []string{h.text, "Aygun"}, "url": "https://news.example.org/" + ext})
			want, perr := ingest.Parse("article.json", raw, ingest.Options{Source: "cms"})
			if perr == nil {
				perr = want.Validate()
			}
			r := call(t, srv, "POST", "/api/articles", apiToken, "application/json", string(raw))
			if perr != nil {
				if r.status != http.StatusBadRequest || r.body["error"] == nil {
					t.Fatalf("an article the cleaner refuses (%v) answered %d %s", perr, r.status, r.raw)
				}
				return
			}
			if r.status != http.StatusCreated {
				t.Fatalf("answered %d %s", r.status, r.raw)
			}
			got, err := st.ArticleByExternalID(context.Background(), "cms", ext)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct{ field, got, want string }{
				{"title", got.Title, want.Title}, {"lead", got.Lead, want.Lead}, {"body", got.Body, want.Body}, {"program", got.Program, want.Program},
			} {
				if f.got != f.want {
					t.Errorf("%s stored as %q, cleaned as %q", f.field, f.got, f.want)
				}
			}
			if !slices.Equal(got.People, want.People) {
				t.Errorf("people stored as %q, cleaned as %q", got.People, want.People)
			}
			if h.kept && got.Title != h.text {
				t.Errorf("the title was changed: %q, want %q as given", got.Title, h.text)
			}
			var n int
			if err := st.DB().QueryRow(`SELECT COUNT(*) FROM posts`).Scan(&n); err != nil {
				t.Errorf("the posts table after %s: %v", h.name, err)
			}
		})
	}
}

func TestHostileImportedPagesAreStoredAsCleaned(t *testing.T) {
	for i, h := range hostileTexts {
		for _, page := range []struct{ name, text string }{
			{"a Markdown page", "# " + h.text + "\n\n" + h.text + "\n\nThe second paragraph says more. " + h.text + "\n"},
			{"a text page", h.text + "\n\n" + h.text + "\n\nThe second paragraph says more.\n"},
			{"an HTML page", "<html><head><title>" + h.text + "</title></head><body><h1>" + h.text + "</h1><p>" + h.text + "</p><p>The second paragraph says more.</p></body></html>"},
		} {
			t.Run(page.name+" with "+h.name, func(t *testing.T) {
				file := map[string]string{"a Markdown page": "p.md", "a text page": "p.txt", "an HTML page": "p.html"}[page.name]
				a, err := ingest.Parse(file, []byte(page.text), ingest.Options{Source: "file", Language: herald.LangEnglish, Kind: herald.KindNews})
				if err != nil {
					return // refused in words, without a panic
				}
				if err := a.Validate(); err != nil {
					return
				}
				_, st := newAPI(t)
				a.ExternalID = fmt.Sprint("page-", i)
				if _, err := st.UpsertArticle(context.Background(), a); err != nil {
					t.Fatalf("store: %v", err)
				}
				got, err := st.Article(context.Background(), a.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Title != a.Title || got.Body != a.Body || got.Lead != a.Lead {
					t.Errorf("stored %q / %q, parsed %q / %q", got.Title, got.Body, a.Title, a.Body)
				}
				if h.kept && page.name != "an HTML page" && got.Title != h.text {
					t.Errorf("the title was changed: %q, want %q", got.Title, h.text)
				}
			})
		}
	}
}

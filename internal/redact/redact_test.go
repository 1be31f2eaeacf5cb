package redact_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/herald-news/herald/internal/redact"
)

const token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

func TestURL(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"an address without secrets is unchanged", "https://api.telegram.org", "https://api.telegram.org"},
		{"a token in the path is hidden", "http://host:8081/bot" + token, "http://host:8081/bot<token>"},
		{"a token in the path before a method is hidden", "http://host/bot" + token + "/getMe", "http://host/bot<token>/getMe"},
		{"a password is hidden with its user", "https://editor:hunter22@cms.example.org/feed.xml", "https://<redacted>@cms.example.org/feed.xml"},
		{"a token as the user is hidden", "http://" + token + "@host", "http://<redacted>@host"},
		{"secret-named parameters are hidden, others kept", "https://example.org/rss?api_key=abc123&lang=en&sig=zz",
			"https://example.org/rss?api_key=<redacted>&lang=en&sig=<redacted>"},
		{"an access_token parameter is hidden", "https://example.org/x?access_token=s3cr3t", "https://example.org/x?access_token=<redacted>"},
		{"a path without /bot is kept", "https://example.org/robots/botanic", "https://example.org/robots/botanic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redact.URL(tt.in); got != tt.want {
				t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactorHidesKnownSecretsAndAddresses(t *testing.T) {
	x := redact.New(token, "api-token-0123456789", "hook-secret-abc", "")
	_, secret, _ := strings.Cut(token, ":")
	tests := []struct{ name, in, want string }{
		{"the token", "getMe with " + token + " failed", "getMe with <token> failed"},
		{"its secret half alone", "key " + secret, "key <token>"},
		{"the API token", "bearer api-token-0123456789", "bearer <redacted>"},
		{"the webhook secret", "secret hook-secret-abc!", "secret <redacted>!"},
		{"an address in an error", `Post "http://user:pw@host/bot1:x/sendMessage": EOF`, `Post "http://<redacted>@host/bot<token>/sendMessage": EOF`},
		{"a token-shaped string not configured", "other 42424242:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef12 here", "other <token> here"},
		{"plain words stay", "herald running bot=@herald_bot http=127.0.0.1:8080", "herald running bot=@herald_bot http=127.0.0.1:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := x.String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWriterRedactsEachWrite(t *testing.T) {
	var buf bytes.Buffer
	w := redact.Writer(&buf, redact.New(token))
	n, err := w.Write([]byte("level=ERROR msg=x url=http://h/bot" + token + "\n"))
	if err != nil || n != len("level=ERROR msg=x url=http://h/bot"+token+"\n") {
		t.Fatalf("Write = %d, %v; want the length written and no error", n, err)
	}
	if got := buf.String(); got != "level=ERROR msg=x url=http://h/bot<token>\n" {
		t.Errorf("wrote %q", got)
	}
}

func TestSecretsAddedLaterAreHiddenFromThenOn(t *testing.T) {
	x := redact.New("123456:ABCDEFGHIJKLMNOP")
	w := &strings.Builder{}
	out := redact.Writer(w, x)
	const pw = "abcd-efgh-ijkl-mnop"
	x.Add(pw, "abc") // too short to hide: ignored
	if _, err := out.Write([]byte("signed in with " + pw + " as abc\n")); err != nil {
		t.Fatal(err)
	}
	if got := w.String(); strings.Contains(got, pw) || !strings.Contains(got, "as abc") || !strings.Contains(got, redact.Hidden) {
		t.Fatalf("wrote %q", got)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestArticlePreviewShowsEachPostAsReadersWillSeeIt(t *testing.T) {
	db := newDB(t)
	dir := t.TempDir()
	page := `{"title": "Difficult Question: who pays for the new bridge?",
  "body": "On 4 March 2030 at 21:00 the Difficult Question program discusses the bridge with engineer Elnur Abbasov.\n\nSend your questions.",
  "url": "https://news.example.az/en/dq/bridge", "published_at": "2030-03-01T10:00:00+04:00", "language": "en"}`
	held := "Difficult Question at 21:00: the parks\n\nAt 21:00 the Difficult Question program talks about the parks of Baku with an architect.\n"
	for name, data := range map[string]string{"bridge.json": page, "parks.txt": held} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, nil, "import", "--db", db, dir)
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1001", "--title", "DQ English", "--lang", "en", "--kinds", "episode,commentary,news")

	var arts []articleJSON
	decodeJSON(t, mustRun(t, nil, "articles", "--db", db, "--json"), &arts)
	var bridge, parks int64
	for _, a := range arts {
		if strings.Contains(a.Title, "bridge") {
			bridge = a.ID
		} else {
			parks = a.ID
		}
	}

	out := mustRun(t, nil, "article", "preview", itoa(bridge), "--channel", "DQ English", "--db", db, "--bot", "herald_test_bot").stdout
	for _, want := range []string{
		"── DQ English (-1001, en) · announce", "── DQ English (-1001, en) · live",
		"*Difficult Question: who pays for the new bridge?*", // the bold title, marked
		"would go Mon 4 Mar 2030 21:00 Asia/Baku (+04)",      // the live post at air time, in herald's one format
		"airs Mon 4 Mar 2030 21:00 Asia/Baku (+04)",
		"[Read on the site] https://news.example.az/en/dq/bridge",
		"https://t.me/herald_test_bot?start=",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	utc := mustRun(t, nil, "article", "preview", itoa(bridge), "--utc", "--channel", "DQ English", "--db", db).stdout
	if !strings.Contains(utc, "airs 2030-03-04T17:00:00Z") || !strings.Contains(utc, "would go 2030-03-04T17:00:00Z") {
		t.Errorf("preview --utc does not print times in UTC as RFC 3339:\n%s", utc)
	}
	if r := runHerald(t, nil, "article", "preview", "99999", "--db", db); r.code == 0 || !strings.Contains(r.stderr, "herald article preview:") {
		t.Errorf("a preview of a missing article: exit %d, stderr %q", r.code, r.stderr)
	}
	if strings.Contains(strings.ToLower(out), "recording") {
		t.Errorf("the preview of a future episode speaks of a recording:\n%s", out)
	}

	out = mustRun(t, nil, "article", "preview", itoa(parks), "--db", db).stdout
	if !strings.Contains(out, "held for an editor") || !strings.Contains(out, "not planned: held for an editor") {
		t.Errorf("the preview of a held article does not say it is held:\n%s", out)
	}
	list := mustRun(t, nil, "articles", "--db", db, "--held").stdout
	if !strings.Contains(list, "needs an editor: the page gives the air time 21:00 but not the day") || strings.Contains(list, "bridge") {
		t.Errorf("herald articles --held shows\n%s\nwant only the held article, with the reason", list)
	}
	if r := runHerald(t, nil, "article", "preview", itoa(bridge), "--channel", "nowhere", "--db", db); r.code == 0 {
		t.Errorf("a preview for a channel that does not exist succeeded:\n%s", r.stdout)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Dates and air times on a page are read in the agency's zone,
// HERALD_TIMEZONE, not in the machine's or always in Baku's.
func TestImportReadsThePageInTheAgencysZone(t *testing.T) {
	dir := t.TempDir()
	page := "Cümə axşamı, 3 dekabr 2026\n«Çətin sual»: yeni büdcə\n\n«Çətin sual» verilişi bu gün saat 21:00-da efirə gedəcək.\n"
	if err := os.WriteFile(filepath.Join(dir, "ep.txt"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	for zone, want := range map[string]string{"Asia/Baku": "2026-12-03T17:00:00Z", "Europe/London": "2026-12-03T21:00:00Z"} {
		db := newDB(t)
		vars := map[string]string{"HERALD_TIMEZONE": zone}
		mustRun(t, vars, "import", "--db", db, dir)
		var arts []struct {
			AirAt *time.Time `json:"air_at"`
		}
		decodeJSON(t, mustRun(t, vars, "articles", "--db", db, "--json"), &arts)
		if len(arts) != 1 || arts[0].AirAt == nil || arts[0].AirAt.UTC().Format(time.RFC3339) != want {
			t.Errorf("HERALD_TIMEZONE=%s: air_at %v, want %s", zone, arts, want)
		}
	}
}

package main

import (
	"testing"

	"github.com/herald-news/herald/ingest"
)

// The ingest API's per-source cleaning lists come from the configuration,
// and its pages are cleaned with them as import's are with its flags.
func TestAPICleanerListsFromTheConfiguration(t *testing.T) {
	t.Chdir(t.TempDir()) // no .env
	env := map[string]string{
		"HERALD_API_PROGRAM_NAMES": "Agenda=Gündəm|Повестка дня; Difficult Question=ÇS",
		"HERALD_API_CHROME":        "Bizi Telegram-da izləyin;;Reklam",
		"HERALD_API_SECTIONS":      "Gündəm xəbərləri",
	}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.APIPrograms) != 2 || cfg.APIPrograms[0].Name != "Agenda" || len(cfg.APIPrograms[0].Names) != 2 ||
		cfg.APIPrograms[1].Name != "Difficult Question" {
		t.Errorf("programs %+v", cfg.APIPrograms)
	}
	if len(cfg.APIChrome) != 2 || cfg.APIChrome[1] != "Reklam" || len(cfg.APISections) != 1 {
		t.Errorf("chrome %q, sections %q", cfg.APIChrome, cfg.APISections)
	}
	page := []byte(`{"title": "Bakıda yeni park açılıb", "body": "Bizi Telegram-da izləyin\n\nBakının Nizami rayonunda yeni park açılıb, bələdiyyə bildirib.\n\nParkda uşaq meydançası və velosiped yolu var.\n\nGündəm proqramı parkın açılışından reportaj hazırlayıb."}`)
	a, err := ingest.Parse("page.json", page, ingest.Options{Programs: cfg.APIPrograms, Chrome: cfg.APIChrome, Sections: cfg.APISections})
	if err != nil {
		t.Fatal(err)
	}
	if a.Lead != "Bakının Nizami rayonunda yeni park açılıb, bələdiyyə bildirib." || a.Program != "Agenda" {
		t.Errorf("lead %q, program %q: the configured chrome line or program name was not used", a.Lead, a.Program)
	}
}

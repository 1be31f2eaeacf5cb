package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// officialAPI is Telegram's own Bot API host. It delivers webhooks only to
// https URLs; a self-hosted Bot API server (TELEGRAM_API_URL) also to http.
const officialAPI = "api.telegram.org"

// preflight checks, before herald run starts anything, what would
// otherwise fail only once it runs: a webhook URL Telegram will refuse and
// a database herald cannot write. Each error names the variable and the
// fix. Variables herald does not know are warned about in the log.
func preflight(cfg *config, dbPath string, e *env, log *slog.Logger) error {
	dotenv, _ := readDotEnv(".env")
	for _, line := range unknownKeys(e.environ, dotenv) {
		log.Warn("unknown variable: " + line)
	}
	if err := checkWebhookURL(cfg); err != nil {
		return err
	}
	return checkWritable(dbPath)
}

// checkWebhookURL refuses an http:// HERALD_WEBHOOK_URL against Telegram's
// own API, which sends updates only over https.
func checkWebhookURL(cfg *config) error {
	if cfg.WebhookURL == "" {
		return nil
	}
	u, err := url.Parse(cfg.WebhookURL)
	if err != nil || u.Scheme != "http" {
		return nil
	}
	api, err := url.Parse(cfg.APIURL)
	if err != nil || !strings.EqualFold(api.Hostname(), officialAPI) {
		return nil // a self-hosted Bot API server may post to http
	}
	return fmt.Errorf("HERALD_WEBHOOK_URL=%s is http: Telegram's Bot API delivers updates only to https URLs (on port 443, 80, 88 or 8443); give an https URL behind a TLS proxy, unset HERALD_WEBHOOK_URL to long-poll instead, or point TELEGRAM_API_URL at a self-hosted Bot API server, which accepts http", cfg.WebhookURL)
}

// checkWritable fails when the database, or the directory SQLite keeps its
// -wal and -shm files in, cannot be written; otherwise the first sign
// would be a failed write much later, under another name.
func checkWritable(dbPath string) error {
	if dbPath == "" || strings.HasPrefix(dbPath, "file:") || strings.HasPrefix(dbPath, ":memory:") {
		return nil
	}
	fix := "give the user herald runs as write access to it and to its directory (SQLite writes -wal and -shm files beside it), or point --db or HERALD_DB at a writable copy"
	f, err := os.OpenFile(dbPath, os.O_WRONLY, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Created on open; the directory is checked below.
	case err != nil:
		return fmt.Errorf("the database %s (--db or HERALD_DB) is not writable: %w; %s", dbPath, err, fix)
	default:
		f.Close()
	}
	probe, err := os.CreateTemp(filepath.Dir(dbPath), ".herald-write-check-*")
	if err != nil {
		return fmt.Errorf("the directory of the database %s (--db or HERALD_DB) is not writable: %w; %s", dbPath, err, fix)
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

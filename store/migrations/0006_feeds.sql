-- Feeds herald polls for articles: RSS, Atom and JSON Feed. A feed is
-- polled when next_poll_at has passed; the validators (etag, last_modified)
-- make the next poll a conditional GET; failures push next_poll_at back.

CREATE TABLE feeds (
    id             INTEGER PRIMARY KEY,
    url            TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL CHECK (kind IN ('commentary', 'episode', 'news')),
    language       TEXT    NOT NULL CHECK (language IN ('az', 'en', 'ru')),
    source         TEXT    NOT NULL DEFAULT '',  -- the articles' source; '' means "feed:<host>"
    fetch_page     INTEGER NOT NULL DEFAULT 0,   -- fetch the page of an item that has only a summary
    window_s       INTEGER NOT NULL DEFAULT 0,   -- items published this long before added_at are planned too
    etag           TEXT    NOT NULL DEFAULT '',
    last_modified  TEXT    NOT NULL DEFAULT '',
    last_polled_at TEXT,
    last_ok_at     TEXT,
    failures       INTEGER NOT NULL DEFAULT 0,   -- consecutive failed polls
    next_poll_at   TEXT    NOT NULL,
    last_error     TEXT    NOT NULL DEFAULT '',
    -- keys of undated items the feed carried when first read: history, never
    -- taken in (JSON array).
    skipped        TEXT    NOT NULL DEFAULT '[]',
    added_at       TEXT    NOT NULL
);
CREATE INDEX feeds_due ON feeds (next_poll_at);

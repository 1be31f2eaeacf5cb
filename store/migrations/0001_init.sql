-- herald's first schema: articles, channels, posts and a key-value table.
-- Times are UTC text in a fixed-width format (2006-01-02T15:04:05.000Z).

CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    source       TEXT    NOT NULL,
    external_id  TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('commentary', 'episode', 'news')),
    language     TEXT    NOT NULL CHECK (language IN ('az', 'en', 'ru')),
    title        TEXT    NOT NULL,
    lead         TEXT    NOT NULL DEFAULT '',
    body         TEXT    NOT NULL DEFAULT '',
    program      TEXT    NOT NULL DEFAULT '',
    people       TEXT    NOT NULL DEFAULT '[]', -- JSON array of names
    url          TEXT    NOT NULL DEFAULT '',
    image_url    TEXT    NOT NULL DEFAULT '',
    video_url    TEXT    NOT NULL DEFAULT '',
    place        TEXT    NOT NULL DEFAULT '',
    breaking     INTEGER NOT NULL DEFAULT 0,
    published_at TEXT    NOT NULL,
    air_at       TEXT,
    content_hash TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'unpublished')),
    -- change_seq grows with every insert or change, so that the watcher can
    -- ask for what changed since it last looked.
    change_seq   INTEGER NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX articles_published ON articles (published_at);
CREATE INDEX articles_change_seq ON articles (change_seq);

CREATE TABLE channels (
    id           INTEGER PRIMARY KEY,
    network      TEXT    NOT NULL DEFAULT 'telegram',
    chat         TEXT    NOT NULL,
    title        TEXT    NOT NULL DEFAULT '',
    language     TEXT    NOT NULL,
    kinds        TEXT    NOT NULL,             -- comma-separated
    slots        TEXT    NOT NULL DEFAULT '[]', -- JSON array of cron specs
    timezone     TEXT    NOT NULL DEFAULT '',
    min_gap_s    INTEGER NOT NULL DEFAULT 0,
    daily_cap    INTEGER NOT NULL DEFAULT 0,
    quiet_start  INTEGER NOT NULL DEFAULT 0,   -- minutes after midnight
    quiet_end    INTEGER NOT NULL DEFAULT 0,
    quiet_mode   TEXT    NOT NULL DEFAULT 'silent',
    template     TEXT    NOT NULL DEFAULT '',
    review_link  TEXT    NOT NULL DEFAULT 'text',
    auto_approve INTEGER NOT NULL DEFAULT 0,
    on_edit      TEXT    NOT NULL DEFAULT 'edit',
    on_unpublish TEXT    NOT NULL DEFAULT 'delete',
    paused       INTEGER NOT NULL DEFAULT 0,
    pause_reason TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    UNIQUE (network, chat)
);

CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
    purpose         TEXT    NOT NULL CHECK (purpose IN ('publish', 'announce', 'live')),
    state           TEXT    NOT NULL,
    scheduled_at    TEXT    NOT NULL,
    silent          INTEGER NOT NULL DEFAULT 0,
    priority        INTEGER NOT NULL DEFAULT 0, -- breaking news goes first among due posts
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    lease_until     TEXT,
    last_error      TEXT    NOT NULL DEFAULT '',
    message_id      INTEGER NOT NULL DEFAULT 0,
    extra_ids       TEXT    NOT NULL DEFAULT '', -- follow-up message ids, comma-separated
    sent_at         TEXT,
    sent_hash       TEXT    NOT NULL DEFAULT '',
    -- sync is set when a delivered post must follow its article: 'edit' after
    -- a change, 'delete' after it was unpublished.
    sync            TEXT    NOT NULL DEFAULT '',
    scheduled_by    TEXT    NOT NULL DEFAULT 'auto',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    UNIQUE (article_id, channel_id, purpose)
);
CREATE INDEX posts_due ON posts (state, scheduled_at);
CREATE INDEX posts_channel ON posts (channel_id, scheduled_at);
CREATE INDEX posts_sync ON posts (sync) WHERE sync != '';
CREATE INDEX posts_article ON posts (article_id);

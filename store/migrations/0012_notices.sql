-- Notices owed to owners and editors (a post unknown or failed, a channel
-- paused, the poller stalled, a reader muted), kept from the moment they are
-- owed until each person got them, so that a 429 or a restart delays a
-- notice instead of losing it. An event is stored once (its key), so that
-- one found again after a restart is not announced again.
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    event_key  TEXT    NOT NULL UNIQUE,
    kind       TEXT    NOT NULL,
    post_id    INTEGER NOT NULL DEFAULT 0,
    article_id INTEGER NOT NULL DEFAULT 0,
    channel_id INTEGER NOT NULL DEFAULT 0,
    purpose    TEXT    NOT NULL DEFAULT '',
    title      TEXT    NOT NULL DEFAULT '', -- the article's, as it was
    channel    TEXT    NOT NULL DEFAULT '', -- "Title (chat)", as it was
    reason     TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL
);

-- One row per notice and person: pending until Telegram took the message,
-- then delivered, or unreachable (the person blocked the bot or never
-- started it).
CREATE TABLE notice_sends (
    notice_id    INTEGER NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'unreachable')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT    NOT NULL,
    last_error   TEXT    NOT NULL DEFAULT '',
    delivered_at TEXT,
    PRIMARY KEY (notice_id, user_id)
);
CREATE INDEX notice_sends_due ON notice_sends (state, next_at);

-- Refusals are counted: one row per person and window, not one per attempt,
-- so that a stranger hammering the bot cannot push real changes out of view.
ALTER TABLE audit ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit ADD COLUMN last_at TEXT;

-- The web desk's sign-ins. A session's cookie token is never stored, only
-- its SHA-256, so that a copy of the database signs nobody in; the same
-- goes for the one-time links the bot sends on /desk. Rights are not kept
-- here: every request checks the editors table afresh.
CREATE TABLE desk_sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    via         TEXT    NOT NULL CHECK (via IN ('widget', 'link')),
    user_agent  TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    seen_at     TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);
CREATE INDEX desk_sessions_user ON desk_sessions (user_id);

-- One-time sign-in links: used once (used_at set in the same statement that
-- checks it) and only before expires_at.
CREATE TABLE desk_links (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    used_at     TEXT
);

-- The desk's language per person, remembered across sessions.
CREATE TABLE desk_people (
    user_id     INTEGER PRIMARY KEY,
    language    TEXT    NOT NULL
);

-- A post's history on its desk page.
CREATE INDEX audit_post ON audit (post_id) WHERE post_id != 0;

-- Telegram Login Widget answers already used, so that one copied from a
-- log or a browser's history cannot sign anyone in again (Telegram's own
-- check stops at the day auth_date allows).
CREATE TABLE desk_logins (
    hash       TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    auth_date  TEXT    NOT NULL
);

-- Editors who steer herald from Telegram, and the audit trail of what
-- everyone did.

CREATE TABLE editors (
    user_id   INTEGER PRIMARY KEY,
    name      TEXT    NOT NULL DEFAULT '',
    role      TEXT    NOT NULL CHECK (role IN ('owner', 'editor')),
    language  TEXT    NOT NULL DEFAULT '',
    added_by  INTEGER NOT NULL DEFAULT 0,
    added_at  TEXT    NOT NULL
);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT    NOT NULL,
    user_id INTEGER NOT NULL, -- 0: the command line
    action  TEXT    NOT NULL,
    post_id INTEGER NOT NULL DEFAULT 0,
    detail  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit (at);

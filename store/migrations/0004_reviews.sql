-- Readers' reviews and what goes with them: the conversation in progress,
-- banned readers, the copies of posts in discussion groups (to tie comments
-- to articles) and reaction counts.

CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    channel_id  INTEGER,                       -- where the reader came from, when known
    user_id     INTEGER NOT NULL,
    user_name   TEXT    NOT NULL DEFAULT '',   -- display name, as Telegram gave it
    username    TEXT    NOT NULL DEFAULT '',
    language    TEXT    NOT NULL DEFAULT '',
    rating      INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
    text        TEXT    NOT NULL DEFAULT '',
    source      TEXT    NOT NULL CHECK (source IN ('dm', 'comment')),
    status      TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    spam        INTEGER NOT NULL DEFAULT 0,    -- the same text on other articles
    chat_id     INTEGER NOT NULL DEFAULT 0,    -- comments: the discussion group
    message_id  INTEGER NOT NULL DEFAULT 0,    -- comments: the comment
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (article_id, user_id)
);
CREATE INDEX reviews_user ON reviews (user_id, updated_at);
CREATE INDEX reviews_status ON reviews (status, created_at);
CREATE INDEX reviews_comment ON reviews (chat_id, message_id);

CREATE TABLE review_sessions (
    user_id    INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    channel_id INTEGER,
    step       TEXT    NOT NULL CHECK (step IN ('rating', 'comment')),
    rating     INTEGER NOT NULL DEFAULT 0,
    draft      TEXT    NOT NULL DEFAULT '',
    language   TEXT    NOT NULL DEFAULT '',
    updated_at TEXT    NOT NULL
);

CREATE TABLE banned_readers (
    user_id   INTEGER PRIMARY KEY,
    banned_by INTEGER NOT NULL,
    at        TEXT    NOT NULL
);

CREATE TABLE post_copies (
    chat_id    INTEGER NOT NULL,   -- the discussion group
    message_id INTEGER NOT NULL,   -- the automatic forward there
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    PRIMARY KEY (chat_id, message_id)
);

CREATE TABLE reactions (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    emoji      TEXT    NOT NULL,
    count      INTEGER NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (post_id, emoji)
);

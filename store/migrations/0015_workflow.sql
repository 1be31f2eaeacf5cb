-- The newsroom's workflow (issue 16): filters, forum topics, approval,
-- edits before a post goes, and herald's own short links.
--
-- A forum topic is a destination of its own: the chat column of a channel
-- on a topic holds "chat/topic" (-100123/7), so that the existing
-- UNIQUE (network, chat) keeps one channel per destination; the store
-- splits it into Channel.Chat and Channel.Topic. Post states are not
-- constrained by a CHECK, so the new state awaiting_approval needs no
-- change to the posts table.
ALTER TABLE channels ADD COLUMN include_rules TEXT    NOT NULL DEFAULT '[]'; -- JSON array of rules
ALTER TABLE channels ADD COLUMN exclude_rules TEXT    NOT NULL DEFAULT '[]';
ALTER TABLE channels ADD COLUMN approval      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN approvers     TEXT    NOT NULL DEFAULT ''; -- comma-separated user ids

-- Posts waiting for approval are read by channel and time, as the queue is.
CREATE INDEX posts_awaiting ON posts (channel_id, scheduled_at) WHERE state = 'awaiting_approval';

-- An editor's own text (and image) for a post, used instead of the
-- article's title and lead. Kept beside the post rather than in it, so that
-- a click or a flag does not change the post's revision.
CREATE TABLE post_edits (
    post_id      INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    text         TEXT    NOT NULL,
    image        TEXT    NOT NULL DEFAULT '', -- http(s) URL or tg:<file_id>
    image_data   BLOB,                        -- an uploaded file
    image_name   TEXT    NOT NULL DEFAULT '',
    article_hash TEXT    NOT NULL,            -- the article as it was edited against
    stale        INTEGER NOT NULL DEFAULT 0,  -- the article changed since: editors asked
    edited_by    INTEGER NOT NULL DEFAULT 0,
    edited_at    TEXT    NOT NULL
);

-- An editor's edit in progress in the bot: asked for (step 'text'), or
-- written and shown back for Save/Discard (step 'preview').
CREATE TABLE edit_drafts (
    user_id    INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    rev        INTEGER NOT NULL,
    step       TEXT    NOT NULL CHECK (step IN ('text', 'preview')),
    text       TEXT    NOT NULL DEFAULT '',
    image      TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL
);

-- One short code per post for the "Read on the site" link, and the clicks
-- it got: a count, no reader's data.
CREATE TABLE post_links (
    code          TEXT    PRIMARY KEY,
    post_id       INTEGER NOT NULL UNIQUE REFERENCES posts (id) ON DELETE CASCADE,
    clicks        INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL,
    last_click_at TEXT
);

-- Posts whose time came before anyone approved them, told to the
-- approvers once.
CREATE TABLE approval_late (
    post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    told_at TEXT    NOT NULL
);

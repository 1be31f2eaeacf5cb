-- Channels on networks besides Telegram (Mastodon, Bluesky): the account's
-- server, handle, the name of the environment variable holding its secret
-- (never the secret) and, on Mastodon, the visibility of its posts.
ALTER TABLE channels ADD COLUMN endpoint   TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN handle     TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN secret_env TEXT NOT NULL DEFAULT '';
ALTER TABLE channels ADD COLUMN visibility TEXT NOT NULL DEFAULT '';

-- What a post became on such a network (a Mastodon status id, a Bluesky
-- at:// URI), and the key made before its first send and kept for every
-- later one (Mastodon's Idempotency-Key, Bluesky's record key).
ALTER TABLE posts ADD COLUMN remote_id   TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN send_key    TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN send_key_at TEXT;
-- Set when a send under the key may have reached the network (an answer
-- lost, a herald killed mid-send): a repeat is then safe only while the
-- network still knows the key.
ALTER TABLE posts ADD COLUMN maybe_sent  INTEGER NOT NULL DEFAULT 0;
CREATE INDEX posts_remote ON posts (remote_id) WHERE remote_id != '';

-- Readers who reply on those networks. Their reviews carry user_id =
-- -id, so that bans, the rate limit, forget-me and moderation, all keyed
-- by user id, work for them as for Telegram's readers (whose ids are
-- positive).
CREATE TABLE network_readers (
    id         INTEGER PRIMARY KEY,
    network    TEXT NOT NULL,
    account    TEXT NOT NULL,              -- the network's stable id (account id@host, DID)
    handle     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (network, account)
);
CREATE INDEX network_readers_handle ON network_readers (network, lower(handle));

-- A review kept from a reply on such a network: the reply's own id there,
-- so that an edit of the reply changes the review instead of adding one.
ALTER TABLE reviews ADD COLUMN remote_id TEXT NOT NULL DEFAULT '';
CREATE INDEX reviews_remote ON reviews (remote_id) WHERE remote_id != '';

-- A channel may post a roundup of its readers' approved reviews ("What
-- readers said") on a cron schedule; empty: never (the default).
ALTER TABLE channels ADD COLUMN readers_post TEXT NOT NULL DEFAULT '';

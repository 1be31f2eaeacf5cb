-- Channels are named by title on the command line and in the bot, so a
-- title names one channel in use. A removed channel keeps its row, and with
-- it the history of its posts and reviews, until it is purged; removed_at
-- says when it was removed (NULL: in use).
ALTER TABLE channels ADD COLUMN removed_at TEXT;

-- Databases from before may hold one title twice. Rather than fail, every
-- channel but the oldest of each title is renamed "Title (#id)": the same
-- result on every run, and the id makes it unique and easy to find. A new
-- name can meet a title that already had that form ("News", "news" and
-- "News (#2)"), so the renaming is repeated: each pass leaves the oldest of
-- a title alone, and a collision needs an old title of the renamed form
-- once more for each further pass.
UPDATE channels SET title = title || ' (#' || id || ')'
WHERE EXISTS (SELECT 1 FROM channels AS older
              WHERE lower(older.title) = lower(channels.title) AND older.id < channels.id);
UPDATE channels SET title = title || ' (#' || id || ')'
WHERE EXISTS (SELECT 1 FROM channels AS older
              WHERE lower(older.title) = lower(channels.title) AND older.id < channels.id);
UPDATE channels SET title = title || ' (#' || id || ')'
WHERE EXISTS (SELECT 1 FROM channels AS older
              WHERE lower(older.title) = lower(channels.title) AND older.id < channels.id);

-- The store also compares titles with full Unicode case folding before it
-- writes; the index holds the line for what SQLite's lower() folds (ASCII).
CREATE UNIQUE INDEX channels_title ON channels (lower(title)) WHERE removed_at IS NULL;

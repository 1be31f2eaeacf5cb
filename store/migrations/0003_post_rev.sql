-- rev counts the changes to a post, so that an editor's button carries the
-- version it was drawn for: a press on a post that changed since is stale.
ALTER TABLE posts ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER posts_rev AFTER UPDATE ON posts
WHEN NEW.rev = OLD.rev
BEGIN
    UPDATE posts SET rev = OLD.rev + 1 WHERE id = NEW.id;
END;

-- An article herald holds for an editor instead of planning it on its own
-- (an episode whose air day the page does not tell), and why; '' when it
-- may go out on its own.
ALTER TABLE articles ADD COLUMN needs_editor TEXT NOT NULL DEFAULT '';

-- An article herald holds for an editor instead of planning it on its own
-- (an episode whose air day the page does not tell), and why; '' when it
-- may go out on its own.
ALTER TABLE articles ADD COLUMN needs_editor TEXT NOT NULL DEFAULT '';

-- A feed's own programs ("Stored name=Name on the page|Other name"),
-- chrome lines and section labels, as JSON arrays of strings: what its
-- pages are cleaned with on top of the built-in lists.
ALTER TABLE feeds ADD COLUMN clean_programs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE feeds ADD COLUMN clean_chrome TEXT NOT NULL DEFAULT '[]';
ALTER TABLE feeds ADD COLUMN clean_sections TEXT NOT NULL DEFAULT '[]';

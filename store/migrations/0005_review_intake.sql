-- Review intake: the spam check every review with words goes through
-- looks its text up among all reviews, case-folded as it compares. Ratings
-- without words stay out of the index.
CREATE INDEX reviews_text ON reviews (lower(text)) WHERE text != '';

-- The dispatcher's queue, in the order posts leave: each channel's waiting
-- posts by (scheduled_at, id), so that a channel's next post is one seek
-- however long its queue.
CREATE INDEX posts_queue ON posts (channel_id, scheduled_at, id) WHERE state IN ('planned', 'scheduled');
-- The moments taken on a channel (the send time of a delivered post, the
-- scheduled time of any other that still counts), so that the planner
-- reads only the neighbourhood of the moment it considers.
CREATE INDEX posts_taken ON posts (channel_id, COALESCE(sent_at, scheduled_at)) WHERE state NOT IN ('cancelled', 'failed');

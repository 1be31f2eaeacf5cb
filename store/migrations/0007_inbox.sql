-- Updates from Telegram, kept from the moment they arrive until they are
-- handled: getUpdates confirms a batch on the next call, which may come
-- before the batch was handled, so a herald killed in between would
-- otherwise lose them.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    raw         TEXT    NOT NULL,
    received_at TEXT    NOT NULL
);

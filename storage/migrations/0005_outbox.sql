-- The outbox: every message the bot owes a person because of a change is written in the
-- same transaction as the change and delivered by one sender (SPEC §8).

CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    chat_id       INTEGER NOT NULL,
    priority      INTEGER NOT NULL DEFAULT 1,
    method        TEXT NOT NULL,
    params        TEXT NOT NULL,   -- JSON of the Bot API parameters (reply_markup as a dict)
    upload        BLOB,            -- the bytes of a photo or document sent as a file
    reroute       TEXT,            -- JSON: what to do when the person blocked the bot
    fallback      TEXT,            -- JSON: another call when this one is refused as stale
    created_at    TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_by    TEXT,            -- the instance delivering it
    claimed_until TEXT,            -- its lease; after that another instance may take it
    sent_at       TEXT,
    failed_at     TEXT,
    error         TEXT
);
CREATE INDEX outbox_pending ON outbox(id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Two or more instances on one database (SPEC §6): each says it is alive, delivers the outbox
-- messages it claimed and takes over those of an instance that stopped saying so; each chat's
-- latest updates handled to the end (a webhook's update sent again is seen as handled); and
-- conversation states and user data carry a version, written only over the version read.

CREATE TABLE instances (
    name       TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    seen_ms    INTEGER NOT NULL   -- wall-clock milliseconds of its last heartbeat
);

CREATE TABLE chat_updates (
    chat_id INTEGER PRIMARY KEY,
    recent  TEXT NOT NULL,     -- JSON list of the chat's latest update ids handled
    at_ms   INTEGER NOT NULL   -- when; an old mark says nothing (update ids can restart)
);

ALTER TABLE ptb_conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ptb_user_data ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ptb_chat_data ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

CREATE INDEX outbox_claimed ON outbox(claimed_by) WHERE sent_at IS NULL AND failed_at IS NULL;

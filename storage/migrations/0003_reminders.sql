-- The 137 clock: planned reminders and sent digests. The database is the source of truth;
-- the scheduler only wakes up to look here.

CREATE TABLE reminders (
    id           INTEGER PRIMARY KEY,
    problem_id   INTEGER NOT NULL REFERENCES problems(id),
    kind         TEXT NOT NULL CHECK (kind IN ('before', 'overdue', 'confirm')),
    hours_before INTEGER NOT NULL DEFAULT 0,  -- 0: overdue; for confirm: hours after resolved
    due_at       TEXT NOT NULL,               -- its anchor: the deadline (confirm: resolved_at)
    fire_at      TEXT NOT NULL,
    claimed_at   TEXT,                         -- set in the same transaction that picks it
    sent_at      TEXT,                         -- set once the send was answered
    recipients   TEXT,                         -- JSON list of Telegram ids reached
    UNIQUE (problem_id, kind, hours_before, due_at)
);
CREATE INDEX reminders_pending ON reminders(claimed_at, fire_at);
CREATE INDEX reminders_problem ON reminders(problem_id);

CREATE TABLE digests (
    tg_user_id INTEGER NOT NULL,
    day        TEXT NOT NULL,      -- local date, YYYY-MM-DD
    kind       TEXT NOT NULL,      -- overdue / weekly
    claimed_at TEXT NOT NULL,
    problems   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tg_user_id, day, kind)
);

-- Organisation, accounts, invites, problems and their timeline.
-- Timestamps are ISO-8601 UTC strings (datetime.isoformat() of aware UTC datetimes).

CREATE TABLE teams (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    lead_envoy_id INTEGER REFERENCES envoys(id)
);

CREATE TABLE envoys (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    phone   TEXT,
    team_id INTEGER REFERENCES teams(id)
);
CREATE INDEX envoys_team ON envoys(team_id);

CREATE TABLE enterprises (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    team_id INTEGER REFERENCES teams(id)
);
CREATE INDEX enterprises_team ON enterprises(team_id);

CREATE TABLE assignments (
    envoy_id      INTEGER NOT NULL REFERENCES envoys(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    PRIMARY KEY (envoy_id, enterprise_id)
);
CREATE INDEX assignments_enterprise ON assignments(enterprise_id);

CREATE TABLE accounts (
    tg_user_id    INTEGER PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('staff', 'envoy', 'admin')),
    envoy_id      INTEGER REFERENCES envoys(id),
    enterprise_id INTEGER REFERENCES enterprises(id),
    display_name  TEXT NOT NULL DEFAULT '',
    lang          TEXT,
    reachable     INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    CHECK (role != 'staff' OR enterprise_id IS NOT NULL),
    CHECK (role != 'envoy' OR envoy_id IS NOT NULL)
);
CREATE UNIQUE INDEX accounts_envoy ON accounts(envoy_id) WHERE envoy_id IS NOT NULL;
CREATE INDEX accounts_enterprise ON accounts(enterprise_id);

CREATE TABLE invites (
    code          TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('staff', 'envoy', 'admin')),
    envoy_id      INTEGER REFERENCES envoys(id),
    enterprise_id INTEGER REFERENCES enterprises(id),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    used_by       INTEGER
);

CREATE TABLE problem_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE problems (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
    reporter_tg_id INTEGER NOT NULL,
    category       TEXT NOT NULL,
    description    TEXT NOT NULL,
    state          TEXT NOT NULL
        CHECK (state IN ('registered', 'in_progress', 'resolved', 'closed', 'withdrawn')),
    tier           INTEGER CHECK (tier IS NULL OR tier IN (1, 2, 3)),
    envoy_id       INTEGER REFERENCES envoys(id),
    registered_at  TEXT NOT NULL,
    due_at         TEXT NOT NULL,
    resolved_at    TEXT,
    closed_at      TEXT,
    satisfaction   INTEGER CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5),
    comment        TEXT,
    version        INTEGER NOT NULL DEFAULT 0, -- optimistic concurrency: bumped by every change
    client_key     TEXT UNIQUE                 -- the draft it came from: a retried submit is a no-op
);
CREATE INDEX problems_enterprise ON problems(enterprise_id, registered_at);
CREATE INDEX problems_state_due ON problems(state, due_at);
CREATE INDEX problems_envoy ON problems(envoy_id, state);

CREATE TABLE problem_events (
    id          INTEGER PRIMARY KEY,
    problem_id  INTEGER NOT NULL REFERENCES problems(id),
    at          TEXT NOT NULL,
    actor_tg_id INTEGER,
    actor_role  TEXT,
    action      TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT,
    note        TEXT
);
CREATE INDEX problem_events_problem ON problem_events(problem_id, id);

CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    problem_id     INTEGER NOT NULL REFERENCES problems(id),
    event_id       INTEGER REFERENCES problem_events(id),
    kind           TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    file_id        TEXT NOT NULL,
    file_unique_id TEXT,
    file_name      TEXT,
    mime_type      TEXT
);
CREATE INDEX attachments_problem ON attachments(problem_id);

-- python-telegram-bot persistence (conversation states and per-user drafts) lives in the
-- same file, so a report in progress survives a restart.
CREATE TABLE ptb_conversations (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,
    state TEXT,
    PRIMARY KEY (name, key)
);
CREATE TABLE ptb_user_data (
    user_id INTEGER PRIMARY KEY,
    data    TEXT NOT NULL
);
CREATE TABLE ptb_chat_data (
    chat_id INTEGER PRIMARY KEY,
    data    TEXT NOT NULL
);

-- The web platform (云平台): one-time sign-in links sent by /web and browser sessions.
-- Only SHA-256 hashes of the tokens are stored; the tokens themselves exist in the link and
-- in the cookie only.

CREATE TABLE web_links (
    token_hash TEXT PRIMARY KEY,
    tg_user_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT             -- set by the one sign-in it allows (or when a newer link replaces it)
);
CREATE INDEX web_links_user ON web_links(tg_user_id, created_at);

CREATE TABLE web_sessions (
    token_hash   TEXT PRIMARY KEY,
    tg_user_id   INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,  -- the idle timeout counts from here
    expires_at   TEXT NOT NULL,  -- the absolute end, however busy the session
    ended_at     TEXT,           -- signed out
    via          TEXT NOT NULL CHECK (via IN ('link', 'widget'))
);
CREATE INDEX web_sessions_user ON web_sessions(tg_user_id);

-- the problem list's default order and its period filter read problems by registration time
CREATE INDEX problems_registered ON problems(registered_at);

-- Functional departments (职能部门) and dispatch orders (派单, SPEC §3).
-- A department person is an account bound to one department; a dispatch sends one problem to one
-- department with its own state, deadline and note; several dispatches on a problem are joint
-- handling. Department steps are timeline events that name the department.

CREATE TABLE departments (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- The people of a department as the roster lists them (who the office calls); accounts are
-- bound to the department itself by an invite.
CREATE TABLE department_contacts (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    name          TEXT NOT NULL,
    phone         TEXT,
    UNIQUE (department_id, name)
);

-- accounts and invites gain the role 'department' and the department they bind to; SQLite
-- cannot change a CHECK in place, so both tables are rebuilt (nothing references them).
CREATE TABLE accounts_new (
    tg_user_id    INTEGER PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('staff', 'envoy', 'admin', 'department')),
    envoy_id      INTEGER REFERENCES envoys(id),
    enterprise_id INTEGER REFERENCES enterprises(id),
    department_id INTEGER REFERENCES departments(id),
    display_name  TEXT NOT NULL DEFAULT '',
    lang          TEXT,
    reachable     INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    CHECK (role != 'staff' OR enterprise_id IS NOT NULL),
    CHECK (role != 'envoy' OR envoy_id IS NOT NULL),
    CHECK (role != 'department' OR department_id IS NOT NULL)
);
INSERT INTO accounts_new (tg_user_id, role, envoy_id, enterprise_id, display_name, lang,
                          reachable, created_at)
    SELECT tg_user_id, role, envoy_id, enterprise_id, display_name, lang, reachable, created_at
    FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
CREATE UNIQUE INDEX accounts_envoy ON accounts(envoy_id) WHERE envoy_id IS NOT NULL;
CREATE INDEX accounts_enterprise ON accounts(enterprise_id);
CREATE INDEX accounts_department ON accounts(department_id) WHERE department_id IS NOT NULL;

CREATE TABLE invites_new (
    code          TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('staff', 'envoy', 'admin', 'department')),
    envoy_id      INTEGER REFERENCES envoys(id),
    enterprise_id INTEGER REFERENCES enterprises(id),
    department_id INTEGER REFERENCES departments(id),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    used_by       INTEGER,
    revoked_at    TEXT
);
INSERT INTO invites_new (code, kind, envoy_id, enterprise_id, created_at, expires_at, used_at,
                         used_by, revoked_at)
    SELECT code, kind, envoy_id, enterprise_id, created_at, expires_at, used_at, used_by,
           revoked_at
    FROM invites;
DROP TABLE invites;
ALTER TABLE invites_new RENAME TO invites;
CREATE INDEX invites_open_envoy ON invites(envoy_id)
    WHERE used_at IS NULL AND revoked_at IS NULL AND envoy_id IS NOT NULL;
CREATE INDEX invites_open_enterprise ON invites(enterprise_id)
    WHERE used_at IS NULL AND revoked_at IS NULL AND enterprise_id IS NOT NULL;
CREATE INDEX invites_open_department ON invites(department_id)
    WHERE used_at IS NULL AND revoked_at IS NULL AND department_id IS NOT NULL;

-- A timeline event may belong to a department (its dispatch and its steps); an internal one
-- is read by the city side and that department only.
ALTER TABLE problem_events ADD COLUMN department_id INTEGER REFERENCES departments(id);
ALTER TABLE problem_events ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;

CREATE TABLE dispatches (
    id            INTEGER PRIMARY KEY,
    problem_id    INTEGER NOT NULL REFERENCES problems(id),
    department_id INTEGER NOT NULL REFERENCES departments(id),
    state         TEXT NOT NULL CHECK (state IN ('sent', 'signed', 'done', 'returned')),
    note          TEXT,             -- what the dispatcher asked for
    due_at        TEXT NOT NULL,    -- the department's deadline
    sent_at       TEXT NOT NULL,
    sent_by       INTEGER,          -- Telegram id of the admin or lead who dispatched it
    signed_at     TEXT,
    done_at       TEXT,
    returned_at   TEXT,
    answer        TEXT,             -- the done note or the reason for returning it
    sent_event_id INTEGER NOT NULL REFERENCES problem_events(id),
    end_event_id  INTEGER REFERENCES problem_events(id),  -- its done or return event
    version       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX dispatches_problem ON dispatches(problem_id, id);
CREATE INDEX dispatches_department ON dispatches(department_id, state, due_at);
-- one live dispatch per problem and department: a second one waits for the first's answer
CREATE UNIQUE INDEX dispatches_live ON dispatches(problem_id, department_id)
    WHERE state IN ('sent', 'signed');

-- The department clock: like reminders, claimed before sent, at most once.
CREATE TABLE dispatch_reminders (
    id           INTEGER PRIMARY KEY,
    dispatch_id  INTEGER NOT NULL REFERENCES dispatches(id),
    kind         TEXT NOT NULL CHECK (kind IN ('before', 'overdue')),
    hours_before INTEGER NOT NULL DEFAULT 0,
    due_at       TEXT NOT NULL,
    fire_at      TEXT NOT NULL,
    claimed_at   TEXT,
    sent_at      TEXT,
    recipients   TEXT,
    UNIQUE (dispatch_id, kind, hours_before, due_at)
);
CREATE INDEX dispatch_reminders_pending ON dispatch_reminders(claimed_at, fire_at);
CREATE INDEX dispatch_reminders_dispatch ON dispatch_reminders(dispatch_id);

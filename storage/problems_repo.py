"""Problems, their timeline events and attachments; every change is one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.models import Attachment, Event, Problem, State
from domain.outgoing import Outgoing, Queued
from domain.reminders import PlannedReminder
from storage import outbox_repo
from storage.db import Connection, Database, from_db_required, one, to_db
from storage.problem_rows import _SELECT, _problem
from storage.reminders_repo import write_plan


@dataclass(frozen=True, slots=True)
class NewAttachment:
    """A file a user sent, before it belongs to a stored problem."""

    kind: str  # photo / document
    file_id: str
    file_unique_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One state change of a problem, written together with its timeline event."""

    action: str
    actor_tg_id: int | None
    actor_role: str | None
    at: datetime
    note: str | None = None
    new_state: State | None = None
    tier: int | None = None
    due_at: datetime | None = None
    envoy_id: int | None = None
    set_resolved_at: bool = False
    clear_resolved_at: bool = False
    set_closed_at: bool = False
    satisfaction: int | None = None
    comment: str | None = None
    attachments: Sequence[NewAttachment] = ()


Plan = tuple[datetime, Sequence[PlannedReminder]]


@dataclass(slots=True)
class Effects:
    """What a change owes, computed from the problem as changed and written in its transaction.

    After the write, ``queued`` holds the owed messages with their outbox ids and
    ``replayed`` tells that a retried submit found its problem already registered.
    """

    now: datetime
    messages: Callable[[Problem], Sequence[Outgoing]] | None = None
    plan: Callable[[Problem], Plan] | None = None
    queued: list[Queued] = field(default_factory=list)
    replayed: bool = False

    async def write(self, conn: Connection, problem: Problem) -> None:
        if self.plan is not None:
            anchor, planned = self.plan(problem)
            await write_plan(conn, problem.id, anchor, planned)
        if self.messages is not None:
            self.queued = await outbox_repo.insert(conn, self.messages(problem), self.now)


def _attachment(row: sqlite3.Row) -> Attachment:
    return Attachment(
        id=row["id"],
        problem_id=row["problem_id"],
        event_id=row["event_id"],
        kind=row["kind"],
        file_id=row["file_id"],
        file_name=row["file_name"],
        mime_type=row["mime_type"],
    )


async def _add_attachments(
    conn: Connection, problem_id: int, event_id: int, files: Sequence[NewAttachment]
) -> None:
    if not files:
        return
    await conn.executemany(
        "INSERT INTO attachments (problem_id, event_id, kind, file_id, file_unique_id,"
        " file_name, mime_type) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (problem_id, event_id, f.kind, f.file_id, f.file_unique_id, f.file_name, f.mime_type)
            for f in files
        ],
    )


class ProblemsRepo:
    """All reads and writes of problems."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        enterprise_id: int,
        reporter_tg_id: int,
        category: str,
        description: str,
        registered_at: datetime,
        due_at: datetime,
        attachments: Sequence[NewAttachment] = (),
        client_key: str | None = None,
        effects: Effects | None = None,
    ) -> Problem:
        """Register a problem with its number, first event, files and effects, atomically.

        A ``client_key`` seen before returns the problem it already made (idempotent submit).
        """
        year = registered_at.year
        async with self.db.transaction() as conn:
            if client_key is not None:
                existing = await one(conn, _SELECT + " WHERE p.client_key = ?", (client_key,))
                if existing is not None:
                    if effects is not None:
                        effects.replayed = True
                    return _problem(existing)
            await conn.execute(
                "INSERT INTO problem_counters (year, last) VALUES (?, 1)"
                " ON CONFLICT(year) DO UPDATE SET last = problem_counters.last + 1",
                (year,),
            )
            row = await one(conn, "SELECT last FROM problem_counters WHERE year = ?", (year,))
            assert row is not None
            number = f"{year}-{int(row[0]):04d}"
            cur = await conn.execute(
                "INSERT INTO problems (number, enterprise_id, reporter_tg_id, category,"
                " description, state, registered_at, due_at, client_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    number,
                    enterprise_id,
                    reporter_tg_id,
                    category,
                    description,
                    State.REGISTERED.value,
                    to_db(registered_at),
                    to_db(due_at),
                    client_key,
                ),
            )
            problem_id = cur.lastrowid
            assert problem_id is not None
            cur = await conn.execute(
                "INSERT INTO problem_events (problem_id, at, actor_tg_id, actor_role, action,"
                " from_state, to_state, note) VALUES (?, ?, ?, 'staff', 'register', NULL, ?, NULL)",
                (problem_id, to_db(registered_at), reporter_tg_id, State.REGISTERED.value),
            )
            assert cur.lastrowid is not None
            await _add_attachments(conn, problem_id, cur.lastrowid, attachments)
            row = await one(conn, _SELECT + " WHERE p.id = ?", (problem_id,))
            assert row is not None
            created = _problem(row)
            if effects is not None:
                await effects.write(conn, created)
        return created

    async def get(self, problem_id: int) -> Problem | None:
        row = await self.db.fetchone(_SELECT + " WHERE p.id = ?", (problem_id,))
        return _problem(row) if row else None

    async def by_number(self, number: str) -> Problem | None:
        row = await self.db.fetchone(_SELECT + " WHERE p.number = ?", (number,))
        return _problem(row) if row else None

    async def for_enterprise(
        self, enterprise_id: int, *, limit: int, offset: int = 0
    ) -> tuple[list[Problem], int]:
        """One page of an enterprise's problems, newest first, and the total count."""
        rows = await self.db.fetchall(
            _SELECT + " WHERE p.enterprise_id = ? ORDER BY p.registered_at DESC, p.id DESC"
            " LIMIT ? OFFSET ?",
            (enterprise_id, limit, offset),
        )
        total = await self.db.fetchone(
            "SELECT COUNT(*) FROM problems WHERE enterprise_id = ?", (enterprise_id,)
        )
        return [_problem(r) for r in rows], int(total[0]) if total else 0

    async def open_for_scope(
        self,
        *,
        enterprise_ids: Sequence[int] | None,
        envoy_id: int | None,
        limit: int,
        offset: int = 0,
        overdue_before: datetime | None = None,
    ) -> tuple[list[Problem], int]:
        """Open problems of some enterprises (or all, when None), most urgent first.

        A scope is first narrowed to ids through the enterprise and envoy indexes (a CTE),
        so an envoy's /inbox does not walk every open problem of the province.
        """
        open_states = "('registered', 'in_progress')"
        params: list[object] = []
        prefix = ""
        join = ""
        if enterprise_ids is not None:
            marks = ",".join("?" * len(enterprise_ids)) or "NULL"
            parts = [
                f"SELECT id FROM problems WHERE enterprise_id IN ({marks})"
                f" AND +state IN {open_states}"
            ]
            params.extend(enterprise_ids)
            if envoy_id is not None:
                parts.append(
                    f"SELECT id FROM problems WHERE envoy_id = ? AND state IN {open_states}"
                )
                params.append(envoy_id)
            prefix = "WITH scope(id) AS (" + " UNION ".join(parts) + ") "
            join = " JOIN scope s ON s.id = p.id"
        where = [f"p.state IN {open_states}"]
        if overdue_before is not None:
            where.append("p.due_at < ?")
            params.append(to_db(overdue_before))
        clause = " WHERE " + " AND ".join(where)
        rows = await self.db.fetchall(
            prefix + _SELECT + join + clause + " ORDER BY p.due_at ASC, p.id ASC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        total = await self.db.fetchone(
            prefix + "SELECT COUNT(*) FROM problems p" + join + clause, params
        )
        return [_problem(r) for r in rows], int(total[0]) if total else 0

    async def agenda(self, now: datetime, limit: int = 1000) -> list[Problem]:
        """The dispatch meeting's problems: open tier 3, and tier 2 past its deadline; the
        oldest first."""
        rows = await self.db.fetchall(
            _SELECT + " WHERE p.state IN ('registered', 'in_progress')"
            " AND (p.tier = 3 OR (p.tier = 2 AND p.due_at < ?))"
            " ORDER BY p.registered_at, p.id LIMIT ?",
            (to_db(now), limit),
        )
        return [_problem(r) for r in rows]

    async def events(self, problem_id: int) -> list[Event]:
        """The timeline: every event in order, with its attachments and the actor's name."""
        rows = await self.db.fetchall(
            "SELECT ev.*, COALESCE(NULLIF(a.display_name, ''), v.name) AS actor_name,"
            " dp.name AS department_name"
            " FROM problem_events ev"
            " LEFT JOIN accounts a ON a.tg_user_id = ev.actor_tg_id"
            " LEFT JOIN envoys v ON v.id = a.envoy_id"
            " LEFT JOIN departments dp ON dp.id = ev.department_id"
            " WHERE ev.problem_id = ? ORDER BY ev.id",
            (problem_id,),
        )
        files = await self.db.fetchall(
            "SELECT * FROM attachments WHERE problem_id = ? ORDER BY id", (problem_id,)
        )
        by_event: dict[int | None, list[Attachment]] = {}
        for f in files:
            by_event.setdefault(f["event_id"], []).append(_attachment(f))
        return [
            Event(
                id=r["id"],
                problem_id=r["problem_id"],
                at=from_db_required(r["at"]),
                actor_tg_id=r["actor_tg_id"],
                actor_role=r["actor_role"],
                actor_name=r["actor_name"],
                action=r["action"],
                from_state=State(r["from_state"]) if r["from_state"] else None,
                to_state=State(r["to_state"]) if r["to_state"] else None,
                note=r["note"],
                attachments=tuple(by_event.get(r["id"], ())),
                department_id=r["department_id"],
                department_name=r["department_name"],
                internal=bool(r["internal"]),
            )
            for r in rows
        ]

    async def attachments(self, problem_id: int) -> list[Attachment]:
        rows = await self.db.fetchall(
            "SELECT * FROM attachments WHERE problem_id = ? ORDER BY id", (problem_id,)
        )
        return [_attachment(r) for r in rows]

    async def apply(
        self, problem: Problem, change: Change, effects: Effects | None = None
    ) -> Problem | None:
        """Write a change and its effects if nobody changed the problem since it was read."""
        sets = ["version = version + 1"]
        params: list[object] = []
        if change.new_state is not None:
            sets.append("state = ?")
            params.append(change.new_state.value)
        if change.tier is not None:
            sets.append("tier = ?")
            params.append(change.tier)
        if change.due_at is not None:
            sets.append("due_at = ?")
            params.append(to_db(change.due_at))
        if change.envoy_id is not None:
            sets.append("envoy_id = ?")
            params.append(change.envoy_id)
        if change.set_resolved_at:
            sets.append("resolved_at = ?")
            params.append(to_db(change.at))
        if change.clear_resolved_at:
            sets.append("resolved_at = NULL")
        if change.set_closed_at:
            sets.append("closed_at = ?")
            params.append(to_db(change.at))
        if change.satisfaction is not None:
            sets.append("satisfaction = ?")
            params.append(change.satisfaction)
        if change.comment is not None:
            sets.append("comment = ?")
            params.append(change.comment)
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                f"UPDATE problems SET {', '.join(sets)} WHERE id = ? AND version = ?",
                (*params, problem.id, problem.version),
            )
            if cur.rowcount != 1:
                return None
            new_state = change.new_state or problem.state
            cur = await conn.execute(
                "INSERT INTO problem_events (problem_id, at, actor_tg_id, actor_role, action,"
                " from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    problem.id,
                    to_db(change.at),
                    change.actor_tg_id,
                    change.actor_role,
                    change.action,
                    problem.state.value,
                    new_state.value,
                    change.note,
                ),
            )
            assert cur.lastrowid is not None
            await _add_attachments(conn, problem.id, cur.lastrowid, change.attachments)
            row = await one(conn, _SELECT + " WHERE p.id = ?", (problem.id,))
            assert row is not None
            updated = _problem(row)
            if effects is not None:
                await effects.write(conn, updated)
        return updated

    async def set_comment(
        self, problem: Problem, comment: str, *, actor_tg_id: int, at: datetime
    ) -> bool:
        """The enterprise's optional comment after rating; written once."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE problems SET comment = ?, version = version + 1"
                " WHERE id = ? AND comment IS NULL",
                (comment, problem.id),
            )
            if cur.rowcount != 1:
                return False
            await conn.execute(
                "INSERT INTO problem_events (problem_id, at, actor_tg_id, actor_role, action,"
                " from_state, to_state, note) VALUES (?, ?, ?, 'staff', 'comment', ?, ?, ?)",
                (
                    problem.id,
                    to_db(at),
                    actor_tg_id,
                    problem.state.value,
                    problem.state.value,
                    comment,
                ),
            )
        return True

"""Planned reminders and digests: claim-before-send makes every ping at most once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from domain.models import Problem, State
from domain.outgoing import Outgoing, Queued
from domain.reminders import CONFIRM, PlannedReminder
from storage import outbox_repo
from storage.db import Connection, Database, from_db_required, to_db
from storage.problem_rows import _SELECT, DISPATCHED_TO, _problem

_INSERT = (
    "INSERT OR IGNORE INTO reminders (problem_id, kind, hours_before, due_at, fire_at)"
    " VALUES (?, ?, ?, ?, ?)"
)


async def write_plan(
    conn: Connection,
    problem_id: int,
    due_at: datetime,
    planned: Sequence[PlannedReminder],
) -> None:
    """Inside the caller's transaction: drop what was planned and not picked, plan anew."""
    await conn.execute(
        "DELETE FROM reminders WHERE problem_id = ? AND claimed_at IS NULL", (problem_id,)
    )
    await conn.executemany(
        _INSERT,
        [
            (problem_id, r.kind, r.hours_before or 0, to_db(due_at), to_db(r.fire_at))
            for r in planned
        ],
    )


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A claimed reminder with the problem as it is now."""

    id: int
    kind: str
    hours_before: int
    fire_at: datetime
    problem: Problem


_DUE_SELECT = (
    "SELECT r.id AS rid, r.kind AS rkind, r.hours_before AS rhours,"
    " r.fire_at AS rfire, r.due_at AS rdue, p.*, e.name AS enterprise_name,"
    " e.team_id AS team_id, v.name AS envoy_name, " + DISPATCHED_TO + ""
    " FROM reminders r JOIN problems p ON p.id = r.problem_id"
    " JOIN enterprises e ON e.id = p.enterprise_id"
    " LEFT JOIN envoys v ON v.id = p.envoy_id"
)


class ClaimedElsewhere(RuntimeError):
    """Another worker claimed a reminder between reading and claiming it."""


async def mark_claimed(
    conn: Connection,
    table: Literal["reminders", "dispatch_reminders"],
    reached: Mapping[int, Sequence[int]],
    stale: Sequence[int],
    now: datetime,
) -> None:
    """Claim each reminder once: sent to whom it reached, or retired unsent (stale)."""
    claim = [
        (to_db(now), to_db(now), json.dumps(sorted(set(ids))), rid) for rid, ids in reached.items()
    ] + [(to_db(now), None, "[]", rid) for rid in stale]
    for row in claim:
        cur = await conn.execute(
            f"UPDATE {table} SET claimed_at = ?, sent_at = ?, recipients = ?"
            " WHERE id = ? AND claimed_at IS NULL",
            row,
        )
        if cur.rowcount != 1:
            raise ClaimedElsewhere(row[-1])


def _due(r: sqlite3.Row) -> DueReminder | None:
    """The reminder with its problem, or None when the problem moved on since it was planned."""
    problem = _problem(r)
    if r["rkind"] == CONFIRM:
        current = problem.state is State.RESOLVED and r["rdue"] == to_db(problem.resolved_at)
    else:
        current = problem.state.is_open and r["rdue"] == to_db(problem.due_at)
    if not current:
        return None
    return DueReminder(r["rid"], r["rkind"], r["rhours"], from_db_required(r["rfire"]), problem)


class RemindersRepo:
    """SQL of the 137 clock."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def replace_plan(
        self, problem_id: int, due_at: datetime, planned: Sequence[PlannedReminder]
    ) -> None:
        """Drop what was planned and not yet picked, then plan anew; sent ones never return."""
        async with self.db.transaction() as conn:
            await write_plan(conn, problem_id, due_at, planned)

    async def replace_plans(
        self, plans: Iterable[tuple[int, datetime, Sequence[PlannedReminder]]]
    ) -> int:
        """Bulk form of replace_plan for start-up; one transaction."""
        rows: list[tuple[object, ...]] = []
        ids: list[tuple[int]] = []
        for problem_id, due_at, planned in plans:
            ids.append((problem_id,))
            rows.extend(
                (problem_id, r.kind, r.hours_before or 0, to_db(due_at), to_db(r.fire_at))
                for r in planned
            )
        async with self.db.transaction() as conn:
            await conn.executemany(
                "DELETE FROM reminders WHERE problem_id = ? AND claimed_at IS NULL", ids
            )
            await conn.executemany(
                "INSERT OR IGNORE INTO reminders (problem_id, kind, hours_before, due_at, fire_at)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    async def open_problems_without_plan(self, limit: int, after_id: int = 0) -> list[Problem]:
        """Open problems with no reminder rows (new database, import, upgrade), paged by id."""
        rows = await self.db.fetchall_long(
            _SELECT + " WHERE p.id > ? AND +p.state IN ('registered', 'in_progress')"
            " AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.problem_id = p.id)"
            " ORDER BY p.id LIMIT ?",
            (after_id, limit),
        )
        return [_problem(r) for r in rows]

    async def next_fire_at(self) -> datetime | None:
        row = await self.db.fetchone(
            "SELECT MIN(at) FROM (SELECT MIN(fire_at) AS at FROM reminders WHERE claimed_at IS NULL"
            " UNION ALL SELECT MIN(fire_at) FROM dispatch_reminders WHERE claimed_at IS NULL)"
            " AS due"
        )
        return from_db_required(row[0]) if row and row[0] else None

    async def due(self, now: datetime, limit: int = 5000) -> tuple[list[DueReminder], list[int]]:
        """Reminders due by now, not yet claimed: those still current, and the stale ids."""
        rows = await self.db.fetchall_long(
            _DUE_SELECT
            + " WHERE r.claimed_at IS NULL AND r.fire_at <= ? ORDER BY r.fire_at LIMIT ?",
            (to_db(now), limit),
        )
        due: list[DueReminder] = []
        stale: list[int] = []
        for r in rows:
            reminder = _due(r)
            if reminder is None:
                stale.append(r["rid"])  # answered, resolved or replanned meanwhile
            else:
                due.append(reminder)
        return due, stale

    async def by_ids(self, ids: Sequence[int]) -> list[DueReminder]:
        """Reminders by id with their problems as they are now (for rerouting)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self.db.fetchall(_DUE_SELECT + f" WHERE r.id IN ({marks})", tuple(ids))
        return [d for d in (_due(r) for r in rows) if d is not None]

    async def claim_and_queue(
        self,
        reached: Mapping[int, Sequence[int]],
        stale: Sequence[int],
        messages: Sequence[Outgoing],
        now: datetime,
    ) -> list[Queued]:
        """Claim the reminders and write their messages in one transaction: a kill loses none.

        A reminder some other worker claimed (or is claiming: its row is locked) meanwhile
        aborts the whole batch (nothing is written); the next tick reads again. The rows are
        claimed with FOR UPDATE SKIP LOCKED, so instances never wait on each other here.
        """
        async with self.db.transaction(serial=False) as conn:
            wanted = sorted({*reached, *stale})
            if wanted:
                got = await conn.execute_fetchall(
                    f"SELECT id FROM reminders WHERE id IN ({','.join('?' * len(wanted))})"
                    " AND claimed_at IS NULL FOR UPDATE SKIP LOCKED",
                    wanted,
                )
                if len(got) != len(wanted):
                    raise ClaimedElsewhere(sorted(set(wanted) - {int(r[0]) for r in got}))
            await mark_claimed(conn, "reminders", reached, stale, now)
            return await outbox_repo.insert(conn, messages, now)

    async def pending(self, problem_id: int) -> list[tuple[str, int, datetime]]:
        rows = await self.db.fetchall(
            "SELECT kind, hours_before, fire_at FROM reminders"
            " WHERE problem_id = ? AND claimed_at IS NULL ORDER BY fire_at",
            (problem_id,),
        )
        return [(r[0], r[1], from_db_required(r[2])) for r in rows]

    async def overdue(self, now: datetime, limit: int = 100000) -> list[Problem]:
        rows = await self.db.fetchall(
            _SELECT + " WHERE p.state IN ('registered', 'in_progress') AND p.due_at < ?"
            " ORDER BY p.due_at LIMIT ?",
            (to_db(now), limit),
        )
        return [_problem(r) for r in rows]

    async def claim_digest_and_queue(
        self,
        tg_user_id: int,
        day: str,
        kind: str,
        now: datetime,
        problems: int,
        messages: Sequence[Outgoing],
    ) -> list[Queued]:
        """Once per person, day and kind: the claim and its messages in one transaction."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO digests (tg_user_id, day, kind, claimed_at, problems)"
                " VALUES (?, ?, ?, ?, ?)",
                (tg_user_id, day, kind, to_db(now), problems),
            )
            if cur.rowcount != 1:
                return []
            return await outbox_repo.insert(conn, messages, now)

    async def claim_digest(
        self, tg_user_id: int, day: str, kind: str, now: datetime, problems: int
    ) -> bool:
        """True exactly once per person, day and kind."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT OR IGNORE INTO digests (tg_user_id, day, kind, claimed_at, problems)"
                " VALUES (?, ?, ?, ?, ?)",
                (tg_user_id, day, kind, to_db(now), problems),
            )
            return cur.rowcount == 1

    async def digest_sent(self, day: str, kind: str) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT tg_user_id FROM digests WHERE day = ? AND kind = ?", (day, kind)
        )
        return {int(r[0]) for r in rows}

"""Dispatch orders and their steps: each written with its timeline event, plan and messages."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.models import Dispatch, DispatchState, Problem
from domain.outgoing import Outgoing, Queued
from domain.reminders import PlannedReminder
from storage import outbox_repo
from storage.db import Connection, Database, from_db, from_db_required, to_db
from storage.problems_repo import NewAttachment, _add_attachments

_SELECT = (
    "SELECT d.*, dp.name AS department_name FROM dispatches d"
    " JOIN departments dp ON dp.id = d.department_id"
)
_EVENT = (
    "INSERT INTO problem_events (problem_id, at, actor_tg_id, actor_role, action, from_state,"
    " to_state, note, department_id, internal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT = (
    "INSERT INTO dispatches (problem_id, department_id, state, note, due_at, sent_at, sent_by,"
    " sent_event_id) VALUES (?, ?, 'sent', ?, ?, ?, ?, ?)"
)
_PLAN = (
    "INSERT OR IGNORE INTO dispatch_reminders (dispatch_id, kind, hours_before, due_at, fire_at)"
    " VALUES (?, ?, ?, ?, ?)"
)


def dispatch_from_row(row: sqlite3.Row) -> Dispatch:
    return Dispatch(
        id=row["id"],
        problem_id=row["problem_id"],
        department_id=row["department_id"],
        department_name=row["department_name"],
        state=DispatchState(row["state"]),
        note=row["note"],
        due_at=from_db_required(row["due_at"]),
        sent_at=from_db_required(row["sent_at"]),
        sent_by=row["sent_by"],
        sent_event_id=row["sent_event_id"],
        signed_at=from_db(row["signed_at"]),
        done_at=from_db(row["done_at"]),
        returned_at=from_db(row["returned_at"]),
        answer=row["answer"],
        end_event_id=row["end_event_id"],
        version=row["version"],
    )


@dataclass(slots=True)
class DispatchEffects:
    """What a dispatch or a step owes: the department clock's plan and the messages.

    ``plan`` gives each dispatch as changed its reminders from now on; ``messages`` the owed
    messages once the dispatches as changed are known. After the write ``queued`` holds them.
    """

    now: datetime
    messages: Callable[[Sequence[Dispatch]], Sequence[Outgoing]] | None = None
    plan: Callable[[Dispatch], Sequence[PlannedReminder]] | None = None
    queued: list[Queued] = field(default_factory=list)

    async def write(self, conn: Connection, dispatches: Sequence[Dispatch]) -> None:
        if self.plan is not None:
            for d in dispatches:
                await write_dispatch_plan(conn, d.id, d.due_at, self.plan(d))
        if self.messages is not None:
            self.queued = await outbox_repo.insert(conn, self.messages(dispatches), self.now)


async def write_dispatch_plan(
    conn: Connection, dispatch_id: int, due_at: datetime, planned: Sequence[PlannedReminder]
) -> None:
    """Inside the caller's transaction: drop what was planned and not picked, plan anew."""
    await conn.execute(
        "DELETE FROM dispatch_reminders WHERE dispatch_id = ? AND claimed_at IS NULL",
        (dispatch_id,),
    )
    await conn.executemany(
        _PLAN,
        [
            (dispatch_id, r.kind, r.hours_before or 0, to_db(due_at), to_db(r.fire_at))
            for r in planned
        ],
    )


@dataclass(frozen=True, slots=True)
class StepChange:
    """One department step, written together with its timeline event."""

    action: str  # the timeline action, e.g. dispatch_sign
    new_state: DispatchState
    actor_tg_id: int
    at: datetime
    note: str | None = None
    internal: bool = False
    attachments: Sequence[NewAttachment] = ()


class DispatchesRepo:
    """All reads and writes of dispatches."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, dispatch_id: int) -> Dispatch | None:
        row = await self.db.fetchone(_SELECT + " WHERE d.id = ?", (dispatch_id,))
        return dispatch_from_row(row) if row else None

    async def for_problem(self, problem_id: int) -> list[Dispatch]:
        """A problem's dispatches in the order they were made."""
        rows = await self.db.fetchall(
            _SELECT + " WHERE d.problem_id = ? ORDER BY d.id", (problem_id,)
        )
        return [dispatch_from_row(r) for r in rows]

    async def for_problems(self, problem_ids: Sequence[int]) -> dict[int, list[Dispatch]]:
        """The dispatches of several problems (a list page, the agenda), by problem."""
        found: dict[int, list[Dispatch]] = {}
        if not problem_ids:
            return found
        marks = ",".join("?" * len(problem_ids))
        rows = await self.db.fetchall(
            _SELECT + f" WHERE d.problem_id IN ({marks}) ORDER BY d.id", tuple(problem_ids)
        )
        for r in rows:
            found.setdefault(int(r["problem_id"]), []).append(dispatch_from_row(r))
        return found

    async def live_for_department(
        self, department_id: int, *, limit: int, offset: int = 0
    ) -> tuple[list[Dispatch], int]:
        """One page of a department's dispatches still to answer, nearest deadline first."""
        rows = await self.db.fetchall(
            _SELECT + " WHERE d.department_id = ? AND d.state IN ('sent', 'signed')"
            " ORDER BY d.due_at, d.id LIMIT ? OFFSET ?",
            (department_id, limit, offset),
        )
        total = await self.db.fetchone(
            "SELECT COUNT(*) FROM dispatches WHERE department_id = ?"
            " AND state IN ('sent', 'signed')",
            (department_id,),
        )
        return [dispatch_from_row(r) for r in rows], int(total[0]) if total else 0

    async def create(
        self,
        problem: Problem,
        department_ids: Sequence[int],
        *,
        note: str,
        due_at: datetime,
        actor_tg_id: int,
        actor_role: str,
        at: datetime,
        effects: DispatchEffects | None = None,
    ) -> list[Dispatch] | None:
        """Send a problem to departments: one event and one dispatch each, atomically.

        None when the problem changed since it was read (its version moved) or a department
        got a live dispatch of it meanwhile."""
        try:
            async with self.db.transaction() as conn:
                cur = await conn.execute(
                    "UPDATE problems SET version = version + 1 WHERE id = ? AND version = ?",
                    (problem.id, problem.version),
                )
                if cur.rowcount != 1:
                    return None
                ids: list[int] = []
                for department_id in department_ids:
                    cur = await conn.execute(
                        _EVENT,
                        (
                            problem.id,
                            to_db(at),
                            actor_tg_id,
                            actor_role,
                            "dispatch",
                            problem.state.value,
                            problem.state.value,
                            note,
                            department_id,
                            0,
                        ),
                    )
                    event_id = cur.lastrowid
                    try:
                        cur = await conn.execute(
                            _INSERT,
                            (
                                problem.id,
                                department_id,
                                note,
                                to_db(due_at),
                                to_db(at),
                                actor_tg_id,
                                event_id,
                            ),
                        )
                    except sqlite3.IntegrityError:
                        raise _Refused from None
                    assert cur.lastrowid is not None
                    ids.append(cur.lastrowid)
                marks = ",".join("?" * len(ids))
                rows = await conn.execute_fetchall(
                    _SELECT + f" WHERE d.id IN ({marks}) ORDER BY d.id", ids
                )
                made = [dispatch_from_row(r) for r in rows]
                if effects is not None:
                    await effects.write(conn, made)
        except _Refused:
            return None
        return made

    async def step(
        self,
        dispatch: Dispatch,
        problem: Problem,
        change: StepChange,
        effects: DispatchEffects | None = None,
    ) -> Dispatch | None:
        """Write a department's step if nobody changed the dispatch since it was read."""
        sets = ["version = version + 1", "state = ?"]
        params: list[object] = [change.new_state.value]
        final = change.new_state in (DispatchState.DONE, DispatchState.RETURNED)
        if change.new_state is DispatchState.SIGNED and dispatch.signed_at is None:
            sets.append("signed_at = ?")
            params.append(to_db(change.at))
        if change.new_state is DispatchState.DONE:
            sets.append("done_at = ?")
            params.append(to_db(change.at))
        if change.new_state is DispatchState.RETURNED:
            sets.append("returned_at = ?")
            params.append(to_db(change.at))
        if final:
            sets.append("answer = ?")
            params.append(change.note)
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                f"UPDATE dispatches SET {', '.join(sets)} WHERE id = ? AND version = ?",
                (*params, dispatch.id, dispatch.version),
            )
            if cur.rowcount != 1:
                return None
            cur = await conn.execute(
                _EVENT,
                (
                    problem.id,
                    to_db(change.at),
                    change.actor_tg_id,
                    "department",
                    change.action,
                    problem.state.value,
                    problem.state.value,
                    change.note,
                    dispatch.department_id,
                    int(change.internal),
                ),
            )
            event_id = cur.lastrowid
            assert event_id is not None
            await _add_attachments(conn, problem.id, event_id, change.attachments)
            if final:
                await conn.execute(
                    "UPDATE dispatches SET end_event_id = ? WHERE id = ?", (event_id, dispatch.id)
                )
            rows = await conn.execute_fetchall(_SELECT + " WHERE d.id = ?", (dispatch.id,))
            updated = dispatch_from_row(rows[0])
            if effects is not None:
                await effects.write(conn, [updated])
        return updated


class _Refused(Exception):
    """A department got a live dispatch of the problem meanwhile: roll the whole batch back."""

"""The department clock's SQL: planned dispatch reminders, claimed before sent (at most once)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.models import Dispatch, Problem
from domain.outgoing import Outgoing, Queued
from storage import outbox_repo
from storage.db import Database, from_db_required, to_db
from storage.dispatches_repo import dispatch_from_row
from storage.problem_rows import _SELECT, _problem
from storage.reminders_repo import mark_claimed

_DUE = (
    "SELECT r.id AS rid, r.kind AS rkind, r.hours_before AS rhours, r.fire_at AS rfire,"
    " r.due_at AS rdue, r.dispatch_id AS did"
    " FROM dispatch_reminders r WHERE r.claimed_at IS NULL AND r.fire_at <= ?"
    " ORDER BY r.fire_at LIMIT ?"
)
_DISPATCH = (
    "SELECT d.*, dp.name AS department_name FROM dispatches d"
    " JOIN departments dp ON dp.id = d.department_id"
)


@dataclass(frozen=True, slots=True)
class DueDispatchReminder:
    """A dispatch reminder due now, with the dispatch and its problem as they are now."""

    id: int
    kind: str
    hours_before: int
    fire_at: datetime
    dispatch: Dispatch
    problem: Problem


def _current(dispatch: Dispatch, problem: Problem, due_at: str) -> bool:
    """Still the department's to answer, on an open problem, and planned for this deadline."""
    return dispatch.state.is_live and problem.state.is_open and to_db(dispatch.due_at) == due_at


class DispatchRemindersRepo:
    """SQL of the department clock."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def _dispatches(self, ids: Sequence[int]) -> dict[int, Dispatch]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self.db.fetchall(_DISPATCH + f" WHERE d.id IN ({marks})", tuple(ids))
        return {int(r["id"]): dispatch_from_row(r) for r in rows}

    async def _problems(self, ids: Sequence[int]) -> dict[int, Problem]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self.db.fetchall(_SELECT + f" WHERE p.id IN ({marks})", tuple(ids))
        return {int(r["id"]): _problem(r) for r in rows}

    async def due(
        self, now: datetime, limit: int = 5000
    ) -> tuple[list[DueDispatchReminder], list[int]]:
        """Dispatch reminders due by now, not yet claimed: those still current, and the stale."""
        rows: list[sqlite3.Row] = await self.db.fetchall(_DUE, (to_db(now), limit))
        dispatches = await self._dispatches(sorted({int(r["did"]) for r in rows}))
        problems = await self._problems(sorted({d.problem_id for d in dispatches.values()}))
        due: list[DueDispatchReminder] = []
        stale: list[int] = []
        for r in rows:
            dispatch = dispatches.get(int(r["did"]))
            problem = problems.get(dispatch.problem_id) if dispatch else None
            if dispatch is None or problem is None or not _current(dispatch, problem, r["rdue"]):
                stale.append(int(r["rid"]))  # answered, problem closed or replanned meanwhile
                continue
            due.append(
                DueDispatchReminder(
                    int(r["rid"]),
                    r["rkind"],
                    int(r["rhours"]),
                    from_db_required(r["rfire"]),
                    dispatch,
                    problem,
                )
            )
        return due, stale

    async def claim_and_queue(
        self,
        reached: Mapping[int, Sequence[int]],
        stale: Sequence[int],
        messages: Sequence[Outgoing],
        now: datetime,
    ) -> list[Queued]:
        """Claim the reminders and write their messages in one transaction (see RemindersRepo)."""
        async with self.db.transaction() as conn:
            await mark_claimed(conn, "dispatch_reminders", reached, stale, now)
            return await outbox_repo.insert(conn, messages, now)

    async def pending(self, dispatch_id: int) -> list[tuple[str, int, datetime]]:
        rows = await self.db.fetchall(
            "SELECT kind, hours_before, fire_at FROM dispatch_reminders"
            " WHERE dispatch_id = ? AND claimed_at IS NULL ORDER BY fire_at",
            (dispatch_id,),
        )
        return [(r[0], r[1], from_db_required(r[2])) for r in rows]

    async def overdue(self, cutoff: datetime) -> list[tuple[Dispatch, Problem]]:
        """Live dispatches of open problems past their deadline at ``cutoff``, oldest first."""
        rows = await self.db.fetchall(
            _DISPATCH + " JOIN problems p ON p.id = d.problem_id"
            " WHERE d.state IN ('sent', 'signed') AND d.due_at < ?"
            " AND p.state IN ('registered', 'in_progress') ORDER BY d.due_at, d.id",
            (to_db(cutoff),),
        )
        dispatches = [dispatch_from_row(r) for r in rows]
        problems = await self._problems(sorted({d.problem_id for d in dispatches}))
        return [(d, problems[d.problem_id]) for d in dispatches if d.problem_id in problems]

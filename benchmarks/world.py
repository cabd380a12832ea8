"""The programme the process benchmarks run envoybot on, and what its database says afterwards.

The database is prepared beforehand through storage.db (migrations included) with the
generated province of common.province: bound staff contacts, the envoys who get their cards,
and envoys with registered problems waiting to be accepted. Telegram ids are fixed ranges.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import (
    OpenProblem,
    add_accounts,
    add_problems,
    envoy_enterprises,
    province,
)
from storage.db import Database

STAFF_BASE = 2_000_000  # + enterprise id
ENVOY_BASE = 3_000_000  # + envoy id
REPORTER_BASE = 4_000_000  # + envoy id: staff who reported the prepared registered problems
ADMIN = 900


@dataclass
class Programme:
    """Who is bound to what in the prepared database."""

    db_path: Path
    staff: list[int]  # tg ids of bound staff contacts, one per enterprise 1..N
    envoys: list[int]  # tg ids of every bound envoy (card recipients and acceptors)
    acceptors: list[int]  # envoys (tg ids) that have registered problems to accept
    problems: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # tg → (id, №)
    reporters: list[int] = field(default_factory=list)
    envoy_of: dict[int, int] = field(default_factory=dict)  # staff tg → the envoy tg of cards

    @property
    def everyone(self) -> list[int]:
        """Every tg id that has an account or gets messages."""
        return sorted({*self.staff, *self.envoys, *self.reporters, ADMIN})


def _invert(assigned: dict[int, list[int]]) -> dict[int, int]:
    """Enterprise → its envoy."""
    return {e: v for v, es in assigned.items() for e in es}


async def prepare(
    path: Path, *, staff: int, acceptors: int, per_envoy: int, now: datetime | None = None
) -> Programme:
    """Build the database: `staff` contacts, `acceptors` envoys with `per_envoy` problems."""
    now = now or datetime.now(UTC)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    db = await province(path)
    try:
        assigned = await envoy_enterprises(db)
        envoy_of = _invert(assigned)
        working = sorted(v for v, es in assigned.items() if es)[:acceptors]
        if len(working) < acceptors:
            raise ValueError(f"only {len(working)} envoys have enterprises")
        enterprises = list(range(1, staff + 1))
        card_envoys = {envoy_of[e] for e in enterprises if e in envoy_of}
        bound_envoys = sorted(card_envoys | set(working))
        reporters = {v: REPORTER_BASE + v for v in working}
        await add_accounts(
            db,
            envoys=[(ENVOY_BASE + v, v) for v in bound_envoys],
            staff=[(STAFF_BASE + e, e) for e in enterprises]
            + [(reporters[v], assigned[v][0]) for v in working],
            now=now - timedelta(days=30),
        )
        problems = [
            OpenProblem(
                enterprise_id=assigned[v][0],
                envoy_id=v,
                state="registered",
                tier=None,
                registered_at=now - timedelta(hours=1),
                due_at=now + timedelta(hours=23),
                reporter_tg_id=reporters[v],
            )
            for v in working
            for _ in range(per_envoy)
        ]
        await add_problems(db, problems)
    finally:
        await db.close()
    programme = Programme(
        db_path=path,
        staff=[STAFF_BASE + e for e in enterprises],
        envoys=[ENVOY_BASE + v for v in bound_envoys],
        acceptors=[ENVOY_BASE + v for v in working],
        reporters=sorted(reporters.values()),
        envoy_of={STAFF_BASE + e: ENVOY_BASE + envoy_of[e] for e in enterprises if e in envoy_of},
    )
    pid = 1  # add_problems numbers them 1.. in the order given, № 2026-NNNNNN
    for v in working:
        own = programme.problems.setdefault(ENVOY_BASE + v, [])
        for _ in range(per_envoy):
            own.append((pid, f"2026-{pid:06d}"))
            pid += 1
    return programme


def split_problems(
    problems: dict[int, list[tuple[int, str]]], parts: int
) -> list[dict[int, list[tuple[int, str]]]]:
    """Each envoy's problems cut into `parts` disjoint slices (one per row that presses)."""
    out: list[dict[int, list[tuple[int, str]]]] = [{} for _ in range(parts)]
    for tg, items in problems.items():
        size = len(items) // parts
        for i in range(parts):
            out[i][tg] = items[i * size : (i + 1) * size]
    return out


# ---- reading the database back ---------------------------------------------------------


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection (the bot may be running; SQLite WAL lets both read)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


@dataclass(frozen=True)
class Stored:
    """One problem as the database has it."""

    id: int
    number: str
    reporter: int
    description: str
    state: str
    events: tuple[tuple[str, int | None], ...]  # (action, actor tg id) in order

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(action for action, _ in self.events)

    def by(self, action: str, actor: int) -> bool:
        """Whether this actor's `action` is recorded."""
        return (action, actor) in self.events


def problems_of(path: Path, reporters: Sequence[int]) -> list[Stored]:
    """Problems reported by these Telegram ids, with their event actions."""
    if not reporters:
        return []
    with connect(path) as conn:
        marks = ",".join("?" * len(reporters))
        rows = conn.execute(
            "SELECT id, number, reporter_tg_id, description, state FROM problems"
            f" WHERE reporter_tg_id IN ({marks}) ORDER BY id",
            list(reporters),
        ).fetchall()
        events: dict[int, list[tuple[str, int | None]]] = {}
        ids = [int(r[0]) for r in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for problem_id, action, actor in conn.execute(
                "SELECT problem_id, action, actor_tg_id FROM problem_events"
                f" WHERE problem_id IN ({','.join('?' * len(chunk))}) ORDER BY id",
                chunk,
            ):
                who = None if actor is None else int(actor)
                events.setdefault(int(problem_id), []).append((str(action), who))
    return [
        Stored(int(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4]), tuple(events.get(r[0], [])))
        for r in rows
    ]


async def reports_of(db: str | Path, reporters: Sequence[int]) -> list[tuple[int, str, str]]:
    """(reporter, №, description) of the problems these ids reported, on either engine."""
    if not reporters:
        return []
    database = Database(db)
    await database.open()
    try:
        out: list[tuple[int, str, str]] = []
        ids = list(reporters)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = await database.fetchall(
                "SELECT reporter_tg_id, number, description FROM problems"
                f" WHERE reporter_tg_id IN ({','.join('?' * len(chunk))}) ORDER BY id",
                chunk,
            )
            out += [(int(r[0]), str(r[1]), str(r[2])) for r in rows]
        return out
    finally:
        await database.close()
